from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from erpimpl.errors import ConflictError, DomainError
from projects import services
from projects.models import Approval, Phase, PhaseKind, Task
from projects.roles import Role
from projects.tests.factories import MembershipFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_project_builds_six_phases_plan_and_milestones_and_makes_creator_pm():
    creator = UserFactory(is_staff=True)
    project = services.project_create(
        by=creator,
        code="ACME-ERP",
        name="ACME rollout",
        client_name="ACME",
        planned_start=date(2026, 1, 1),
        planned_golive=date(2026, 7, 1),
    )
    kinds = list(project.phases.order_by("order").values_list("kind", flat=True))
    assert kinds == list(PhaseKind.values)
    assert project.tasks.count() >= 6 * 3
    assert all(project.tasks.filter(phase__kind=kind).exists() for kind in PhaseKind.values)
    assert project.tasks.filter(is_deliverable=True).count() == 6
    assert project.milestones.filter(title="Go-live", due_date=date(2026, 7, 1)).exists()
    assert project.memberships.get(user=creator).role == Role.PM
    # Every task sits inside its phase's window.
    for task in project.tasks.select_related("phase"):
        assert task.phase.planned_start <= task.start <= task.due <= task.phase.planned_end


def test_a_client_user_cannot_create_a_project():
    with pytest.raises(PermissionDenied):
        services.project_create(
            by=UserFactory(),
            code="X-1",
            name="x",
            client_name="x",
            planned_start=date(2026, 1, 1),
            planned_golive=date(2026, 2, 1),
        )


def test_golive_before_start_is_refused_with_a_clear_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        services.project_create(
            by=UserFactory(is_staff=True),
            code="BAD-1",
            name="x",
            client_name="x",
            planned_start=date(2026, 5, 1),
            planned_golive=date(2026, 2, 1),
        )
    assert "go-live cannot be before the planned start" in str(excinfo.value)


def test_stale_version_raises_conflict_and_changes_nothing(project, consultant):
    task = TaskFactory(project=project)
    services.task_update(task=task, by=consultant, version=1, title="First edit")
    with pytest.raises(ConflictError):
        services.task_update(task=task, by=consultant, version=1, title="Second edit from a stale read")
    task.refresh_from_db()
    assert (task.title, task.version) == ("First edit", 2)


def test_viewer_cannot_edit_a_task(project, viewer):
    task = TaskFactory(project=project)
    with pytest.raises(PermissionDenied):
        services.task_update(task=task, by=viewer, version=task.version, title="nope")


def test_dependency_cycle_is_refused(project, consultant):
    a, b = TaskFactory(project=project, title="A"), TaskFactory(project=project, title="B")
    services.task_update(task=b, by=consultant, version=b.version, depends_on=[a])
    a.refresh_from_db()
    with pytest.raises(DomainError, match="cycle"):
        services.task_update(task=a, by=consultant, version=a.version, depends_on=[b])


def test_the_cycle_message_names_the_dependency_that_closes_the_cycle(project, consultant, api_client_for):
    a, b, c = (TaskFactory(project=project, title=t) for t in ("Blueprint", "Build", "Cutover"))
    unrelated = TaskFactory(project=project, title="Unrelated")
    services.task_update(task=b, by=consultant, version=b.version, depends_on=[a])
    services.task_update(task=c, by=consultant, version=c.version, depends_on=[b])
    a.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.task_update(task=a, by=consultant, version=a.version, depends_on=[unrelated, c])
    assert caught.value.message == services.DEPENDENCY_CYCLE.format(title="Cutover")
    assert caught.value.field == "depends_on"
    response = api_client_for(consultant).patch(
        f"/api/v1/projects/tasks/{a.pk}/", {"version": a.version, "depends_on": [b.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"depends_on": [services.DEPENDENCY_CYCLE.format(title="Build")]}
    with pytest.raises(DomainError) as caught:
        services.task_update(task=a, by=consultant, version=a.version, depends_on=[a])
    assert caught.value.message == services.DEPENDENCY_ON_ITSELF
    a.refresh_from_db()
    assert list(a.depends_on.all()) == [] and a.version == 1


def test_dependency_on_another_projects_task_is_refused(project, other_project, consultant):
    mine, theirs = TaskFactory(project=project), TaskFactory(project=other_project)
    with pytest.raises(DomainError, match="same project"):
        services.task_update(task=mine, by=consultant, version=mine.version, depends_on=[theirs])


def test_marking_a_task_done_sets_progress_to_100(project, consultant):
    task = TaskFactory(project=project)
    updated = services.task_update(task=task, by=consultant, version=task.version, status=Task.Status.DONE)
    assert updated.progress == 100


def test_the_last_pm_cannot_be_removed(project, pm):
    membership = project.memberships.get(user=pm)
    with pytest.raises(DomainError, match="at least one project manager"):
        services.membership_delete(membership=membership, by=pm)
    assert project.memberships.filter(user=pm).exists()


def test_phase_cannot_complete_while_its_gate_is_pending(project, pm, sponsor):
    phase = project.phases.get(kind=PhaseKind.DESIGN)
    approval = services.phase_request_gate(phase=phase, by=pm, approver=sponsor)
    phase.refresh_from_db()
    with pytest.raises(DomainError, match="pending"):
        services.phase_update(phase=phase, by=pm, version=phase.version, status=Phase.Status.COMPLETED)
    services.approval_decide(approval=approval, by=sponsor, decision=Approval.Decision.APPROVED)
    phase.refresh_from_db()
    done = services.phase_update(phase=phase, by=pm, version=phase.version, status=Phase.Status.COMPLETED)
    assert done.status == Phase.Status.COMPLETED and done.actual_end is not None


def test_only_the_named_approver_decides_and_only_once(project, pm, sponsor):
    other_sponsor = MembershipFactory(project=project, role=Role.SPONSOR).user
    approval = services.approval_request(project=project, by=pm, title="Design sign-off", approver=sponsor)
    with pytest.raises(PermissionDenied):
        services.approval_decide(approval=approval, by=other_sponsor, decision="approved")
    services.approval_decide(approval=approval, by=sponsor, decision="approved", comment="OK")
    with pytest.raises(DomainError, match="already decided"):
        services.approval_decide(approval=approval, by=sponsor, decision="rejected")


def test_a_key_user_cannot_be_named_approver(project, pm, key_user):
    with pytest.raises(DomainError, match="cannot approve"):
        services.approval_request(project=project, by=pm, title="x", approver=key_user)


def test_plan_saved_as_template_creates_the_same_plan_for_a_new_project(project, consultant):
    template = services.template_create_from_project(project=project, by=consultant, name="Our plan")
    assert template.items.count() == project.tasks.count()
    new = services.project_create(
        by=UserFactory(is_staff=True),
        code="NEW-1",
        name="n",
        client_name="c",
        planned_start=date(2026, 1, 1),
        planned_golive=date(2026, 9, 1),
        template=template,
    )
    assert sorted(new.tasks.values_list("title", flat=True)) == sorted(project.tasks.values_list("title", flat=True))


def test_changes_are_in_the_audit_trail_with_old_and_new_values(project, consultant):
    from projects.selectors import audit_entries

    task = TaskFactory(project=project, title="Before")
    services.task_update(task=task, by=consultant, version=task.version, title="After")
    entry = audit_entries(user=consultant, target=task).filter(action=1).first()
    assert entry.changes_dict["title"] == ["Before", "After"]
    assert entry.actor == consultant


def test_writes_after_a_nested_service_call_keep_their_actor(project, pm):
    from projects.selectors import audit_entries

    phase = project.phases.get(kind=PhaseKind.DESIGN)
    services.phase_request_gate(phase=phase, by=pm)  # calls approval_request, then saves the phase
    phase_entry = audit_entries(user=pm, target=phase).filter(action=1).first()
    assert phase_entry.actor == pm
