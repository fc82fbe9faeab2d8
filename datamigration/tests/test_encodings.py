"""An upload declared in one encoding whose content looks like another is flagged, and the
encoding can be changed afterwards, on the page and through the API.

A Vietnamese UTF-8 file declared latin-1 reads without an error, only garbled ("CÃ¡i" for
"Cái"): the upload says so (``encoding_warning``) until the encoding is changed.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datamigration import readers, services
from datamigration.models import MigrationRun, StagedRecord, Upload
from datamigration.tests.factories import MasterDataObjectFactory, UploadFactory, csv_bytes, execute

pytestmark = pytest.mark.django_db

VIETNAMESE_UTF8 = csv_bytes([["code", "name"], ["PCS", "Cái"], ["HOP", "Hộp giấy"], ["DOI", "Đôi"]])
WARNING = readers.ENCODING_MISMATCH.format(declared="latin-1", detected="utf-8")
UPLOADS = reverse("datamigration-api:upload-list")


def _api_upload(client, project, content, filename="units.csv", **extra):
    body = {"project": project.code, "object": "uom", "file": SimpleUploadedFile(filename, content), **extra}
    return client.post(UPLOADS, body, format="multipart")


def _names_loaded(project, upload, by):
    run = execute(services.migration_run_start(upload=Upload.objects.get(pk=upload.pk), by=by, mode="load"))
    assert run.status == MigrationRun.Status.SUCCEEDED, run.message
    records = StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="uom"))
    return {r.data["name"] for r in records}


def test_the_api_warns_about_a_utf8_file_declared_latin1_until_the_encoding_is_changed(
    project, key_user, api_client_for
):
    client = api_client_for(key_user)

    created = _api_upload(client, project, VIETNAMESE_UTF8, encoding="latin-1")

    assert created.status_code == 201, created.content
    upload = created.json()
    assert (upload["encoding"], upload["detected_encoding"], upload["encoding_warning"]) == (
        "latin-1",
        "utf-8",
        WARNING,
    )
    shown = client.get(reverse("datamigration-api:upload-detail", args=[upload["id"]])).json()
    assert shown["encoding_warning"] == WARNING

    url = reverse("datamigration-api:upload-encoding", args=[upload["id"]])
    changed = client.post(url, {"encoding": "utf-8", "version": upload["version"]}, format="json")

    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["encoding"], body["detected_encoding"], body["encoding_warning"]) == ("utf-8", "", "")
    assert body["version"] == upload["version"] + 1
    assert body["mapping"] == upload["mapping"] == {"code": "code", "name": "name"}
    stale = client.post(url, {"encoding": "latin-1", "version": upload["version"]}, format="json")
    assert stale.status_code == 409
    assert Upload.objects.get(pk=upload["id"]).encoding == "utf-8"


def test_a_file_loaded_after_the_change_keeps_its_vietnamese_letters(project, consultant, api_client_for):
    client = api_client_for(consultant)
    upload = _api_upload(client, project, VIETNAMESE_UTF8, encoding="latin-1").json()
    client.post(
        reverse("datamigration-api:upload-encoding", args=[upload["id"]]),
        {"encoding": "", "version": upload["version"]},  # detect it
        format="json",
    )

    assert Upload.objects.get(pk=upload["id"]).encoding == "utf-8"
    assert _names_loaded(project, Upload.objects.get(pk=upload["id"]), consultant) == {"Cái", "Hộp giấy", "Đôi"}


@pytest.mark.parametrize(
    ("content", "declared"),
    [
        (VIETNAMESE_UTF8, ""),  # detected: nothing to disagree with
        (VIETNAMESE_UTF8, "utf-8"),
        (csv_bytes([["code", "name"], ["PCS", "Piece"]]), "latin-1"),  # ASCII reads the same in both
        (b"\xef\xbb\xbf" + VIETNAMESE_UTF8, "utf-8"),  # a BOM is not a disagreement
    ],
)
def test_no_warning_when_the_file_reads_the_same(project, key_user, content, declared):
    upload = UploadFactory(project=project, object_name="uom", content=content, uploaded_by=key_user, encoding=declared)

    assert (upload.detected_encoding, upload.encoding_warning) == ("", "")


def test_the_upload_page_shows_the_warning_and_changes_the_encoding(project, key_user, client):
    client.force_login(key_user)
    obj = MasterDataObjectFactory(project=project, name="uom")

    uploaded = client.post(
        reverse("datamigration-portal:upload_create", args=[project.code, obj.name]),
        {"file": SimpleUploadedFile("units.csv", VIETNAMESE_UTF8), "encoding": "latin-1", "header_row": 1},
    )
    upload = Upload.objects.get(project=project)
    page = reverse("datamigration-portal:upload_detail", args=[project.code, upload.pk])
    assert uploaded["Location"] == page
    shown = client.get(page)

    assert shown.status_code == 200
    assert 'id="encoding-warning"' in shown.content.decode() and WARNING in shown.content.decode()
    assert 'id="encoding-form"' in shown.content.decode()

    changed = client.post(
        reverse("datamigration-portal:upload_encoding", args=[project.code, upload.pk]),
        {"encoding": "utf-8", "version": upload.version},
        follow=True,
    )

    assert changed.redirect_chain[-1][0] == page
    assert "Encoding changed: check the column mapping." in [str(m) for m in changed.context["messages"]]
    assert 'id="encoding-warning"' not in changed.content.decode()
    assert (Upload.objects.get(pk=upload.pk).encoding, Upload.objects.get(pk=upload.pk).detected_encoding) == (
        "utf-8",
        "",
    )


def test_the_page_shows_why_the_encoding_cannot_be_changed(project, consultant, client):
    """A run of the file still active, or a workbook: the refusal comes back as a message."""
    client.force_login(consultant)
    upload = UploadFactory(
        project=project, object_name="uom", content=VIETNAMESE_UTF8, uploaded_by=consultant, encoding="latin-1"
    )
    services.migration_run_start(upload=upload, by=consultant, mode="validate")

    refused = client.post(
        reverse("datamigration:upload_encoding", args=[project.code, upload.pk]),
        {"encoding": "utf-8", "version": upload.version},
        follow=True,
    )

    assert services.ENCODING_RUN_ACTIVE in [str(m) for m in refused.context["messages"]]
    assert Upload.objects.get(pk=upload.pk).encoding == "latin-1"
    assert WARNING in refused.content.decode()


def test_a_workbook_has_no_encoding_to_change(project, consultant, api_client_for):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["code", "name"])
    workbook.active.append(["PCS", "Cái"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = api_client_for(consultant)
    upload = _api_upload(client, project, buffer.getvalue(), "units.xlsx").json()

    refused = client.post(
        reverse("datamigration-api:upload-encoding", args=[upload["id"]]),
        {"encoding": "utf-8", "version": upload["version"]},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {"encoding": [services.ENCODING_NOT_CSV]}
