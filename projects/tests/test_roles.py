"""The role table (``projects/roles.py``) against a literal truth table, pair by pair.

The table below is the one in ARCHITECTURE.md and the README, written out by hand: any
change to the role table is a visible diff here. The helpers built on it (``is_member``,
``may_create_project``, ``members_with``, ``may_decide``, ``allowed_moves``) are tested
on the personas.
"""

import pytest
from django.contrib.auth.models import Group, Permission

from projects.models import Approval
from projects.roles import (
    Capability,
    Role,
    allowed_moves,
    can,
    is_member,
    may_create_project,
    may_decide,
    members_with,
)
from projects.tests.factories import ApprovalFactory, UserFactory

C = Capability
ROLES = [Role.PM, Role.CONSULTANT, Role.SPONSOR, Role.KEY_USER, Role.VIEWER]

#: capability → the roles that hold it (pm, consultant, sponsor, key_user, viewer)
TRUTH = {
    C.VIEW: (1, 1, 1, 1, 1),
    C.VIEW_INTERNAL: (1, 1, 0, 0, 0),
    C.EDIT: (1, 1, 0, 0, 0),
    C.PARTICIPATE: (1, 1, 1, 1, 0),
    C.UPLOAD_DATA: (1, 1, 0, 1, 0),
    C.RUN_JOBS: (1, 1, 0, 0, 0),
    C.APPROVE: (1, 0, 1, 0, 0),
    C.MANAGE: (1, 0, 0, 0, 0),
}


def test_the_truth_table_names_every_capability():
    assert set(TRUTH) == set(Capability)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, capability, expected",
    [
        pytest.param(role, capability, bool(row[i]), id=f"{role}-{capability.name}")
        for capability, row in TRUTH.items()
        for i, role in enumerate(ROLES)
    ],
)
def test_role_grants_exactly_the_capabilities_of_the_table(role, capability, expected, project):
    from projects.tests.factories import MembershipFactory

    user = MembershipFactory(project=project, role=role).user
    assert can(user, project, capability) is expected


@pytest.mark.django_db
def test_non_members_anonymous_and_inactive_users_hold_nothing(project, outsider, pm):
    from django.contrib.auth.models import AnonymousUser

    pm.is_active = False
    pm.save()
    for user in (outsider, AnonymousUser(), pm):
        assert not any(can(user, project, capability) for capability in Capability)


@pytest.mark.django_db
def test_staff_hold_every_capability_and_belong_to_every_project(staff, project):
    assert all(can(staff, project, capability) for capability in Capability)
    assert is_member(staff, project)


@pytest.mark.django_db
def test_is_member(personas, project, other_project):
    assert all(is_member(personas[name], project) for name in ("pm", "consultant", "sponsor", "key_user", "viewer"))
    assert not is_member(personas["outsider"], project)
    assert is_member(personas["outsider"], other_project)


@pytest.mark.django_db
def test_may_create_project_is_staff_or_the_consultants_group(consultant, staff):
    assert may_create_project(staff)
    assert not may_create_project(consultant)
    group = Group.objects.create(name="Consultants")
    group.permissions.add(Permission.objects.get(codename="add_project", content_type__app_label="projects"))
    firm_user = UserFactory()
    firm_user.groups.add(group)
    assert may_create_project(firm_user)


@pytest.mark.django_db
def test_members_with_lists_active_members_whose_role_grants_it(personas, project):
    approvers = set(members_with(project, C.APPROVE))
    assert approvers == {personas["pm"], personas["sponsor"]}
    personas["sponsor"].is_active = False
    personas["sponsor"].save()
    assert set(members_with(project, C.APPROVE)) == {personas["pm"]}
    assert personas["outsider"] not in set(members_with(project, C.VIEW))


@pytest.mark.django_db
def test_may_decide_refuses_the_requester_other_approvers_and_decided_sign_offs(personas, project, staff):
    pm, sponsor = personas["pm"], personas["sponsor"]
    approval = ApprovalFactory(project=project, requested_by=pm)
    assert may_decide(sponsor, approval)
    assert not may_decide(pm, approval), "the requester never decides their own sign-off"
    assert not may_decide(personas["consultant"], approval)
    named = ApprovalFactory(project=project, requested_by=personas["consultant"], approver=sponsor)
    assert may_decide(sponsor, named)
    assert not may_decide(pm, named), "a named approver decides alone"
    assert may_decide(staff, named), "firm staff may stand in"
    assert not may_decide(staff, ApprovalFactory(project=project, requested_by=staff))
    named.decision = Approval.Decision.APPROVED
    assert not may_decide(sponsor, named)


@pytest.mark.django_db
def test_allowed_moves_keep_only_the_moves_the_role_may_make(personas, project):
    table = {"new": {"open": C.EDIT, "closed": C.PARTICIPATE}, "open": {}}
    assert allowed_moves(personas["consultant"], project, table, "new") == ["open", "closed"]
    assert allowed_moves(personas["key_user"], project, table, "new") == ["closed"]
    assert allowed_moves(personas["viewer"], project, table, "new") == []
    assert allowed_moves(personas["pm"], project, table, "open") == []


def test_a_request_reads_a_role_once_and_forgets_it_when_a_membership_changes(project, pm, key_user, rf):
    """One query for a user's role per request, not per row; a membership written meanwhile counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import Membership
    from projects.roles import RoleMemo, role_of
    from projects.services import membership_delete

    seen = []

    def view(request):
        with CaptureQueriesContext(connection) as captured:
            seen.extend(role_of(key_user, project) for _ in range(50))
        seen.append(len(captured))
        membership_delete(membership=Membership.objects.get(project=project, user=key_user), by=pm)
        seen.append(role_of(key_user, project))
        return None

    RoleMemo(view)(rf.get("/"))
    assert seen[:50] == ["key_user"] * 50
    assert seen[50] == 1
    assert seen[51] is None
    # Outside a request nothing is remembered.
    assert role_of(pm, project) == "pm"
