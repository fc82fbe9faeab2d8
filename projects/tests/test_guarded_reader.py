"""The one guarded reader (``projects/containers.py``, ``projects/tabular.py``) as its
callers' users meet it: rows counted while streaming and refused as soon as the limit is
passed, a clear 400 (413 for size), and formula cells escaped in every export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from datamigration.models import StagedRecord
from datamigration.tests.factories import MigrationRunFactory, csv_bytes
from erpimpl.errors import DomainError
from phases.discovery.models import Requirement
from projects import containers, tabular
from projects.files import EVIDENCE_TYPES, UPLOAD_NOT_UTF8, UPLOAD_TOO_LARGE, validate_upload
from projects.spreadsheets import FORMULA_STARTS
from projects.tests.hostile import FORMULAS, OLE, SHEET_END, SHEET_START, corpus, many_rows_xlsx, xlsx, zip_of

pytestmark = pytest.mark.django_db

IMPORT = reverse("discovery-api:requirement-import")


def _import(client, project, name, data):
    return client.post(IMPORT, {"project": project.code, "file": SimpleUploadedFile(name, data)}, format="multipart")


# --- the reader itself ----------------------------------------------------------------------


def test_the_rows_of_a_sheet_are_counted_while_streaming_and_the_count_stops_past_the_limit():
    data = many_rows_xlsx()  # 100,000 rows, about 25:1: no container limit stops it
    containers.check_container(io.BytesIO(data), required_parts=(tabular.WORKBOOK,))
    assert tabular.count_xlsx_rows(io.BytesIO(data), stop_after=5000) == 5001
    with pytest.raises(tabular.TooManyRows):
        list(tabular.rows(io.BytesIO(data), fmt="xlsx", max_rows=5000))


def test_a_csv_is_refused_at_the_first_row_past_the_limit_and_blank_rows_do_not_count():
    text = "title\n" + "a\n,\n" * 3  # three rows, three blank ones
    assert len(list(tabular.rows(io.BytesIO(text.encode()), fmt="csv", max_rows=3))) == 7
    with pytest.raises(tabular.TooManyRows):
        list(tabular.rows(io.BytesIO((text + "b\n").encode()), fmt="csv", max_rows=3))


@pytest.mark.parametrize("name", ["xxe.xlsx", "billion_laughs.xlsx", "zip_bomb.xlsx", "macro.xlsx", "nested.xlsx"])
def test_an_xlsx_is_checked_as_a_container_before_any_row_is_read(name):
    with pytest.raises(containers.ContainerProblem):
        next(tabular.rows(io.BytesIO(corpus()[name].data), fmt="xlsx"))


# --- requirement import ------------------------------------------------------------------


def test_a_million_row_sheet_under_the_ratio_limits_is_refused_by_the_row_limit(api_client_for, project, consultant):
    response = _import(api_client_for(consultant), project, "rows.xlsx", many_rows_xlsx())

    assert response.status_code == 400
    assert response.json()["errors"] == ["The file has more than 5000 rows; split it."]
    assert not Requirement.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_row_limit_is_a_setting(api_client_for, project, consultant, settings, fmt):
    settings.REQUIREMENT_IMPORT_MAX_ROWS = 2
    client = api_client_for(consultant)

    def data(count):
        rows = [["title", "business_area"]] + [[f"Yêu cầu {n}", "sales"] for n in range(count)]
        if fmt == "csv":
            return csv_bytes(rows)
        cells = b"".join(
            b"<row>" + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % c.encode() for c in row) + b"</row>"
            for row in rows
        )
        return xlsx(SHEET_START + cells + SHEET_END)

    refused = _import(client, project, f"r.{fmt}", data(3))
    assert refused.status_code == 400
    assert refused.json()["errors"] == ["The file has more than 2 rows; split it."]
    assert _import(client, project, f"r.{fmt}", data(2)).status_code == 201
    assert Requirement.objects.count() == 2


def test_an_import_over_the_size_limit_answers_413_without_being_read_whole(api_client_for, project, consultant):
    data = b"title,business_area\n" + b"Requirement,sales\n" * 300_000  # 5.4 MB

    response = _import(api_client_for(consultant), project, "big.csv", data)

    assert response.status_code == 413
    assert response.json()["errors"] == [UPLOAD_TOO_LARGE.format(size=f"{len(data) / 1024 / 1024:.1f}", limit="5")]


def test_a_csv_field_over_the_csv_limit_is_a_400_not_a_server_error(api_client_for, project, consultant):
    data = b"title,business_area\n" + b"x" * 200_000 + b",sales\n"

    response = _import(api_client_for(consultant), project, "long.csv", data)

    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("The CSV file cannot be read: field larger than field limit")
    assert not Requirement.objects.exists()


# --- formulas: every export escapes them ----------------------------------------------------


def _unsafe_csv(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row if cell in FORMULAS]


def _unsafe_xlsx(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS[:4])):
                    found.append(cell.value)
    return found


def test_formula_cells_of_an_import_come_out_escaped_in_every_export(client, api_client_for, project, consultant):
    rows = [["title", "business_area", "description"]] + [[f, "sales", f] for f in FORMULAS]
    assert _import(api_client_for(consultant), project, "f.csv", csv_bytes(rows)).status_code == 201
    assert sorted(Requirement.objects.values_list("title", flat=True)) == sorted(FORMULAS)  # stored as given
    client.force_login(consultant)
    export = reverse("discovery:requirement_export", args=[project.code])

    as_csv = client.get(export, {"file_format": "csv"})
    as_xlsx = client.get(export, {"file_format": "xlsx"})
    traceability = client.get(reverse("testing:traceability_export", args=[project.code]))

    assert as_csv.status_code == as_xlsx.status_code == traceability.status_code == 200
    assert "'" + FORMULAS[0] in as_csv.getvalue().decode("utf-8-sig")
    assert _unsafe_csv(as_csv.getvalue()) == []
    assert _unsafe_xlsx(as_xlsx.getvalue()) == []
    assert _unsafe_xlsx(traceability.getvalue()) == []


def test_formula_cells_of_master_data_come_out_escaped_in_its_exports(client, project, consultant):
    rows = [["code", "name"]] + [[f"U{n}", f] for n, f in enumerate(FORMULAS)] + [["", FORMULAS[0]]]
    run = MigrationRunFactory(project=project, object_name="uom", content=csv_bytes(rows), by=consultant)
    # a value starting with "=" is refused as a row error; the others load as text
    assert StagedRecord.objects.filter(last_run=run).count() == len(FORMULAS) - 1
    assert set(run.row_errors.values_list("row", "field")) == {(1, "name"), (5, "code"), (5, "name")}
    client.force_login(consultant)
    downloads = [
        reverse("datamigration:records_export", args=[project.code, "uom", fmt]) for fmt in ("csv", "xlsx")
    ] + [reverse("datamigration:run_errors_download", args=[project.code, run.pk, fmt]) for fmt in ("csv", "xlsx")]

    for url in downloads:
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert (_unsafe_xlsx(content) if url.endswith("xlsx") else _unsafe_csv(content)) == [], url


def test_a_text_file_that_stops_being_utf8_past_the_sniffed_bytes_is_refused_where_it_does():
    data = b"a" * 5000 + "Báo cáo".encode("latin-1")
    with pytest.raises(DomainError) as caught:
        validate_upload(SimpleUploadedFile("notes.txt", data), types=EVIDENCE_TYPES)
    assert caught.value.message == UPLOAD_NOT_UTF8.format(at=5001)


def test_a_zip_of_evidence_may_hold_sound_zips_one_level_deep_and_nothing_deeper():
    inner = zip_of({"a.txt": b"a"})
    evidence = zip_of({"logs.zip": inner, "old.xls": OLE, "note.txt": b"b"})
    assert validate_upload(SimpleUploadedFile("e.zip", evidence), types=EVIDENCE_TYPES).ext == ".zip"
    for deeper in (zip_of({"logs.zip": zip_of({"inner.zip": inner})}), zip_of({"logs.7z": b"7z\xbc\xaf"})):
        with pytest.raises(containers.ContainerProblem) as caught:
            containers.check_container(io.BytesIO(deeper), office=False, nested="check")
        assert caught.value.kind == containers.NESTED
