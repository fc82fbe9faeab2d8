"""What the built-in readiness rules share: links, figures as short text, an outcome from a
page of offending rows.

Measured values and thresholds are short strings a person reads next to each other
("93.2 %" / "≥ 95 %", "3 open" / "= 0"). A percentage is shown rounded *down* and a duration
rounded *up* to one decimal, so a figure that misses its threshold never reads as meeting it
(99.96 % is not shown as "100 %", 48.01 h not as "48 h").
"""

from __future__ import annotations

import math

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from golive.readiness.base import EVIDENCE_LIMIT, FAIL, PASS, Evidence, Outcome, evidence_of


def url_of(obj) -> str:
    """The object's page, or "" when it has none: a page that is not mounted (yet) gives no
    link rather than an error in the middle of a readiness run."""
    get = getattr(obj, "get_absolute_url", None)
    if get is None:
        return ""
    try:
        return get()
    except NoReverseMatch:
        return ""


def url_named(name: str, *args) -> str:
    """``reverse(name, args)``, or "" when the route does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: float) -> str:
    """``87.5 %``; rounded down to one decimal (never up past a threshold)."""
    return f"{_one_decimal(math.floor(value * 10 + 1e-9) / 10)} %"


def hours(value: float) -> str:
    """``36.5``; a duration in hours rounded up to one decimal (never down under a limit)."""
    return _one_decimal(math.ceil(value * 10 - 1e-9) / 10)


def at_least(value: float) -> str:
    return str(_("≥ %(value)s") % {"value": percent(value)})


def number(value, default: float) -> float:
    """A numeric parameter as stored (JSON may hold ``"95"``), else the rule's default."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def outcome_of(ok: bool, *, measured, threshold, page=(), total: int = 0, label, url=url_of, detail="") -> Outcome:
    """PASS or FAIL with the measured value and threshold; on a failure the evidence is the
    offending rows of ``page`` (at most ``EVIDENCE_LIMIT`` of them, read as one query when it is
    a queryset) out of ``total``."""
    if ok:
        return Outcome(result=PASS, measured=str(measured), threshold=str(threshold), detail=str(detail))
    evidence, counted = evidence_of(page[:EVIDENCE_LIMIT], label, url, total=total)
    return Outcome(
        result=FAIL,
        measured=str(measured),
        threshold=str(threshold),
        detail=str(detail),
        evidence=evidence,
        evidence_total=counted,
    )


def failed(*, measured, threshold, evidence: list[Evidence], total: int | None = None, detail="") -> Outcome:
    """A FAIL whose evidence the rule composed itself (several kinds of offending rows)."""
    return Outcome(
        result=FAIL,
        measured=str(measured),
        threshold=str(threshold),
        detail=str(detail),
        evidence=evidence[:EVIDENCE_LIMIT],
        evidence_total=len(evidence) if total is None else total,
    )
