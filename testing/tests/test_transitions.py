"""The defect workflow: every allowed move, the refused ones, and who may make them."""

import pytest
from django.core.exceptions import PermissionDenied

from erpimpl.errors import DomainError
from testing import services
from testing.models import Defect, DefectComment
from testing.tests.factories import DefectFactory
from testing.transitions import DEFECT_TRANSITIONS, RESOLVED_DEFECT_STATUSES

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
