"""Read queries of the go-live app, scoped to the user first (``visible_to``), then filtered.

Client roles see the client-visible criteria and results only (``internal``), and a run's
score and recommendation recomputed over what they may see (``summary``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from golive.models import ReadinessCriterion, ReadinessResult, ReadinessRun
from projects.roles import Capability, can
from projects.selectors import get_in_project


def _filtered(qs, filterset_class, filters, request):
    if filters is None:
        return qs
    return filterset_class(filters, queryset=qs, request=request).qs


def criterion_list(*, user, filters=None, request=None):
    from golive.filters import CriterionFilterSet

    qs = ReadinessCriterion.objects.visible_to(user).select_related("project", "owner", "assessed_by")
    return _filtered(qs, CriterionFilterSet, filters, request)


def criterion_get(*, user, project, pk) -> ReadinessCriterion:
    return get_in_project(criterion_list(user=user), project=project, pk=pk)


def run_list(*, user, filters=None, request=None):
    from golive.filters import RunFilterSet

    qs = ReadinessRun.objects.visible_to(user).select_related("project", "requested_by")
    return _filtered(qs, RunFilterSet, filters, request)


def run_get(*, user, project, pk) -> ReadinessRun:
    return get_in_project(run_list(user=user), project=project, pk=pk)


def result_list(*, user, run: ReadinessRun):
    """The run's results the user may see (internal ones for firm roles only)."""
    return ReadinessResult.objects.visible_to(user).filter(run=run).order_by("order", "code")


def latest_run(*, user, project) -> ReadinessRun | None:
    return run_list(user=user).filter(project=project, status=ReadinessRun.Status.SUCCEEDED).first()


@dataclass(frozen=True)
class Summary:
    """A run's figures over the results a reader may see."""

    score: float | None
    recommendation: str
    blockers: int
    counts: dict


def summary(*, user, run: ReadinessRun) -> Summary:
    """For firm roles the run's own figures; for client roles the same rule over the
    client-visible results only (an internal blocker is not shown, nor counted)."""
    from golive.services import score_of

    results = list(result_list(user=user, run=run).only("result", "weight", "blocking"))
    counts = {key: 0 for key, _label in ReadinessResult.Result.choices}
    for r in results:
        counts[r.result] += 1
    if run.status != ReadinessRun.Status.SUCCEEDED:  # nothing judged yet: no figures, not a GO
        return Summary(None, "", 0, counts)
    if can(user, run.project, Capability.VIEW_INTERNAL):
        score = float(run.score) if run.score is not None else None
        return Summary(score, run.recommendation, run.blockers, counts)
    score, recommendation, blockers = score_of(results)
    return Summary(float(score) if score is not None else None, recommendation, blockers, counts)


def history(*, user, project, limit: int = 60) -> list[dict]:
    """Finished runs, oldest first, for the chart of score and blockers over time."""
    runs = run_list(user=user).filter(project=project, status=ReadinessRun.Status.SUCCEEDED).order_by("-number")[:limit]
    visible_internal = can(user, project, Capability.VIEW_INTERNAL)
    rows = []
    for run in reversed(list(runs)):
        if visible_internal:
            rows.append({"number": run.number, "at": run.finished_at, "score": run.score, "blockers": run.blockers})
    if not visible_internal:
        # Client roles: recomputed over client-visible results, in one query for all runs.
        ids = [run.pk for run in runs]
        per_run = (
            ReadinessResult.objects.filter(run_id__in=ids, internal=False)
            .values("run_id")
            .annotate(
                blockers=Count("pk", filter=Q(blocking=True, result__in=["fail", "error"])),
            )
        )
        blockers = {row["run_id"]: row["blockers"] for row in per_run}
        for run in reversed(list(runs)):
            rows.append(
                {"number": run.number, "at": run.finished_at, "score": None, "blockers": blockers.get(run.pk, 0)}
            )
    return rows


@dataclass(frozen=True)
class Change:
    code: str
    title: str
    before: str | None
    after: str | None
    appeared: list
    gone: list


def compare(*, user, older: ReadinessRun, newer: ReadinessRun) -> list[Change]:
    """Criteria whose result changed between two runs, and the evidence that appeared or went."""
    before = {r.code: r for r in result_list(user=user, run=older)}
    after = {r.code: r for r in result_list(user=user, run=newer)}
    changes = []
    for code in sorted(set(before) | set(after)):
        a, b = before.get(code), after.get(code)
        old_ev = {e.get("label") for e in (a.evidence if a else [])}
        new_ev = {e.get("label") for e in (b.evidence if b else [])}
        appeared, gone = sorted(new_ev - old_ev), sorted(old_ev - new_ev)
        if (a and a.result) != (b and b.result) or appeared or gone:
            changes.append(
                Change(
                    code=code,
                    title=(b or a).title,
                    before=a.result if a else None,
                    after=b.result if b else None,
                    appeared=appeared,
                    gone=gone,
                )
            )
    return changes
