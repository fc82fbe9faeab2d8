"""Helpers for tenant-isolation and role-matrix tests, used by every app's ``test_isolation.py``.

Each app's ``tests/test_isolation.py`` declares ``COVERED_ROUTES``: the URL names its
tests exercise for isolation. ``erpimpl/tests/test_url_policy.py`` fails when a URL
pattern of the site is in no app's list (RELIABILITY.md A1).
"""

from django.urls import reverse


def ids_in(response) -> set:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row["id"] for row in rows}


def assert_list_scoped(client, url: str, *, mine: set, theirs: set, params: dict | None = None):
    """The list shows the caller's rows and none of the other project's, count included."""
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    seen = ids_in(response)
    assert mine <= seen, f"missing own rows {mine - seen}"
    assert not (theirs & seen), f"leaked rows of another project: {theirs & seen}"
    assert response.json()["count"] == len(seen)


def assert_detail_hidden(client, url: str, methods=("get", "patch", "delete")):
    """Another project's object answers 404 to every method, with none of its data."""
    for method in methods:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)


def api_url(name: str, *args) -> str:
    return reverse(name, args=args)
