"""The cutover runbook's rules as a user meets them: numbering, loops refused by name, runs,
task moves, the go/no-go stop, re-baselining, forecasts and durations from evidence."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from datamigration.models import MigrationRun
from datamigration.tests.factories import MasterDataObjectFactory, MigrationRunFactory
from erpimpl.errors import ConflictError, DomainError
from golive import selectors as _unused  # noqa: F401  (the app's selectors import cleanly)
from golive import services as svc
from golive.models import CutoverRun, CutoverRunTask, TaskType
from golive.selectors import cutover as sel
from golive.tests.factories_cutover import CutoverTaskFactory, team_of

S = CutoverRunTask.State
LIVE, REHEARSAL = CutoverRun.Kind.LIVE, CutoverRun.Kind.REHEARSAL


@pytest.fixture
def chain(project, pm):
    """A → B → C, 30 minutes each, plus D (10 min) parallel to B after A."""
    a = CutoverTaskFactory(project=project, title="Freeze legacy")
    b = CutoverTaskFactory(project=project, title="Load balances", predecessors=[a])
    c = CutoverTaskFactory(project=project, title="Open system", predecessors=[b])
    d = CutoverTaskFactory(project=project, title="Notify users", planned_minutes=10, predecessors=[a])
    return a, b, c, d


def run_task(run, plan_task):
    return run.tasks.get(task=plan_task)


def test_codes_are_numbered_per_runbook(project, other_project, pm):
    first = CutoverTaskFactory(project=project)
    second = CutoverTaskFactory(project=project)
    elsewhere = CutoverTaskFactory(project=other_project)
    assert (first.code, second.code, elsewhere.code) == ("CT-001", "CT-002", "CT-001")
    assert first.runbook == second.runbook == project.runbook


def test_a_loop_is_refused_naming_it(chain, pm):
    a, b, c, _d = chain
    with pytest.raises(DomainError) as refused:
        svc.cutover_task_update(task=a, by=pm, version=a.version, predecessors=[c])
    assert refused.value.field == "predecessors"
    assert "CT-001 → CT-002 → CT-003 → CT-001" in refused.value.message
    a.refresh_from_db()
    assert list(a.predecessors.all()) == []


def test_a_task_cannot_be_its_own_predecessor(chain, pm):
    a = chain[0]
    with pytest.raises(DomainError, match="CT-001 → CT-001"):
        svc.cutover_task_update(task=a, by=pm, version=a.version, predecessors=[a])


def test_predecessors_come_from_the_same_runbook(project, other_project, pm):
    foreign = CutoverTaskFactory(project=other_project)
    with pytest.raises(DomainError) as refused:
        svc.cutover_task_create(project=project, by=pm, title="x", predecessors=[foreign])
    assert refused.value.field == "predecessors"


def test_a_stale_edit_is_refused(chain, pm):
    a = chain[0]
    svc.cutover_task_update(task=a, by=pm, version=a.version, title="Freeze")
    with pytest.raises(ConflictError):
        svc.cutover_task_update(task=a, by=pm, version=a.version, title="Other")


def test_a_key_user_cannot_edit_the_plan(project, key_user):
    with pytest.raises(PermissionDenied):
        svc.cutover_task_create(project=project, by=key_user, title="x")


def test_schedule_shows_critical_path_and_float(chain, pm, project):
    a, b, c, d = chain
    rows = {row.task.code: row for row in sel.runbook_schedule(user=pm, project=project)}
    assert rows["CT-002"].critical and rows["CT-003"].critical
    assert not rows["CT-004"].critical
    assert rows["CT-004"].float_minutes == 50


def test_start_snapshots_the_plan_and_releases_the_first_task(chain, pm):
    a, b, c, d = chain
    start = timezone.now()
    run = svc.cutover_run_start(runbook=a.runbook, by=pm, kind=REHEARSAL, baseline_start=start)
    assert run.tasks.count() == 4
    rb, rc = run_task(run, b), run_task(run, c)
    assert list(rc.predecessors.all()) == [rb]
    assert rc.planned_start == start + timedelta(minutes=60)
    assert rc.planned_end == start + timedelta(minutes=90)
    assert dict(run.tasks.values_list("code", "state")) == {
        "CT-001": S.READY, "CT-002": S.NOT_READY, "CT-003": S.NOT_READY, "CT-004": S.NOT_READY,
    }  # fmt: skip
    # the plan changes afterwards without touching the run
    svc.cutover_task_update(task=b, by=pm, version=b.version, title="Changed")
    assert run_task(run, b).title == "Load balances"


def test_one_run_at_a_time_and_one_live_run(chain, pm):
    runbook = chain[0].runbook
    rehearsal = svc.cutover_run_start(runbook=runbook, by=pm, kind=REHEARSAL)
    with pytest.raises(DomainError, match="still running"):
        svc.cutover_run_start(runbook=runbook, by=pm, kind=LIVE)
    svc.cutover_run_cancel(run=rehearsal, by=pm)
    live = svc.cutover_run_start(runbook=runbook, by=pm, kind=LIVE)
    svc.cutover_run_cancel(run=live, by=pm)
    with pytest.raises(DomainError, match="already has its live run"):
        svc.cutover_run_start(runbook=runbook, by=pm, kind=LIVE)


def test_transitions_release_successors_and_complete_the_run(chain, pm):
    a, b, c, d = chain
    run = svc.cutover_run_start(runbook=a.runbook, by=pm, kind=REHEARSAL)
    ra = svc.cutover_run_task_start(task=run_task(run, a), by=pm)
    assert ra.state == S.IN_PROGRESS and ra.actual_start is not None
    ra = svc.cutover_run_task_finish(task=ra, by=pm)
    assert ra.state == S.COMPLETE and ra.actual_end is not None
    assert run_task(run, b).state == S.READY and run_task(run, d).state == S.READY
    svc.cutover_run_task_skip(task=run_task(run, d), by=pm, reason="users already told")
    svc.cutover_run_task_finish(task=svc.cutover_run_task_start(task=run_task(run, b), by=pm), by=pm)
    svc.cutover_run_task_finish(task=svc.cutover_run_task_start(task=run_task(run, c), by=pm), by=pm)
    run.refresh_from_db()
    assert run.status == CutoverRun.Status.COMPLETED and run.finished_at is not None


def test_illegal_move_names_the_allowed_ones(chain, pm):
    a, b, *_rest = chain
    run = svc.cutover_run_start(runbook=a.runbook, by=pm, kind=REHEARSAL)
    with pytest.raises(DomainError) as refused:
        svc.cutover_run_task_finish(task=run_task(run, a), by=pm)
    assert "Allowed: in progress, skipped" in refused.value.message
    with pytest.raises(DomainError, match="Allowed: skipped"):
        svc.cutover_run_task_start(task=run_task(run, b), by=pm)


def test_skip_needs_a_reason(chain, pm):
    run = svc.cutover_run_start(runbook=chain[0].runbook, by=pm, kind=REHEARSAL)
    with pytest.raises(DomainError) as refused:
        svc.cutover_run_task_skip(task=run_task(run, chain[1]), by=pm, reason="  ")
    assert refused.value.field == "reason"


def test_owner_or_owner_team_moves_their_task_others_not(project, pm, key_user, sponsor):
    team = team_of(project, sponsor)
    mine = CutoverTaskFactory(project=project, owner=key_user)
    theirs = CutoverTaskFactory(project=project, owner_team=team)
    run = svc.cutover_run_start(runbook=mine.runbook, by=pm, kind=REHEARSAL)
    assert svc.cutover_run_task_start(task=run_task(run, mine), by=key_user).state == S.IN_PROGRESS
    with pytest.raises(DomainError, match="owner"):
        svc.cutover_run_task_start(task=run_task(run, theirs), by=key_user)
    assert svc.cutover_run_task_start(task=run_task(run, theirs), by=sponsor).state == S.IN_PROGRESS


def test_validation_finishes_with_passed_false_as_failed(project, pm):
    check = CutoverTaskFactory(project=project, type=TaskType.VALIDATION, planned_minutes=5)
    run = svc.cutover_run_start(runbook=check.runbook, by=pm, kind=REHEARSAL)
    started = svc.cutover_run_task_start(task=run_task(run, check), by=pm)
    with pytest.raises(DomainError) as refused:
        svc.cutover_run_task_finish(task=started, by=pm)
    assert refused.value.field == "passed"
    failed = svc.cutover_run_task_finish(task=started, by=pm, passed=False)
    assert failed.state == S.FAILED and failed.passed is False


def test_failed_checkpoint_in_live_run_stops_successors_and_opens_rollback(project, pm):
    load = CutoverTaskFactory(project=project, title="Load", rollback="Restore the backup")
    gate = CutoverTaskFactory(project=project, title="Go/no-go", type=TaskType.CHECKPOINT, planned_minutes=0,
                              predecessors=[load])  # fmt: skip
    after = CutoverTaskFactory(project=project, title="Open", predecessors=[gate], rollback="Close again")
    last = CutoverTaskFactory(project=project, title="Announce", predecessors=[after])
    run = svc.cutover_run_start(runbook=load.runbook, by=pm, kind=LIVE)
    svc.cutover_run_task_finish(task=svc.cutover_run_task_start(task=run_task(run, load), by=pm), by=pm)
    started = svc.cutover_run_task_start(task=run_task(run, gate), by=pm)
    svc.cutover_run_task_finish(task=started, by=pm, passed=False)
    run.refresh_from_db()
    assert run.status == CutoverRun.Status.STOPPED
    for plan_task in (after, last):
        row = run_task(run, plan_task)
        assert row.state == S.SKIPPED and row.reason == f"stopped by checkpoint {gate.code}"
    assert run_task(run, load).rollback_open is True
    assert run_task(run, after).rollback_open is False  # skipped: nothing to roll back
    board = sel.run_board(user=pm, run=run)
    assert board.stopped_by == gate.code


def test_rebaseline_moves_pending_tasks_from_now(chain, pm):
    a, b, c, _d = chain
    long_ago = timezone.now() - timedelta(hours=5)
    run = svc.cutover_run_start(runbook=a.runbook, by=pm, kind=REHEARSAL, baseline_start=long_ago)
    before = run_task(run, c).planned_end
    moved = svc.cutover_run_rebaseline(run=run, by=pm)
    assert moved == 4
    after = run_task(run, c)
    assert after.planned_end > before
    assert after.planned_start >= timezone.now() - timedelta(minutes=1) + timedelta(minutes=60)


def test_forecast_after_a_late_task_shows_who_is_late(project, pm, key_user):
    a = CutoverTaskFactory(project=project, owner=key_user, planned_minutes=30)
    b = CutoverTaskFactory(project=project, predecessors=[a], planned_minutes=30)
    start = timezone.now() - timedelta(hours=2)
    run = svc.cutover_run_start(runbook=a.runbook, by=pm, kind=REHEARSAL, baseline_start=start)
    ra = svc.cutover_run_task_start(task=run_task(run, a), by=key_user)
    # the owner started it two hours late: it is now 90 minutes past its planned end
    CutoverRunTask.objects.filter(pk=ra.pk).update(actual_start=start + timedelta(minutes=90))
    board = sel.run_board(user=pm, run=run)
    rows = {row.code: row for row in board.rows}
    assert rows[ra.code].is_late and rows[b.code].is_late
    assert board.forecast_end >= timezone.now() + timedelta(minutes=29)
    assert key_user in board.late_owners


def test_duration_from_the_last_mock_load(project, pm, consultant):
    obj = MasterDataObjectFactory(project=project, name="uom")
    load = MigrationRunFactory(project=project, object_name="uom", by=consultant)
    assert load.status == MigrationRun.Status.SUCCEEDED
    began = timezone.now() - timedelta(hours=1)
    MigrationRun.objects.filter(pk=load.pk).update(
        started_at=began, finished_at=began + timedelta(minutes=2), total_rows=2
    )
    task = CutoverTaskFactory(project=project, masterdata_object=obj, expected_rows=5)
    task = svc.task_duration_from_mock_load(task=task, by=pm)
    assert task.planned_minutes == 5  # 2 minutes for 2 rows → 5 minutes for 5


def test_duration_from_mock_load_needs_a_load(project, pm):
    obj = MasterDataObjectFactory(project=project, name="uom")
    task = CutoverTaskFactory(project=project, masterdata_object=obj, expected_rows=5)
    with pytest.raises(DomainError, match="no successful load"):
        svc.task_duration_from_mock_load(task=task, by=pm)
    bare = CutoverTaskFactory(project=project)
    with pytest.raises(DomainError, match="master data object"):
        svc.task_duration_from_mock_load(task=bare, by=pm)


def test_rehearsal_durations_become_the_plan(chain, pm):
    a, b, c, d = chain
    run = svc.cutover_run_start(runbook=a.runbook, by=pm, kind=REHEARSAL)
    for plan_task in (a, b, c):
        svc.cutover_run_task_finish(task=svc.cutover_run_task_start(task=run_task(run, plan_task), by=pm), by=pm)
    svc.cutover_run_task_skip(task=run_task(run, d), by=pm, reason="n/a")
    began = timezone.now() - timedelta(hours=3)
    run.tasks.filter(task=b).update(actual_start=began, actual_end=began + timedelta(minutes=44, seconds=10))
    run.refresh_from_db()
    with pytest.raises(DomainError):
        svc.apply_rehearsal_durations(runbook=a.runbook, run=svc.cutover_run_start(runbook=a.runbook, by=pm,
                                      kind=REHEARSAL), by=pm)  # fmt: skip
    changed = svc.apply_rehearsal_durations(runbook=a.runbook, run=run, by=pm)
    b.refresh_from_db()
    d.refresh_from_db()
    assert b.planned_minutes == 45
    assert d.planned_minutes == 10  # skipped in the rehearsal: unchanged
    assert changed == 3  # A, B and C took about a minute, not 30
