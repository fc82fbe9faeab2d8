"""The cycle page's figures: cases by latest result and the Chart.js series (pages and API)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from testing.models import Cycle, Execution

RESULT_ORDER = ["passed", "failed", "blocked", "not_run"]
RESULT_COLOURS = {"passed": "#198754", "failed": "#dc3545", "blocked": "#fd7e14", "not_run": "#adb5bd"}


def _day(dt) -> date:
    return timezone.localtime(dt).date()


def cycle_status_counts(cycle: Cycle) -> dict[str, int]:
    """Each in-scope case by its latest finished result; never run (or only in progress) = not run."""
    finished: dict[int, tuple] = {}
    for cc_id, status, _finished_at, run in cycle.executions.exclude(status=Execution.Status.IN_PROGRESS).values_list(
        "cycle_case_id", "status", "finished_at", "run"
    ):
        if cc_id not in finished or run > finished[cc_id][1]:
            finished[cc_id] = (status, run)
    counts = Counter({key: 0 for key in RESULT_ORDER})
    for cc_id in cycle.cycle_cases.values_list("pk", flat=True):
        counts[finished[cc_id][0] if cc_id in finished else "not_run"] += 1
    return dict(counts)


def _chart_days(cycle: Cycle, first_event: date | None) -> list[date]:
    today = timezone.localdate()
    start = min(d for d in (cycle.planned_start, first_event, today) if d is not None)
    end = today if cycle.planned_end is None else min(max(cycle.planned_end, first_event or start), today)
    end = max(end, start)
    if (end - start).days > 120:  # keep the chart readable: the last four months
        start = end - timedelta(days=120)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def execution_progress_chart(cycle: Cycle) -> dict:
    """Chart.js data: per day, the in-scope cases by latest result at the end of that day."""
    scope = list(cycle.cycle_cases.values_list("pk", flat=True))
    runs = list(
        cycle.executions.exclude(status=Execution.Status.IN_PROGRESS)
        .order_by("finished_at", "run")
        .values_list("cycle_case_id", "status", "finished_at")
    )
    days = _chart_days(cycle, _day(runs[0][2]) if runs else None)
    state: dict[int, str] = {}
    series = {key: [] for key in RESULT_ORDER}
    index = 0
    for day in days:
        while index < len(runs) and _day(runs[index][2]) <= day:
            state[runs[index][0]] = runs[index][1]
            index += 1
        counts = Counter(state.get(cc, "not_run") for cc in scope)
        for key in RESULT_ORDER:
            series[key].append(counts.get(key, 0))
    labels = {"passed": _("Passed"), "failed": _("Failed"), "blocked": _("Blocked"), "not_run": _("Not run")}
    return {
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {
                "label": labels[key],
                "data": series[key],
                "borderColor": RESULT_COLOURS[key],
                "backgroundColor": RESULT_COLOURS[key],
                "tension": 0.2,
            }
            for key in RESULT_ORDER
        ],
    }


def defect_trend_chart(cycle: Cycle) -> dict:
    """Chart.js data: defects of the cycle opened and closed per day, and how many stay open."""
    rows = list(cycle.defects.values_list("created_at", "resolved_at"))
    opened = Counter(_day(created) for created, _resolved in rows)
    closed = Counter(_day(resolved) for _created, resolved in rows if resolved)
    first = min(opened) if opened else None
    days = _chart_days(cycle, first)
    still_open, open_series = 0, []
    before = days[0] if days else None
    for created, resolved in rows:
        if before and _day(created) < before and not (resolved and _day(resolved) < before):
            still_open += 1
    for day in days:
        still_open += opened.get(day, 0) - closed.get(day, 0)
        open_series.append(still_open)
    return {
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {
                "label": _("Opened"),
                "data": [opened.get(d, 0) for d in days],
                "borderColor": "#dc3545",
                "backgroundColor": "#dc3545",
            },
            {
                "label": _("Closed"),
                "data": [closed.get(d, 0) for d in days],
                "borderColor": "#198754",
                "backgroundColor": "#198754",
            },
            {
                "label": _("Unresolved at end of day"),
                "data": open_series,
                "borderColor": "#6c757d",
                "backgroundColor": "#6c757d",
                "borderDash": [4, 4],
            },
        ],
    }
