"""Tenant isolation and the role matrix of every design page and endpoint.

Every persona × action gets the status the role table of ARCHITECTURE.md says: firm
roles edit, the PM and the sponsor sign off (never a sign-off they requested themselves:
see ``test_services`` / ``test_views`` / ``test_api``), every member reads; an outsider (a
consultant of another project) gets 404 on objects and sees none of the rows.
The design models have no ``internal`` rows: everything here is client-visible.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phases.design import services
from phases.design.models import FunctionDescription, ProcessDesign, TechnicalRequirement
from phases.design.tests.factories import (
    FunctionDescriptionFactory,
    ProcessDesignFactory,
    RequirementFactory,
    TechnicalRequirementFactory,
    UploadFactory,
)
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, matrix_cases

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {
    # dashboard
    "design:design_list",
    "design:design_create",
    "design:design_detail",
    "design:design_edit",
    "design:design_delete",
    "design:design_submit",
    "design:design_decide",
    "design:design_bpmn",
    "design:version_detail",
    "design:function_list",
    "design:function_create",
    "design:function_edit",
    "design:function_delete",
    "design:technical_list",
    "design:technical_create",
    "design:technical_edit",
    "design:technical_delete",
    "design:technical_evidence",
    "design:coverage",
    # portal
    "design-portal:signoff_list",
    "design-portal:design_detail",
    "design-portal:signoff_decide",
    # API
    "design-api:processdesign-list",
    "design-api:processdesign-detail",
    "design-api:processdesign-bpmn",
    "design-api:processdesign-upload-bpmn",
    "design-api:processdesign-submit",
    "design-api:processdesign-decide",
    "design-api:processdesignversion-list",
    "design-api:processdesignversion-detail",
    "design-api:functiondescription-list",
    "design-api:functiondescription-detail",
    "design-api:technicalrequirement-list",
    "design-api:technicalrequirement-detail",
    "design-api:technicalrequirement-evidence",
    "design-api:coverage-list",
}

MEMBERS = {"pm", "consultant", "sponsor", "key_user", "viewer"}

# --- the role matrix: every page and endpoint, every persona ------------------------------

#: action: expected status per persona. Firm roles (pm, consultant) edit; pm and sponsor
#: decide sign-offs; every member reads; the outsider gets 404 on the project's objects,
#: sees only its own rows in lists, and cannot even name the project when creating (400).
# fmt: off
MATRIX = {
    # API: process designs
    "api-list":               {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 200},
    "api-retrieve":           {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "api-bpmn":               {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "api-create":             {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "api-partial_update":     {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-destroy":            {"pm": 204, "consultant": 204, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-upload_bpmn":        {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-submit":             {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-decide":             {"pm": 200, "consultant": 403, "sponsor": 200, "key_user": 403, "viewer": 403, "outsider": 404},
    # API: versions
    "api-version_list":       {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 200},
    "api-version_retrieve":   {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    # API: function descriptions
    "api-function_create":    {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "api-function_update":    {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-function_destroy":   {"pm": 204, "consultant": 204, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    # API: technical requirements
    "api-technical_create":   {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "api-technical_update":   {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-technical_destroy":  {"pm": 204, "consultant": 204, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "api-technical_evidence": {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "api-coverage":           {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    # dashboard pages
    "design_list":            {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "design_create":          {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "design_detail":          {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "design_edit":            {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "design_delete":          {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "design_submit":          {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "design_decide":          {"pm": 302, "consultant": 403, "sponsor": 302, "key_user": 403, "viewer": 403, "outsider": 404},
    "design_bpmn":            {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "version_detail":         {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "function_list":          {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "function_create":        {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "function_edit":          {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "function_delete":        {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "technical_list":         {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "technical_create":       {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "technical_edit":         {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "technical_delete":       {"pm": 302, "consultant": 302, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "technical_evidence":     {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "coverage":               {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    # client portal
    "portal-signoff_list":    {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "portal-design_detail":   {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404},
    "portal-signoff_decide":  {"pm": 302, "consultant": 403, "sponsor": 302, "key_user": 403, "viewer": 403, "outsider": 404},
}
# fmt: on


def _api(name, *args):
    return reverse(f"design-api:{name}", args=args)


def _page(name, w, *pks):
    return reverse(f"design:{name}", args=[w["project"].code, *pks])


def _portal(name, w, *pks):
    return reverse(f"design-portal:{name}", args=[w["project"].code, *pks])


#: action: how to ask for it, ``(client, world) -> response``. The client is signed in
#: for pages (session) and for the API (forced authentication).
REQUESTS = {
    "api-list": lambda c, w: c.get(_api("processdesign-list")),
    "api-retrieve": lambda c, w: c.get(_api("processdesign-detail", w["baselined"].pk)),
    "api-bpmn": lambda c, w: c.get(_api("processdesign-bpmn", w["baselined"].pk)),
    "api-create": lambda c, w: c.post(
        _api("processdesign-list"),
        {"project": w["project"].code, "business_area": "finance", "name": "Record to report"},
        format="json",
    ),
    "api-partial_update": lambda c, w: c.patch(
        _api("processdesign-detail", w["draft"].pk), {"version": w["draft"].version, "to_be": "new"}, format="json"
    ),
    "api-destroy": lambda c, w: c.delete(_api("processdesign-detail", w["draft"].pk)),
    "api-upload_bpmn": lambda c, w: c.post(
        _api("processdesign-upload-bpmn", w["draft"].pk),
        {"version": w["draft"].version, "file": UploadFactory(name="p2p.bpmn")},
        format="multipart",
    ),
    "api-submit": lambda c, w: c.post(_api("processdesign-submit", w["draft"].pk), {}, format="json"),
    "api-decide": lambda c, w: c.post(
        _api("processdesign-decide", w["in_review"].pk), {"decision": "approved"}, format="json"
    ),
    "api-version_list": lambda c, w: c.get(_api("processdesignversion-list")),
    "api-version_retrieve": lambda c, w: c.get(_api("processdesignversion-detail", w["version"].pk)),
    "api-function_create": lambda c, w: c.post(
        _api("functiondescription-list"),
        {"project": w["project"].code, "requirement": w["requirement"].pk, "title": "Standard PO"},
        format="json",
    ),
    "api-function_update": lambda c, w: c.patch(
        _api("functiondescription-detail", w["function"].pk),
        {"version": w["function"].version, "kind": "development"},
        format="json",
    ),
    "api-function_destroy": lambda c, w: c.delete(_api("functiondescription-detail", w["function"].pk)),
    "api-technical_create": lambda c, w: c.post(
        _api("technicalrequirement-list"),
        {"project": w["project"].code, "category": "network", "title": "VPN", "acceptance_criterion": "Site VPN up"},
        format="json",
    ),
    "api-technical_update": lambda c, w: c.patch(
        _api("technicalrequirement-detail", w["technical"].pk),
        {"version": w["technical"].version, "status": "agreed"},
        format="json",
    ),
    "api-technical_destroy": lambda c, w: c.delete(_api("technicalrequirement-detail", w["technical"].pk)),
    "api-technical_evidence": lambda c, w: c.get(_api("technicalrequirement-evidence", w["technical"].pk)),
    "api-coverage": lambda c, w: c.get(_api("coverage-list"), {"project": w["project"].code}),
    "design_list": lambda c, w: c.get(_page("design_list", w)),
    "design_create": lambda c, w: c.get(_page("design_create", w)),
    "design_detail": lambda c, w: c.get(_page("design_detail", w, w["baselined"].pk)),
    "design_edit": lambda c, w: c.get(_page("design_edit", w, w["baselined"].pk)),
    "design_delete": lambda c, w: c.post(_page("design_delete", w, w["draft"].pk)),
    "design_submit": lambda c, w: c.post(_page("design_submit", w, w["draft"].pk)),
    "design_decide": lambda c, w: c.post(_page("design_decide", w, w["in_review"].pk), {"decision": "approved"}),
    "design_bpmn": lambda c, w: c.get(_page("design_bpmn", w, w["baselined"].pk)),
    "version_detail": lambda c, w: c.get(_page("version_detail", w, w["version"].pk)),
    "function_list": lambda c, w: c.get(_page("function_list", w)),
    "function_create": lambda c, w: c.get(_page("function_create", w)),
    "function_edit": lambda c, w: c.get(_page("function_edit", w, w["function"].pk)),
    "function_delete": lambda c, w: c.post(_page("function_delete", w, w["function"].pk)),
    "technical_list": lambda c, w: c.get(_page("technical_list", w)),
    "technical_create": lambda c, w: c.get(_page("technical_create", w)),
    "technical_edit": lambda c, w: c.get(_page("technical_edit", w, w["technical"].pk)),
    "technical_delete": lambda c, w: c.post(_page("technical_delete", w, w["technical"].pk)),
    "technical_evidence": lambda c, w: c.get(_page("technical_evidence", w, w["technical"].pk)),
    "coverage": lambda c, w: c.get(_page("coverage", w)),
    "portal-signoff_list": lambda c, w: c.get(_portal("signoff_list", w)),
    "portal-design_detail": lambda c, w: c.get(_portal("design_detail", w, w["in_review"].pk)),
    "portal-signoff_decide": lambda c, w: c.post(
        _portal("signoff_decide", w, w["in_review"].pk), {"decision": "approved"}
    ),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(REQUESTS) == set(MATRIX)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, world, client_of):
    response = REQUESTS[action](client_of(persona), world)
    assert response.status_code == expected, response.content[:500]


@pytest.fixture
def world(project, consultant, sponsor):
    """One of everything in ``project``: an approved-then-changed design (so it has a version),
    a draft design, a design in review, a function description, a technical requirement with evidence."""
    requirement = RequirementFactory(project=project)
    diagram = UploadFactory(name="p2p.bpmn")
    baselined = services.process_design_create(
        project=project, by=consultant, business_area="procurement", name="P2P", to_be="x", bpmn_file=diagram
    )
    services.process_design_submit(design=baselined, by=consultant)
    baselined = services.process_design_decide(design=baselined, by=sponsor, decision="approved")
    baselined = services.process_design_update(design=baselined, by=consultant, version=baselined.version, to_be="y")
    draft = ProcessDesignFactory(project=project, name="Draft design")
    in_review = services.process_design_submit(
        design=ProcessDesignFactory(project=project, name="In review"), by=consultant
    )
    function = FunctionDescriptionFactory(project=project, requirement=requirement, design=draft)
    technical = services.technical_requirement_create(
        project=project,
        by=consultant,
        category="security",
        title="TLS everywhere",
        acceptance_criterion="TLS 1.2+",
        evidence_file=SimpleUploadedFile("scan.txt", b"sslscan output"),
    )
    return {
        "project": project,
        "requirement": requirement,
        "baselined": baselined,
        "version": baselined.versions.get(),
        "draft": draft,
        "in_review": in_review,
        "function": function,
        "technical": technical,
    }


@pytest.fixture
def theirs(other_project, outsider):
    """The outsider's own rows in ``other_project``."""
    design = ProcessDesignFactory(project=other_project)
    return {
        "design": design,
        "function": FunctionDescriptionFactory(project=other_project),
        "technical": TechnicalRequirementFactory(project=other_project),
    }


# --- API: isolation ---------------------------------------------------------------------


def test_outsider_sees_none_of_the_projects_rows_and_gets_404_on_them(world, theirs, outsider, api_client_for):
    client = api_client_for(outsider)
    lists = [
        ("design-api:processdesign-list", {theirs["design"].pk}, {world["baselined"].pk, world["draft"].pk}),
        ("design-api:processdesignversion-list", set(), {world["version"].pk}),
        ("design-api:functiondescription-list", {theirs["function"].pk}, {world["function"].pk}),
        ("design-api:technicalrequirement-list", {theirs["technical"].pk}, {world["technical"].pk}),
    ]
    for name, mine, other in lists:
        assert_list_scoped(client, reverse(name), mine=mine, theirs=other)
    assert_detail_hidden(client, reverse("design-api:processdesign-detail", args=[world["draft"].pk]))
    assert_detail_hidden(client, reverse("design-api:functiondescription-detail", args=[world["function"].pk]))
    assert_detail_hidden(client, reverse("design-api:technicalrequirement-detail", args=[world["technical"].pk]))
    assert_detail_hidden(
        client, reverse("design-api:processdesignversion-detail", args=[world["version"].pk]), methods=("get",)
    )
    for name, pk in [
        ("design-api:processdesign-bpmn", world["baselined"].pk),
        ("design-api:technicalrequirement-evidence", world["technical"].pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    project_code = world["draft"].project.code
    assert client.get(reverse("design-api:coverage-list"), {"project": project_code}).status_code == 404
    # Filtering by a project the caller cannot see is refused, never a leak.
    response = client.get(reverse("design-api:processdesign-list"), {"project": project_code})
    assert response.status_code == 400


def test_members_see_the_projects_rows(world, personas, api_client_for):
    for persona in MEMBERS:
        client = api_client_for(personas[persona])
        response = client.get(reverse("design-api:processdesign-list"), {"project": world["draft"].project.code})
        assert response.status_code == 200
        assert response.json()["count"] == 3


def test_refused_writes_change_nothing(world, client_of, project):
    for persona in ("sponsor", "key_user", "viewer", "outsider"):
        client = client_of(persona)
        for action in ("api-create", "api-partial_update", "api-destroy", "api-submit"):
            REQUESTS[action](client, world)
        for action in ("api-function_destroy", "api-technical_destroy"):
            REQUESTS[action](client, world)
    assert ProcessDesign.objects.filter(project=project).count() == 3
    assert ProcessDesign.objects.get(pk=world["draft"].pk).version == world["draft"].version
    assert FunctionDescription.objects.filter(project=project).count() == 1
    assert TechnicalRequirement.objects.filter(project=project).count() == 1


def test_an_outsider_gets_404_for_the_project_pages_even_with_a_valid_object_id(world, theirs, outsider, project):
    """The outsider's own design id, asked under the other project's code, is not found either."""
    client = Client()
    client.force_login(outsider)
    url = reverse("design:design_detail", args=[project.code, theirs["design"].pk])
    assert client.get(url).status_code == 404
    mine = reverse("design:design_detail", args=[theirs["design"].project.code, world["draft"].pk])
    assert client.get(mine).status_code == 404
