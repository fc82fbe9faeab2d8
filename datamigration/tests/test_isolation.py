"""The role matrix for every datamigration route (dashboard, portal, API).

``MATRIX`` is ``{action: {persona: status}}`` and ``REQUESTS`` the one small request of each
action, parametrised by ``matrix_cases`` (a failure names the action and the persona); every
route of ``COVERED_ROUTES`` is requested here. Lists never showing another project's rows,
and its rows answering 404 everywhere: ``test_tenancy.py``.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from datamigration.models import MasterDataObject, MigrationRun, Upload
from datamigration.tests.factories import UOM_ONE_ERROR
from projects.tests.isolation import api_url, matrix_cases

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {
    "datamigration-api:object-list",
    "datamigration-api:object-detail",
    "datamigration-api:object-template",
    "datamigration-api:object-fields",
    "datamigration-api:upload-list",
    "datamigration-api:upload-detail",
    "datamigration-api:upload-encoding",
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
    "datamigration:upload_encoding",
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
    "datamigration-portal:upload_encoding",
    "datamigration-portal:run_start",
    "datamigration-portal:run_detail",
    "datamigration-portal:run_progress",
    "datamigration-portal:run_cancel",
    "datamigration-portal:run_errors_download",
    "datamigration-portal:template",
}


def test_covered_routes_are_exactly_the_apps_routes():
    names = set()

    def walk(resolver, ns=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif entry.name:
                names.add(f"{ns}{entry.name}")

    walk(get_resolver())
    ours = {n for n in names if n.split(":")[0] in {"datamigration", "datamigration-portal", "datamigration-api"}}
    ours.discard("datamigration-api:api-root")
    assert ours == COVERED_ROUTES


UOM = UOM_ONE_ERROR


# --- the role matrix: {action: {persona: status}} and one small request per action ------------
#
# Cells in the order of ``PERSONAS``: pm, consultant, sponsor, key_user, viewer, outsider (a
# consultant of another project: every object of this project answers 404 to them, and the
# API answers 400 when they name this project or its upload in a body).


def _cells(pm, consultant, sponsor, key_user, viewer, outsider):
    return {
        "pm": pm,
        "consultant": consultant,
        "sponsor": sponsor,
        "key_user": key_user,
        "viewer": viewer,
        "outsider": outsider,
    }


EVERY_MEMBER = _cells(200, 200, 200, 200, 200, 404)  # VIEW
UPLOADER_PAGE = _cells(200, 200, 403, 200, 403, 404)  # UPLOAD_DATA
FIRM_PAGE = _cells(200, 200, 403, 403, 403, 404)  # EDIT
UPLOADER_POST = _cells(302, 302, 403, 302, 403, 404)  # UPLOAD_DATA: done, then the next page
LOADER_POST = _cells(302, 302, 403, 403, 403, 404)  # RUN_JOBS
FIRM_POST = _cells(302, 302, 403, 403, 403, 404)  # EDIT

MATRIX = {
    # dashboard pages and downloads
    "datamigration:object_list": EVERY_MEMBER,
    "datamigration:object_detail": EVERY_MEMBER,
    "datamigration:template": EVERY_MEMBER,
    "datamigration:upload_detail": EVERY_MEMBER,
    "datamigration:run_detail": EVERY_MEMBER,
    "datamigration:run_progress": EVERY_MEMBER,
    "datamigration:run_errors_download": EVERY_MEMBER,
    "datamigration:records": EVERY_MEMBER,
    "datamigration:records_export": EVERY_MEMBER,
    "datamigration:reconciliation": EVERY_MEMBER,
    "datamigration:upload_create": UPLOADER_PAGE,
    "datamigration:object_create": FIRM_PAGE,
    "datamigration:field_create": FIRM_PAGE,
    # portal pages and downloads
    "datamigration-portal:object_list": EVERY_MEMBER,
    "datamigration-portal:template": EVERY_MEMBER,
    "datamigration-portal:upload_detail": EVERY_MEMBER,
    "datamigration-portal:run_detail": EVERY_MEMBER,
    "datamigration-portal:run_progress": EVERY_MEMBER,
    "datamigration-portal:run_errors_download": EVERY_MEMBER,
    "datamigration-portal:upload_create": UPLOADER_PAGE,
    # page actions (POST)
    "datamigration:upload_create-post": UPLOADER_POST,
    "datamigration:upload_detail-post": UPLOADER_POST,  # save the mapping
    "datamigration:upload_encoding": UPLOADER_POST,
    "datamigration:run_start": UPLOADER_POST,  # a validation
    "datamigration:run_start-load": LOADER_POST,
    "datamigration:run_cancel": UPLOADER_POST,  # a queued validation
    "datamigration:object_create-post": FIRM_POST,
    "datamigration:field_create-post": FIRM_POST,
    "datamigration-portal:upload_create-post": UPLOADER_POST,
    "datamigration-portal:run_start": UPLOADER_POST,
    "datamigration-portal:run_cancel": UPLOADER_POST,
    "datamigration-portal:upload_encoding": UPLOADER_POST,
    # the API
    "api:object-create": _cells(201, 201, 403, 403, 403, 400),
    "api:object-fields": _cells(201, 201, 403, 403, 403, 404),
    "api:object-template": EVERY_MEMBER,
    "api:upload-create": _cells(201, 201, 403, 201, 403, 400),
    "api:upload-mapping": _cells(200, 200, 403, 200, 403, 404),
    "api:upload-encoding": _cells(200, 200, 403, 200, 403, 404),
    "api:run-validate": _cells(202, 202, 403, 202, 403, 400),
    "api:run-load": _cells(202, 202, 403, 403, 403, 400),
    "api:run-cancel": _cells(200, 200, 403, 200, 403, 404),  # a queued validation
    "api:object-read": EVERY_MEMBER,
    "api:record-list": _cells(200, 200, 200, 200, 200, 200),  # the outsider's is empty of ours
    "api:record-read": EVERY_MEMBER,
    "api:run-read": EVERY_MEMBER,
    "api:run-errors": EVERY_MEMBER,
    "api:record-export": EVERY_MEMBER,
}


def _arg(w, part):
    """A URL argument: the named object of ``w`` (an object by name, others by pk), or a literal."""
    if part == "object":
        return w["object"].name
    return w[part].pk if part in w else part


def _page(method, name, *parts, data=None):
    """A request to a page of ``w``'s project; ``data`` is the POST body (a function of ``w``)."""

    def request(client, w):
        url = reverse(name, args=[w["project"].code, *(_arg(w, p) for p in parts)])
        if method == "get":
            return client.get(url)
        return client.post(url, data(w) if data else {})

    return request


def _queued_validation(w):
    upload = w["upload"]
    return MigrationRun.objects.create(
        project=w["project"], object=upload.object, upload=upload, mode="validate", started_by=upload.uploaded_by
    )


def _page_cancel(name):
    def request(client, w):
        return client.post(reverse(name, args=[w["project"].code, _queued_validation(w).pk]))

    return request


def _upload_body(w):
    return {"file": SimpleUploadedFile("f.csv", UOM), "header_row": 1}


def _mapping_body(w):
    return {"version": w["upload"].version, "col_0": "code", "col_1": "name"}


def _latin1(upload):
    """The upload as if it had been declared latin-1 (the encoding requests read it again in UTF-8)."""
    Upload.objects.filter(pk=upload.pk).update(encoding="latin-1", detected_encoding="utf-8")
    upload.refresh_from_db()
    return upload


def _encoding_body(w):
    return {"encoding": "utf-8", "version": w["upload"].version}


def _api_upload(client, w):
    body = {"project": w["project"].code, "object": "uom", "file": SimpleUploadedFile("f.csv", UOM)}
    return client.post(api_url("datamigration-api:upload-list"), body, format="multipart")


def _api_run(mode):
    def request(client, w):
        body = {"upload": w["upload"].pk, "mode": mode}
        return client.post(api_url("datamigration-api:run-list"), body, format="json")

    return request


def _api_cancel(client, w):
    return client.post(api_url("datamigration-api:run-cancel", _queued_validation(w).pk))


def _api_object_create(client, w):
    body = {"project": w["project"].code, "name": "warehouses", "label": "Kho hàng"}
    return client.post(api_url("datamigration-api:object-list"), body, format="json")


def _api_object_fields(client, w):
    url = api_url("datamigration-api:object-fields", w["object"].pk)
    return client.post(url, {"name": "note", "type": "str"}, format="json")


def _api_mapping(client, w):
    url = api_url("datamigration-api:upload-detail", w["upload"].pk)
    body = {"mapping": {"code": "code", "name": "name"}, "version": w["upload"].version}
    return client.patch(url, body, format="json")


def _api_get(name, part=None, **params):
    def request(client, w):
        url = api_url(name, w[part].pk) if part else api_url(name)
        return client.get(url, {k: v(w) if callable(v) else v for k, v in params.items()})

    return request


REQUESTS = {
    "datamigration:object_list": _page("get", "datamigration:object_list"),
    "datamigration:object_detail": _page("get", "datamigration:object_detail", "object"),
    "datamigration:template": _page("get", "datamigration:template", "object", "csv"),
    "datamigration:upload_detail": _page("get", "datamigration:upload_detail", "upload"),
    "datamigration:run_detail": _page("get", "datamigration:run_detail", "run"),
    "datamigration:run_progress": _page("get", "datamigration:run_progress", "run"),
    "datamigration:run_errors_download": _page("get", "datamigration:run_errors_download", "run", "csv"),
    "datamigration:records": _page("get", "datamigration:records", "object"),
    "datamigration:records_export": _page("get", "datamigration:records_export", "object", "csv"),
    "datamigration:reconciliation": _page("get", "datamigration:reconciliation"),
    "datamigration:upload_create": _page("get", "datamigration:upload_create", "object"),
    "datamigration:object_create": _page("get", "datamigration:object_create"),
    "datamigration:field_create": _page("get", "datamigration:field_create", "object"),
    "datamigration-portal:object_list": _page("get", "datamigration-portal:object_list"),
    "datamigration-portal:template": _page("get", "datamigration-portal:template", "object", "xlsx"),
    "datamigration-portal:upload_detail": _page("get", "datamigration-portal:upload_detail", "upload"),
    "datamigration-portal:run_detail": _page("get", "datamigration-portal:run_detail", "run"),
    "datamigration-portal:run_progress": _page("get", "datamigration-portal:run_progress", "run"),
    "datamigration-portal:run_errors_download": _page("get", "datamigration-portal:run_errors_download", "run", "xlsx"),
    "datamigration-portal:upload_create": _page("get", "datamigration-portal:upload_create", "object"),
    "datamigration:upload_create-post": _page("post", "datamigration:upload_create", "object", data=_upload_body),
    "datamigration:upload_detail-post": _page("post", "datamigration:upload_detail", "upload", data=_mapping_body),
    "datamigration:upload_encoding": _page("post", "datamigration:upload_encoding", "upload", data=_encoding_body),
    "datamigration:run_start": _page(
        "post", "datamigration:run_start", "upload", data=lambda w: {"mode": "validate", "cycle": "mock1"}
    ),
    "datamigration:run_start-load": _page(
        "post", "datamigration:run_start", "upload", data=lambda w: {"mode": "load", "cycle": "mock2"}
    ),
    "datamigration:run_cancel": _page_cancel("datamigration:run_cancel"),
    "datamigration:object_create-post": _page(
        "post",
        "datamigration:object_create",
        data=lambda w: {"name": "warehouses", "label": "Kho", "key_field": "code"},
    ),
    "datamigration:field_create-post": _page(
        "post", "datamigration:field_create", "object", data=lambda w: {"name": "note", "type": "str"}
    ),
    "datamigration-portal:upload_create-post": _page(
        "post", "datamigration-portal:upload_create", "object", data=_upload_body
    ),
    "datamigration-portal:run_start": _page(
        "post", "datamigration-portal:run_start", "upload", data=lambda w: {"mode": "validate", "cycle": "mock1"}
    ),
    "datamigration-portal:run_cancel": _page_cancel("datamigration-portal:run_cancel"),
    "datamigration-portal:upload_encoding": _page(
        "post", "datamigration-portal:upload_encoding", "upload", data=_encoding_body
    ),
    "api:object-create": _api_object_create,
    "api:object-fields": _api_object_fields,
    "api:object-template": _api_get("datamigration-api:object-template", "object", file_format="csv"),
    "api:upload-create": _api_upload,
    "api:upload-mapping": _api_mapping,
    "api:upload-encoding": lambda client, w: client.post(
        api_url("datamigration-api:upload-encoding", w["upload"].pk), _encoding_body(w), format="json"
    ),
    "api:run-validate": _api_run("validate"),
    "api:run-load": _api_run("load"),
    "api:run-cancel": _api_cancel,
    "api:object-read": _api_get("datamigration-api:object-detail", "object"),
    "api:record-list": _api_get("datamigration-api:record-list"),
    "api:record-read": _api_get("datamigration-api:record-detail", "record"),
    "api:run-read": _api_get("datamigration-api:run-detail", "run"),
    "api:run-errors": _api_get("datamigration-api:run-errors", "run"),
    "api:record-export": _api_get(
        "datamigration-api:record-export", project=lambda w: w["project"].code, object="uom", file_format="csv"
    ),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, mine, client_of):
    response = REQUESTS[action](client_of(persona), mine)
    assert response.status_code == expected, getattr(response, "content", b"")[:500]


def test_page_actions_did_what_they_say(mine, consultant, client_of):
    """The 302s of the matrix are the work done, not a refusal sent back to the page."""
    client = client_of("consultant")
    encoded = REQUESTS["datamigration:upload_encoding"](client, {**mine, "upload": _latin1(mine["upload"])})
    mine["upload"].refresh_from_db()
    queued = _queued_validation(mine)

    started = REQUESTS["datamigration:run_start"](client, mine)
    cancelled = client.post(reverse("datamigration:run_cancel", args=[mine["project"].code, queued.pk]))
    mapped = REQUESTS["datamigration:upload_detail-post"](client, mine)
    uploaded = REQUESTS["datamigration-portal:upload_create-post"](client, mine)

    run = MigrationRun.objects.filter(mode="validate").exclude(pk=queued.pk).get()
    assert started["Location"] == reverse("datamigration:run_detail", args=[mine["project"].code, run.pk])
    assert MigrationRun.objects.get(pk=queued.pk).status == MigrationRun.Status.CANCELLED
    assert cancelled["Location"] == reverse("datamigration:run_detail", args=[mine["project"].code, queued.pk])
    assert mapped["Location"] == reverse("datamigration:upload_detail", args=[mine["project"].code, mine["upload"].pk])
    assert encoded["Location"] == mapped["Location"]
    assert Upload.objects.get(pk=mine["upload"].pk).encoding == "utf-8", "read again in UTF-8"
    upload = mine["object"].uploads.latest("pk")
    assert uploaded["Location"] == reverse("datamigration-portal:upload_detail", args=[mine["project"].code, upload.pk])


def test_consultant_defines_an_object_and_a_field_from_the_pages(project, consultant, client):
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
    assert (
        created["Location"]
        == added["Location"]
        == reverse("datamigration:object_detail", args=[project.code, "warehouses"])
    )
    field = MasterDataObject.objects.get(project=project, name="warehouses").fields.get(name="zone")
    assert (field.type, field.choices, field.required) == ("choice", ["A", "B"], True)
