"""Isolation and role matrix of every discovery route: dashboard, portal and API.

An outsider (consultant of another project) gets 404 on every object route and sees none
of ``project``'s rows in lists; each persona gets what ARCHITECTURE.md's role table says;
client roles never see internal RAID items, internal documents or internal notes.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.discovery.tests import factories as f
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, ids_in

DASHBOARD_CRUD = ["kickoff", "stakeholder", "process", "requirement", "raid", "wave", "document"]
API_BASENAMES = [
    "kickoff",
    "stakeholder",
    "current-process",
    "requirement",
    "raid-item",
    "rollout-wave",
    "plan-document",
    "signoff",
]

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

FIRM = {"pm", "consultant"}
CLIENT = {"sponsor", "key_user", "viewer"}
MEMBERS = FIRM | CLIENT
APPROVERS = {"pm", "sponsor"}
PERSONAS = sorted(MEMBERS | {"outsider"})


def _objects(project, *, by):
    """One object of every kind in ``project`` (none internal), keyed like the dashboard routes."""
    return {
        "kickoff": f.make_kickoff(project=project),
        "stakeholder": f.make_stakeholder(project=project),
        "process": f.make_process(project=project),
        "requirement": f.make_requirement(project=project, internal_notes="Giá nội bộ: 15 ngày công"),
        "raid": f.make_raid_item(project=project),
        "wave": f.make_wave(project=project),
        "document": f.make_document(project=project),
        "signoff": f.make_signoff(project=project, by=by),
    }


API_OF = {
    "kickoff": "kickoff",
    "stakeholder": "stakeholder",
    "process": "current-process",
    "requirement": "requirement",
    "raid": "raid-item",
    "wave": "rollout-wave",
    "document": "plan-document",
    "signoff": "signoff",
}


@pytest.fixture
def mine(project, personas):
    return _objects(project, by=personas["pm"])


@pytest.fixture
def theirs(other_project, personas):
    from projects.models import Membership
    from projects.roles import Role
    from projects.tests.factories import UserFactory

    other_pm = UserFactory(username="other_pm")
    Membership.objects.create(user=other_pm, project=other_project, role=Role.PM)
    return _objects(other_project, by=other_pm)


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


# --- API role matrix ------------------------------------------------------------------


def _create_payload(key, project):
    code = project.code
    return {
        "kickoff": {"project": code, "title": "Kick-off", "meeting_date": "2026-01-08T09:00:00Z"},
        "stakeholder": {"project": code, "name": "Nguyễn Văn An"},
        "process": {"project": code, "business_area": "finance", "name": "Công nợ phải trả"},
        "requirement": {"project": code, "title": "Hóa đơn điện tử", "business_area": "finance"},
        "raid": {"project": code, "kind": "assumption", "title": "Client supplies master data"},
        "wave": {
            "project": code,
            "name": "Wave X",
            "start_date": "2026-03-01",
            "golive_date": "2026-05-01",
            "sites": [{"company": "Sao Mai", "site": "Bình Dương"}],
        },
        "document": {
            "project": code,
            "kind": "preparation",
            "title": "Checklist",
            "file": SimpleUploadedFile("checklist.txt", "Chuẩn bị kho".encode(), "text/plain"),
        },
    }[key]


PATCHES = {
    "kickoff": {"goals": "Khóa sổ trong 5 ngày"},
    "stakeholder": {"title": "CFO"},
    "process": {"volumes": "1,000 / month"},
    "requirement": {"priority": "must"},
    "raid": {"status": "closed"},
    "wave": {"description": "Pilot"},
    "document": {"title": "Checklist v2"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(PATCHES))
def test_api_role_matrix_for_crud(key, persona, api_client_for, personas, project, mine):
    client = api_client_for(personas[persona])
    base = f"discovery-api:{API_OF[key]}"
    obj = mine[key]
    is_member = persona in MEMBERS
    may_edit = persona in FIRM

    assert client.get(reverse(f"{base}-list")).status_code == 200
    assert client.get(reverse(f"{base}-detail", args=[obj.pk])).status_code == (200 if is_member else 404)

    fmt = "multipart" if key == "document" else "json"
    created = client.post(reverse(f"{base}-list"), _create_payload(key, project), format=fmt)
    assert created.status_code == (201 if may_edit else 403 if is_member else 400), created.content

    patched = client.patch(
        reverse(f"{base}-detail", args=[obj.pk]), {"version": obj.version, **PATCHES[key]}, format="json"
    )
    assert patched.status_code == (200 if may_edit else 403 if is_member else 404), patched.content

    deleted = client.delete(reverse(f"{base}-detail", args=[obj.pk]))
    assert deleted.status_code == (204 if may_edit else 403 if is_member else 404)
    assert type(obj).objects.filter(pk=obj.pk).exists() == (not may_edit)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_role_matrix_for_actions(persona, api_client_for, personas, project, mine):
    client = api_client_for(personas[persona])
    is_member = persona in MEMBERS
    kickoff = mine["kickoff"]
    raci = client.post(
        reverse("discovery-api:kickoff-raci", args=[kickoff.pk]),
        {"version": kickoff.version, "rows": [{"activity": "Steering", "cells": {f"u{personas['pm'].pk}": "A"}}]},
        format="json",
    )
    assert raci.status_code == (200 if persona in FIRM else 403 if is_member else 404), raci.content

    export = client.get(reverse("discovery-api:requirement-export"), {"project": project.code})
    assert export.status_code == (200 if is_member else 404)

    upload = SimpleUploadedFile("reqs.csv", "title,business_area\nBáo cáo thuế,finance\n".encode(), "text/csv")
    imported = client.post(
        reverse("discovery-api:requirement-import"), {"project": project.code, "file": upload}, format="multipart"
    )
    assert imported.status_code == (201 if persona in FIRM else 403 if is_member else 400), imported.content

    download = client.get(reverse("discovery-api:plan-document-download", args=[mine["document"].pk]))
    assert download.status_code == (200 if is_member else 404)

    signoff = mine["signoff"]
    decided = client.post(
        reverse("discovery-api:signoff-decide", args=[signoff.pk]), {"decision": "rejected"}, format="json"
    )
    assert decided.status_code == (200 if persona in APPROVERS else 403 if is_member else 404), decided.content

    requested = client.post(reverse("discovery-api:signoff-list"), {"project": project.code}, format="json")
    # approvers just decided the pending one, so the PM may ask again; for the consultant it still waits
    expected = {"pm": 201, "consultant": 400, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400}
    assert requested.status_code == expected[persona], requested.content


# --- internal content never reaches client roles --------------------------------------


@pytest.fixture
def internal_rows(project, personas):
    risk = f.make_raid_item(project=project, title="Budget overrun (internal)", internal=True)
    document = f.make_document(project=project, title="Estimate workbook", internal=True)
    requirement = f.make_requirement(project=project, internal_notes="Ước tính 15 ngày công")
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
    text = export.content.decode("utf-8-sig")
    assert ("internal_notes" in text.splitlines()[0]) == firm
    assert ("Ước tính 15 ngày công" in text) == firm
    overview = client.get(reverse("discovery:overview", args=[code])).content.decode()
    assert ("Budget overrun (internal)" in overview) == firm
    portal = client.get(reverse("discovery-portal:signoff", args=[code])).content.decode()
    assert "Budget overrun (internal)" not in portal and "Estimate workbook" not in portal


# --- dashboard and portal pages -------------------------------------------------------

VIEW_PAGES = ["list", "detail"]
EDIT_PAGES = ["create", "edit"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_pages_role_matrix(persona, client, personas, project, mine):
    client.force_login(personas[persona])
    code = project.code
    is_member = persona in MEMBERS
    may_edit = persona in FIRM
    view_status = 200 if is_member else 404
    edit_status = 200 if may_edit else 403 if is_member else 404
    for prefix in DASHBOARD_CRUD:
        obj = mine[prefix]
        assert client.get(reverse(f"discovery:{prefix}_list", args=[code])).status_code == view_status, prefix
        assert client.get(reverse(f"discovery:{prefix}_detail", args=[code, obj.pk])).status_code == view_status
        assert client.get(reverse(f"discovery:{prefix}_create", args=[code])).status_code == edit_status, prefix
        assert client.get(reverse(f"discovery:{prefix}_edit", args=[code, obj.pk])).status_code == edit_status
    kickoff = mine["kickoff"]
    assert client.get(reverse("discovery:overview", args=[code])).status_code == view_status
    assert client.get(reverse("discovery:kickoff_print", args=[code, kickoff.pk])).status_code == view_status
    assert client.get(reverse("discovery:kickoff_raci", args=[code, kickoff.pk])).status_code == edit_status
    assert client.get(reverse("discovery:requirement_import", args=[code])).status_code == edit_status
    assert client.get(reverse("discovery:requirement_export", args=[code])).status_code == view_status
    download = client.get(reverse("discovery:document_download", args=[code, mine["document"].pk]))
    assert download.status_code == view_status
    assert client.get(reverse("discovery-portal:signoff", args=[code])).status_code == view_status


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_writes_role_matrix(persona, client, personas, project, mine):
    client.force_login(personas[persona])
    code = project.code
    is_member = persona in MEMBERS
    may_edit = persona in FIRM
    req = mine["requirement"]
    status = client.post(
        reverse("discovery:requirement_status", args=[code, req.pk]), {"status": "reviewed", "version": req.version}
    )
    assert status.status_code == (302 if may_edit else 403 if is_member else 404)
    req.refresh_from_db()
    assert (req.status == "reviewed") == may_edit
    for prefix in DASHBOARD_CRUD:
        obj = mine[prefix]
        response = client.post(reverse(f"discovery:{prefix}_delete", args=[code, obj.pk]))
        assert response.status_code == (302 if may_edit else 403 if is_member else 404), prefix
        assert type(obj).objects.filter(pk=obj.pk).exists() == (not may_edit)
    requested = client.post(reverse("discovery:signoff_request", args=[code]), {"summary": "x"})
    assert requested.status_code == (302 if may_edit else 403 if is_member else 404)
    decided = client.post(
        reverse("discovery-portal:signoff_decide", args=[code, mine["signoff"].pk]), {"decision": "approved"}
    )
    assert decided.status_code == (302 if persona in APPROVERS else 403 if is_member else 404)
    mine["signoff"].approval.refresh_from_db()
    assert (mine["signoff"].approval.decision == "approved") == (persona in APPROVERS)


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
    f.make_requirement(project=project, priority="must", status="reviewed", business_area="finance", title="Thuế GTGT")
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
