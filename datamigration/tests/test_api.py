"""The REST API: the whole loop (upload, map, validate, load, errors, records) and bad input."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datamigration.models import MigrationRun, Upload
from datamigration.services import UPLOAD_TYPES
from datamigration.tests.factories import csv_bytes, execute, expected_errors
from projects.files import UPLOAD_BAD_TYPE, UPLOAD_EMPTY, UPLOAD_TOO_LARGE

pytestmark = pytest.mark.django_db

UPLOADS = reverse("datamigration-api:upload-list")
RUNS = reverse("datamigration-api:run-list")


def post_file(client, project, name, content, filename="f.csv", **extra):
    data = {"project": project.code, "object": name, "file": SimpleUploadedFile(filename, content), **extra}
    return client.post(UPLOADS, data, format="multipart")


def start(client, upload_id, mode="validate", cycle="mock1"):
    return client.post(RUNS, {"upload": upload_id, "mode": mode, "cycle": cycle}, format="json")


def test_objects_list_the_builtins_with_their_rules(project, viewer, api_client_for):
    response = api_client_for(viewer).get(reverse("datamigration-api:object-list"), {"project": project.code})

    assert response.status_code == 200
    names = [o["name"] for o in response.json()["results"]]
    assert names == ["uom", "tax_codes", "chart_of_accounts", "vendors", "customers", "products"]
    products = response.json()["results"][-1]
    uom = next(f for f in products["fields"] if f["name"] == "uom")
    assert (uom["type"], uom["required"], uom["reference_object"]) == ("reference", True, "uom")


def test_key_user_validates_and_consultant_loads_through_the_api(
    project, key_user, consultant, api_client_for, md_dir, manifest
):
    kim, bob = api_client_for(key_user), api_client_for(consultant)
    for name in ("uom", "tax_codes", "vendors"):
        upload = post_file(bob, project, name, (md_dir / f"{name}.csv").read_bytes(), f"{name}.csv").json()
        execute(MigrationRun.objects.get(pk=start(bob, upload["id"], mode="load").json()["id"]))

    created = post_file(kim, project, "products", (md_dir / "products.csv").read_bytes(), "products.csv")
    assert created.status_code == 201, created.content
    upload = created.json()
    assert upload["mapping"] == {h: h for h in upload["headers"]}
    assert (upload["encoding"], upload["delimiter"], upload["format"]) == ("utf-8", ",", "csv")

    response = start(kim, upload["id"])
    assert response.status_code == 202
    assert response["Location"] == reverse("datamigration-api:run-detail", args=[response.json()["id"]])
    assert start(kim, upload["id"], mode="load").status_code == 403
    run = execute(MigrationRun.objects.get(pk=response.json()["id"]))

    detail = kim.get(response["Location"]).json()
    assert (detail["status"], detail["percent"], detail["total_rows"]) == ("succeeded", 100, 2000)
    errors = kim.get(reverse("datamigration-api:run-errors", args=[run.pk]), {"page_size": 200}).json()
    assert errors["count"] == len(expected_errors(manifest, "products.csv"))
    assert {(e["row"], e["field"], e["kind"]) for e in errors["results"]} == expected_errors(manifest, "products.csv")
    only = kim.get(reverse("datamigration-api:run-errors", args=[run.pk]), {"kind": "reference", "field": "uom"}).json()
    assert only["count"] == len({e for e in expected_errors(manifest, "products.csv") if e[1:] == ("uom", "reference")})

    load = start(bob, upload["id"], mode="load")
    assert load.status_code == 202
    execute(MigrationRun.objects.get(pk=load.json()["id"]))
    records = kim.get(reverse("datamigration-api:record-list"), {"project": project.code, "object": "products"}).json()
    assert records["count"] == 2000 - len({r for r, _, _ in expected_errors(manifest, "products.csv")})


def test_error_download_has_the_original_rows_and_an_error_column(project, consultant, api_client_for):
    client = api_client_for(consultant)
    content = csv_bytes([["code", "name"], ["PCS", "Cái"], ["", "Hộp"], ["=cmd|' /C calc'!A0", "Bộ"]])
    upload = post_file(client, project, "uom", content).json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"]).json()["id"]))

    csv_response = client.get(reverse("datamigration-api:run-errors", args=[run.pk]), {"file_format": "csv"})
    body = b"".join(csv_response.streaming_content)
    xlsx = client.get(reverse("datamigration-api:run-errors", args=[run.pk]), {"file_format": "xlsx"})

    assert csv_response.status_code == 200
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body[3:].decode().splitlines()
    assert lines[0] == "row,code,name,errors"
    assert lines[1] == "2,,Hộp,code: This field is required."
    assert lines[2].startswith("3,'=cmd|")  # escaped: never runs as a formula
    assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(b"".join(xlsx.streaming_content)))


def test_cancel_through_the_api(project, key_user, api_client_for):
    client = api_client_for(key_user)
    upload = post_file(client, project, "uom", csv_bytes([["code", "name"], ["A", "a"]])).json()
    run_id = start(client, upload["id"]).json()["id"]

    response = client.post(reverse("datamigration-api:run-cancel", args=[run_id]))

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert client.post(reverse("datamigration-api:run-cancel", args=[run_id])).status_code == 400


def test_mapping_can_be_edited_with_the_version(project, key_user, api_client_for):
    client = api_client_for(key_user)
    upload = post_file(client, project, "uom", csv_bytes([["Mã ĐVT", "Tên"], ["A", "a"]])).json()
    assert upload["mapping"] == {}
    url = reverse("datamigration-api:upload-detail", args=[upload["id"]])
    assert start(client, upload["id"]).status_code == 400

    response = client.patch(url, {"mapping": {"Mã ĐVT": "code", "Tên": "name"}, "version": 1}, format="json")
    stale = client.patch(url, {"mapping": {"Mã ĐVT": "code"}, "version": 1}, format="json")
    again = post_file(client, project, "uom", csv_bytes([["mã đvt", "TÊN"], ["B", "b"]])).json()

    assert response.status_code == 200 and response.json()["version"] == 2
    assert stale.status_code == 409
    assert again["mapping"] == {"mã đvt": "code", "TÊN": "name"}  # the saved mapping is reused


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bad_type(ext: str) -> str:
    return UPLOAD_BAD_TYPE.format(ext=ext, allowed=", ".join(sorted(UPLOAD_TYPES)))


BAD_INPUTS = [
    ("empty.csv", b"", UPLOAD_EMPTY),
    ("header.csv", b"code,name\r\n", "The file has a header row but no data rows."),
    ("binary.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 50, "This does not look like a text (CSV) file"),
    ("corrupt.xlsx", b"PK\x03\x04 not really a zip", "This is not a valid XLSX workbook"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "This workbook is password-protected"),
    (
        "bomb.xlsx",
        _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<a>" + b"0" * 20_000_000 + b"</a>"}),
        "This workbook expands to too much data",
    ),
    ("macro.xlsx", _zip({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"x"}), "Macro-enabled workbooks"),
    ("macro.xlsm", _zip({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"x"}), bad_type(".xlsm")),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, bad_type(".png")),
    ("products", b"code,name\r\nA,a\r\n", bad_type("(none)")),
]


@pytest.mark.parametrize(("filename", "content", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_files_are_refused_with_a_clear_message_and_nothing_stored(
    project, key_user, api_client_for, settings, filename, content, message
):
    response = post_file(api_client_for(key_user), project, "uom", content, filename)

    assert response.status_code == 400, response.content
    assert response.json()["file"][0].startswith(message)
    assert not Upload.objects.exists()
    media = settings.MEDIA_ROOT / "datamigration"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_over_the_size_limit_answers_413(project, key_user, api_client_for, settings):
    settings.DATAMIGRATION_MAX_UPLOAD_MB = 1
    content = b"code,name\n" + b"A,a\n" * 300_000

    response = post_file(api_client_for(key_user), project, "uom", content)

    assert response.status_code == 413
    assert response.json()["file"] == [UPLOAD_TOO_LARGE.format(size="1.1", limit="1")]
    assert not Upload.objects.exists()


def test_missing_required_columns_refuse_the_run(project, key_user, api_client_for):
    client = api_client_for(key_user)
    upload = post_file(client, project, "products", csv_bytes([["code", "name"], ["SP1", "x"]])).json()

    response = start(client, upload["id"])

    assert response.status_code == 400
    assert response.json()["mapping"] == ["Required fields are not mapped to a column: uom, price, tax_code."]
    assert not MigrationRun.objects.exists()


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters plus a combining tone mark."""
    import unicodedata

    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tone = "".join(c for c in parts if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += (base + tone).encode("cp1258")
    return bytes(out)


def test_windows_1258_and_semicolons_are_detected_and_can_be_overridden(project, consultant, api_client_for):
    client = api_client_for(consultant)
    content = to_cp1258("code;name\r\nHOP;Hộp giấy\r\nDOI;Đôi\r\n")
    detected = post_file(client, project, "uom", content).json()
    forced = post_file(client, project, "uom", content, encoding="cp1252").json()

    assert (detected["encoding"], detected["delimiter"]) == ("cp1258", ";")
    assert forced["encoding"] == "cp1252"
    run = execute(MigrationRun.objects.get(pk=start(client, detected["id"], mode="load").json()["id"]))
    assert run.inserted_rows == 2
    names = client.get(reverse("datamigration-api:record-list"), {"project": project.code, "object": "uom"}).json()
    assert {r["data"]["name"] for r in names["results"]} == {"Hộp giấy", "Đôi"}


def test_xlsx_upload_with_a_chosen_sheet(project, consultant, api_client_for):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "notes"
    workbook.active.append(["ignore me"])
    sheet = workbook.create_sheet("units")
    for row in (["code", "name"], ["PCS", "Cái"], ["KG", "Kilôgam"]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = api_client_for(consultant)

    upload = post_file(client, project, "uom", buffer.getvalue(), "units.xlsx", sheet="units").json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"], mode="load").json()["id"]))

    assert (upload["format"], upload["sheet"], upload["headers"]) == ("xlsx", "units", ["code", "name"])
    assert run.inserted_rows == 2


def test_xlsx_number_and_boolean_cells_load_as_the_text_a_csv_would_give(project, consultant, api_client_for):
    from openpyxl import Workbook

    from datamigration.models import StagedRecord

    workbook = Workbook()
    for row in (
        ["code", "name", "parent_code", "type", "level", "reconcile"],
        [111, "Tiền mặt", None, "asset", 1, False],
        [1111, "Tiền Việt Nam", 111, "asset", 2.0, True],
        ["131", "Phải thu của khách hàng", "", "asset", "1", "true"],
    ):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = api_client_for(consultant)

    upload = post_file(client, project, "chart_of_accounts", buffer.getvalue(), "coa.xlsx").json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"], mode="load").json()["id"]))

    assert (run.status, run.inserted_rows, run.error_count) == ("succeeded", 3, 0)
    data = dict(StagedRecord.objects.filter(project=project).values_list("key", "data"))
    assert data["111"] == {
        "code": "111",
        "name": "Tiền mặt",
        "parent_code": "",
        "type": "asset",
        "level": "1",
        "reconcile": "false",
    }
    assert (data["1111"]["parent_code"], data["1111"]["level"], data["1111"]["reconcile"]) == ("111", "2", "true")
    assert data["131"]["reconcile"] == "true"


def test_template_and_records_exports(project, consultant, api_client_for):
    client = api_client_for(consultant)
    products = client.get(reverse("datamigration-api:object-list"), {"project": project.code, "name": "products"})
    pk = products.json()["results"][0]["id"]

    template = b"".join(
        client.get(reverse("datamigration-api:object-template", args=[pk]), {"file_format": "csv"}).streaming_content
    )
    xlsx = client.get(reverse("datamigration-api:object-template", args=[pk]), {"file_format": "xlsx"})

    lines = template[3:].decode().splitlines()
    assert lines[0] == "code,name,category,uom,price,cost,weight_kg,barcode,vendor_code,tax_code,active,launch_date"
    assert lines[1].startswith("SP0000001,")
    assert xlsx["Content-Disposition"].startswith('attachment; filename="products-template.xlsx"')
    export = client.get(reverse("datamigration-api:record-export"), {"project": project.code, "object": "uom"})
    assert export.status_code == 200
    assert b"".join(export.streaming_content)[3:].decode().splitlines() == ["code,name"]


def test_downloads_carry_the_shared_download_headers(project, consultant, api_client_for):
    client = api_client_for(consultant)
    upload = post_file(client, project, "uom", csv_bytes([["code", "name"], ["", "Hộp"]])).json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"]).json()["id"]))
    pk = client.get(reverse("datamigration-api:object-list"), {"project": project.code, "name": "uom"}).json()
    pk = pk["results"][0]["id"]

    downloads = {
        "uom-template.csv": client.get(reverse("datamigration-api:object-template", args=[pk]), {"file_format": "csv"}),
        f"run-{run.pk}-uom-errors.xlsx": client.get(
            reverse("datamigration-api:run-errors", args=[run.pk]), {"file_format": "xlsx"}
        ),
        f"{project.code}-uom.csv": client.get(
            reverse("datamigration-api:record-export"), {"project": project.code, "object": "uom"}
        ),
    }

    for filename, response in downloads.items():
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    ("persona", "expected"), [("consultant", 201), ("pm", 201), ("key_user", 403), ("viewer", 403)]
)
def test_consultants_define_new_objects_and_fields(project, personas, api_client_for, persona, expected):
    client = api_client_for(personas[persona])
    created = client.post(
        reverse("datamigration-api:object-list"),
        {"project": project.code, "name": "warehouses", "label": "Warehouses"},
        format="json",
    )
    assert created.status_code == expected
    if expected != 201:
        return
    url = reverse("datamigration-api:object-fields", args=[created.json()["id"]])
    field = client.post(url, {"name": "uom", "type": "reference", "reference_object": "uom"}, format="json")
    zone = client.post(url, {"name": "zone", "type": "choice", "choices": ["A", "B"], "required": True}, format="json")
    assert (field.status_code, zone.status_code) == (201, 201)

    upload = post_file(client, project, "warehouses", csv_bytes([["code", "uom", "zone"], ["WH1", "PCS", "C"]])).json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"]).json()["id"]))

    assert {(e.field, e.kind) for e in run.row_errors.all()} == {("uom", "reference"), ("zone", "choice")}
    objects = client.get(reverse("datamigration-api:object-list"), {"project": project.code}).json()["results"]
    assert [o["name"] for o in objects].index("warehouses") > [o["name"] for o in objects].index("uom")


def test_errors_download_still_works_when_the_file_was_purged(project, consultant, api_client_for):
    client = api_client_for(consultant)
    upload = post_file(client, project, "uom", csv_bytes([["code", "name"], ["", "Hộp"]])).json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"]).json()["id"]))
    run.upload.file.delete(save=False)

    response = client.get(reverse("datamigration-api:run-errors", args=[run.pk]), {"file_format": "csv"})

    lines = b"".join(response.streaming_content)[3:].decode().splitlines()
    assert lines == ["row,field,kind,message,value", "1,code,required,This field is required.,"]


@pytest.mark.parametrize("workers", [0, 33, "two"])
def test_a_run_asks_for_1_to_32_workers(project, consultant, api_client_for, workers):
    client = api_client_for(consultant)
    upload = post_file(client, project, "uom", csv_bytes([["code", "name"], ["A", "a"]])).json()

    response = client.post(RUNS, {"upload": upload["id"], "mode": "load", "workers": workers}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["workers"]
    assert not MigrationRun.objects.exists()


@pytest.mark.postgres
def test_a_run_split_across_workers_shows_its_chunks(project, consultant, api_client_for):
    client = api_client_for(consultant)
    upload = post_file(client, project, "uom", csv_bytes([["code", "name"], ["A", "a"]])).json()

    created = client.post(RUNS, {"upload": upload["id"], "mode": "load", "workers": 3}, format="json")
    one = client.post(RUNS, {"upload": upload["id"], "mode": "validate", "workers": 1}, format="json")

    assert created.status_code == 202
    assert created.json()["workers"] == 3
    assert created.json()["chunks"] == {
        "total": None,
        "split": 0,
        "committed": 0,
        "in_progress": 0,
        "committed_percent": 0,
        "in_progress_percent": 0,
        "by_worker": [],
    }
    assert (one.json()["workers"], one.json()["chunks"]) == (1, None)


# --- one name for a download's format: file_format (``format`` is no DRF trap any more) -------


def test_downloads_take_file_format_and_format_is_no_longer_a_404(project, consultant, api_client_for):
    client = api_client_for(consultant)
    upload = post_file(client, project, "uom", csv_bytes([["code", "name"], ["", "Hộp"]])).json()
    run = execute(MigrationRun.objects.get(pk=start(client, upload["id"]).json()["id"]))
    errors_url = reverse("datamigration-api:run-errors", args=[run.pk])

    xlsx = client.get(errors_url, {"file_format": "xlsx"})
    old_name = client.get(errors_url, {"format": "xlsx"})  # DRF's override used to answer 404 here
    by_accept = client.get(errors_url, HTTP_ACCEPT="text/csv")

    assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert old_name.status_code == 200 and old_name["Content-Type"].startswith("application/json")
    assert old_name.json()["count"] == 1  # an unknown parameter, ignored like any other
    assert by_accept.status_code == 200 and by_accept["Content-Type"].startswith("text/csv")
    assert b"".join(by_accept.streaming_content)[3:].decode().splitlines()[0] == "row,code,name,errors"


def test_the_uploads_list_filters_by_file_format(project, consultant, api_client_for):
    client = api_client_for(consultant)
    post_file(client, project, "uom", csv_bytes([["code", "name"], ["A", "a"]]))

    def count(**params):
        return client.get(UPLOADS, {"project": project.code, **params}).json()["count"]

    assert (count(file_format="csv"), count(file_format="xlsx"), count(format="xlsx")) == (1, 0, 1)


def test_records_export_without_project_or_object_answers_400_naming_them(project, viewer, api_client_for):
    client = api_client_for(viewer)
    url = reverse("datamigration-api:record-export")

    missing = client.get(url)
    no_object = client.get(url, {"project": project.code})
    unknown = client.get(url, {"project": project.code, "object": "no-such-object"})

    assert missing.status_code == 400 and set(missing.json()) == {"project", "object"}
    assert no_object.status_code == 400 and set(no_object.json()) == {"object"}
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/json")
