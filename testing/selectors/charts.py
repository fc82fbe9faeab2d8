"""The cycle page's figures: cases by latest result and the Chart.js series (pages and API)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from testing.models import Cycle, Execution

RESULT_ORDER = ["passed", "failed", "blocked", "not_run"]
RESULT_COLOURS = {"passed": "#198754", "failed": "#dc3545", "blocked": "#fd7e14", "not_run": "#adb5bd"}


def _local_day(field: str) -> TruncDate:
    """The local calendar day of a timestamp, computed by the database."""
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def cycle_status_counts(cycle: Cycle) -> dict[str, int]:
    """Each in-scope case by its latest finished result; never run (or only in progress) = not run.

    One aggregate query, whatever the size of the cycle.
    """
    from testing.selectors.rows import latest_run

    counts = {key: 0 for key in RESULT_ORDER}
    rows = (
        cycle.cycle_cases.order_by()
        .annotate(result=Coalesce(latest_run("status", finished=True), Value("not_run")))
        .values("result")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["result"]] = counts.get(row["result"], 0) + row["n"]
    return counts


def _chart_days(cycle: Cycle, first_event: date | None) -> list[date]:
    today = timezone.localdate()
    start = min(d for d in (cycle.planned_start, first_event, today) if d is not None)
    end = today if cycle.planned_end is None else min(max(cycle.planned_end, first_event or start), today)
    end = max(end, start)
    if (end - start).days > 120:  # keep the chart readable: the last four months
        start = end - timedelta(days=120)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def execution_progress_chart(cycle: Cycle) -> dict:
    """Chart.js data: per day, the in-scope cases by latest result at the end of that day.

    Walks the finished runs once in time order, moving one case between results per run.
    """
    scope_size = cycle.cycle_cases.count()
    runs = list(
        cycle.executions.exclude(status=Execution.Status.IN_PROGRESS)
        .order_by("finished_at", "run")
        .values_list("cycle_case_id", "status", _local_day("finished_at"))
    )
    days = _chart_days(cycle, runs[0][2] if runs else None)
    state: dict[int, str] = {}
    counts = Counter({"not_run": scope_size})
    series = {key: [] for key in RESULT_ORDER}
    index = 0
    for day in days:
        while index < len(runs) and runs[index][2] <= day:
            case_id, status, _finished = runs[index]
            counts[state.get(case_id, "not_run")] -= 1
            counts[status] += 1
            state[case_id] = status
            index += 1
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
    """Chart.js data: defects of the cycle opened and closed per day, and how many stay open.

    The database counts per day; what is still open before the first day shown is what was
    opened before it minus what was closed before it.
    """
    per_day = cycle.defects.order_by()
    opened = Counter(
        dict(
            per_day.annotate(day=_local_day("created_at")).values("day").annotate(n=Count("pk")).values_list("day", "n")
        )
    )
    closed = Counter(
        dict(
            per_day.filter(resolved_at__isnull=False)
            .annotate(day=_local_day("resolved_at"))
            .values("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
    )
    days = _chart_days(cycle, min(opened) if opened else None)
    before = days[0] if days else None
    still_open = 0
    if before:
        still_open = sum(n for d, n in opened.items() if d < before) - sum(n for d, n in closed.items() if d < before)
    open_series = []
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
