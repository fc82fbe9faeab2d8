"""The pages: downloads, the run page's and the records page's filters, refusals shown on the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datamigration import services
from datamigration.models import MigrationRun, Upload
from datamigration.services import UPLOAD_TYPES
from datamigration.tests.factories import MigrationRunFactory, UploadFactory, csv_bytes
from projects.files import UPLOAD_BAD_TYPE

pytestmark = pytest.mark.django_db

UOM = csv_bytes([["code", "name"], ["PCS", "Cái"], ["", "Hộp"], ["KG", "x" * 200], ["PC2", "Bộ"]])


@pytest.fixture
def run(project, consultant):
    return MigrationRunFactory(project=project, object_name="uom", content=UOM, by=consultant)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize(
    ("route", "args", "filename"),
    [
        ("datamigration:template", lambda r: ["uom", "csv"], lambda r: "uom-template.csv"),
        ("datamigration-portal:template", lambda r: ["uom", "xlsx"], lambda r: "uom-template.xlsx"),
        ("datamigration:records_export", lambda r: ["uom", "xlsx"], lambda r: f"{r.project.code}-uom.xlsx"),
        ("datamigration:run_errors_download", lambda r: [r.pk, "csv"], lambda r: f"run-{r.pk}-uom-errors.csv"),
        ("datamigration-portal:run_errors_download", lambda r: [r.pk, "xlsx"], lambda r: f"run-{r.pk}-uom-errors.xlsx"),
    ],
)
def test_page_downloads_carry_the_shared_download_headers(run, key_user, client, route, args, filename):
    client.force_login(key_user)

    response = client.get(reverse(route, args=[run.project.code, *args(run)]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename(run)}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_an_unknown_download_format_is_404(run, key_user, client):
    client.force_login(key_user)

    response = client.get(reverse("datamigration:template", args=[run.project.code, "uom", "pdf"]))

    assert response.status_code == 404


def test_the_run_page_filters_row_errors_by_field_and_kind(run, key_user, client):
    client.force_login(key_user)
    url = reverse("datamigration:run_detail", args=[run.project.code, run.pk])

    everything = client.get(url)
    by_field = client.get(url, {"field": "name"})
    by_kind = client.get(url, {"kind": "required"})

    form = everything.context["filter_form"]
    assert [c[0] for c in form.fields["field"].choices] == ["", "code", "name"]
    assert "required" in [c[0] for c in form.fields["kind"].choices]
    assert b'id="filter-form"' in everything.content
    assert {(e.field, e.kind) for e in everything.context["page_obj"]} == {("code", "required"), ("name", "max_length")}
    assert {e.field for e in by_field.context["page_obj"]} == {"name"}
    assert {e.kind for e in by_kind.context["page_obj"]} == {"required"}
    assert by_field.context["filter_form"]["field"].value() == "name"


def test_the_records_page_searches_keys(run, key_user, client):
    client.force_login(key_user)
    url = reverse("datamigration:records", args=[run.project.code, "uom"])

    response = client.get(url, {"q": "pc"})

    assert [row[0] for row in response.context["rows"]] == ["PC2", "PCS"]
    assert b'id="filter-form"' in response.content


def test_an_upload_of_the_wrong_type_is_refused_on_the_form(project, key_user, client):
    client.force_login(key_user)
    url = reverse("datamigration-portal:upload_create", args=[project.code, "uom"])

    response = client.post(url, {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n"), "header_row": 1})

    assert response.status_code == 200
    message = UPLOAD_BAD_TYPE.format(ext=".png", allowed=", ".join(sorted(UPLOAD_TYPES)))
    assert response.context["form"].errors["file"] == [message]
    assert not Upload.objects.exists()


def test_a_refused_run_start_goes_back_to_the_upload_with_the_reason(project, key_user, client):
    upload = UploadFactory(
        project=project, object_name="products", content=csv_bytes([["x"], ["1"]]), uploaded_by=key_user
    )
    client.force_login(key_user)

    response = client.post(
        reverse("datamigration-portal:run_start", args=[project.code, upload.pk]), {"mode": "validate"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "datamigration-portal:upload_detail", args=[project.code, upload.pk]
    )
    assert any(m.startswith("Required fields are not mapped to a column") for m in _messages(response))
    assert not MigrationRun.objects.exists()


def test_cancelling_a_finished_run_says_why_not(run, consultant, client):
    client.force_login(consultant)

    response = client.post(reverse("datamigration:run_cancel", args=[run.project.code, run.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("datamigration:run_detail", args=[run.project.code, run.pk])
    status = MigrationRun.objects.get(pk=run.pk).get_status_display()
    assert _messages(response) == [services.RUN_FINISHED.format(status=status)]


def test_a_mapping_refused_by_the_service_is_shown_on_the_page(project, key_user, client):
    upload = UploadFactory(project=project, object_name="uom", content=UOM, uploaded_by=key_user)
    client.force_login(key_user)
    url = reverse("datamigration:upload_detail", args=[project.code, upload.pk])

    response = client.post(url, {"version": upload.version, "col_0": "code", "col_1": "code"})

    assert response.status_code == 200
    assert "more than one column" in " ".join(response.context["mapping_form"].non_field_errors())
