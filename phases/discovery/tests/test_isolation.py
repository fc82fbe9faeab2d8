"""Isolation and role matrix of every discovery route: dashboard, portal and API.

An outsider (consultant of another project) gets 404 on every object route and sees none
of ``project``'s rows in lists; each persona gets what ARCHITECTURE.md's role table says
(``role_matrix.MATRIX``: ``{action: {persona: status}}``, one request function per action,
and for writes their effect: done exactly when allowed); client roles never see internal
RAID items, internal documents or internal notes.
"""

import pytest
from django.urls import reverse

from phases.discovery.tests import factories as f
from phases.discovery.tests.role_matrix import (
    API_BASENAMES,
    API_OF,
    DASHBOARD_CRUD,
    EFFECTS,
    FIRM,
    MATRIX,
    MEMBERS,
    REQUESTS,
    Objects,
)
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, ids_in, matrix_cases

COVERED_ROUTES = {
    "discovery:overview",
    "discovery:signoff_request",
    "discovery:requirement_import",
    "discovery:requirement_export",
    "discovery:requirement_status",
    "discovery:kickoff_raci",
    "discovery:kickoff_print",
    "discovery:document_download",
    *{f"discovery:{p}_{a}" for p in DASHBOARD_CRUD for a in ("list", "create", "detail", "edit", "delete")},
    "discovery-portal:signoff",
    "discovery-portal:signoff_decide",
    *{f"discovery-api:{b}-{a}" for b in API_BASENAMES for a in ("list", "detail")},
    "discovery-api:kickoff-raci",
    "discovery-api:requirement-export",
    "discovery-api:requirement-import",
    "discovery-api:plan-document-download",
    "discovery-api:signoff-decide",
}


@pytest.fixture
def mine(project, personas):
    # the consultant asks for the sign-off, so both approvers (PM, sponsor) may decide it
    return Objects(project, requester=personas["consultant"])


@pytest.fixture
def theirs(other_project, personas):
    from projects.models import Membership
    from projects.roles import Role
    from projects.tests.factories import UserFactory

    other_pm = UserFactory(username="other_pm")
    Membership.objects.create(user=other_pm, project=other_project, role=Role.PM)
    return Objects(other_project, requester=other_pm)


# --- API: lists are scoped, other projects' objects answer 404 ------------------------


@pytest.mark.parametrize("key", sorted(API_OF))
def test_api_lists_show_only_own_project_rows(key, api_client_for, personas, mine, theirs):
    url = reverse(f"discovery-api:{API_OF[key]}-list")
    for name in sorted(MEMBERS):
        assert_list_scoped(api_client_for(personas[name]), url, mine={mine[key].pk}, theirs={theirs[key].pk})
    outsider_sees = ids_in(api_client_for(personas["outsider"]).get(url))
    assert mine[key].pk not in outsider_sees and theirs[key].pk in outsider_sees


@pytest.mark.parametrize("key", sorted(API_OF))
def test_api_detail_of_another_project_is_404(key, api_client_for, personas, mine, theirs):
    client = api_client_for(personas["pm"])
    methods = ("get",) if key == "signoff" else ("get", "patch", "delete")
    assert_detail_hidden(client, reverse(f"discovery-api:{API_OF[key]}-detail", args=[theirs[key].pk]), methods)
    assert_detail_hidden(
        api_client_for(personas["outsider"]),
        reverse(f"discovery-api:{API_OF[key]}-detail", args=[mine[key].pk]),
        methods,
    )


def test_api_actions_of_another_project_are_404(api_client_for, personas, mine):
    client = api_client_for(personas["outsider"])
    assert (
        client.post(reverse("discovery-api:kickoff-raci", args=[mine["kickoff"].pk]), {}, format="json").status_code
        == 404
    )
    assert client.get(reverse("discovery-api:plan-document-download", args=[mine["document"].pk])).status_code == 404
    assert (
        client.post(
            reverse("discovery-api:signoff-decide", args=[mine["signoff"].pk]), {"decision": "approved"}, format="json"
        ).status_code
        == 404
    )
    export = client.get(reverse("discovery-api:requirement-export"), {"project": mine["requirement"].project.code})
    assert export.status_code == 404


def test_every_action_has_a_request():
    assert set(REQUESTS) == set(MATRIX) and set(EFFECTS) <= set(MATRIX)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, request, project, api_client_for):
    """One request of one persona: the expected status and, for a write, its effect exactly when allowed.

    Only the persona of the case is made (``request.getfixturevalue``), and only the
    objects its request uses; the consultant asks for the sign-off (PM and sponsor decide).
    """
    user = request.getfixturevalue(persona)
    objects = Objects(project, requester=lambda: request.getfixturevalue("consultant"))
    client = api_client_for(user)  # API requests...
    client.force_login(user)  # ...and a session for the pages
    response = REQUESTS[action](client, objects)
    assert response.status_code == expected, getattr(response, "content", b"")[:500]
    if action in EFFECTS:
        assert EFFECTS[action](objects) == (expected < 400)


# --- internal content never reaches client roles --------------------------------------


@pytest.fixture
def internal_rows(project, personas):
    risk = f.RaidItemFactory(project=project, title="Budget overrun (internal)", internal=True)
    document = f.PlanDocumentFactory(project=project, title="Estimate workbook", internal=True)
    requirement = f.RequirementFactory(project=project, internal_notes="Ước tính 15 ngày công")
    return {"risk": risk, "document": document, "requirement": requirement}


@pytest.mark.parametrize("persona", sorted(MEMBERS))
def test_internal_rows_and_notes_hidden_from_client_roles_in_api(persona, api_client_for, personas, internal_rows):
    client = api_client_for(personas[persona])
    firm = persona in FIRM
    risks = ids_in(client.get(reverse("discovery-api:raid-item-list")))
    assert (internal_rows["risk"].pk in risks) == firm
    detail = client.get(reverse("discovery-api:raid-item-detail", args=[internal_rows["risk"].pk]))
    assert detail.status_code == (200 if firm else 404)
    docs = ids_in(client.get(reverse("discovery-api:plan-document-list")))
    assert (internal_rows["document"].pk in docs) == firm
    download = client.get(reverse("discovery-api:plan-document-download", args=[internal_rows["document"].pk]))
    assert download.status_code == (200 if firm else 404)

    req = client.get(reverse("discovery-api:requirement-detail", args=[internal_rows["requirement"].pk])).json()
    assert ("internal_notes" in req) == firm
    listed = client.get(reverse("discovery-api:requirement-list")).json()["results"]
    assert all(("internal_notes" in row) == firm for row in listed)
    assert ("Ước tính" in client.get(reverse("discovery-api:requirement-list")).content.decode()) == firm


@pytest.mark.parametrize("persona", sorted(MEMBERS))
def test_internal_content_hidden_from_client_roles_on_pages_and_exports(
    persona, client, personas, project, internal_rows
):
    client.force_login(personas[persona])
    firm = persona in FIRM
    code = project.code
    raid_page = client.get(reverse("discovery:raid_list", args=[code])).content.decode()
    assert ("Budget overrun (internal)" in raid_page) == firm
    assert client.get(reverse("discovery:raid_detail", args=[code, internal_rows["risk"].pk])).status_code == (
        200 if firm else 404
    )
    req_page = client.get(reverse("discovery:requirement_detail", args=[code, internal_rows["requirement"].pk]))
    assert ("Ước tính 15 ngày công" in req_page.content.decode()) == firm
    export = client.get(reverse("discovery:requirement_export", args=[code]))
    text = export.getvalue().decode("utf-8-sig")
    assert ("internal_notes" in text.splitlines()[0]) == firm
    assert ("Ước tính 15 ngày công" in text) == firm
    overview = client.get(reverse("discovery:overview", args=[code])).content.decode()
    assert ("Budget overrun (internal)" in overview) == firm
    portal = client.get(reverse("discovery-portal:signoff", args=[code])).content.decode()
    assert "Budget overrun (internal)" not in portal and "Estimate workbook" not in portal


def test_dashboard_object_of_another_project_is_404_even_through_own_project_url(client, personas, project, theirs):
    client.force_login(personas["pm"])
    for prefix in DASHBOARD_CRUD:
        obj = theirs[prefix]
        for action in ("detail", "edit"):
            assert client.get(reverse(f"discovery:{prefix}_{action}", args=[project.code, obj.pk])).status_code == 404
        assert client.post(reverse(f"discovery:{prefix}_delete", args=[project.code, obj.pk])).status_code == 404
        assert type(obj).objects.filter(pk=obj.pk).exists()
    assert (
        client.get(reverse("discovery:document_download", args=[project.code, theirs["document"].pk])).status_code
        == 404
    )
    assert client.get(reverse("discovery:kickoff_print", args=[project.code, theirs["kickoff"].pk])).status_code == 404


def test_api_list_filters_by_project_and_fields(api_client_for, personas, project, mine):
    client = api_client_for(personas["pm"])
    f.RequirementFactory(
        project=project, priority="must", status="reviewed", business_area="finance", title="Thuế GTGT"
    )
    url = reverse("discovery-api:requirement-list")
    rows = client.get(url, {"project": project.code, "priority": "must", "business_area": "finance"}).json()
    assert [r["title"] for r in rows["results"]] == ["Thuế GTGT"]
    assert client.get(url, {"q": "GTGT"}).json()["count"] == 1
    assert client.get(url, {"project": "NOPE"}).status_code == 400


def test_audit_trail_never_carries_internal_notes(api_client_for, personas, project):
    from phases.discovery import services

    req = services.requirement_create(
        project=project, by=personas["pm"], title="Thuế", business_area="finance", internal_notes="Bí mật: 20 md"
    )
    services.requirement_update(requirement=req, by=personas["pm"], version=1, internal_notes="Bí mật: 25 md")
    services.raid_item_create(
        project=project, by=personas["pm"], kind="risk", title="Rủi ro nội bộ", probability=2, impact=2, internal=True
    )
    viewer = api_client_for(personas["viewer"]).get(reverse("projects-api:auditentry-list"), {"project": project.code})
    assert viewer.status_code == 200
    assert "Bí mật" not in viewer.content.decode() and "Rủi ro nội bộ" not in viewer.content.decode()
    pm_view = api_client_for(personas["pm"]).get(reverse("projects-api:auditentry-list"), {"project": project.code})
    assert "Rủi ro nội bộ" in pm_view.content.decode()
