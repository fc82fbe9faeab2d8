"""Tenant isolation and the role matrix of every design page and endpoint.

Every persona × action gets the status the role table of ARCHITECTURE.md says: firm
roles edit, the PM and the sponsor sign off, every member reads; an outsider (a
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
    bpmn_bytes,
)
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped

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

PERSONAS = ["pm", "consultant", "sponsor", "key_user", "viewer", "outsider"]
EDITORS = {"pm", "consultant"}
APPROVERS = {"pm", "sponsor"}
MEMBERS = {"pm", "consultant", "sponsor", "key_user", "viewer"}


def expected(persona: str, allowed: set, ok: int) -> int:
    if persona in allowed:
        return ok
    if persona == "outsider":
        return 404
    return 403


@pytest.fixture
def world(project, consultant, sponsor):
    """One of everything in ``project``: an approved-then-changed design (so it has a version),
    a draft design, a design in review, a function description, a technical requirement with evidence."""
    requirement = RequirementFactory(project=project)
    diagram = SimpleUploadedFile("p2p.bpmn", bpmn_bytes())
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


# --- API: role matrix -------------------------------------------------------------------


def _api_call(action, client, world, project):
    design, draft, in_review = world["baselined"], world["draft"], world["in_review"]
    if action == "list":
        return client.get(reverse("design-api:processdesign-list")), 200, MEMBERS | {"outsider"}
    if action == "retrieve":
        return client.get(reverse("design-api:processdesign-detail", args=[design.pk])), 200, MEMBERS
    if action == "bpmn":
        return client.get(reverse("design-api:processdesign-bpmn", args=[design.pk])), 200, MEMBERS
    if action == "create":
        body = {"project": project.code, "business_area": "finance", "name": "Record to report"}
        return client.post(reverse("design-api:processdesign-list"), body, format="json"), 201, EDITORS
    if action == "partial_update":
        url = reverse("design-api:processdesign-detail", args=[draft.pk])
        return client.patch(url, {"version": draft.version, "to_be": "new"}, format="json"), 200, EDITORS
    if action == "destroy":
        return client.delete(reverse("design-api:processdesign-detail", args=[draft.pk])), 204, EDITORS
    if action == "upload_bpmn":
        url = reverse("design-api:processdesign-upload-bpmn", args=[draft.pk])
        body = {"version": draft.version, "file": SimpleUploadedFile("p2p.bpmn", bpmn_bytes())}
        return client.post(url, body, format="multipart"), 200, EDITORS
    if action == "submit":
        return client.post(reverse("design-api:processdesign-submit", args=[draft.pk]), {}, format="json"), 200, EDITORS
    if action == "decide":
        url = reverse("design-api:processdesign-decide", args=[in_review.pk])
        return client.post(url, {"decision": "approved"}, format="json"), 200, APPROVERS
    if action == "version_list":
        return client.get(reverse("design-api:processdesignversion-list")), 200, MEMBERS | {"outsider"}
    if action == "version_retrieve":
        url = reverse("design-api:processdesignversion-detail", args=[world["version"].pk])
        return client.get(url), 200, MEMBERS
    if action == "function_create":
        body = {"project": project.code, "requirement": world["requirement"].pk, "title": "Standard PO"}
        return client.post(reverse("design-api:functiondescription-list"), body, format="json"), 201, EDITORS
    if action == "function_update":
        function = world["function"]
        url = reverse("design-api:functiondescription-detail", args=[function.pk])
        return client.patch(url, {"version": function.version, "kind": "development"}, format="json"), 200, EDITORS
    if action == "function_destroy":
        url = reverse("design-api:functiondescription-detail", args=[world["function"].pk])
        return client.delete(url), 204, EDITORS
    if action == "technical_create":
        body = {"project": project.code, "category": "network", "title": "VPN", "acceptance_criterion": "Site VPN up"}
        return client.post(reverse("design-api:technicalrequirement-list"), body, format="json"), 201, EDITORS
    if action == "technical_update":
        tr = world["technical"]
        url = reverse("design-api:technicalrequirement-detail", args=[tr.pk])
        return client.patch(url, {"version": tr.version, "status": "agreed"}, format="json"), 200, EDITORS
    if action == "technical_destroy":
        url = reverse("design-api:technicalrequirement-detail", args=[world["technical"].pk])
        return client.delete(url), 204, EDITORS
    if action == "technical_evidence":
        url = reverse("design-api:technicalrequirement-evidence", args=[world["technical"].pk])
        return client.get(url), 200, MEMBERS
    if action == "coverage":
        return client.get(reverse("design-api:coverage-list"), {"project": project.code}), 200, MEMBERS
    raise AssertionError(action)


API_ACTIONS = [
    "list",
    "retrieve",
    "bpmn",
    "create",
    "partial_update",
    "destroy",
    "upload_bpmn",
    "submit",
    "decide",
    "version_list",
    "version_retrieve",
    "function_create",
    "function_update",
    "function_destroy",
    "technical_create",
    "technical_update",
    "technical_destroy",
    "technical_evidence",
    "coverage",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", API_ACTIONS)
def test_api_role_matrix(action, persona, world, personas, project, api_client_for):
    response, ok, allowed = _api_call(action, api_client_for(personas[persona]), world, project)
    if persona == "outsider" and action.endswith("create"):
        # The outsider cannot even name the project: a validation error, not a leak.
        assert response.status_code == 400, response.content
        return
    assert response.status_code == expected(persona, allowed, ok), response.content


def test_refused_writes_change_nothing(world, personas, project, api_client_for):
    for persona in ("sponsor", "key_user", "viewer", "outsider"):
        client = api_client_for(personas[persona])
        for action in ("create", "partial_update", "destroy", "submit", "function_destroy", "technical_destroy"):
            _api_call(action, client, world, project)
    assert ProcessDesign.objects.filter(project=project).count() == 3
    assert ProcessDesign.objects.get(pk=world["draft"].pk).version == world["draft"].version
    assert FunctionDescription.objects.filter(project=project).count() == 1
    assert TechnicalRequirement.objects.filter(project=project).count() == 1


# --- dashboard and portal pages ---------------------------------------------------------


def _page(route, world, project):
    """(method, URL args, ok status, allowed personas)."""
    code = project.code
    d, draft, rev = world["baselined"].pk, world["draft"].pk, world["in_review"].pk
    f, t, v = world["function"].pk, world["technical"].pk, world["version"].pk
    return {
        "design:design_list": ("get", [code], 200, MEMBERS),
        "design:design_create": ("get", [code], 200, EDITORS),
        "design:design_detail": ("get", [code, d], 200, MEMBERS),
        "design:design_edit": ("get", [code, d], 200, EDITORS),
        "design:design_delete": ("post", [code, draft], 302, EDITORS),
        "design:design_submit": ("post", [code, draft], 302, EDITORS),
        "design:design_decide": ("post", [code, rev], 302, APPROVERS),
        "design:design_bpmn": ("get", [code, d], 200, MEMBERS),
        "design:version_detail": ("get", [code, v], 200, MEMBERS),
        "design:function_list": ("get", [code], 200, MEMBERS),
        "design:function_create": ("get", [code], 200, EDITORS),
        "design:function_edit": ("get", [code, f], 200, EDITORS),
        "design:function_delete": ("post", [code, f], 302, EDITORS),
        "design:technical_list": ("get", [code], 200, MEMBERS),
        "design:technical_create": ("get", [code], 200, EDITORS),
        "design:technical_edit": ("get", [code, t], 200, EDITORS),
        "design:technical_delete": ("post", [code, t], 302, EDITORS),
        "design:technical_evidence": ("get", [code, t], 200, MEMBERS),
        "design:coverage": ("get", [code], 200, MEMBERS),
        "design-portal:signoff_list": ("get", [code], 200, MEMBERS),
        "design-portal:design_detail": ("get", [code, rev], 200, MEMBERS),
        "design-portal:signoff_decide": ("post", [code, rev], 302, APPROVERS),
    }[route]


PAGE_ROUTES = sorted(r for r in COVERED_ROUTES if not r.startswith("design-api:"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_role_matrix(route, persona, world, personas, project):
    method, args, ok, allowed = _page(route, world, project)
    url = reverse(route, args=args)
    client = Client()
    client.force_login(personas[persona])
    data = {"decision": "approved"} if route.endswith("decide") else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == expected(persona, allowed, ok)


def test_an_outsider_gets_404_for_the_project_pages_even_with_a_valid_object_id(world, theirs, outsider, project):
    """The outsider's own design id, asked under the other project's code, is not found either."""
    client = Client()
    client.force_login(outsider)
    url = reverse("design:design_detail", args=[project.code, theirs["design"].pk])
    assert client.get(url).status_code == 404
    mine = reverse("design:design_detail", args=[theirs["design"].project.code, world["draft"].pk])
    assert client.get(mine).status_code == 404
