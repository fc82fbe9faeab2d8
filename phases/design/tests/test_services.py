"""Services of the design app: the rules, whichever door calls them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from erpimpl.errors import ConflictError, DomainError
from phases.design import bpmn, selectors, services
from phases.design.models import DesignStatus, ProcessDesign, ProcessDesignVersion, TechnicalRequirement
from phases.design.tests.factories import (
    O2C_BPMN,
    P2P_BPMN,
    FunctionDescriptionFactory,
    ProcessDesignFactory,
    RequirementFactory,
    TechnicalRequirementFactory,
    UploadFactory,
)
from phases.discovery.models import BusinessArea, Requirement
from projects.files import UPLOAD_CONTENT_MISMATCH
from projects.models import Approval
from projects.services import approval_decide

pytestmark = pytest.mark.django_db


def make_design(project, consultant, **extra):
    fields = {
        "business_area": BusinessArea.PROCUREMENT,
        "name": "Procure to pay",
        "to_be": "Requisition, approval, PO, goods receipt, 3-way match, payment.",
    }
    fields.update(extra)
    return services.process_design_create(project=project, by=consultant, **fields)


def approve(design, sponsor, consultant):
    services.process_design_submit(design=design, by=consultant)
    return services.process_design_decide(
        design=ProcessDesign.objects.get(pk=design.pk), by=sponsor, decision="approved"
    )


# --- process designs --------------------------------------------------------------------


def test_a_design_gets_a_per_project_code_its_steps_requirements_and_diagram(project, consultant):
    requirement = RequirementFactory(project=project)
    design = make_design(
        project,
        consultant,
        requirements=[requirement],
        steps=[{"title": "Create requisition", "actor": "Requester"}, {"title": ""}, {"title": "Approve"}],
        bpmn_file=UploadFactory(name="p2p.bpmn"),
    )
    second = make_design(project, consultant, name="Vendor master maintenance")
    assert (design.code, second.code) == ("PD-001", "PD-002")
    assert design.status == DesignStatus.DRAFT
    assert list(design.steps.values_list("order", "title")) == [(1, "Create requisition"), (2, "Approve")]
    assert list(design.requirements.all()) == [requirement]
    assert design.bpmn_xml == P2P_BPMN.decode() and design.bpmn_filename == "p2p.bpmn"


def test_an_invalid_bpmn_file_saves_nothing(project, consultant):
    with pytest.raises(DomainError) as excinfo:
        make_design(project, consultant, bpmn_file=UploadFactory(name="note.bpmn", content=b"<note>not bpmn</note>"))
    assert excinfo.value.message == bpmn.BPMN_NOT_BPMN.format(found="note")
    assert excinfo.value.field == "bpmn_file"
    assert not ProcessDesign.objects.exists()


def test_a_requirement_of_another_project_is_refused(project, other_project, consultant):
    foreign = RequirementFactory(project=other_project, code="REQ-900")
    with pytest.raises(DomainError) as excinfo:
        make_design(project, consultant, requirements=[foreign])
    assert excinfo.value.message == services.REQUIREMENT_OTHER_PROJECT.format(code="REQ-900")
    assert not ProcessDesign.objects.exists()


def test_a_step_without_title_is_refused(project, consultant):
    with pytest.raises(DomainError) as excinfo:
        make_design(project, consultant, steps=[{"title": "ok"}, {"title": "", "actor": "AP clerk"}])
    assert excinfo.value.message == services.STEP_TITLE_REQUIRED.format(number=2)


def test_client_roles_cannot_edit_designs(project, sponsor, key_user):
    for user in (sponsor, key_user):
        with pytest.raises(PermissionDenied):
            make_design(project, user)


def test_submit_needs_content_and_puts_the_design_in_review(project, consultant, sponsor):
    empty = make_design(project, consultant, to_be="")
    with pytest.raises(DomainError) as excinfo:
        services.process_design_submit(design=empty, by=consultant)
    assert excinfo.value.message == services.NOTHING_TO_REVIEW
    design = make_design(project, consultant, name="Order to cash")
    submitted = services.process_design_submit(design=design, by=consultant)
    assert submitted.status == DesignStatus.IN_REVIEW
    assert submitted.approval.target == submitted
    with pytest.raises(DomainError) as excinfo:
        services.process_design_submit(design=submitted, by=consultant)
    assert excinfo.value.message == services.ALREADY_IN_REVIEW


def test_the_sponsor_approves_and_a_key_user_may_not_sign(project, consultant, sponsor, key_user, viewer):
    design = services.process_design_submit(design=make_design(project, consultant), by=consultant)
    for user in (key_user, viewer, consultant):
        with pytest.raises(PermissionDenied):
            services.process_design_decide(design=design, by=user, decision="approved")
    assert ProcessDesign.objects.get(pk=design.pk).status == DesignStatus.IN_REVIEW
    approved = services.process_design_decide(design=design, by=sponsor, decision="approved", comment="OK")
    assert approved.status == DesignStatus.APPROVED
    assert approved.approval.decided_by == sponsor


def test_the_requester_never_decides_their_own_sign_off(project, pm, sponsor):
    """Segregation of duties: the PM may approve designs, but not one the PM submitted."""
    design = services.process_design_submit(design=make_design(project, pm), by=pm)
    with pytest.raises(PermissionDenied):
        services.process_design_decide(design=design, by=pm, decision="approved")
    assert ProcessDesign.objects.get(pk=design.pk).status == DesignStatus.IN_REVIEW
    approved = services.process_design_decide(design=design, by=sponsor, decision="approved")
    assert approved.status == DesignStatus.APPROVED and approved.approval.decided_by == sponsor


def test_an_approver_who_changes_the_approved_design_is_not_named_for_its_new_review(project, consultant, pm, sponsor):
    """Before: the re-review named the previous approver even when they made the change,
    which the sign-off service now refuses (nobody reviews their own request)."""
    design = services.process_design_submit(design=make_design(project, consultant), by=consultant, approver=pm)
    approved = services.process_design_decide(design=design, by=pm, decision="approved")
    # A consultant's change goes back to the approver named before, the PM.
    changed = services.process_design_update(design=approved, by=consultant, version=approved.version, name="P2P")
    assert (changed.status, changed.approval.approver) == (DesignStatus.IN_REVIEW, pm)
    approved = services.process_design_decide(design=changed, by=pm, decision="approved")
    # The PM's own change: the PM cannot review it, so any other approver decides.
    changed = services.process_design_update(design=approved, by=pm, version=approved.version, to_be="PM's change")
    assert changed.status == DesignStatus.IN_REVIEW
    assert (changed.approval.requested_by, changed.approval.approver) == (pm, None)
    with pytest.raises(PermissionDenied):
        services.process_design_decide(design=changed, by=pm, decision="approved")
    signed = services.process_design_decide(design=changed, by=sponsor, decision="approved")
    assert (signed.status, signed.revision) == (DesignStatus.APPROVED, 3)


def test_rejecting_needs_a_comment_and_makes_the_design_a_draft_again(project, consultant, sponsor):
    design = services.process_design_submit(design=make_design(project, consultant), by=consultant)
    with pytest.raises(DomainError) as excinfo:
        services.process_design_decide(design=design, by=sponsor, decision="rejected")
    assert excinfo.value.message == services.REJECT_NEEDS_COMMENT
    rejected = services.process_design_decide(
        design=design, by=sponsor, decision="rejected", comment="Add the approval limits per amount."
    )
    assert rejected.status == DesignStatus.DRAFT
    with pytest.raises(DomainError) as excinfo:
        services.process_design_decide(design=rejected, by=sponsor, decision="approved")
    assert excinfo.value.message == services.NOT_IN_REVIEW


def test_a_decision_through_the_generic_approvals_endpoint_is_reflected(project, consultant, sponsor):
    design = services.process_design_submit(design=make_design(project, consultant), by=consultant)
    approval_decide(approval=design.approval, by=sponsor, decision=Approval.Decision.APPROVED)
    assert ProcessDesign.objects.get(pk=design.pk).status == DesignStatus.APPROVED


def test_changes_before_approval_keep_no_versions(project, consultant):
    design = make_design(project, consultant)
    updated = services.process_design_update(design=design, by=consultant, version=design.version, to_be="Changed")
    assert updated.revision == 1 and updated.version == 2
    assert not ProcessDesignVersion.objects.exists()


def test_every_change_after_approval_keeps_the_earlier_state_as_a_version(project, consultant, sponsor):
    requirement = RequirementFactory(project=project)
    design = make_design(
        project,
        consultant,
        requirements=[requirement],
        steps=[{"title": "Create PO"}],
        bpmn_file=UploadFactory(name="p2p.bpmn"),
    )
    approved = approve(design, sponsor, consultant)
    first_approval = approved.approval

    changed = services.process_design_update(
        design=approved,
        by=consultant,
        version=approved.version,
        to_be="PO above 100M VND needs the CFO.",
        steps=[{"title": "Create PO"}, {"title": "CFO approval"}],
    )
    # Back to review, with a new sign-off request; the approved content is version 1.
    assert changed.status == DesignStatus.IN_REVIEW and changed.revision == 2
    assert changed.approval != first_approval and changed.approval.decision == Approval.Decision.PENDING
    v1 = changed.versions.get()
    assert (v1.number, v1.status, v1.approval) == (1, DesignStatus.APPROVED, first_approval)
    assert v1.to_be == approved.to_be and v1.bpmn_xml == approved.bpmn_xml
    assert v1.steps == [{"title": "Create PO", "actor": "", "erp_function": "", "work_instruction": ""}]
    assert v1.requirements == [{"id": requirement.pk, "code": requirement.code, "title": requirement.title}]
    assert v1.superseded_by == consultant

    # A further change while in review is kept too (the design has a signed-off baseline).
    again = services.process_design_update(design=changed, by=consultant, version=changed.version, name="P2P")
    assert again.revision == 3
    assert list(again.versions.values_list("number", "status")) == [
        (2, DesignStatus.IN_REVIEW),
        (1, DesignStatus.APPROVED),
    ]
    assert again.approval == changed.approval  # still the same pending request

    # A change that changes nothing is not a new version.
    same = services.process_design_update(design=again, by=consultant, version=again.version, name="P2P")
    assert same.revision == 3 and same.versions.count() == 2


def test_a_new_diagram_on_an_approved_design_sends_it_back_to_review(project, consultant, sponsor):
    approved = approve(make_design(project, consultant, bpmn_file=UploadFactory(name="p2p.bpmn")), sponsor, consultant)
    changed = services.process_design_update(
        design=approved,
        by=consultant,
        version=approved.version,
        bpmn_file=UploadFactory(name="o2c.bpmn", content=O2C_BPMN),
    )
    assert changed.status == DesignStatus.IN_REVIEW
    assert changed.bpmn_filename == "o2c.bpmn"
    assert changed.versions.get().bpmn_xml == P2P_BPMN.decode()


def test_a_stale_version_answers_conflict_and_keeps_no_snapshot(project, consultant, sponsor):
    approved = approve(make_design(project, consultant), sponsor, consultant)
    with pytest.raises(ConflictError):
        services.process_design_update(design=approved, by=consultant, version=approved.version - 1, name="x")
    assert not ProcessDesignVersion.objects.exists()
    assert ProcessDesign.objects.get(pk=approved.pk).status == DesignStatus.APPROVED


def test_delete_is_refused_in_review_and_after_sign_off(project, consultant, sponsor):
    design = services.process_design_submit(design=make_design(project, consultant), by=consultant)
    with pytest.raises(DomainError) as excinfo:
        services.process_design_delete(design=design, by=consultant)
    assert excinfo.value.message == services.DELETE_IN_REVIEW
    services.process_design_decide(design=design, by=sponsor, decision="approved")
    with pytest.raises(DomainError) as excinfo:
        services.process_design_delete(design=design, by=consultant)
    assert excinfo.value.message == services.DELETE_SIGNED_OFF
    draft = make_design(project, consultant, name="Throw-away")
    services.process_design_delete(design=draft, by=consultant)
    assert not ProcessDesign.objects.filter(pk=draft.pk).exists()


# --- function descriptions --------------------------------------------------------------


def test_function_descriptions_stay_within_the_project(project, other_project, consultant):
    requirement = RequirementFactory(project=project)
    foreign_design = ProcessDesignFactory(project=other_project)
    with pytest.raises(DomainError) as excinfo:
        services.function_description_create(
            project=project, by=consultant, requirement=requirement, title="x", design=foreign_design
        )
    assert excinfo.value.message == services.DESIGN_OTHER_PROJECT
    with pytest.raises(DomainError) as excinfo:
        services.function_description_create(
            project=project, by=consultant, requirement=RequirementFactory(project=other_project), title="x"
        )
    assert excinfo.value.field == "requirement"  # the form's field (it said "requirements" before)
    function = services.function_description_create(
        project=project, by=consultant, requirement=requirement, title="Three-way match", kind="configuration"
    )
    assert function.get_kind_display() == "Configuration"


# --- technical requirements -------------------------------------------------------------


def test_verifying_a_technical_requirement_needs_evidence_and_stamps_who_and_when(project, consultant):
    tr = services.technical_requirement_create(
        project=project,
        by=consultant,
        category=TechnicalRequirement.Category.BACKUP_RECOVERY,
        title="Nightly backup",
        acceptance_criterion="Restore test under 4 hours.",
    )
    assert tr.code == "TR-001"
    with pytest.raises(DomainError) as excinfo:
        services.technical_requirement_update(requirement=tr, by=consultant, version=tr.version, status="verified")
    assert excinfo.value.message == services.VERIFY_NEEDS_EVIDENCE
    evidence = SimpleUploadedFile("restore-test.txt", b"Restore took 2h10m", content_type="text/plain")
    verified = services.technical_requirement_update(
        requirement=tr, by=consultant, version=tr.version, status="verified", evidence_file=evidence
    )
    assert verified.verified_by == consultant and verified.verified_at is not None
    assert verified.evidence_filename == "restore-test.txt"
    reopened = services.technical_requirement_update(
        requirement=verified, by=consultant, version=verified.version, status="agreed"
    )
    assert reopened.verified_at is None and reopened.verified_by is None


def test_evidence_files_of_other_types_are_refused(project, consultant):
    with pytest.raises(DomainError) as excinfo:
        services.technical_requirement_create(
            project=project,
            by=consultant,
            category="security",
            title="TLS",
            acceptance_criterion="TLS 1.2+",
            evidence_file=SimpleUploadedFile("run.exe", b"MZ"),
        )
    assert excinfo.value.field == "evidence_file"
    assert not TechnicalRequirement.objects.exists()


def test_an_evidence_file_whose_content_does_not_match_its_extension_is_refused(project, consultant):
    """Before, only the extension and the size were checked: a text file named .pdf was kept."""
    with pytest.raises(DomainError) as excinfo:
        services.technical_requirement_create(
            project=project,
            by=consultant,
            category="security",
            title="TLS",
            acceptance_criterion="TLS 1.2+",
            evidence_file=UploadFactory(name="scan.pdf", content=b"not a PDF at all", content_type="application/pdf"),
        )
    assert (excinfo.value.field, excinfo.value.message) == ("evidence_file", UPLOAD_CONTENT_MISMATCH.format(ext=".pdf"))
    assert not TechnicalRequirement.objects.exists()
    tr = TechnicalRequirementFactory(project=project)
    with pytest.raises(DomainError):
        services.technical_requirement_update(
            requirement=tr,
            by=consultant,
            version=tr.version,
            evidence_file=UploadFactory(name="shot.png", content=b"GIF89a"),
        )
    tr.refresh_from_db()
    assert not tr.evidence_file


def test_technical_requirement_summary_counts_by_status(project):
    TechnicalRequirementFactory(project=project)
    TechnicalRequirementFactory(project=project, status="agreed")
    assert selectors.technical_requirement_summary(project=project) == {"open": 1, "agreed": 1, "verified": 0}


# --- coverage ---------------------------------------------------------------------------


def test_coverage_numbers_on_a_seeded_project(project, other_project, consultant):
    covered_by_design = RequirementFactory(project=project, code="REQ-001")
    covered_by_function = RequirementFactory(project=project, code="REQ-002")
    uncovered = RequirementFactory(project=project, code="REQ-003")
    RequirementFactory(project=project, code="REQ-004", status=Requirement.Status.DRAFT)  # not agreed: not counted
    ProcessDesignFactory(project=project, requirements=[covered_by_design])
    lonely = ProcessDesignFactory(project=project, name="Design with no requirement")
    FunctionDescriptionFactory(project=project, requirement=covered_by_function)
    RequirementFactory(project=other_project, code="REQ-001")  # another project: never counted
    ProcessDesignFactory(project=other_project)

    coverage = selectors.design_coverage(user=consultant, project=project)
    assert (coverage.agreed_count, coverage.covered_count, coverage.uncovered_count) == (3, 2, 1)
    assert coverage.percent == 67
    assert [r.code for r in coverage.uncovered_requirements] == [uncovered.code]
    assert coverage.designs_without_requirements == [lonely]


def test_the_audit_trail_names_the_consultant_for_every_change_of_a_submitted_design(project, consultant, sponsor):
    from projects.selectors import audit_entries

    design = approve(make_design(project, consultant), sponsor, consultant)
    services.process_design_update(design=design, by=consultant, version=design.version, to_be="Changed")
    entries = list(audit_entries(user=consultant, target=design))
    assert len(entries) >= 4
    assert {entry.actor for entry in entries} == {consultant}
