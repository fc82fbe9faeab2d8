"""Tenant isolation of the readiness pages: the role matrix of every page route they add.

``MATRIX`` is ``{action: {persona: status}}`` and ``REQUESTS`` the one small request of each
action, parametrised by ``matrix_cases`` (a failure names the action and the persona).
``PAGE_COVERED`` lists the URL names; the app's ``test_isolation.py`` gathers it.

The world: a finished run and a queued one of ``project``; the manual criterion RD-17
(client-visible) owned by the key user, assessed with an attachment; another project with
its own run, whose rows answer 404 under this project's address. Internal criteria answer
404 to client roles.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from golive import portal_urls_readiness, services, urls_readiness
from golive.models import ReadinessCriterion
from golive.tests.factories_pages import finished_run
from projects.tests.isolation import matrix_cases

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PDF = b"%PDF-1.4\n%%EOF\n"

PAGE_COVERED = sorted(
    [f"golive:{p.name}" for p in urls_readiness.urlpatterns]
    + [f"golive-portal:{p.name}" for p in portal_urls_readiness.urlpatterns]
)


def _cells(pm, consultant, sponsor, key_user, viewer, outsider):
    return {
        "pm": pm,
        "consultant": consultant,
        "sponsor": sponsor,
        "key_user": key_user,
        "viewer": viewer,
        "outsider": outsider,
    }


EVERY_MEMBER = _cells(200, 200, 200, 200, 200, 404)
FIRM_PAGE = _cells(200, 200, 403, 403, 403, 404)  # EDIT
FIRM_POST = _cells(302, 302, 403, 403, 403, 404)  # EDIT, or RUN_JOBS: done (or refused on the page), then back
OWNER_POST = _cells(302, 302, 403, 302, 403, 404)  # an assessment: the owner (key user) or who may edit

MATRIX = {
    "golive:readiness": EVERY_MEMBER,
    "golive:run_detail": EVERY_MEMBER,
    "golive:run_progress": EVERY_MEMBER,
    "golive:run_compare": EVERY_MEMBER,
    "golive:criteria": EVERY_MEMBER,
    "golive:criterion_detail": EVERY_MEMBER,
    "golive:criterion_evidence": EVERY_MEMBER,
    "golive-portal:readiness": EVERY_MEMBER,
    "golive:criterion_create": FIRM_PAGE,
    "golive:criterion_edit": FIRM_PAGE,
    "golive:run_start": FIRM_POST,
    "golive:run_cancel": FIRM_POST,
    "golive:criterion_delete": FIRM_POST,
    "golive:criterion_assess": OWNER_POST,
    "golive-portal:criterion_assess": OWNER_POST,
}


def _page(method, name, *parts, data=None):
    """A request to a page of ``w``'s project; ``parts`` name objects of ``w`` (their pk)."""

    def request(client, w):
        args = [w["project"].code] + [w[p].pk for p in parts]
        body = data(w) if data else {}
        return getattr(client, method)(reverse(name, args=args), body)

    return request


def _assessment(w):
    return {"met": "met", "note": "OK", "version": ReadinessCriterion.objects.get(pk=w["manual"].pk).version}


REQUESTS = {
    "golive:readiness": _page("get", "golive:readiness"),
    "golive:run_detail": _page("get", "golive:run_detail", "run"),
    "golive:run_progress": _page("get", "golive:run_progress", "queued"),
    "golive:run_compare": _page("get", "golive:run_compare", "run"),
    "golive:criteria": _page("get", "golive:criteria"),
    "golive:criterion_detail": _page("get", "golive:criterion_detail", "manual"),
    "golive:criterion_evidence": _page("get", "golive:criterion_evidence", "manual"),
    "golive-portal:readiness": _page("get", "golive-portal:readiness"),
    "golive:criterion_create": _page("get", "golive:criterion_create"),
    "golive:criterion_edit": _page("get", "golive:criterion_edit", "automatic"),
    "golive:run_start": _page("post", "golive:run_start"),
    "golive:run_cancel": _page("post", "golive:run_cancel", "queued"),
    "golive:criterion_delete": _page("post", "golive:criterion_delete", "automatic"),
    "golive:criterion_assess": _page("post", "golive:criterion_assess", "manual", data=_assessment),
    "golive-portal:criterion_assess": _page("post", "golive-portal:criterion_assess", "manual", data=_assessment),
}

#: Routes naming an object, and the object of the other project each is asked with.
OBJECT_ROUTES = {
    "golive:run_detail": ("get", "run"),
    "golive:run_progress": ("get", "run"),
    "golive:run_compare": ("get", "run"),
    "golive:run_cancel": ("post", "run"),
    "golive:criterion_detail": ("get", "manual"),
    "golive:criterion_edit": ("get", "manual"),
    "golive:criterion_delete": ("post", "manual"),
    "golive:criterion_assess": ("post", "manual"),
    "golive:criterion_evidence": ("get", "manual"),
    "golive-portal:criterion_assess": ("post", "manual"),
}


def _seed(project, firm_user, owner):
    manual = ReadinessCriterion.objects.get(project=project, code="RD-17")
    manual = services.criterion_update(criterion=manual, by=firm_user, version=manual.version, owner=owner)
    manual = services.criterion_assess(
        criterion=manual,
        by=owner,
        met=True,
        evidence=SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf"),
        version=manual.version,
    )
    run = finished_run(project, by=firm_user)
    return {
        "project": project,
        "run": run,
        "queued": services.readiness_run_request(project=project, by=firm_user),
        "manual": manual,
        "automatic": ReadinessCriterion.objects.get(project=project, code="RD-04"),
        "internal": ReadinessCriterion.objects.get(project=project, code="RD-16"),
    }


@pytest.fixture
def world(project, other_project, personas):
    return {
        "mine": _seed(project, personas["pm"], personas["key_user"]),
        "theirs": _seed(other_project, personas["outsider"], personas["outsider"]),
    }


def test_page_covered_names_every_readiness_page():
    assert set(MATRIX) == set(REQUESTS) == set(PAGE_COVERED)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, client_of):
    response = REQUESTS[action](client_of(persona), world["mine"])
    assert response.status_code == expected, response.content[:500]


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_another_projects_objects_answer_404(name, world, client_of):
    method, kind = OBJECT_ROUTES[name]
    mine, theirs = world["mine"], world["theirs"]
    url = reverse(name, args=[mine["project"].code, theirs[kind].pk])

    response = getattr(client_of("pm"), method)(url, {"met": "met", "version": theirs["manual"].version})

    assert response.status_code == 404
    assert ReadinessCriterion.objects.filter(pk=theirs["manual"].pk, assessment="met").exists()


@pytest.mark.parametrize("persona", ["sponsor", "key_user", "viewer"])
def test_an_internal_criterion_is_hidden_from_client_roles(persona, world, client_of):
    w = world["mine"]
    url = reverse("golive:criterion_detail", args=[w["project"].code, w["internal"].pk])
    assert client_of(persona).get(url).status_code == 404
    assert client_of("consultant").get(url).status_code == 200
