"""Readiness criteria and readiness runs: every write and every rule of them.

Criteria: seeded for a new project (``criteria_seed``, registered as a project set-up step),
created, edited with ``version``, deleted, and a manual one assessed (met / not met, a note,
an attachment). Runs: requested (RUN_JOBS), claimed by a worker with a conditional update,
executed criterion by criterion with a lease, cancelled. A redelivered message or a second
worker finds the run claimed and does nothing; a killed worker's run is taken over once its
lease expires, and the criteria already recorded are not evaluated twice (one result per
code and run, a database constraint).
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.env import env_int
from erpimpl.errors import DomainError
from golive.models import ReadinessCriterion, ReadinessResult, ReadinessRun
from golive.readiness import base
from golive.readiness.defaults import DEFAULT_CRITERIA
from projects.audit import audited
from projects.files import types_of, validate_upload
from projects.models import Project
from projects.roles import Capability, is_member, require
from projects.updating import apply_update

RUN_ACTIVE = N_("A readiness check is already running (#{number}).")
RUN_FINISHED = N_("This readiness check has already ended ({status}).")
UNKNOWN_RULE = N_("Choose one of the built-in rules.")
RULE_ON_MANUAL = N_("A manual criterion has no rule.")
NOT_MANUAL = N_("Only a manual criterion is assessed by hand.")
BAD_PARAMETER = N_("Unknown parameter “{name}” for this rule.")
BAD_VALUE = N_("“{name}” must be {kind}.")
OWNER_NOT_MEMBER = N_("The owner must be a member of the project.")
EVIDENCE_TYPES = types_of(".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".docx", ".csv", ".txt", ".zip")

CRITERION_FIELDS = {
    "code", "title", "description", "category", "kind", "rule", "parameters", "weight", "blocking",
    "internal", "active", "order", "owner",
}  # fmt: skip


def lease_seconds() -> int:
    return int(getattr(settings, "READINESS_LEASE_SECONDS", 60))


def pause_seconds() -> float:
    """A pause after each criterion (``READINESS_PAUSE_MS``): fault-injection tests and demos only."""
    return env_int("READINESS_PAUSE_MS", 0) / 1000


# --- criteria ---------------------------------------------------------------------------


def criteria_seed(project: Project) -> list[ReadinessCriterion]:
    """The methodology's criteria for a new project (a project set-up step, no actor)."""
    if project.readiness_criteria.exists():
        return []
    rows = [
        ReadinessCriterion(
            project=project,
            code=code,
            title=_(title),
            category=category,
            kind=kind,
            rule=rule,
            parameters=params,
            weight=weight,
            blocking=blocking,
            internal=internal,
            order=n * 10,
        )  # fmt: skip
        for n, (code, title, category, kind, rule, params, weight, blocking, internal) in enumerate(
            DEFAULT_CRITERIA, start=1
        )
    ]
    return ReadinessCriterion.objects.bulk_create(rows)


def _clean_rule(kind: str, rule: str, parameters: dict) -> dict:
    """The parameters checked against the rule's named parameters, with their types."""
    if kind == ReadinessCriterion.Kind.MANUAL:
        if rule:
            raise DomainError(_(RULE_ON_MANUAL), field="rule")
        return {}
    found = base.rule_named(rule)
    if found is None:
        raise DomainError(_(UNKNOWN_RULE), field="rule")
    if not isinstance(parameters, dict):
        raise DomainError(_(BAD_VALUE).format(name="parameters", kind=_("an object")), field="parameters")
    known = {p.name: p for p in found.all_params}
    cleaned = {}
    for name, value in parameters.items():
        param = known.get(name)
        if param is None:
            raise DomainError(_(BAD_PARAMETER).format(name=name), field="parameters")
        cleaned[name] = base.coerce(param, value)
    return cleaned


def _check_owner(project: Project, owner) -> None:
    if owner is not None and not is_member(owner, project):
        raise DomainError(_(OWNER_NOT_MEMBER), field="owner")


@audited
def criterion_create(*, project: Project, by, **fields) -> ReadinessCriterion:
    require(by, project, Capability.EDIT)
    _check_owner(project, fields.get("owner"))
    fields.setdefault("kind", ReadinessCriterion.Kind.AUTOMATIC)
    fields["parameters"] = _clean_rule(fields["kind"], fields.get("rule", ""), fields.get("parameters") or {})
    criterion = ReadinessCriterion(project=project, **fields)
    criterion.full_clean()
    criterion.save()
    return criterion


@audited
def criterion_update(*, criterion: ReadinessCriterion, by, version: int | None, **changes) -> ReadinessCriterion:
    require(by, criterion.project, Capability.EDIT)
    if "owner" in changes:
        _check_owner(criterion.project, changes["owner"])
    if {"kind", "rule", "parameters"} & set(changes):
        kind = changes.get("kind", criterion.kind)
        rule = changes.get("rule", criterion.rule if kind == ReadinessCriterion.Kind.AUTOMATIC else "")
        changes["rule"] = rule
        changes["parameters"] = _clean_rule(kind, rule, changes.get("parameters", criterion.parameters))
    return apply_update(criterion, version=version, changes=changes, allowed=CRITERION_FIELDS)


@audited
def criterion_delete(*, criterion: ReadinessCriterion, by) -> None:
    require(by, criterion.project, Capability.EDIT)
    criterion.delete()  # past runs keep their results (a snapshot)


@audited
def criterion_assess(
    *, criterion: ReadinessCriterion, by, met: bool, note: str = "", evidence=None, version: int | None = None
) -> ReadinessCriterion:
    """The owner (or anyone who may edit) marks a manual criterion met or not met."""
    if criterion.owner_id != getattr(by, "pk", None):
        require(by, criterion.project, Capability.EDIT)
    else:
        require(by, criterion.project, Capability.VIEW)
    if criterion.kind != ReadinessCriterion.Kind.MANUAL:
        raise DomainError(_(NOT_MANUAL), field="met")
    changes = {
        "assessment": ReadinessCriterion.Assessment.MET if met else ReadinessCriterion.Assessment.NOT_MET,
        "assessment_note": note,
        "assessed_by": by,
        "assessed_at": timezone.now(),
    }
    if evidence is not None:
        checked = validate_upload(evidence, types=EVIDENCE_TYPES, field="evidence")
        changes["evidence"] = evidence
        changes["evidence_name"] = checked.name[:255]
    allowed = {"assessment", "assessment_note", "assessed_by", "assessed_at", "evidence", "evidence_name"}
    return apply_update(criterion, version=version, changes=changes, allowed=allowed)


# --- runs: requested by a person or by the schedule ---------------------------------------


def _enqueue(run: ReadinessRun) -> None:
    from golive.tasks import readiness_run_task

    readiness_run_task.delay_on_commit(run.pk)


def _new_run(project: Project, *, by, trigger: str) -> ReadinessRun:
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        active = project.readiness_runs.filter(status__in=ReadinessRun.ACTIVE).first()
        if active is not None:
            raise DomainError(_(RUN_ACTIVE).format(number=active.number))
        number = (project.readiness_runs.aggregate(n=Max("number"))["n"] or 0) + 1
        run = ReadinessRun.objects.create(
            project=project,
            number=number,
            trigger=trigger,
            requested_by=by,
            criteria_total=project.readiness_criteria.filter(active=True).count(),
        )
        _enqueue(run)
    return run


@audited
def readiness_run_request(*, project: Project, by) -> ReadinessRun:
    require(by, project, Capability.RUN_JOBS)
    return _new_run(project, by=by, trigger=ReadinessRun.Trigger.MANUAL)


@audited
def readiness_run_cancel(*, run: ReadinessRun, by) -> ReadinessRun:
    """A queued run ends at once; a running one stops before its next criterion."""
    require(by, run.project, Capability.RUN_JOBS)
    with transaction.atomic():
        current = ReadinessRun.objects.select_for_update().get(pk=run.pk)
        if current.status in ReadinessRun.TERMINAL:
            raise DomainError(_(RUN_FINISHED).format(status=current.get_status_display()))
        current.cancel_requested = True
        fields = ["cancel_requested", "updated_at"]
        if current.status == ReadinessRun.Status.QUEUED:
            current.status, current.finished_at = ReadinessRun.Status.CANCELLED, timezone.now()
            fields += ["status", "finished_at"]
        current.save(update_fields=fields)
    return current


def readiness_runs_schedule(*, today=None) -> list[int]:
    """Beat, daily: a run for every active project whose go-live is within the window
    (``READINESS_SCHEDULE_DAYS``, default 42) and that has no scheduled run today."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=int(getattr(settings, "READINESS_SCHEDULE_DAYS", 42)))
    due = Project.objects.filter(planned_golive__gte=today, planned_golive__lte=horizon).exclude(
        status__in=(Project.Status.LIVE, Project.Status.CLOSED, Project.Status.ON_HOLD)
    )
    started = []
    for project in due.exclude(
        readiness_runs__trigger=ReadinessRun.Trigger.SCHEDULED, readiness_runs__created_at__date=today
    ):
        try:
            started.append(_new_run(project, by=None, trigger=ReadinessRun.Trigger.SCHEDULED).pk)
        except DomainError:
            continue  # one is running already: that one is today's check
    return started


def readiness_runs_reconcile() -> list[int]:
    """Re-enqueue runs whose worker died (lease expired) or whose message was lost."""
    now = timezone.now()
    stale = now - timedelta(seconds=lease_seconds())
    ids = list(
        ReadinessRun.objects.filter(
            Q(status=ReadinessRun.Status.RUNNING, lease_until__lt=now)
            | Q(status=ReadinessRun.Status.QUEUED, created_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    for run_id in ids:
        from golive.tasks import readiness_run_task

        readiness_run_task.delay(run_id)
    return ids


# --- runs: a worker's part ----------------------------------------------------------------


def readiness_run_claim(*, run_id: int, worker: str) -> tuple[ReadinessRun | None, str]:
    """Claim a queued run, or a running one whose lease expired: a conditional UPDATE on the
    state read, so exactly one worker wins. Returns ``(run, token)`` or ``(None, "")``."""
    now = timezone.now()
    current = ReadinessRun.objects.filter(pk=run_id).first()
    if current is None or current.status in ReadinessRun.TERMINAL:
        return None, ""
    if current.status == ReadinessRun.Status.RUNNING and current.lease_until and current.lease_until > now:
        return None, ""  # its worker is alive
    as_read = ReadinessRun.objects.filter(pk=run_id, status=current.status, lease_token=current.lease_token)
    if current.cancel_requested:
        as_read.update(status=ReadinessRun.Status.CANCELLED, finished_at=now)
        return None, ""
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    claimed = as_read.filter(cancel_requested=False).update(
        status=ReadinessRun.Status.RUNNING,
        lease_token=token,
        worker=worker[:200],
        lease_until=now + timedelta(seconds=lease_seconds()),
        started_at=current.started_at or now,
    )
    if not claimed:
        return None, ""
    return ReadinessRun.objects.select_related("project").get(pk=run_id), token


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def readiness_run_execute(*, run: ReadinessRun, token: str) -> ReadinessRun:
    """Evaluate every active criterion not yet recorded in this run, then score it."""
    started = time.perf_counter()
    counter = _QueryCounter()
    held = ReadinessRun.objects.filter(pk=run.pk, lease_token=token, status=ReadinessRun.Status.RUNNING)
    with connection.execute_wrapper(counter):
        criteria = list(run.project.readiness_criteria.filter(active=True).order_by("order", "code"))
        done = set(run.results.values_list("code", flat=True))
        recorded = len(done & {c.code for c in criteria})
        held.update(criteria_total=len(criteria), criteria_done=recorded)
        for criterion in criteria:
            if criterion.code in done:
                continue
            outcome = _evaluate(criterion, run.project)
            try:
                with transaction.atomic():
                    _record(run, criterion, outcome)
                    recorded += 1
                    # One statement extends the lease, shows the progress and sees a cancel.
                    extended = held.filter(cancel_requested=False).update(
                        criteria_done=recorded, lease_until=timezone.now() + timedelta(seconds=lease_seconds())
                    )
                    if not extended:
                        raise _LeaseLost
            except (_LeaseLost, IntegrityError):
                # Cancelled (this criterion's result is not kept), or the lease was lost to another
                # worker, which records the rest.
                held.filter(cancel_requested=True).update(
                    status=ReadinessRun.Status.CANCELLED, finished_at=timezone.now()
                )
                return ReadinessRun.objects.get(pk=run.pk)
            if pause_seconds():
                time.sleep(pause_seconds())
        _finish(run, held, started=started, queries=counter)
    return ReadinessRun.objects.get(pk=run.pk)


class _LeaseLost(Exception):
    pass


def _evaluate(criterion: ReadinessCriterion, project) -> base.Outcome:
    if criterion.kind == ReadinessCriterion.Kind.MANUAL:
        return base.manual_outcome(criterion)
    try:
        return base.evaluate(criterion.rule, project, criterion.parameters)
    except Exception as exc:  # a rule's bug is the criterion's error, never the run's crash
        return base.Outcome(result=base.ERROR, detail=f"{type(exc).__name__}: {exc}"[:2000])


def _record(run: ReadinessRun, criterion: ReadinessCriterion, outcome: base.Outcome) -> None:
    ReadinessResult.objects.create(
        run=run, criterion=criterion, code=criterion.code, title=criterion.title, category=criterion.category,
        kind=criterion.kind, rule=criterion.rule, weight=criterion.weight, blocking=criterion.blocking,
        internal=criterion.internal, order=criterion.order, result=outcome.result,
        measured=str(outcome.measured)[:200], threshold=str(outcome.threshold)[:200], detail=str(outcome.detail),
        evidence=[e.as_dict() for e in outcome.evidence if not e.internal],
        evidence_internal=[e.as_dict() for e in outcome.evidence if e.internal],
        evidence_total=outcome.evidence_total,
    )  # fmt: skip


def score_of(results) -> tuple[Decimal | None, str, int]:
    """Weighted score (passed weight over judged weight; not applicable is not judged), the
    recommendation (NO-GO when a blocking criterion failed or errored) and the blockers."""
    judged = passed = 0
    blockers = 0
    for r in results:
        if r.result == base.NOT_APPLICABLE:
            continue
        judged += r.weight
        if r.result == base.PASS:
            passed += r.weight
        elif r.blocking:
            blockers += 1
    score = Decimal(100 * passed / judged).quantize(Decimal("0.1")) if judged else None
    recommendation = ReadinessRun.Recommendation.NO_GO if blockers else ReadinessRun.Recommendation.GO
    return score, recommendation, blockers


def _finish(run, held, *, started: float, queries: _QueryCounter) -> None:
    results = list(run.results.only("result", "weight", "blocking"))
    score, recommendation, blockers = score_of(results)
    held.update(
        status=ReadinessRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
        score=score,
        recommendation=recommendation,
        blockers=blockers,
        criteria_done=len(results),
        duration_ms=int((time.perf_counter() - started) * 1000),
        query_count=queries.count + 1,
    )


def readiness_run_mark_failed(*, run_id: int, error: str) -> None:
    ReadinessRun.objects.filter(pk=run_id, status=ReadinessRun.Status.RUNNING).update(
        status=ReadinessRun.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )
