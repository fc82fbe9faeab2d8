"""Role matrix of every support plan, training and user guide route (pages, portal, API), and
another project's rows answering 404 everywhere. ``PEOPLE_COVERED`` lists the route names for
the lead's ``golive/tests/test_isolation.py``.

The matrix is ``{action: {persona: status}}`` (``projects.tests.isolation.matrix_cases``).
A draft (unpublished) user guide is firm work in progress: client roles get 404 for it and
its files on every door, exactly as for a row of another project.
"""

import pytest
from django.urls import reverse

from golive.services import people as services
from golive.tests.factories_people import (
    AttendanceFactory,
    EscalationLevelFactory,
    SupportTeamFactory,
    TrainingSessionFactory,
    UserGuideFactory,
    UserGuideVersionFactory,
    pdf_upload,
)
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, matrix_cases

PEOPLE_COVERED = [
    "golive:support_plan",
    "golive:support_plan_edit",
    "golive:support_plan_request",
    "golive:team_create",
    "golive:team_edit",
    "golive:team_delete",
    "golive:escalation_create",
    "golive:escalation_edit",
    "golive:escalation_delete",
    "golive:training_list",
    "golive:training_create",
    "golive:training_completion",
    "golive:training_detail",
    "golive:training_edit",
    "golive:training_delete",
    "golive:training_invite",
    "golive:attendance_record",
    "golive:guide_list",
    "golive:guide_create",
    "golive:guide_detail",
    "golive:guide_edit",
    "golive:guide_delete",
    "golive:guide_upload",
    "golive:guide_publish",
    "golive:guide_download",
    "golive-portal:my_training",
    "golive-portal:guides",
    "golive-portal:guide_download",
    "golive-portal:support_plan",
    "golive-api:support-plan-list",
    "golive-api:support-plan-detail",
    "golive-api:support-plan-request-approval",
    "golive-api:support-team-list",
    "golive-api:support-team-detail",
    "golive-api:escalation-level-list",
    "golive-api:escalation-level-detail",
    "golive-api:training-session-list",
    "golive-api:training-session-detail",
    "golive-api:training-session-invite",
    "golive-api:attendance-list",
    "golive-api:attendance-detail",
    "golive-api:user-guide-list",
    "golive-api:user-guide-detail",
    "golive-api:user-guide-publish",
    "golive-api:user-guide-unpublish",
    "golive-api:user-guide-versions",
    "golive-api:user-guide-download",
]


def _cells(pm, consultant, sponsor, key_user, viewer, outsider):
    return dict(pm=pm, consultant=consultant, sponsor=sponsor, key_user=key_user, viewer=viewer, outsider=outsider)


EVERY_MEMBER = _cells(200, 200, 200, 200, 200, 404)
FIRM_PAGE = _cells(200, 200, 403, 403, 403, 404)
FIRM_POST = _cells(302, 302, 403, 403, 403, 404)
FIRM_ONLY_ROW = _cells(200, 200, 404, 404, 404, 404)  # a draft guide: hidden from client roles
ALL = _cells(200, 200, 200, 200, 200, 200)  # a list: the outsider sees their own (none of ours)
API_CREATE = _cells(201, 201, 403, 403, 403, 400)  # the outsider cannot name our project
API_EDIT = _cells(200, 200, 403, 403, 403, 404)
API_DELETE = _cells(204, 204, 403, 403, 403, 404)

MATRIX = {
    "golive:support_plan": EVERY_MEMBER,
    "golive:support_plan_edit": FIRM_PAGE,
    "golive:support_plan_edit-post": FIRM_POST,
    "golive:support_plan_request": FIRM_POST,
    "golive:team_create": FIRM_PAGE,
    "golive:team_edit": FIRM_PAGE,
    "golive:team_delete": FIRM_POST,
    "golive:escalation_create": FIRM_PAGE,
    "golive:escalation_edit": FIRM_PAGE,
    "golive:escalation_delete": FIRM_POST,
    "golive:training_list": EVERY_MEMBER,
    "golive:training_create": FIRM_PAGE,
    "golive:training_completion": EVERY_MEMBER,
    "golive:training_detail": EVERY_MEMBER,
    "golive:training_edit": FIRM_PAGE,
    "golive:training_delete": FIRM_POST,
    "golive:training_invite": FIRM_POST,
    # editors record attendance (the session has no trainer here)
    "golive:attendance_record": FIRM_POST,
    "golive:guide_list": EVERY_MEMBER,
    "golive:guide_create": FIRM_PAGE,
    "golive:guide_detail": EVERY_MEMBER,
    "golive:guide_detail-draft": FIRM_ONLY_ROW,
    "golive:guide_edit": FIRM_PAGE,
    "golive:guide_delete": FIRM_POST,
    "golive:guide_upload": FIRM_POST,
    "golive:guide_publish": FIRM_POST,
    "golive:guide_download": EVERY_MEMBER,
    "golive:guide_download-draft": FIRM_ONLY_ROW,
    "golive-portal:my_training": EVERY_MEMBER,
    "golive-portal:guides": EVERY_MEMBER,
    "golive-portal:guide_download": EVERY_MEMBER,
    "golive-portal:guide_download-draft": FIRM_ONLY_ROW,
    "golive-portal:support_plan": EVERY_MEMBER,
    "api:plan-list": ALL,
    "api:plan-detail": EVERY_MEMBER,
    "api:plan-update": API_EDIT,
    "api:plan-request-approval": _cells(201, 201, 403, 403, 403, 404),
    "api:team-list": ALL,
    "api:team-create": API_CREATE,
    "api:team-detail": EVERY_MEMBER,
    "api:team-update": API_EDIT,
    "api:team-delete": API_DELETE,
    "api:escalation-list": ALL,
    "api:escalation-create": API_CREATE,
    "api:escalation-detail": EVERY_MEMBER,
    "api:escalation-update": API_EDIT,
    "api:escalation-delete": API_DELETE,
    "api:session-list": ALL,
    "api:session-create": API_CREATE,
    "api:session-detail": EVERY_MEMBER,
    "api:session-update": API_EDIT,
    "api:session-delete": API_DELETE,
    "api:session-invite": API_EDIT,
    "api:attendance-list": ALL,
    "api:attendance-detail": EVERY_MEMBER,
    "api:attendance-update": API_EDIT,
    "api:guide-list": ALL,
    "api:guide-create": API_CREATE,
    "api:guide-detail": EVERY_MEMBER,
    "api:guide-detail-draft": FIRM_ONLY_ROW,
    "api:guide-update": API_EDIT,
    "api:guide-delete": API_DELETE,
    "api:guide-publish-draft": _cells(200, 200, 404, 404, 404, 404),
    "api:guide-unpublish": API_EDIT,
    "api:guide-versions": _cells(201, 201, 403, 403, 403, 404),
    "api:guide-download": EVERY_MEMBER,
    "api:guide-download-draft": FIRM_ONLY_ROW,
}


def _world_for(project, people=None):
    plan = services.support_plan_get_or_create(project)
    team = SupportTeamFactory(plan=plan)
    escalation = EscalationLevelFactory(plan=plan, level="L1", team=team)
    session = TrainingSessionFactory(project=project)
    guide = UserGuideFactory(project=project, published=True)
    draft = UserGuideFactory(project=project, published=False)
    world = {
        "project": project,
        "plan": plan,
        "team": team,
        "escalation": escalation,
        "session": session,
        "guide": guide,
        "guide_version": UserGuideVersionFactory(guide=guide, number=1),
        "draft": draft,
        "draft_version": UserGuideVersionFactory(guide=draft, number=1),
    }
    if people:
        world["attendance"] = AttendanceFactory(session=session, user=people["key_user"])
    return world


@pytest.fixture
def world(project, other_project, personas):
    ours = _world_for(project, personas)
    ours["people"] = personas
    ours["theirs"] = _world_for(other_project)
    ours["theirs"]["attendance"] = AttendanceFactory(session=ours["theirs"]["session"], user=personas["outsider"])
    return ours


def _page(method, name, key=None, data=None, extra=()):
    def request(client, w):
        args = [w["project"].code] + ([w[key].pk] if key else [])
        return getattr(client, method)(reverse(name, args=args), dict(data or {}))

    return request


def _api(method, name, key=None, body=None, fmt="json"):
    def request(client, w):
        args = [w["project"].code] if key == "project" else [w[key].pk] if key else []
        data = body(w) if callable(body) else (body or {})
        if method == "get":
            return client.get(reverse(f"golive-api:{name}", args=args), data)
        return getattr(client, method)(reverse(f"golive-api:{name}", args=args), data, format=fmt)

    return request


SESSION_BODY = {"topic": "T", "starts_at": "2030-01-10T09:00:00Z", "ends_at": "2030-01-10T10:00:00Z"}

REQUESTS = {
    "golive:support_plan": _page("get", "golive:support_plan"),
    "golive:support_plan_edit": _page("get", "golive:support_plan_edit"),
    "golive:support_plan_edit-post": _page(
        "post", "golive:support_plan_edit", data={"version": 1, "working_hours": "24/7"}
    ),
    "golive:support_plan_request": _page("post", "golive:support_plan_request"),
    "golive:team_create": _page("get", "golive:team_create"),
    "golive:team_edit": _page("get", "golive:team_edit", "team"),
    "golive:team_delete": _page("post", "golive:team_delete", "team"),
    "golive:escalation_create": _page("get", "golive:escalation_create"),
    "golive:escalation_edit": _page("get", "golive:escalation_edit", "escalation"),
    "golive:escalation_delete": _page("post", "golive:escalation_delete", "escalation"),
    "golive:training_list": _page("get", "golive:training_list"),
    "golive:training_create": _page("get", "golive:training_create"),
    "golive:training_completion": _page("get", "golive:training_completion"),
    "golive:training_detail": _page("get", "golive:training_detail", "session"),
    "golive:training_edit": _page("get", "golive:training_edit", "session"),
    "golive:training_delete": _page("post", "golive:training_delete", "session"),
    "golive:training_invite": _page("post", "golive:training_invite", "session", data={"roles": ["viewer"]}),
    "golive:attendance_record": _page("post", "golive:attendance_record", "attendance", data={"status": "attended"}),
    "golive:guide_list": _page("get", "golive:guide_list"),
    "golive:guide_create": _page("get", "golive:guide_create"),
    "golive:guide_detail": _page("get", "golive:guide_detail", "guide"),
    "golive:guide_detail-draft": _page("get", "golive:guide_detail", "draft"),
    "golive:guide_edit": _page("get", "golive:guide_edit", "guide"),
    "golive:guide_delete": _page("post", "golive:guide_delete", "guide"),
    "golive:guide_upload": lambda client, w: client.post(
        reverse("golive:guide_upload", args=[w["project"].code, w["guide"].pk]), {"file": pdf_upload()}
    ),
    "golive:guide_publish": _page("post", "golive:guide_publish", "draft", data={"published": "on"}),
    "golive:guide_download": _page("get", "golive:guide_download", "guide_version"),
    "golive:guide_download-draft": _page("get", "golive:guide_download", "draft_version"),
    "golive-portal:my_training": _page("get", "golive-portal:my_training"),
    "golive-portal:guides": _page("get", "golive-portal:guides"),
    "golive-portal:guide_download": _page("get", "golive-portal:guide_download", "guide_version"),
    "golive-portal:guide_download-draft": _page("get", "golive-portal:guide_download", "draft_version"),
    "golive-portal:support_plan": _page("get", "golive-portal:support_plan"),
    "api:plan-list": _api("get", "support-plan-list"),
    "api:plan-detail": _api("get", "support-plan-detail", "project"),
    "api:plan-update": _api("patch", "support-plan-detail", "project", {"version": 1, "working_hours": "24/7"}),
    "api:plan-request-approval": _api("post", "support-plan-request-approval", "project"),
    "api:team-list": _api("get", "support-team-list"),
    "api:team-create": _api("post", "support-team-list", body=lambda w: {"project": w["project"].code, "name": "New"}),
    "api:team-detail": _api("get", "support-team-detail", "team"),
    "api:team-update": _api("patch", "support-team-detail", "team", {"name": "Renamed"}),
    "api:team-delete": _api("delete", "support-team-detail", "team"),
    "api:escalation-list": _api("get", "escalation-level-list"),
    "api:escalation-create": _api(
        "post",
        "escalation-level-list",
        body=lambda w: {"project": w["project"].code, "level": "L2", "contact_name": "C"},
    ),
    "api:escalation-detail": _api("get", "escalation-level-detail", "escalation"),
    "api:escalation-update": _api("patch", "escalation-level-detail", "escalation", {"contact_name": "Desk 2"}),
    "api:escalation-delete": _api("delete", "escalation-level-detail", "escalation"),
    "api:session-list": _api("get", "training-session-list"),
    "api:session-create": _api(
        "post", "training-session-list", body=lambda w: {"project": w["project"].code, **SESSION_BODY}
    ),
    "api:session-detail": _api("get", "training-session-detail", "session"),
    "api:session-update": _api("patch", "training-session-detail", "session", {"version": 1, "place": "Zoom"}),
    "api:session-delete": _api("delete", "training-session-detail", "session"),
    "api:session-invite": _api("post", "training-session-invite", "session"),
    "api:attendance-list": _api("get", "attendance-list"),
    "api:attendance-detail": _api("get", "attendance-detail", "attendance"),
    "api:attendance-update": _api("patch", "attendance-detail", "attendance", {"status": "attended"}),
    "api:guide-list": _api("get", "user-guide-list"),
    "api:guide-create": _api("post", "user-guide-list", body=lambda w: {"project": w["project"].code, "title": "G"}),
    "api:guide-detail": _api("get", "user-guide-detail", "guide"),
    "api:guide-detail-draft": _api("get", "user-guide-detail", "draft"),
    "api:guide-update": _api("patch", "user-guide-detail", "guide", {"version": 1, "title": "Renamed"}),
    "api:guide-delete": _api("delete", "user-guide-detail", "guide"),
    "api:guide-publish-draft": _api("post", "user-guide-publish", "draft"),
    "api:guide-unpublish": _api("post", "user-guide-unpublish", "guide"),
    "api:guide-versions": lambda client, w: client.post(
        reverse("golive-api:user-guide-versions", args=[w["guide"].pk]), {"file": pdf_upload()}, format="multipart"
    ),
    "api:guide-download": _api("get", "user-guide-download", "guide"),
    "api:guide-download-draft": _api("get", "user-guide-download", "draft"),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.django_db
@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, client_of):
    response = REQUESTS[action](client_of(persona), world)
    assert response.status_code == expected, getattr(response, "content", b"")[:500]


@pytest.mark.django_db
def test_another_projects_rows_are_hidden(world, client_of):
    theirs = world["theirs"]
    lists = {
        "support-team-list": ("team",),
        "escalation-level-list": ("escalation",),
        "training-session-list": ("session",),
        "attendance-list": ("attendance",),
        "user-guide-list": ("guide",),
    }
    details = {
        "support-team-detail": "team",
        "escalation-level-detail": "escalation",
        "training-session-detail": "session",
        "attendance-detail": "attendance",
        "user-guide-detail": "guide",
    }
    for persona in ("pm", "consultant", "sponsor", "key_user", "viewer"):
        client = client_of(persona)
        for name, (key,) in lists.items():
            assert_list_scoped(client, reverse(f"golive-api:{name}"), mine={world[key].pk}, theirs={theirs[key].pk})
        for name, key in details.items():
            assert_detail_hidden(client, reverse(f"golive-api:{name}", args=[theirs[key].pk]), methods=("get", "patch"))
        assert client.get(reverse("golive-api:support-plan-detail", args=[theirs["project"].code])).status_code == 404
        assert client.get(reverse("golive-api:user-guide-download", args=[theirs["guide"].pk])).status_code == 404
        code = world["project"].code
        for name, key in (
            ("golive:training_detail", "session"),
            ("golive:guide_detail", "guide"),
            ("golive:guide_download", "guide_version"),
            ("golive-portal:guide_download", "guide_version"),
        ):
            assert client.get(reverse(name, args=[code, theirs[key].pk])).status_code == 404
        if persona in ("pm", "consultant"):
            for name, key in (("golive:team_edit", "team"), ("golive:escalation_edit", "escalation")):
                assert client.get(reverse(name, args=[code, theirs[key].pk])).status_code == 404
            assert (
                client.post(reverse("golive:attendance_record", args=[code, theirs["attendance"].pk])).status_code
                == 404
            )
    theirs["attendance"].refresh_from_db()
    assert theirs["attendance"].status == "invited"


@pytest.mark.django_db
def test_covered_routes_are_exactly_the_routes_of_people():
    from django.urls import get_resolver

    from golive import portal_urls_people, urls_people
    from golive.api import people_urls

    names = set()

    def walk(resolver, ns=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif entry.name:
                names.add(f"{ns}{entry.name}")

    walk(get_resolver())
    ours = {f"golive:{p.name}" for p in urls_people.urlpatterns}
    ours |= {f"golive-portal:{p.name}" for p in portal_urls_people.urlpatterns}
    from rest_framework.routers import SimpleRouter

    router = SimpleRouter()
    people_urls.register(router)
    ours |= {f"golive-api:{p.name}" for p in router.urls}
    assert ours <= names
    assert ours == set(PEOPLE_COVERED)
