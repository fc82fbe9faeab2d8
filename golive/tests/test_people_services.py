"""Support plan, training and user guides: the rules a project team notices."""

import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from erpimpl.errors import ConflictError, DomainError
from golive.models import Attendance, EscalationLevel, UserGuideVersion
from golive.selectors import people as selectors
from golive.services import people as services
from golive.tests.factories_people import (
    SupportPlanFactory,
    SupportTeamFactory,
    TrainingSessionFactory,
    UserGuideFactory,
    pdf_upload,
)
from phases.design.tests.factories import ProcessDesignFactory
from projects.models import Approval
from projects.roles import Role
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- support plan -------------------------------------------------------------------------


def test_the_plan_exists_once_per_project(project):
    first = services.support_plan_get_or_create(project)
    assert services.support_plan_get_or_create(project).pk == first.pk


def test_hypercare_ends_after_it_starts(project, pm):
    plan = services.support_plan_get_or_create(project)
    with pytest.raises(DomainError) as refused:
        services.support_plan_update(
            plan=plan, by=pm, version=plan.version, hypercare_start=date(2025, 5, 10), hypercare_end=date(2025, 5, 1)
        )
    assert refused.value.field == "hypercare_end"
    plan = services.support_plan_update(
        plan=plan, by=pm, version=plan.version, hypercare_start=date(2025, 5, 1), hypercare_end=date(2025, 5, 31)
    )
    assert plan.version == 2
    with pytest.raises(ConflictError):
        services.support_plan_update(plan=plan, by=pm, version=1, working_hours="24/7")


def test_only_editors_edit_the_plan(project, key_user, sponsor):
    plan = services.support_plan_get_or_create(project)
    for user in (key_user, sponsor):
        with pytest.raises(PermissionDenied):
            services.support_plan_update(plan=plan, by=user, version=plan.version, working_hours="24/7")


def test_team_members_must_be_project_members(project, pm, key_user, outsider):
    plan = services.support_plan_get_or_create(project)
    with pytest.raises(DomainError) as refused:
        services.team_create(plan=plan, by=pm, name="Finance", members=[key_user, outsider])
    assert refused.value.field == "members"
    assert not plan.teams.exists()
    team = services.team_create(plan=plan, by=pm, name="Finance", members=[key_user])
    assert list(team.members.all()) == [key_user]
    with pytest.raises(DomainError):
        services.team_update(team=team, by=pm, members=[outsider])


def test_one_escalation_contact_per_level(project, pm):
    plan = services.support_plan_get_or_create(project)
    services.escalation_create(plan=plan, by=pm, level="L1", contact_name="Help desk")
    with pytest.raises(DomainError) as refused:
        services.escalation_create(plan=plan, by=pm, level="L1", contact_name="Another desk")
    assert refused.value.field == "level"
    l2 = services.escalation_create(plan=plan, by=pm, level="L2", contact_name="Consultant")
    with pytest.raises(DomainError):
        services.escalation_update(escalation=l2, by=pm, level="L1")
    assert EscalationLevel.objects.filter(plan=plan).count() == 2


def test_an_escalation_names_a_team_of_its_own_plan(project, other_project, pm):
    plan = services.support_plan_get_or_create(project)
    foreign = SupportTeamFactory(plan=SupportPlanFactory(project=other_project))
    with pytest.raises(DomainError) as refused:
        services.escalation_create(plan=plan, by=pm, level="L1", contact_name="Desk", team=foreign)
    assert refused.value.field == "team"


def test_approval_flow_and_the_requester_cannot_decide(project, pm, consultant, sponsor):
    plan = services.support_plan_get_or_create(project)
    approval = services.support_plan_request_approval(plan=plan, by=pm)
    plan.refresh_from_db()
    assert plan.signoff == approval and approval.target == plan
    with pytest.raises(DomainError):
        services.support_plan_request_approval(plan=plan, by=consultant)  # one waits already
    with pytest.raises(PermissionDenied):
        services.support_plan_decide(plan=plan, by=pm, decision="approved")  # the requester
    with pytest.raises(PermissionDenied):
        services.support_plan_decide(plan=plan, by=consultant, decision="approved")  # no APPROVE
    services.support_plan_decide(plan=plan, by=sponsor, decision="approved")
    plan.refresh_from_db()
    assert plan.approved
    assert not services.plan_changed_since_approval(plan)
    with pytest.raises(DomainError):
        services.support_plan_request_approval(plan=plan, by=pm)  # nothing changed


def test_editing_an_approved_plan_keeps_the_approval_and_shows_the_change(project, pm, sponsor):
    plan = services.support_plan_get_or_create(project)
    services.support_plan_request_approval(plan=plan, by=pm)
    plan.refresh_from_db()
    services.support_plan_decide(plan=plan, by=sponsor, decision="approved")
    services.escalation_create(plan=plan, by=pm, level="L3", contact_name="Vendor")
    plan.refresh_from_db()
    assert plan.approved and services.plan_changed_since_approval(plan)
    again = services.support_plan_request_approval(plan=plan, by=pm)
    plan.refresh_from_db()
    assert plan.signoff == again and again.decision == Approval.Decision.PENDING
    assert Approval.objects.filter(project=project, object_id=plan.pk, decision="approved").exists()


# --- training ---------------------------------------------------------------------------


def _session(project, pm, **fields):
    base = TrainingSessionFactory.build(project=project)
    fields.setdefault("topic", "Purchasing")
    fields.setdefault("audience_roles", [Role.KEY_USER])
    fields.setdefault("starts_at", base.starts_at)
    fields.setdefault("ends_at", base.ends_at)
    return services.session_create(project=project, by=pm, **fields)


def test_a_session_ends_after_it_starts_and_uses_known_roles_and_own_processes(project, other_project, pm):
    base = TrainingSessionFactory.build()
    with pytest.raises(DomainError) as refused:
        _session(project, pm, starts_at=base.ends_at, ends_at=base.starts_at)
    assert refused.value.field == "ends_at"
    with pytest.raises(DomainError):
        _session(project, pm, audience_roles=["janitor"])
    with pytest.raises(DomainError):
        _session(project, pm, processes=[ProcessDesignFactory(project=other_project)])
    own = ProcessDesignFactory(project=project)
    session = _session(project, pm, processes=[own])
    assert list(session.processes.all()) == [own]
    updated = services.session_update(session=session, by=pm, version=session.version, place="Zoom")
    assert updated.version == 2
    with pytest.raises(DomainError):
        services.session_update(session=updated, by=pm, version=updated.version, ends_at=updated.starts_at)


def test_invite_creates_one_row_per_person(project, pm, key_user, sponsor, viewer):
    second_key_user = MembershipFactory(project=project, role=Role.KEY_USER).user
    session = _session(project, pm, audience_roles=[Role.KEY_USER, Role.SPONSOR])
    assert services.invite(session=session, by=pm) == 3
    assert services.invite(session=session, by=pm, users=[key_user], roles=[Role.KEY_USER]) == 0
    assert services.invite(session=session, by=pm, users=[viewer]) == 1
    invited = set(session.attendance.values_list("user_id", flat=True))
    assert invited == {key_user.pk, second_key_user.pk, sponsor.pk, viewer.pk}
    with pytest.raises(DomainError):
        services.invite(session=session, by=pm, users=[UserFactory()])


def test_attendance_is_recorded_by_an_editor_or_the_trainer(project, pm, key_user, sponsor):
    session = _session(project, pm, trainer=sponsor)
    services.invite(session=session, by=pm)
    with pytest.raises(PermissionDenied):
        services.attendance_record(session=session, user=key_user, status="attended", by=key_user)
    row = services.attendance_record(session=session, user=key_user, status="attended", by=sponsor)
    assert row.status == Attendance.Status.ATTENDED
    row = services.attendance_record(session=session, user=key_user, status="absent", by=pm)
    assert session.attendance.get(user=key_user).status == "absent"


def test_completion_per_role_and_per_process(project, pm, key_user, sponsor, viewer, django_assert_num_queries):
    other_key_user = MembershipFactory(project=project, role=Role.KEY_USER).user
    process = ProcessDesignFactory(project=project)
    session = _session(project, pm, audience_roles=[Role.KEY_USER, Role.SPONSOR], processes=[process])
    services.invite(session=session, by=pm)
    services.attendance_record(session=session, user=key_user, status="attended", by=pm)
    services.attendance_record(session=session, user=sponsor, status="attended", by=pm)
    untagged = _session(project, pm, audience_roles=[Role.VIEWER])
    services.invite(session=untagged, by=pm)
    with django_assert_num_queries(1):
        by_role = {c.key: (c.attended, c.invited) for c in selectors.completion_by_role(project=project)}
    assert by_role == {"key_user": (1, 2), "sponsor": (1, 1), "viewer": (0, 1)}
    with django_assert_num_queries(1):
        by_process = selectors.completion_by_process(project=project)
    assert [(c.key, c.attended, c.invited, c.percent) for c in by_process] == [(process.code, 2, 3, 67)]
    assert other_key_user.pk in set(session.attendance.values_list("user_id", flat=True))


# --- user guides ------------------------------------------------------------------------


def test_versions_are_numbered_one_two_three(project, pm):
    guide = services.guide_create(project=project, by=pm, title="Purchasing")
    numbers = [services.guide_version_add(guide=guide, by=pm, file=pdf_upload()).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert guide.versions.first().original_name == "guide.pdf"


def test_a_bad_upload_type_is_refused_and_nothing_saved(project, pm):
    guide = services.guide_create(project=project, by=pm, title="Purchasing")
    for upload in (
        SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("fake.pdf", b"not a pdf at all"),
        SimpleUploadedFile("broken.docx", b"PK\x03\x04 not really a zip"),
    ):
        with pytest.raises(DomainError) as refused:
            services.guide_version_add(guide=guide, by=pm, file=upload)
        assert refused.value.field == "file"
    assert not UserGuideVersion.objects.filter(guide=guide).exists()


def test_a_sound_office_file_is_accepted(project, pm):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    guide = services.guide_create(project=project, by=pm, title="Sales")
    upload = SimpleUploadedFile("sales.docx", buffer.getvalue())
    assert services.guide_version_add(guide=guide, by=pm, file=upload).number == 1


def test_publishing_needs_a_file_and_a_client_sees_published_guides_only(project, pm, key_user):
    guide = services.guide_create(project=project, by=pm, title="Purchasing")
    with pytest.raises(DomainError):
        services.guide_publish(guide=guide, by=pm)
    version = services.guide_version_add(guide=guide, by=pm, file=pdf_upload())
    with pytest.raises(PermissionDenied):
        services.guide_publish(guide=guide, by=key_user)
    assert not selectors.guide_list(user=key_user).exists()
    assert not selectors.guide_version_list(user=key_user).filter(pk=version.pk).exists()
    services.guide_publish(guide=guide, by=pm)
    assert list(selectors.guide_list(user=key_user)) == [guide]
    assert selectors.guide_version_get(user=key_user, project=project, pk=version.pk) == version
    services.guide_unpublish(guide=guide, by=pm)
    assert not selectors.guide_list(user=key_user).exists()
    assert selectors.guide_list(user=pm).get() == guide


def test_guides_of_processes_of_the_project_only(project, other_project, pm):
    with pytest.raises(DomainError):
        services.guide_create(
            project=project, by=pm, title="X", processes=[ProcessDesignFactory(project=other_project)]
        )
    guide = UserGuideFactory(project=project)
    updated = services.guide_update(guide=guide, by=pm, version=guide.version, title="Renamed")
    assert updated.title == "Renamed" and updated.version == 2
