"""Isolation and the role matrix for every datamigration route (dashboard, portal, API)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datamigration.models import MasterDataObject, MigrationRun, StagedRecord
from datamigration.tests.factories import csv_bytes, obj, run_file, upload_bytes
from projects.tests.isolation import api_url, assert_detail_hidden, assert_list_scoped

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {
    "datamigration-api:object-list",
    "datamigration-api:object-detail",
    "datamigration-api:object-template",
    "datamigration-api:object-fields",
    "datamigration-api:upload-list",
    "datamigration-api:upload-detail",
    "datamigration-api:run-list",
    "datamigration-api:run-detail",
    "datamigration-api:run-cancel",
    "datamigration-api:run-errors",
    "datamigration-api:record-list",
    "datamigration-api:record-detail",
    "datamigration-api:record-export",
    # dashboard
    "datamigration:object_list",
    "datamigration:object_detail",
    "datamigration:object_create",
    "datamigration:field_create",
    "datamigration:template",
    "datamigration:upload_create",
    "datamigration:upload_detail",
    "datamigration:run_start",
    "datamigration:run_detail",
    "datamigration:run_progress",
    "datamigration:run_cancel",
    "datamigration:run_errors_download",
    "datamigration:records",
    "datamigration:records_export",
    "datamigration:reconciliation",
    # portal
    "datamigration-portal:object_list",
    "datamigration-portal:upload_create",
    "datamigration-portal:upload_detail",
    "datamigration-portal:run_start",
    "datamigration-portal:run_detail",
    "datamigration-portal:run_progress",
    "datamigration-portal:run_cancel",
    "datamigration-portal:run_errors_download",
    "datamigration-portal:template",
}

UOM = csv_bytes([["code", "name"], ["PCS", "Cái"], ["", "x"]])


@pytest.fixture
def mine(project, consultant):
    run = run_file(project, "uom", UOM, by=consultant)
    return {
        "object": obj(project, "uom"),
        "upload": run.upload,
        "run": run,
        "record": StagedRecord.objects.get(project=project),
    }


@pytest.fixture
def theirs(other_project, outsider):
    run = run_file(other_project, "uom", UOM, by=outsider)
    return {
        "object": obj(other_project, "uom"),
        "upload": run.upload,
        "run": run,
        "record": StagedRecord.objects.get(project=other_project),
    }


LISTS = [
    ("datamigration-api:object-list", "object"),
    ("datamigration-api:upload-list", "upload"),
    ("datamigration-api:run-list", "run"),
    ("datamigration-api:record-list", "record"),
]


@pytest.mark.parametrize(("route", "key"), LISTS)
def test_lists_show_only_the_callers_projects(route, key, mine, theirs, key_user, outsider, api_client_for):
    assert_list_scoped(api_client_for(key_user), api_url(route), mine={mine[key].pk}, theirs={theirs[key].pk})
    assert_list_scoped(api_client_for(outsider), api_url(route), mine={theirs[key].pk}, theirs={mine[key].pk})


def test_outsider_gets_404_on_every_detail_and_action(mine, theirs, outsider, api_client_for):
    client = api_client_for(outsider)
    assert_detail_hidden(client, api_url("datamigration-api:object-detail", mine["object"].pk), methods=("get",))
    assert_detail_hidden(client, api_url("datamigration-api:object-template", mine["object"].pk), methods=("get",))
    assert_detail_hidden(client, api_url("datamigration-api:object-fields", mine["object"].pk), methods=("post",))
    assert_detail_hidden(
        client, api_url("datamigration-api:upload-detail", mine["upload"].pk), methods=("get", "patch")
    )
    assert_detail_hidden(client, api_url("datamigration-api:run-detail", mine["run"].pk), methods=("get",))
    assert_detail_hidden(client, api_url("datamigration-api:run-errors", mine["run"].pk), methods=("get",))
    assert_detail_hidden(client, api_url("datamigration-api:run-cancel", mine["run"].pk), methods=("post",))
    assert_detail_hidden(client, api_url("datamigration-api:record-detail", mine["record"].pk), methods=("get",))
    export = client.get(
        api_url("datamigration-api:record-export"), {"project": mine["object"].project.code, "object": "uom"}
    )
    assert export.status_code == 404
    errors = client.get(api_url("datamigration-api:run-errors", mine["run"].pk), {"format": "csv"})
    assert errors.status_code == 404


def test_outsider_cannot_upload_to_or_run_another_project(mine, outsider, api_client_for):
    client = api_client_for(outsider)
    project = mine["object"].project
    upload = client.post(
        api_url("datamigration-api:upload-list"),
        {"project": project.code, "object": "uom", "file": SimpleUploadedFile("f.csv", UOM)},
        format="multipart",
    )
    run = client.post(api_url("datamigration-api:run-list"), {"upload": mine["upload"].pk}, format="json")

    assert upload.status_code == 400 and "project" in upload.json()
    assert run.status_code == 400 and "upload" in run.json()


ROLE_MATRIX = {
    # persona: (upload, start validation, start load, cancel validation, read)
    "pm": (201, 202, 202, 200, 200),
    "consultant": (201, 202, 202, 200, 200),
    "key_user": (201, 202, 403, 200, 200),
    "sponsor": (403, 403, 403, 403, 200),
    "viewer": (403, 403, 403, 403, 200),
}


@pytest.mark.parametrize("persona", sorted(ROLE_MATRIX))
def test_role_matrix(persona, personas, project, consultant, api_client_for):
    upload_status, validate_status, load_status, cancel_status, read_status = ROLE_MATRIX[persona]
    client = api_client_for(personas[persona])
    upload = upload_bytes(project, "uom", UOM, by=consultant)
    queued = MigrationRun.objects.create(
        project=project, object=upload.object, upload=upload, mode="validate", started_by=consultant
    )

    posted = client.post(
        api_url("datamigration-api:upload-list"),
        {"project": project.code, "object": "uom", "file": SimpleUploadedFile("f.csv", UOM)},
        format="multipart",
    )
    validate = client.post(api_url("datamigration-api:run-list"), {"upload": upload.pk}, format="json")
    load = client.post(api_url("datamigration-api:run-list"), {"upload": upload.pk, "mode": "load"}, format="json")
    cancel = client.post(api_url("datamigration-api:run-cancel", queued.pk))
    read = client.get(api_url("datamigration-api:run-detail", queued.pk))

    assert (posted.status_code, validate.status_code, load.status_code, cancel.status_code, read.status_code) == (
        upload_status,
        validate_status,
        load_status,
        cancel_status,
        read_status,
    )


def test_object_definitions_are_per_project(mine, theirs):
    assert MasterDataObject.objects.filter(name="uom").count() == 2
    assert mine["object"].project_id != theirs["object"].project_id


PAGES = [
    ("datamigration:object_list", lambda m: []),
    ("datamigration:object_detail", lambda m: [m["object"].name]),
    ("datamigration:template", lambda m: [m["object"].name, "csv"]),
    ("datamigration:upload_create", lambda m: [m["object"].name]),
    ("datamigration:upload_detail", lambda m: [m["upload"].pk]),
    ("datamigration:run_detail", lambda m: [m["run"].pk]),
    ("datamigration:run_progress", lambda m: [m["run"].pk]),
    ("datamigration:run_errors_download", lambda m: [m["run"].pk, "csv"]),
    ("datamigration:records", lambda m: [m["object"].name]),
    ("datamigration:records_export", lambda m: [m["object"].name, "csv"]),
    ("datamigration:reconciliation", lambda m: []),
    ("datamigration-portal:object_list", lambda m: []),
    ("datamigration-portal:template", lambda m: [m["object"].name, "xlsx"]),
    ("datamigration-portal:upload_create", lambda m: [m["object"].name]),
    ("datamigration-portal:upload_detail", lambda m: [m["upload"].pk]),
    ("datamigration-portal:run_detail", lambda m: [m["run"].pk]),
    ("datamigration-portal:run_progress", lambda m: [m["run"].pk]),
    ("datamigration-portal:run_errors_download", lambda m: [m["run"].pk, "xlsx"]),
]


@pytest.mark.parametrize(("route", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_answer_members_and_hide_from_outsiders(route, args, mine, key_user, outsider, client):
    url = reverse(route, args=[mine["object"].project.code, *args(mine)])
    client.force_login(key_user)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


POSTS = [
    ("datamigration:run_start", lambda m: [m["upload"].pk]),
    ("datamigration:run_cancel", lambda m: [m["run"].pk]),
    ("datamigration-portal:run_start", lambda m: [m["upload"].pk]),
    ("datamigration-portal:run_cancel", lambda m: [m["run"].pk]),
    ("datamigration:upload_detail", lambda m: [m["upload"].pk]),
]


@pytest.mark.parametrize(("route", "args"), POSTS, ids=[p[0] for p in POSTS])
def test_outsider_posts_answer_404(route, args, mine, outsider, client):
    client.force_login(outsider)
    url = reverse(route, args=[mine["object"].project.code, *args(mine)])
    assert client.post(url, {"mode": "validate", "cycle": "mock1"}).status_code == 404


def test_viewer_cannot_start_or_upload_from_the_pages(mine, viewer, client):
    code = mine["object"].project.code
    client.force_login(viewer)
    assert client.get(reverse("datamigration:upload_create", args=[code, "uom"])).status_code == 403
    response = client.post(reverse("datamigration:run_start", args=[code, mine["upload"].pk]), {"mode": "validate"})
    assert response.status_code == 403


def test_consultant_defines_an_object_and_a_field_from_the_pages(project, consultant, key_user, outsider, client):
    client.force_login(key_user)
    assert client.get(reverse("datamigration:object_create", args=[project.code])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("datamigration:object_create", args=[project.code])).status_code == 404
    client.force_login(consultant)

    created = client.post(
        reverse("datamigration:object_create", args=[project.code]),
        {"name": "warehouses", "label": "Kho hàng", "key_field": "code"},
    )
    added = client.post(
        reverse("datamigration:field_create", args=[project.code, "warehouses"]),
        {"name": "zone", "type": "choice", "choices": "A, B", "required": "on"},
    )

    assert created.status_code == 302 and added.status_code == 302
    field = MasterDataObject.objects.get(project=project, name="warehouses").fields.get(name="zone")
    assert (field.type, field.choices, field.required) == ("choice", ["A", "B"], True)
    client.force_login(key_user)
    url = reverse("datamigration:field_create", args=[project.code, "warehouses"])
    assert client.get(url).status_code == 403
