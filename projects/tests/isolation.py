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


# --- the one matrix style ---------------------------------------------------------------

PERSONAS = ("pm", "consultant", "sponsor", "key_user", "viewer", "outsider")


def matrix_cases(matrix: dict[str, dict[str, int]]):
    """``{action: {persona: status}}`` as pytest params, one per cell, named ``action-persona``.

    Every persona must have a cell, so a new persona or action cannot be forgotten::

        @pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
        def test_role_matrix(action, persona, expected, client_of, objects):
            response = REQUESTS[action](client_of(persona), objects)
            assert response.status_code == expected
    """
    import pytest

    cases = []
    for action, row in matrix.items():
        missing = set(PERSONAS) - set(row)
        if missing:
            raise AssertionError(f"matrix row {action!r} has no cell for {sorted(missing)}")
        for persona, status in row.items():
            cases.append(pytest.param(action, persona, status, id=f"{action}-{persona}"))
    return cases


# --- which routes the suite really requested ----------------------------------------------

#: URL names (``namespace:name``) that a test request resolved to, this session.
REQUESTED_ROUTES: set[str] = set()


class RouteRecorder:
    """Test-only middleware: records the URL name of every request a test makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name:
            REQUESTED_ROUTES.add(match.view_name)
        return None
