"""UAT sign-off of a cycle: the request, the decision (override for open critical defects),
the frozen signed-off cycle, every door, and segregation of duties (the requester never decides)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from erpimpl.errors import DomainError
from projects.models import Approval
from projects.roles import SELF_APPROVAL
from testing import selectors, services
from testing.models import Case, Cycle
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _uat(project, key_user, steps=2):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT, status=Cycle.Status.PLANNED)
    return CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=steps), assignee=key_user)


# --- UAT sign-off ----------------------------------------------------------------------------


def _signed_cycle(project, pm, key_user, sponsor):
    cc = _uat(project, key_user, steps=1)
    run = services.execution_start(cycle_case=cc, by=key_user)
    step = services.execution_record_step(execution=run, by=key_user, order=1, status="failed")
    services.execution_finish(execution=run, by=key_user)
    critical = services.defect_create(
        project=project, by=key_user, title="Sai số dư", severity="critical", step_result=step
    )
    services.cycle_signoff_request(cycle=cc.cycle, by=pm, approver=sponsor)
    return Cycle.objects.get(pk=cc.cycle_id), critical


def test_signoff_with_open_critical_defects_needs_an_override_and_a_reason(project, pm, key_user, sponsor):
    cycle, critical = _signed_cycle(project, pm, key_user, sponsor)
    with pytest.raises(DomainError) as exc:
        services.cycle_signoff_decide(cycle=cycle, by=sponsor, decision="approved")
    assert exc.value.message == services.OPEN_CRITICAL_DEFECTS.format(n=1, codes=critical.code)
    with pytest.raises(DomainError) as exc:
        services.cycle_signoff_decide(cycle=cycle, by=sponsor, decision="approved", override=True, override_reason=" ")
    assert exc.value.message == services.OVERRIDE_REASON_REQUIRED
    cycle.refresh_from_db()
    assert cycle.signoff.decision == Approval.Decision.PENDING
    signed = services.cycle_signoff_decide(
        cycle=cycle, by=sponsor, decision="approved", override=True, override_reason="Có giải pháp tạm thời"
    )
    assert signed.is_signed_off and signed.status == Cycle.Status.COMPLETED
    assert signed.signoff_override_reason == "Có giải pháp tạm thời"
    assert "Có giải pháp tạm thời" in signed.signoff.comment and signed.signoff.decided_by == sponsor


def test_a_signed_off_cycle_is_frozen(project, pm, key_user, sponsor):
    cycle, critical = _signed_cycle(project, pm, key_user, sponsor)
    services.defect_transition(defect=critical, by=pm, to_status="deferred")
    services.cycle_signoff_decide(cycle=cycle, by=sponsor, decision="approved")
    cc = cycle.cycle_cases.get()
    with pytest.raises(DomainError) as exc:
        services.execution_start(cycle_case=cc, by=key_user)
    assert exc.value.message == services.CYCLE_SIGNED_OFF
    with pytest.raises(DomainError):
        services.cycle_add_cases(cycle=cycle, by=pm, cases=[CaseFactory(project=project)])


def test_signoff_request_rules(project, pm, key_user, sponsor):
    empty = CycleFactory(project=project, type=Cycle.Type.UAT)
    with pytest.raises(DomainError) as exc:
        services.cycle_signoff_request(cycle=empty, by=pm)
    assert exc.value.message == services.SIGNOFF_NO_CASES
    cc = _uat(project, key_user)
    services.execution_start(cycle_case=cc, by=key_user)
    with pytest.raises(DomainError) as exc:
        services.cycle_signoff_request(cycle=cc.cycle, by=pm)
    assert exc.value.message == services.SIGNOFF_RUNS_OPEN.format(n=1)
    with pytest.raises(PermissionDenied):
        services.cycle_signoff_request(cycle=cc.cycle, by=sponsor)


def test_only_approvers_decide_and_a_rejection_allows_a_new_request(project, pm, key_user, sponsor):
    cycle, _critical = _signed_cycle(project, pm, key_user, sponsor)
    with pytest.raises(PermissionDenied):
        services.cycle_signoff_decide(cycle=cycle, by=key_user, decision="approved")
    rejected = services.cycle_signoff_decide(cycle=cycle, by=sponsor, decision="rejected", comment="Sửa lỗi trước")
    assert rejected.signoff.decision == Approval.Decision.REJECTED and not rejected.is_signed_off
    with pytest.raises(DomainError) as exc:
        services.cycle_signoff_decide(cycle=rejected, by=sponsor, decision="approved")
    assert exc.value.message == services.SIGNOFF_NOT_REQUESTED
    again = services.cycle_signoff_request(cycle=rejected, by=pm)
    assert again.decision == Approval.Decision.PENDING


def test_uat_flow_end_to_end(project, pm, key_user, sponsor):
    """A key user runs the assigned cases, raises a defect; it is fixed and retested; the sponsor signs off."""
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT, status=Cycle.Status.PLANNED, name="UAT vòng 1")
    cases = [CaseFactory(project=project, type=Case.Type.UAT, steps=2) for _ in range(2)]
    rows = services.cycle_add_cases(cycle=cycle, by=pm, cases=cases, assignee=key_user)
    first = services.execution_start(cycle_case=rows[0], by=key_user)
    for order in (1, 2):
        services.execution_record_step(execution=first, by=key_user, order=order, status="passed")
    services.evidence_add(execution=first, by=key_user, file=SimpleUploadedFile("ok.png", PNG))
    services.execution_finish(execution=first, by=key_user)
    second = services.execution_start(cycle_case=rows[1], by=key_user)
    services.execution_record_step(execution=second, by=key_user, order=1, status="passed")
    step = services.execution_record_step(
        execution=second, by=key_user, order=2, status="failed", actual_result="Sai thuế"
    )
    services.execution_finish(execution=second, by=key_user)
    defect = services.defect_create(
        project=project, by=key_user, title="Thuế VAT sai", severity="critical", step_result=step
    )
    for status in ("open", "in_progress", "fixed", "retest"):
        defect = services.defect_transition(defect=defect, by=pm, to_status=status)
    retest = services.execution_start(cycle_case=rows[1], by=key_user)
    for order in (1, 2):
        services.execution_record_step(execution=retest, by=key_user, order=order, status="passed")
    services.execution_finish(execution=retest, by=key_user)
    services.defect_transition(defect=defect, by=key_user, to_status="closed", comment="Đã sửa")
    services.cycle_signoff_request(cycle=cycle, by=pm, approver=sponsor)
    cycle.refresh_from_db()
    assert list(selectors.cycle_open_defects(cycle)) == []
    signed = services.cycle_signoff_decide(cycle=cycle, by=sponsor, decision="approved", comment="Đồng ý nghiệm thu")
    assert signed.is_signed_off and signed.signoff_override_reason == ""
    from testing.selectors import cycle_status_counts

    assert cycle_status_counts(signed) == {"passed": 2, "failed": 0, "blocked": 0, "not_run": 0}
    assert DefectFactory._meta.model.objects.get(pk=defect.pk).status == "closed"


def test_the_generic_approval_door_cannot_bypass_the_critical_defect_rule(project, pm, key_user, sponsor):
    """Deciding the cycle's Approval through projects' approval_decide is refused the same way."""
    from projects import services as project_services

    cycle, critical = _signed_cycle(project, pm, key_user, sponsor)
    with pytest.raises(DomainError) as exc:
        project_services.approval_decide(approval=cycle.signoff, by=sponsor, decision="approved")
    assert exc.value.message == services.OPEN_CRITICAL_DEFECTS.format(n=1, codes=critical.code)
    cycle.signoff.refresh_from_db()
    assert cycle.signoff.decision == Approval.Decision.PENDING
    rejected = project_services.approval_decide(approval=cycle.signoff, by=sponsor, decision="rejected")
    assert rejected.decision == Approval.Decision.REJECTED
    services.defect_transition(defect=critical, by=pm, to_status="rejected", comment="Không phải lỗi")
    services.cycle_signoff_request(cycle=Cycle.objects.get(pk=cycle.pk), by=pm)
    approval = Cycle.objects.get(pk=cycle.pk).signoff
    assert project_services.approval_decide(approval=approval, by=sponsor, decision="approved").decision == "approved"
    assert Cycle.objects.get(pk=cycle.pk).is_signed_off


def test_the_requester_never_decides_their_own_signoff(project, pm, key_user, sponsor):
    """Segregation of duties: the PM who asked for the sign-off may not approve it, on any door."""
    from projects import services as project_services

    cycle, critical = _signed_cycle(project, pm, key_user, sponsor)
    services.defect_transition(defect=critical, by=pm, to_status="deferred")
    Approval.objects.filter(pk=cycle.signoff_id).update(approver=None)  # any approver may decide...
    cycle = Cycle.objects.get(pk=cycle.pk)
    with pytest.raises(PermissionDenied) as exc:  # ...but not the requester
        services.cycle_signoff_decide(cycle=cycle, by=pm, decision="approved")
    assert str(exc.value) == SELF_APPROVAL
    with pytest.raises(PermissionDenied):
        project_services.approval_decide(approval=cycle.signoff, by=pm, decision="approved")
    cycle = Cycle.objects.get(pk=cycle.pk)
    assert cycle.signoff.decision == Approval.Decision.PENDING and cycle.status != Cycle.Status.COMPLETED
    assert services.cycle_signoff_decide(cycle=cycle, by=sponsor, decision="approved").is_signed_off


def test_a_requester_cannot_name_themselves_as_approver(project, pm, key_user):
    cc = _uat(project, key_user, steps=1)
    with pytest.raises(DomainError) as exc:
        services.cycle_signoff_request(cycle=cc.cycle, by=pm, approver=pm)
    assert exc.value.field == "approver"
    assert Cycle.objects.get(pk=cc.cycle_id).signoff is None
