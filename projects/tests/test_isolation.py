"""Tenant isolation and the role matrix of the projects app (pages and API)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from projects.models import Approval, Task
from projects.services import template_get_builtin
from projects.tests.factories import ApprovalFactory, MilestoneFactory, TaskFactory, UserFactory
from projects.tests.isolation import assert_detail_hidden, assert_list_scoped, ids_in, matrix_cases

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {
    "projects:dashboard",
    "projects:project_create",
    "projects:project_detail",
    "projects:project_edit",
    "projects:plan",
    "projects:task_create",
    "projects:task_edit",
    "projects:task_delete",
    "projects:phase_status",
    "projects:phase_gate",
    "projects:approval_decide",
    "projects:member_add",
    "projects:member_remove",
    "projects:milestone_create",
    "projects:milestone_edit",
    "projects:milestone_delete",
    "projects:save_template",
    "projects:audit",
    "projects-portal:home",
    "projects-portal:project",
    "projects-api:project-list",
    "projects-api:project-detail",
    "projects-api:project-save-as-template",
    "projects-api:template-list",
    "projects-api:template-detail",
    "projects-api:membership-list",
    "projects-api:membership-detail",
    "projects-api:phase-list",
    "projects-api:phase-detail",
    "projects-api:phase-request-gate",
    "projects-api:milestone-list",
    "projects-api:milestone-detail",
    "projects-api:task-list",
    "projects-api:task-detail",
    "projects-api:approval-list",
    "projects-api:approval-detail",
    "projects-api:approval-decide",
    "projects-api:auditentry-list",
    "projects-api:auditentry-detail",
}

ROLES = ["pm", "consultant", "sponsor", "key_user", "viewer", "outsider"]


@pytest.fixture
def theirs(other_project):
    """One object of every kind in the other project."""
    return {
        "task": TaskFactory(project=other_project),
        "milestone": MilestoneFactory(project=other_project),
        "approval": ApprovalFactory(project=other_project),
        "phase": other_project.phases.first(),
        "membership": other_project.memberships.first(),
    }


# --- isolation -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pm", "viewer"])
def test_lists_show_only_the_callers_project(role, personas, project, other_project, theirs, api_client_for):
    client = api_client_for(personas[role])
    mine_task = TaskFactory(project=project)
    assert_list_scoped(client, reverse("projects-api:task-list"), mine={mine_task.pk}, theirs={theirs["task"].pk})
    assert_list_scoped(client, reverse("projects-api:project-list"), mine={project.pk}, theirs={other_project.pk})
    assert_list_scoped(
        client,
        reverse("projects-api:phase-list"),
        mine=set(project.phases.values_list("pk", flat=True)),
        theirs=set(other_project.phases.values_list("pk", flat=True)),
    )
    assert_list_scoped(client, reverse("projects-api:milestone-list"), mine=set(), theirs={theirs["milestone"].pk})
    assert_list_scoped(client, reverse("projects-api:approval-list"), mine=set(), theirs={theirs["approval"].pk})
    assert_list_scoped(
        client,
        reverse("projects-api:membership-list"),
        mine=set(),
        theirs=set(other_project.memberships.values_list("pk", flat=True)),
    )


def test_filtering_by_another_projects_code_is_rejected_not_leaked(viewer, other_project, theirs, api_client_for):
    response = api_client_for(viewer).get(reverse("projects-api:task-list"), {"project": other_project.code})
    assert response.status_code == 400
    assert theirs["task"].title not in response.content.decode()


def test_every_detail_and_action_of_another_project_answers_404(
    viewer, consultant, pm, sponsor, other_project, theirs, api_client_for
):
    for user in (viewer, consultant, pm, sponsor):
        client = api_client_for(user)
        assert_detail_hidden(client, reverse("projects-api:task-detail", args=[theirs["task"].pk]))
        assert_detail_hidden(client, reverse("projects-api:milestone-detail", args=[theirs["milestone"].pk]))
        assert_detail_hidden(client, reverse("projects-api:project-detail", args=[other_project.code]))
        assert_detail_hidden(
            client, reverse("projects-api:phase-detail", args=[theirs["phase"].pk]), methods=("get", "patch")
        )
        assert_detail_hidden(
            client, reverse("projects-api:approval-detail", args=[theirs["approval"].pk]), methods=("get",)
        )
        for name, pk in [
            ("projects-api:approval-decide", theirs["approval"].pk),
            ("projects-api:phase-request-gate", theirs["phase"].pk),
        ]:
            assert client.post(reverse(name, args=[pk]), {"decision": "approved"}, format="json").status_code == 404
        assert (
            client.post(
                reverse("projects-api:project-save-as-template", args=[other_project.code]),
                {"name": "steal"},
                format="json",
            ).status_code
            == 404
        )


def test_creating_in_another_project_is_refused_and_stores_nothing(pm, other_project, api_client_for):
    before = Task.objects.filter(project=other_project).count()
    response = api_client_for(pm).post(
        reverse("projects-api:task-list"),
        {"project": other_project.code, "phase": "design", "title": "x"},
        format="json",
    )
    assert response.status_code == 400 and "project" in response.json()
    assert Task.objects.filter(project=other_project).count() == before


def test_the_audit_trail_of_another_project_is_invisible(pm, project, other_project, theirs, api_client_for):
    TaskFactory(project=project)
    response = api_client_for(pm).get(reverse("projects-api:auditentry-list"))
    project_ids = {row["project_id"] for row in response.json()["results"]}
    assert project_ids and other_project.pk not in project_ids


def test_outsider_pages_of_another_project_answer_404(outsider, project, client):
    client.force_login(outsider)
    for name in [
        "projects:project_detail",
        "projects:plan",
        "projects:audit",
        "projects:project_edit",
        "projects:task_create",
        "projects:save_template",
        "projects-portal:project",
    ]:
        assert client.get(reverse(name, args=[project.code])).status_code == 404, name
    task = TaskFactory(project=project)
    assert client.get(reverse("projects:task_edit", args=[project.code, task.pk])).status_code == 404
    milestone = MilestoneFactory(project=project)
    assert client.get(reverse("projects:milestone_edit", args=[project.code, milestone.pk])).status_code == 404
    assert client.post(reverse("projects:milestone_delete", args=[project.code, milestone.pk])).status_code == 404
    assert client.post(reverse("projects:task_delete", args=[project.code, task.pk])).status_code == 404
    assert Task.objects.filter(pk=task.pk).exists()


def test_removing_a_member_takes_effect_on_the_next_request(viewer, pm, project, api_client_for):
    client = api_client_for(viewer)
    url = reverse("projects-api:project-detail", args=[project.code])
    assert client.get(url).status_code == 200
    project.memberships.get(user=viewer).delete()
    assert client.get(url).status_code == 404


# --- client roles never see internal content -------------------------------------------


@pytest.mark.parametrize(
    "role,sees_internal",
    [("pm", True), ("consultant", True), ("sponsor", False), ("key_user", False), ("viewer", False)],
)
def test_internal_items_are_hidden_from_client_roles(role, sees_internal, personas, project, api_client_for, client):
    internal_task = TaskFactory(project=project, internal=True, title="Internal estimate")
    internal_ms = MilestoneFactory(project=project, internal=True, title="Internal checkpoint")
    api = api_client_for(personas[role])
    assert (internal_task.pk in ids_in(api.get(reverse("projects-api:task-list"), {"page_size": 200}))) is sees_internal
    assert (internal_ms.pk in ids_in(api.get(reverse("projects-api:milestone-list")))) is sees_internal
    assert api.get(reverse("projects-api:task-detail", args=[internal_task.pk])).status_code == (
        200 if sees_internal else 404
    )
    client.force_login(personas[role])
    page = client.get(reverse("projects:plan", args=[project.code])).content.decode()
    assert ("Internal estimate" in page) is sees_internal
    portal = client.get(reverse("projects-portal:project", args=[project.code])).content.decode()
    assert "Internal checkpoint" not in portal


# --- the role matrix: pages and API -------------------------------------------------------

ALL_READ = {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 404}
FIRM_PAGE = {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404}

MATRIX = {
    # API
    "update_project": {"pm": 200, "consultant": 403, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "delete_project": {"pm": 204, "consultant": 403, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "create_task": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "update_task": {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "delete_milestone": {"pm": 204, "consultant": 204, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "update_phase": {"pm": 200, "consultant": 200, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "add_member": {"pm": 201, "consultant": 403, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "read_member": ALL_READ,
    "update_member": {"pm": 200, "consultant": 403, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "request_signoff": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 400},
    "decide_signoff": {"pm": 200, "consultant": 403, "sponsor": 200, "key_user": 403, "viewer": 403, "outsider": 404},
    "save_template": {"pm": 201, "consultant": 201, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "read_template": {"pm": 200, "consultant": 200, "sponsor": 200, "key_user": 200, "viewer": 200, "outsider": 200},
    "read_audit_entry": ALL_READ,
    # pages
    "page_project": ALL_READ,
    "page_plan": ALL_READ,
    "page_audit": ALL_READ,
    "page_portal": ALL_READ,
    "page_edit_project": {
        "pm": 200,
        "consultant": 403,
        "sponsor": 403,
        "key_user": 403,
        "viewer": 403,
        "outsider": 404,
    },
    "page_new_task": FIRM_PAGE,
    "page_save_template": FIRM_PAGE,
    "page_new_milestone": FIRM_PAGE,
    "page_add_member": {"pm": 302, "consultant": 403, "sponsor": 403, "key_user": 403, "viewer": 403, "outsider": 404},
    "page_request_gate": {
        "pm": 302,
        "consultant": 302,
        "sponsor": 403,
        "key_user": 403,
        "viewer": 403,
        "outsider": 404,
    },
}


def _api(name, *args):
    return reverse(f"projects-api:{name}", args=args)


def _page(name, project, *args):
    return reverse(name, args=[project.code, *args])


def _audited_task(project):
    from projects.services import task_create

    pm = project.memberships.filter(role="pm").first().user
    task = task_create(project=project, by=pm, phase=project.phases.get(kind="design"), title="Audited")
    return LogEntry.objects.get_for_object(task).first()


REQUESTS = {
    "update_project": lambda c, p: c.patch(
        _api("project-detail", p.code), {"version": p.version, "name": "Renamed"}, format="json"
    ),
    "delete_project": lambda c, p: c.delete(_api("project-detail", p.code)),
    "create_task": lambda c, p: c.post(
        _api("task-list"), {"project": p.code, "phase": "design", "title": "New"}, format="json"
    ),
    "update_task": lambda c, p: c.patch(
        _api("task-detail", TaskFactory(project=p).pk), {"version": 1, "progress": 50}, format="json"
    ),
    "delete_milestone": lambda c, p: c.delete(_api("milestone-detail", MilestoneFactory(project=p).pk)),
    "update_phase": lambda c, p: c.patch(
        _api("phase-detail", p.phases.get(kind="design").pk),
        {"version": p.phases.get(kind="design").version, "status": "in_progress"},
        format="json",
    ),
    "add_member": lambda c, p: c.post(
        _api("membership-list"), {"project": p.code, "user": UserFactory().username, "role": "viewer"}, format="json"
    ),
    "read_member": lambda c, p: c.get(_api("membership-detail", p.memberships.get(role="viewer").pk)),
    "update_member": lambda c, p: c.patch(
        _api("membership-detail", p.memberships.get(role="viewer").pk),
        {"version": p.memberships.get(role="viewer").version, "role": "key_user"},
        format="json",
    ),
    "request_signoff": lambda c, p: c.post(
        _api("approval-list"), {"project": p.code, "title": "Sign-off"}, format="json"
    ),
    "decide_signoff": lambda c, p: c.post(
        _api("approval-decide", ApprovalFactory(project=p).pk), {"decision": "approved"}, format="json"
    ),
    "save_template": lambda c, p: c.post(
        _api("project-save-as-template", p.code), {"name": f"T-{UserFactory().username}"}, format="json"
    ),
    "read_template": lambda c, p: c.get(_api("template-detail", template_get_builtin().pk)),
    "read_audit_entry": lambda c, p: c.get(_api("auditentry-detail", _audited_task(p).pk)),
    "page_project": lambda c, p: c.get(_page("projects:project_detail", p)),
    "page_plan": lambda c, p: c.get(_page("projects:plan", p)),
    "page_audit": lambda c, p: c.get(_page("projects:audit", p)),
    "page_portal": lambda c, p: c.get(_page("projects-portal:project", p)),
    "page_edit_project": lambda c, p: c.get(_page("projects:project_edit", p)),
    "page_new_task": lambda c, p: c.get(_page("projects:task_create", p)),
    "page_save_template": lambda c, p: c.get(_page("projects:save_template", p)),
    "page_new_milestone": lambda c, p: c.get(_page("projects:milestone_create", p)),
    "page_add_member": lambda c, p: c.post(_page("projects:member_add", p), {"username": "nobody", "role": "viewer"}),
    "page_request_gate": lambda c, p: c.post(_page("projects:phase_gate", p, p.phases.get(kind="design").pk)),
}


def test_every_action_of_the_matrix_has_a_request():
    assert set(REQUESTS) == set(MATRIX)


@pytest.mark.parametrize("action, persona, expected", matrix_cases(MATRIX))
def test_role_matrix(action, persona, expected, project, client_of):
    response = REQUESTS[action](client_of(persona), project)
    assert response.status_code == expected, response.content[:500]


@pytest.mark.parametrize("role", ROLES)
def test_anonymous_and_every_role_reads_per_the_table(role, personas, project, api_client_for):
    assert api_client_for().get(reverse("projects-api:task-list")).status_code == 401
    expected = 404 if role == "outsider" else 200
    assert (
        api_client_for(personas[role]).get(reverse("projects-api:project-detail", args=[project.code])).status_code
        == expected
    )


def test_only_an_approver_may_decide_from_the_page(project, key_user, sponsor, pm, client):
    approval = ApprovalFactory(project=project, requested_by=pm)
    url = reverse("projects:approval_decide", args=[project.code, approval.pk])
    client.force_login(key_user)
    assert client.post(url, {"decision": "approved"}).status_code == 403
    client.force_login(sponsor)
    assert client.post(url, {"decision": "approved"}).status_code == 302
    assert Approval.objects.get(pk=approval.pk).decision == "approved"


def test_anonymous_users_are_sent_to_login(project, client):
    response = client.get(reverse("projects:project_detail", args=[project.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_other_routes_are_scoped(pm, project, client, outsider):
    client.force_login(pm)
    assert client.get(reverse("projects:dashboard")).status_code == 200
    assert client.get(reverse("projects:project_create")).status_code in (200, 403)
    assert client.get(reverse("projects-portal:home")).status_code in (200, 302)
    task = TaskFactory(project=project)
    assert client.get(reverse("projects:task_edit", args=[project.code, task.pk])).status_code == 200
    phase = project.phases.first()
    assert (
        client.post(
            reverse("projects:phase_status", args=[project.code, phase.pk]),
            {"status": "in_progress", "version": phase.version},
        ).status_code
        == 302
    )
    member = project.memberships.exclude(user=pm).first() or project.memberships.first()
    client.force_login(outsider)
    assert client.post(reverse("projects:member_remove", args=[project.code, member.pk])).status_code == 404
    assert client.get(reverse("projects-api:template-list")).status_code == 200
