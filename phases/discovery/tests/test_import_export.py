"""Requirement spreadsheets: export → import round trip, formula escaping, refused files."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phases.discovery import exports, services, spreadsheets
from phases.discovery.models import BusinessArea, Requirement
from phases.discovery.tests import factories as f
from projects.files import UPLOAD_BAD_TYPE, UPLOAD_CONTENT_MISMATCH, UPLOAD_EMPTY, UPLOAD_TOO_LARGE

VIETNAMESE = "Báo cáo công nợ phải thu theo nhà phân phối — đối chiếu hằng tháng"
FIELDS = [
    "title",
    "description",
    "business_area",
    "source",
    "priority",
    "fit_gap",
    "resolution",
    "status",
    "internal_notes",
]


def _rows(project):
    return [
        (
            r.code,
            *(getattr(r, name) for name in FIELDS),
            r.owner.username if r.owner_id else "",
            tuple(p.name for p in r.processes.all()),
        )
        for r in project.requirements.order_by("code")
    ]


@pytest.fixture
def source(project, pm, consultant):
    """A project with requirements in Vietnamese, including text that looks like formulas."""
    process = f.CurrentProcessFactory(project=project, name="Bán hàng cho nhà phân phối")
    reqs = [
        f.RequirementFactory(
            project=project,
            code="REQ-001",
            title=VIETNAMESE,
            description='Dòng 1\nDòng 2, có dấu phẩy và "ngoặc kép"',
            business_area="sales",
            source="interview",
            priority="must",
            fit_gap="partial",
            resolution="configuration",
            status="agreed",
            owner=consultant,
            internal_notes="Ước tính 3 ngày công",
        ),
        f.RequirementFactory(
            project=project,
            code="REQ-002",
            title='=HYPERLINK("http://evil.example","click")',
            description="+84 28 3823 4567",
            business_area="finance",
            priority="could",
            internal_notes="-5% chiết khấu",
        ),
        f.RequirementFactory(
            project=project, code="REQ-003", title="@SUM(A1:A2)", business_area="inventory", status="draft"
        ),
    ]
    reqs[0].processes.add(process)
    return project


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_rows(fmt, source, other_project, pm, consultant):
    from projects.models import Membership
    from projects.roles import Role

    Membership.objects.create(user=pm, project=other_project, role=Role.PM)
    Membership.objects.create(user=consultant, project=other_project, role=Role.CONSULTANT)
    f.CurrentProcessFactory(project=other_project, name="Bán hàng cho nhà phân phối")

    data = exports.requirement_export(project=source, by=pm, requirements=source.requirements.order_by("code"), fmt=fmt)
    created = services.requirement_import(project=other_project, by=pm, filename=f"reqs.{fmt}", data=data)

    assert len(created) == 3
    assert _rows(other_project) == _rows(source)
    assert other_project.requirements.get(code="REQ-001").title == VIETNAMESE


def test_export_escapes_formula_cells_in_csv(source, pm):
    data = exports.requirement_export(
        project=source, by=pm, requirements=source.requirements.order_by("code"), fmt="csv"
    )
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_code = {row["code"]: row for row in rows}
    assert by_code["REQ-002"]["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert by_code["REQ-002"]["description"] == "'+84 28 3823 4567"
    assert by_code["REQ-002"]["internal_notes"] == "'-5% chiết khấu"
    assert by_code["REQ-003"]["title"] == "'@SUM(A1:A2)"
    assert by_code["REQ-001"]["title"] == VIETNAMESE


def test_export_xlsx_cells_are_text_never_formulas(source, pm):
    data = exports.requirement_export(
        project=source, by=pm, requirements=source.requirements.order_by("code"), fmt="xlsx"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    titles = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert titles[1].startswith("'=") and titles[2].startswith("'@")


def test_export_for_client_roles_has_no_internal_notes(source, sponsor, client):
    client.force_login(sponsor)
    response = client.get(reverse("discovery:requirement_export", args=[source.code]), {"file_format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "internal_notes" not in header
    assert "Ước tính" not in str([[c.value for c in row] for row in sheet.iter_rows()])
    assert response["Content-Disposition"].startswith("attachment;")


def test_export_follows_list_filters(source, pm, client):
    client.force_login(pm)
    response = client.get(reverse("discovery:requirement_export", args=[source.code]), {"priority": "must"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["REQ-001"]


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_import_assigns_codes_and_accepts_labels_and_moscow_letters(project, pm, consultant):
    f.RequirementFactory(project=project, code="REQ-007")
    data = _csv(
        "Title,Business_Area,Priority,Fit_Gap,Resolution,Status,Owner\n"
        "Hóa đơn điện tử,Finance,M,Gap,Custom development,Agreed,bob_consultant\n"
        "Tồn kho theo lô,inventory,Should have,,,,\n"
    )
    created = services.requirement_import(project=project, by=pm, filename="r.csv", data=data)
    assert [r.code for r in created] == ["REQ-008", "REQ-009"]
    first = created[0]
    assert (first.priority, first.fit_gap, first.resolution, first.status, first.owner) == (
        "must",
        "gap",
        "custom",
        "agreed",
        consultant,
    )


def _refused(project, by, data, name="r.csv") -> list[str]:
    before = Requirement.objects.count()
    with pytest.raises(services.ImportRefused) as caught:
        services.requirement_import(project=project, by=by, filename=name, data=data)
    assert Requirement.objects.count() == before, "nothing may be saved"
    assert caught.value.message == services.IMPORT_REFUSED.format(count=len(caught.value.errors))
    return caught.value.errors


def test_import_refuses_unknown_columns(project, pm):
    errors = _refused(project, pm, _csv("title,business_area,colour\nA,sales,red\n"))
    assert errors == [
        services.IMPORT_UNKNOWN_COLUMNS.format(columns="colour", allowed=", ".join(services.IMPORT_COLUMNS))
    ]


def test_import_refuses_missing_required_columns(project, pm):
    assert _refused(project, pm, _csv("title\nA\n")) == [
        services.IMPORT_MISSING_COLUMNS.format(columns="business_area")
    ]


def test_import_lists_every_bad_row_and_saves_nothing(project, pm):
    data = _csv(
        "code,title,business_area,priority\n"
        "R-1,Good row,sales,must\n"
        "R-2,Bad priority,sales,urgent\n"
        "R-3,,finance,could\n"
        "R-4,Bad area,marketing,must\n"
    )
    errors = _refused(project, pm, data)
    allowed_priorities = ", ".join(Requirement.Priority.values)
    assert errors == [
        services.IMPORT_ROW.format(
            row=3,
            message=services.IMPORT_BAD_CHOICE.format(column="priority", value="urgent", allowed=allowed_priorities),
        ),
        services.IMPORT_ROW.format(row=4, message=services.IMPORT_REQUIRED.format(column="title")),
        services.IMPORT_ROW.format(
            row=5,
            message=services.IMPORT_BAD_CHOICE.format(
                column="business_area", value="marketing", allowed=", ".join(v for v in BusinessArea.values)
            ),
        ),
    ]


def test_import_refuses_duplicate_codes_in_the_file_and_in_the_project(project, pm):
    f.RequirementFactory(project=project, code="REQ-001")
    data = _csv("code,title,business_area\nREQ-002,A,sales\nreq-002,B,sales\nREQ-001,C,sales\n")
    assert _refused(project, pm, data) == [
        services.IMPORT_ROW.format(row=3, message=services.IMPORT_DUPLICATE_IN_FILE.format(code="req-002", first=2)),
        services.IMPORT_ROW.format(row=4, message=services.IMPORT_CODE_EXISTS.format(code="REQ-001")),
    ]


def test_import_refuses_unknown_owner_and_process(project, pm):
    data = _csv("title,business_area,owner,processes\nA,sales,nobody,Không có\n")
    assert _refused(project, pm, data) == [
        services.IMPORT_ROW.format(row=2, message=services.IMPORT_UNKNOWN_OWNER.format(owner="nobody")),
        services.IMPORT_ROW.format(row=2, message=services.IMPORT_UNKNOWN_PROCESS.format(name="Không có")),
    ]


def _zip_without_a_workbook() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "không phải bảng tính")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # the shared upload check (projects.files) refuses these before any parsing
        ("r.csv", "title,business_area\nBáo cáo,sales\n".encode("cp1258"), UPLOAD_CONTENT_MISMATCH.format(ext=".csv")),
        ("r.xlsx", b"this is not a workbook", UPLOAD_CONTENT_MISMATCH.format(ext=".xlsx")),
        ("r.pdf", b"%PDF-1.4", UPLOAD_BAD_TYPE.format(ext=".pdf", allowed=".csv, .xlsx")),
        ("r.csv", b"", UPLOAD_EMPTY),
        # the parser refuses what the first bytes could not show
        ("r.csv", b"title,business_area\n" + b"A,sales\n" * 600 + "Báo cáo,sales\n".encode("cp1258"), "not UTF-8"),
        ("r.xlsx", _zip_without_a_workbook(), "not a readable XLSX"),
        ("r.csv", b"title,business_area\n", services.IMPORT_NO_ROWS),
    ],
)
def test_import_refuses_unreadable_files(project, pm, name, data, message):
    errors = _refused(project, pm, data, name=name)
    assert len(errors) == 1 and message in errors[0]


def test_import_refuses_a_file_over_the_limit(project, pm, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_IMPORT_BYTES", 1024 * 1024)
    data = b"title,business_area\n" + b"A,sales\n" * 150_000
    assert _refused(project, pm, data) == [UPLOAD_TOO_LARGE.format(size=f"{len(data) / 1024 / 1024:.1f}", limit="1")]


def test_import_from_xlsx_with_numbers_and_blank_rows(project, pm):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "title", "business_area", "priority"])
    sheet.append([101, "Kiểm kê bằng máy quét", "inventory", "could"])
    sheet.append([None, None, None, None])
    sheet.append(["X-2", "Phê duyệt PO", "procurement", "must"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    created = services.requirement_import(project=project, by=pm, filename="r.xlsx", data=buffer.getvalue())
    assert [r.code for r in created] == ["101", "X-2"]


def test_import_by_client_role_is_refused(project, key_user):
    with pytest.raises(PermissionDenied):
        services.requirement_import(
            project=project, by=key_user, filename="r.csv", data=_csv("title,business_area\nA,sales\n")
        )
    assert not Requirement.objects.exists()


def test_import_page_shows_each_row_problem(client, project, consultant):
    client.force_login(consultant)
    upload = io.BytesIO(_csv("title,business_area,priority\nA,sales,urgent\n"))
    upload.name = "bad.csv"
    response = client.post(reverse("discovery:requirement_import", args=[project.code]), {"file": upload})
    assert response.status_code == 200
    assert "Row 2: priority &#x27;urgent&#x27; is not one of" in response.content.decode()
    assert not Requirement.objects.exists()


def test_import_api_answers_row_messages(api_client_for, project, pm):
    upload = io.BytesIO(_csv("code,title,business_area\nA-1,x,sales\nA-1,y,sales\n"))
    upload.name = "dup.csv"
    response = api_client_for(pm).post(
        reverse("discovery-api:requirement-import"), {"project": project.code, "file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        services.IMPORT_ROW.format(row=3, message=services.IMPORT_DUPLICATE_IN_FILE.format(code="A-1", first=2))
    ]


def test_import_of_thousands_of_rows_saves_every_row(project, pm):
    lines = ["title,business_area,priority"] + [f"Yêu cầu số {n},sales,should" for n in range(1, 2101)]
    created = services.requirement_import(project=project, by=pm, filename="big.csv", data="\n".join(lines).encode())
    assert len(created) == 2100 == project.requirements.count()
    assert project.requirements.filter(code="REQ-2100", title="Yêu cầu số 2100").exists()


def test_the_export_asks_the_same_few_queries_at_any_size(project, pm, client):
    """Streamed a chunk at a time, with the process names read once: no query per requirement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    process = f.CurrentProcessFactory(project=project)
    client.force_login(pm)
    url = reverse("discovery:requirement_export", args=[project.code])
    counts = []
    for size in (3, 40):
        for _ in range(size - project.requirements.count()):
            f.RequirementFactory(project=project).processes.add(process)
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url, {"file_format": "csv"}).getvalue().decode("utf-8-sig")
        counts.append(len(captured))
        assert len(body.strip().splitlines()) == size + 1
        assert process.name in body.splitlines()[1]
    assert counts[0] == counts[1] <= 25


def test_an_export_in_an_unknown_format_is_refused_not_answered_in_csv(project, pm, client, api_client_for):
    f.RequirementFactory(project=project)
    client.force_login(pm)
    page = client.get(reverse("discovery:requirement_export", args=[project.code]), {"file_format": "pdf"})
    assert page.status_code == 400
    api = api_client_for(pm).get(
        "/api/v1/discovery/requirements/export/", {"project": project.code, "file_format": "pdf"}
    )
    assert api.status_code == 400
    assert api.json()["file_format"] == ["Choose file_format=csv or file_format=xlsx."]
    listed = client.get(reverse("discovery:requirement_list", args=[project.code])).content.decode()
    assert "export/?file_format=csv" in listed
