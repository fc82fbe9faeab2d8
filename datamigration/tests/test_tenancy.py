"""Tenant isolation: lists never show another project's rows, and its rows answer 404 (or 400
when named in a body) on every route. The role matrix of each route: ``test_isolation.py``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datamigration.models import MasterDataObject
from datamigration.tests.factories import UOM_ONE_ERROR as UOM
from projects.tests.isolation import api_url, assert_detail_hidden, assert_list_scoped

pytestmark = pytest.mark.django_db

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
    errors = client.get(api_url("datamigration-api:run-errors", mine["run"].pk), {"file_format": "csv"})
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


def test_object_definitions_are_per_project(mine, theirs):
    assert MasterDataObject.objects.filter(name="uom").count() == 2
    assert mine["object"].project_id != theirs["object"].project_id
