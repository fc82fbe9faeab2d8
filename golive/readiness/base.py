"""What every readiness rule shares: its parameters, its outcome, the registry.

A rule is a function ``evaluate(project, params) -> Outcome`` registered with ``@rule``.
It reads the other apps through their selectors (never their models' internals or their
services), without a user: a run is the project's job, its results are scoped when they are
shown. It never raises for missing data: with nothing to look at it answers
``no_data(params)``, which is "not applicable" or "fail" as the criterion's ``when_no_data``
parameter says. An exception is still caught by the run and recorded as an error result.

Evidence is the offending objects, each with a label and a link; at most ``EVIDENCE_LIMIT``
are kept, ``evidence_total`` counts them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

EVIDENCE_LIMIT = 50

PASS, FAIL, NOT_APPLICABLE, ERROR = "pass", "fail", "not_applicable", "error"


@dataclass(frozen=True)
class Param:
    """A named parameter of a rule: ``kind`` is ``int``, ``percent``, ``choice`` or ``text``."""

    name: str
    label: str
    default: object
    kind: str = "int"
    choices: tuple = ()


WHEN_NO_DATA = Param(
    "when_no_data",
    _("With no data yet"),
    NOT_APPLICABLE,
    kind="choice",
    choices=((NOT_APPLICABLE, _("Not applicable")), (FAIL, _("Fail"))),
)


@dataclass
class Evidence:
    """An offending object. ``internal``: an internal object (its title must not reach client
    roles); the run keeps those apart (``ReadinessResult.evidence_internal``)."""

    label: str
    url: str = ""
    internal: bool = False

    def as_dict(self) -> dict:
        return {"label": str(self.label), "url": self.url}


@dataclass
class Outcome:
    result: str
    measured: str = ""
    threshold: str = ""
    detail: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    evidence_total: int = 0


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    category: str
    evaluate: Callable
    params: tuple[Param, ...] = ()
    description: str = ""

    @property
    def all_params(self) -> tuple[Param, ...]:
        return (*self.params, WHEN_NO_DATA)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.all_params}


RULES: dict[str, Rule] = {}


def rule(*, key: str, title, category: str, params: tuple[Param, ...] = (), description=""):
    """Register ``evaluate(project, params)`` as the built-in rule ``key``."""

    def register(evaluate):
        RULES[key] = Rule(
            key=key, title=title, category=category, evaluate=evaluate, params=params, description=description
        )
        return evaluate

    return register


def no_data(params: dict, detail="") -> Outcome:
    return Outcome(result=params.get("when_no_data", NOT_APPLICABLE), detail=str(detail or _("No data yet.")))


def evidence_of(items, label: Callable, url: Callable, total: int | None = None) -> tuple[list[Evidence], int]:
    """At most ``EVIDENCE_LIMIT`` evidence entries of ``items`` and the total count."""
    items = list(items)
    shown = [
        Evidence(label=str(label(item)), url=url(item) or "", internal=getattr(item, "internal", False) is True)
        for item in items[:EVIDENCE_LIMIT]
    ]
    return shown, len(items) if total is None else total


def rule_named(key: str) -> Rule | None:
    from golive.readiness import rules  # noqa: F401  (registers the built-in rules)

    return RULES.get(key)


def coerce(param: Param, value):
    """A parameter's value in its kind; ``ValueError`` → the service's 400."""
    from erpimpl.errors import DomainError

    try:
        if param.kind in ("int", "percent"):
            number = float(value) if param.kind == "percent" else int(value)
            if number < 0 or (param.kind == "percent" and number > 100):
                raise ValueError
            return number
        if param.kind == "choice":
            allowed = [c[0] for c in param.choices]
            if value not in allowed:
                raise ValueError
            return value
        return str(value)
    except (TypeError, ValueError):
        kinds = {"int": _("a whole number ≥ 0"), "percent": _("a percentage between 0 and 100")}
        kind = kinds.get(param.kind) or _("one of: %(choices)s") % {"choices": ", ".join(c[0] for c in param.choices)}
        raise DomainError(
            _("“%(name)s” must be %(kind)s.") % {"name": param.name, "kind": kind}, field="parameters"
        ) from None


def manual_outcome(criterion) -> Outcome:
    """A manual criterion's result is its owner's assessment: met passes, not met fails,
    not assessed yet fails (nobody has said it is ready)."""
    assessment = criterion.assessment
    result = PASS if assessment == "met" else FAIL
    evidence = []
    if criterion.evidence:
        evidence.append(Evidence(label=criterion.evidence_name or _("attachment"), url=""))
    return Outcome(
        result=result,
        measured=str(criterion.get_assessment_display()),
        threshold=str(_("met")),
        detail=criterion.assessment_note,
        evidence=evidence,
        evidence_total=len(evidence),
    )


def evaluate(key: str, project, parameters: dict | None) -> Outcome:
    """The outcome of rule ``key`` on ``project`` with ``parameters`` over its defaults."""
    from golive.readiness import rules  # noqa: F401  (registers the built-in rules)

    found = RULES[key]
    params = {**found.defaults(), **(parameters or {})}
    return found.evaluate(project, params)
