"""The defect and cycle workflows: every allowed move, the refused ones, and who may make them."""

import pytest
from django.core.exceptions import PermissionDenied

from erpimpl.errors import DomainError
from projects.roles import allowed_moves
from testing import services
from testing.models import Cycle, Defect, DefectComment
from testing.tests.factories import CycleFactory, DefectFactory
from testing.transitions import CYCLE_TRANSITIONS, DEFECT_TRANSITIONS, RESOLVED_DEFECT_STATUSES

S = Defect.Status
ALLOWED = [(src, dst) for src, moves in DEFECT_TRANSITIONS.items() for dst in moves]
REFUSED = [(src, dst) for src in S.values for dst in S.values if dst not in DEFECT_TRANSITIONS[src] and dst != src]


@pytest.mark.django_db
@pytest.mark.parametrize(("src", "dst"), ALLOWED)
def test_pm_can_make_every_allowed_move(project, pm, src, dst):
    defect = DefectFactory(project=project, status=src)
    moved = services.defect_transition(defect=defect, by=pm, to_status=dst)
    assert moved.status == dst
    assert (moved.resolved_at is not None) == (dst in RESOLVED_DEFECT_STATUSES)
    assert moved.version == defect.version + 1


@pytest.mark.django_db
@pytest.mark.parametrize(("src", "dst"), REFUSED)
def test_illegal_moves_are_refused_and_change_nothing(project, pm, src, dst):
    defect = DefectFactory(project=project, status=src)
    with pytest.raises(DomainError) as exc:
        services.defect_transition(defect=defect, by=pm, to_status=dst, comment="try")
    assert exc.value.message == services.ILLEGAL_TRANSITION.format(
        current=S(src).label.lower(), target=S(dst).label.lower()
    )
    defect.refresh_from_db()
    assert defect.status == src
    assert not DefectComment.objects.filter(defect=defect).exists()


@pytest.mark.django_db
def test_key_user_cannot_triage_but_can_close_after_retest(project, key_user):
    new = DefectFactory(project=project, status=S.NEW)
    with pytest.raises(DomainError) as exc:
        services.defect_transition(defect=new, by=key_user, to_status=S.OPEN)
    assert exc.value.message == services.TRANSITION_NOT_ALLOWED.format(current="new", target="open")
    retest = DefectFactory(project=project, status=S.RETEST)
    closed = services.defect_transition(defect=retest, by=key_user, to_status=S.CLOSED, comment="Đã kiểm tra lại, OK")
    assert closed.status == S.CLOSED and closed.resolved_at is not None
    assert closed.comments.get().body == "Đã kiểm tra lại, OK"


@pytest.mark.django_db
def test_viewer_cannot_move_a_defect(project, viewer):
    defect = DefectFactory(project=project, status=S.RETEST)
    with pytest.raises(PermissionDenied):
        services.defect_transition(defect=defect, by=viewer, to_status=S.CLOSED)


@pytest.mark.django_db
def test_reopening_a_closed_defect_clears_resolved_at(project, consultant):
    defect = DefectFactory(project=project, status=S.CLOSED)
    reopened = services.defect_transition(defect=defect, by=consultant, to_status=S.OPEN)
    assert reopened.resolved_at is None


# --- cycles: the same table shape, {from: {to: Capability}} -----------------------------------

CS = Cycle.Status
CYCLE_ALLOWED = [(src, dst) for src, moves in CYCLE_TRANSITIONS.items() for dst in moves]


@pytest.mark.django_db
@pytest.mark.parametrize(("src", "dst"), CYCLE_ALLOWED)
def test_cycle_moves_follow_the_table(project, consultant, src, dst):
    cycle = CycleFactory(project=project, status=src)
    moved = services.cycle_update(cycle=cycle, by=consultant, version=cycle.version, status=dst)
    assert moved.status == dst


@pytest.mark.django_db
def test_an_illegal_cycle_move_is_refused(project, consultant):
    cycle = CycleFactory(project=project, status=CS.PLANNED)
    with pytest.raises(DomainError) as exc:
        services.cycle_update(cycle=cycle, by=consultant, version=cycle.version, status=CS.COMPLETED)
    assert exc.value.message == services.ILLEGAL_CYCLE_TRANSITION.format(current="planned", target="completed")
    assert exc.value.field == "status"


@pytest.mark.django_db
def test_the_moves_offered_are_the_ones_the_role_may_make(project, consultant, key_user):
    defect = DefectFactory(project=project, status=S.RETEST)
    assert allowed_moves(key_user, project, DEFECT_TRANSITIONS, defect.status) == [S.CLOSED, S.OPEN]
    assert allowed_moves(key_user, project, DEFECT_TRANSITIONS, S.NEW) == []
    assert allowed_moves(consultant, project, CYCLE_TRANSITIONS, CS.RUNNING) == [CS.COMPLETED, CS.PLANNED]
    assert allowed_moves(key_user, project, CYCLE_TRANSITIONS, CS.RUNNING) == []
