"""The fifteen built-in readiness rules. Importing this module registers all of them.

Rules 1–8 (scope, testing, data migration, technical requirements) are here; rules 9–15
(production environment, training, support plan, cutover, user guides, deployment plan) are
in ``rules_golive``, imported at the end. Each rule reads the other apps through their
"readiness figures" selectors (``*_for_readiness``: no user, a run is the project's job) and
golive's own models; it makes a fixed number of queries whatever the project's size (counts
in the database, one page of evidence), and answers ``no_data`` when there is nothing to
judge yet. The contract every rule keeps is in ``base``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from datamigration import selectors as migration_selectors
from golive.models import Category
from golive.readiness.base import EVIDENCE_LIMIT, Evidence, Param, no_data, rule
from golive.readiness.rules_common import at_least, failed, number, outcome_of, percent, url_named, url_of
from phases.design import selectors as design_selectors
from phases.design.models import TechnicalRequirement
from phases.discovery import selectors as discovery_selectors
from projects.models import Approval
from testing.models import CaseType, Defect
from testing.selectors.coverage import (
    SEVERITY_ORDER,
    cycles_not_signed_off_for_readiness,
    open_defects_for_readiness,
    pass_rate_for_readiness,
    untested_for_readiness,
)

APPROVED = Approval.Decision.APPROVED


def _decision(approval) -> str:
    """A sign-off's state in words: its decision, or "not requested"."""
    return str(approval.get_decision_display()) if approval is not None else str(_("Not requested"))


# --- 1. scope -----------------------------------------------------------------------------


@rule(
    key="scope_signed_off",
    title=_("Scope signed off"),
    category=Category.SCOPE,
    description=_("The latest discovery sign-off and the sign-off of every process design are approved."),
)
def scope_signed_off(project, params):
    signoff = discovery_selectors.discovery_signoff_for_readiness(project=project)
    designs = design_selectors.process_designs_for_readiness(project=project)
    design_total = designs.count()
    if signoff is None and not design_total:
        return no_data(params, _("No discovery sign-off requested and no process design yet."))
    waiting = designs.exclude(approval__decision=APPROVED)
    waiting_total = waiting.count()
    evidence = []
    discovery_ok = signoff is not None and signoff.approval is not None and signoff.approval.decision == APPROVED
    if not discovery_ok:
        label = _("Discovery & Planning sign-off: %(state)s") % {"state": _decision(signoff and signoff.approval)}
        evidence.append(Evidence(label=str(label), url=url_named("discovery:overview", project.code)))
    if not design_total:
        evidence.append(
            Evidence(label=str(_("No process design yet")), url=url_named("design:design_list", project.code))
        )
    designs_shown = list(waiting[: EVIDENCE_LIMIT - len(evidence)]) if waiting_total else []
    evidence += [Evidence(label=f"{d}: {d.get_status_display()}", url=url_of(d)) for d in designs_shown]
    total = 1 + design_total
    approved = int(discovery_ok) + design_total - waiting_total
    measured = _("%(approved)s of %(total)s sign-offs approved") % {"approved": approved, "total": total}
    if not evidence:
        return outcome_of(True, measured=measured, threshold=_("all approved"), label=str)
    missing = int(not discovery_ok) + int(not design_total) + waiting_total
    return failed(measured=measured, threshold=_("all approved"), evidence=evidence, total=missing)


# --- 2–5. testing -------------------------------------------------------------------------


@rule(
    key="must_requirements_covered",
    title=_("Must-have requirements covered by tests"),
    category=Category.TESTING,
    description=_(
        "Every agreed must-have requirement is reached by at least one test case, by the links "
        "the traceability matrix follows (directly, through a development item or a process design)."
    ),
)
def must_requirements_covered(project, params):
    must = discovery_selectors.must_requirements_for_readiness(project=project)
    total = must.count()
    if not total:
        return no_data(params, _("No agreed must-have requirement yet."))
    uncovered = must.filter(*untested_for_readiness(project=project))
    missing = uncovered.count()
    return outcome_of(
        missing == 0,
        measured=_("%(covered)s of %(total)s covered") % {"covered": total - missing, "total": total},
        threshold=_("all covered"),
        page=uncovered,
        total=missing,
        label=str,
    )


@rule(
    key="uat_signed_off",
    title=_("UAT signed off by the sponsor"),
    category=Category.TESTING,
    description=_("Every UAT cycle has an approved sign-off (decided by the sponsor or the PM, never its requester)."),
)
def uat_signed_off(project, params):
    total, waiting = cycles_not_signed_off_for_readiness(project=project, cycle_type=CaseType.UAT)
    if not total:
        return no_data(params, _("No UAT cycle yet."))
    missing = waiting.count()
    return outcome_of(
        missing == 0,
        measured=_("%(signed)s of %(total)s signed off") % {"signed": total - missing, "total": total},
        threshold=_("all signed off"),
        page=waiting,
        total=missing,
        label=lambda cycle: f"{cycle}: {_decision(cycle.signoff)}",
    )


@rule(
    key="pass_rate",
    title=_("Test pass rate"),
    category=Category.TESTING,
    params=(
        Param("threshold", _("Minimum pass rate (%)"), 95, kind="percent"),
        Param("cycle_type", _("Cycle type"), CaseType.UAT.value, kind="choice", choices=tuple(CaseType.choices)),
    ),
    description=_(
        "Of the last finished run of each case in the cycles of one type, the share that passed "
        "(failed and blocked runs do not). Cases not run yet are not counted."
    ),
)
def pass_rate(project, params):
    cycle_type = params.get("cycle_type") or CaseType.UAT
    threshold = number(params.get("threshold"), 95)
    figures = pass_rate_for_readiness(project=project, cycle_type=cycle_type)
    if not figures.executed:
        label = CaseType(cycle_type).label if cycle_type in CaseType.values else cycle_type
        return no_data(params, _("No finished test run in the %(type)s cycles yet.") % {"type": label})
    return outcome_of(
        figures.percent >= threshold,
        measured=percent(figures.percent),
        threshold=at_least(threshold),
        page=figures.not_passed,
        total=figures.executed - figures.passed,
        label=lambda run: f"{run.case}: {run.get_status_display()}",
        url=lambda run: url_of(run.case),
    )


@rule(
    key="open_defects",
    title=_("No open defects of a severity"),
    category=Category.TESTING,
    params=(
        Param(
            "severity",
            _("Severity and worse"),
            Defect.Severity.MAJOR.value,
            kind="choice",
            choices=tuple(Defect.Severity.choices),
        ),
    ),
    description=_("No defect of the severity or worse (critical > major > minor > trivial) is still open."),
)
def open_defects(project, params):
    severity = params.get("severity") or Defect.Severity.MAJOR
    if severity not in SEVERITY_ORDER:
        severity = Defect.Severity.MAJOR
    started, defects = open_defects_for_readiness(project=project, severity=severity)
    if not started:
        return no_data(params, _("No test cycle and no defect yet."))
    count = defects.count()
    return outcome_of(
        count == 0,
        measured=_("%(count)s open") % {"count": count},
        threshold=_("= 0"),
        page=defects,
        total=count,
        label=lambda d: f"{d} ({d.get_severity_display()}, {d.get_status_display()})",
    )


# --- 6–7. data migration ------------------------------------------------------------------


@rule(
    key="mock_loads",
    title=_("Mock loads of every required object"),
    category=Category.DATA_MIGRATION,
    params=(Param("min_loads", _("Minimum load cycles per object"), 2),),
    description=_(
        "Every master-data object required for go-live was loaded successfully in at least this "
        "many cycles (mock1, mock2, ...; a retry within one cycle counts once)."
    ),
)
def mock_loads(project, params):
    minimum = int(number(params.get("min_loads"), 2))
    objects = list(migration_selectors.required_objects_for_readiness(project=project))
    if not objects:
        return no_data(params, _("No master-data object is required for go-live yet."))
    short = [o for o in objects if o.load_cycles < minimum]
    return outcome_of(
        not short,
        measured=_("%(ok)s of %(total)s objects") % {"ok": len(objects) - len(short), "total": len(objects)},
        threshold=_("≥ %(n)s load cycles each") % {"n": minimum},
        page=short,
        total=len(short),
        label=lambda o: _("%(object)s: %(n)s of %(min)s load cycles")
        % {"object": o, "n": o.load_cycles, "min": minimum},
    )


def _load_problems(load, max_error_rate: float) -> list[str]:
    run = load.run
    if run is None:
        return [str(_("never loaded"))]
    if run.status != run.Status.SUCCEEDED:
        return [str(_("latest load %(status)s") % {"status": run.get_status_display().lower()})]
    problems = []
    rate = load.error_rate
    if rate is not None and rate > max_error_rate:
        problems.append(str(_("%(rate)s of rows with errors") % {"rate": percent(rate)}))
    return problems + [str(p) for p in load.reconciliation_problems()]


@rule(
    key="latest_load_clean",
    title=_("Latest loads clean and reconciled"),
    category=Category.DATA_MIGRATION,
    params=(Param("max_error_rate", _("Maximum rows with errors (%)"), 1, kind="percent"),),
    description=_(
        "The latest finished load of every required object succeeded, its rows with errors are "
        "within the limit, and it reconciles: every row valid or rejected, every valid row loaded, "
        "and the staged data still has the checksum the load recorded."
    ),
)
def latest_load_clean(project, params):
    max_rate = number(params.get("max_error_rate"), 1)
    loads = migration_selectors.latest_loads_for_readiness(project=project)
    if not loads:
        return no_data(params, _("No master-data object is required for go-live yet."))
    offending = [(load, problems) for load in loads if (problems := _load_problems(load, max_rate))]
    return outcome_of(
        not offending,
        measured=_("%(ok)s of %(total)s objects clean") % {"ok": len(loads) - len(offending), "total": len(loads)},
        threshold=_("all clean, ≤ %(rate)s rows with errors") % {"rate": percent(max_rate)},
        page=offending,
        total=len(offending),
        label=lambda row: f"{row[0].object}: {'; '.join(row[1])}",
        url=lambda row: url_of(row[0].run or row[0].object),
    )


# --- 8. technical requirements -------------------------------------------------------------


@rule(
    key="technical_verified",
    title=_("Technical requirements verified"),
    category=Category.SECURITY,
    description=_("Every technical requirement (hardware, network, security, backup...) is verified."),
)
def technical_verified(project, params):
    requirements = design_selectors.technical_requirements_for_readiness(project=project)
    total = requirements.count()
    if not total:
        return no_data(params, _("No technical requirement yet."))
    open_ = requirements.exclude(status=TechnicalRequirement.Status.VERIFIED)
    missing = open_.count()
    return outcome_of(
        missing == 0,
        measured=_("%(verified)s of %(total)s verified") % {"verified": total - missing, "total": total},
        threshold=_("all verified"),
        page=open_,
        total=missing,
        label=lambda r: f"{r}: {r.get_status_display()}",
    )


# Rules 9–15 register themselves on import.
from golive.readiness import rules_golive  # noqa: E402, F401
