"""Every answer of the API is JSON, errors included: no route, an id the route does not match,
a missing object behind a download, a method the resource does not have, a crash."""

import pytest
from django.test import Client
from django.urls import path, reverse

from erpimpl import urls as site_urls
from projects.services import template_get_builtin

pytestmark = pytest.mark.django_db


def _assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/anything-unknown/",
        "/api/v1/projects/nothing-here/",
        "/api/v1/projects/tasks/1.5/",  # an id the route's pattern does not match
        "/api/v1/datamigration/objects/not-an-id/template/extra/",
        "/api/no-version/",
    ],
)
def test_a_path_no_route_matches_answers_a_json_404(viewer, api_client_for, url):
    body = _assert_json_error(api_client_for(viewer).get(url), 404)
    assert body == {"detail": "Not found."}


def test_an_unknown_api_path_answers_json_even_to_anonymous_callers():
    _assert_json_error(Client().get("/api/v1/anything-unknown/"), 404)


def test_pages_outside_the_api_keep_the_html_404(client, viewer):
    client.force_login(viewer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("query", [{}, {"file_format": "csv"}, {"file_format": "xlsx"}])
def test_a_missing_object_behind_a_download_answers_a_json_404_not_an_empty_body(viewer, api_client_for, query):
    url = reverse("datamigration-api:object-template", args=[999999])
    _assert_json_error(api_client_for(viewer).get(url, query), 404)


def test_an_id_of_the_wrong_type_answers_a_json_404(viewer, api_client_for):
    _assert_json_error(api_client_for(viewer).get("/api/v1/projects/tasks/abc/"), 404)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_methodology_templates_are_read_only_a_write_answers_405(consultant, api_client_for, method):
    """Templates are global rows: reading them works for everyone; writing them is not a door."""
    template = template_get_builtin()
    url = reverse("projects-api:template-detail", args=[template.pk])
    client = api_client_for(consultant)
    assert client.get(url).status_code == 200
    body = _assert_json_error(getattr(client, method)(url, {"name": "x"}, format="json"), 405)
    assert body["detail"] == f'Method "{method.upper()}" not allowed.'
    template.refresh_from_db()
    assert template.name != "x"


def _crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/crash/", _crash), path("crash/", _crash), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.mark.urls("erpimpl.tests.test_api_errors")
def test_a_crash_under_the_api_answers_a_json_500_and_a_page_keeps_html(viewer):
    client = Client(raise_request_exception=False)
    client.force_login(viewer)
    response = client.get("/api/v1/crash/")
    assert response.status_code == 500 and response.json() == {"detail": "A server error occurred."}
    page = client.get("/crash/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
