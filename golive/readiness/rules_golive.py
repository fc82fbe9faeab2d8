"""Built-in readiness rules 9–15: production environment, training, support plan, cutover
rehearsals and tasks, user guides, the Deployment phase's plan. Registered on import (``rules``
imports this module); the shared contract is in ``base``, the helpers in ``rules_common``.
"""

from __future__ import annotations

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from golive.models import Attendance, Category, CutoverRun, CutoverTask, Runbook, SupportPlan, TaskType, UserGuide
from golive.readiness.base import Evidence, Param, no_data, rule
from golive.readiness.rules_common import at_least, failed, hours, number, outcome_of, percent, url_of
from golive.readiness.rules_http import check_url
from phases.design import selectors as design_selectors
from phases.development import selectors as development_selectors
from projects import selectors as project_selectors
from projects.models import PhaseKind
from projects.roles import CLIENT_ROLES, Role

# --- 9. production environment --------------------------------------------------------------


@rule(
    key="production_health",
    title=_("Production environment answering"),
    category=Category.ENVIRONMENT,
    params=(Param("timeout_seconds", _("Timeout (seconds)"), 5),),
    description=_(
        "A production environment is recorded with its URL, and the URL answers 2xx from a worker "
        "(http or https only; redirects followed up to 3 times, never to another host)."
    ),
)
def production_health(project, params):
    timeout = max(number(params.get("timeout_seconds"), 5), 0.1)
    environments = list(development_selectors.production_environments_for_readiness(project=project))
    if not environments:
        return no_data(params, _("No production environment recorded."))
    checked = []
    for environment in environments:
        if not environment.url:
            checked.append((environment, None, str(_("no URL recorded"))))
            continue
        health = check_url(environment.url, timeout=timeout)
        checked.append((environment, health.ok, health.reason))
    bad = [(env, reason) for env, ok, reason in checked if not ok]
    if len(checked) == 1:
        measured = checked[0][2]
    else:
        measured = _("%(ok)s of %(total)s answering") % {"ok": len(checked) - len(bad), "total": len(checked)}
    return outcome_of(
        not bad,
        measured=measured,
        threshold=_("HTTP 2xx"),
        page=bad,
        total=len(bad),
        label=lambda row: f"{row[0]} ({row[0].url}): {row[1]}" if row[0].url else f"{row[0]}: {row[1]}",
        url=lambda row: url_of(row[0]),
        detail="; ".join(f"{env}: {reason}" for env, reason in bad),
    )


# --- 10. training ----------------------------------------------------------------------------


def _person(row) -> str:
    name = f"{row['user__first_name']} {row['user__last_name']}".strip()
    return name or row["user__username"]


@rule(
    key="training_completion",
    title=_("Training completed"),
    category=Category.TRAINING,
    params=(Param("threshold", _("Minimum completion per role (%)"), 90, kind="percent"),),
    description=_(
        "Per client role (sponsor, key user, viewer): the invitations to training sessions its "
        "members attended, out of all their invitations (absent, excused and sessions still to "
        "come count as not attended). Roles without invitations are not judged."
    ),
)
def training_completion(project, params):
    threshold = number(params.get("threshold"), 90)
    roles = project_selectors.member_roles_for_readiness(project=project, roles=CLIENT_ROLES)
    people = list(
        Attendance.objects.filter(session__project=project, user_id__in=list(roles))
        .values("user_id", "user__username", "user__first_name", "user__last_name")
        .annotate(invited=Count("pk"), attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)))
        .order_by("user__username")
    )
    if not people:
        return no_data(params, _("No client member invited to a training session yet."))
    totals: dict[str, list[int]] = {}
    for row in people:
        figures = totals.setdefault(roles[row["user_id"]], [0, 0])
        figures[0] += row["attended"]
        figures[1] += row["invited"]
    order = [r for r in Role.values if r in totals]
    rates = {r: 100 * totals[r][0] / totals[r][1] for r in order}
    below = [r for r in order if rates[r] < threshold]
    measured = ", ".join(f"{Role(r).label} {percent(rates[r])}" for r in order)
    if not below:
        return outcome_of(
            True, measured=measured, threshold=_("%(t)s per role") % {"t": at_least(threshold)}, label=str
        )
    evidence = [
        Evidence(
            label=str(
                _("%(role)s: %(rate)s (%(attended)s of %(invited)s invitations attended)")
                % {"role": Role(r).label, "rate": percent(rates[r]), "attended": totals[r][0], "invited": totals[r][1]}
            )
        )
        for r in below
    ]
    missed = [row for row in people if roles[row["user_id"]] in below and row["attended"] < row["invited"]]
    evidence += [
        Evidence(
            label=str(
                _("%(name)s (%(role)s): %(missed)s of %(invited)s sessions not attended")
                % {
                    "name": _person(row),
                    "role": Role(roles[row["user_id"]]).label,
                    "missed": row["invited"] - row["attended"],
                    "invited": row["invited"],
                }
            )
        )
        for row in missed
    ]
    return failed(measured=measured, threshold=_("%(t)s per role") % {"t": at_least(threshold)}, evidence=evidence)


# --- 11. support plan ------------------------------------------------------------------------


@rule(
    key="support_plan_approved",
    title=_("Support plan approved"),
    category=Category.SUPPORT,
    description=_("The support plan (hypercare, teams, escalation) has an approved sign-off."),
)
def support_plan_approved(project, params):
    plan = SupportPlan.objects.filter(project=project).select_related("project", "signoff").first()
    if plan is None:
        return no_data(params, _("No support plan yet."))
    state = plan.signoff.get_decision_display() if plan.signoff is not None else _("Not requested")
    return outcome_of(
        plan.approved, measured=state, threshold=_("Approved"), page=[plan], total=1, label=lambda p: f"{p}: {state}"
    )


# --- 12–13. cutover --------------------------------------------------------------------------


def _runbook(project):
    return Runbook.objects.filter(project=project).select_related("project").first()


def _duration_hours(run) -> float | None:
    """How long a run took: from its first task's actual start to its last task's actual end
    (the truth, even if the run was re-baselined), else from its planned start to its end."""
    if run.first_start is not None and run.last_end is not None:
        return (run.last_end - run.first_start).total_seconds() / 3600
    if run.finished_at is not None:
        return (run.finished_at - run.baseline_start).total_seconds() / 3600
    return None


@rule(
    key="rehearsals",
    title=_("Cutover rehearsed"),
    category=Category.CUTOVER,
    params=(Param("min_rehearsals", _("Minimum completed rehearsals"), 2),),
    description=_(
        "At least this many rehearsals of the runbook completed, and the last one took no longer "
        "than the cutover window."
    ),
)
def rehearsals(project, params):
    minimum = int(number(params.get("min_rehearsals"), 2))
    runbook = _runbook(project)
    if runbook is None:
        return no_data(params, _("No cutover runbook yet."))
    completed = CutoverRun.objects.filter(
        runbook=runbook, kind=CutoverRun.Kind.REHEARSAL, status=CutoverRun.Status.COMPLETED
    )
    count = completed.count()
    last = (
        completed.select_related("project")
        .annotate(first_start=Min("tasks__actual_start"), last_end=Max("tasks__actual_end"))
        .order_by("-number")
        .first()
    )
    took = _duration_hours(last) if last is not None else None
    within = took is not None and took <= runbook.window_hours
    if took is None:
        measured = _("%(n)s completed") % {"n": count}
    else:
        measured = _("%(n)s completed, the last in %(h)s h") % {"n": count, "h": hours(took)}
    return outcome_of(
        count >= minimum and within,
        measured=measured,
        threshold=_("≥ %(n)s, within %(h)s h") % {"n": minimum, "h": runbook.window_hours},
        page=[last] if last is not None else [],
        total=1 if last is not None else 0,
        label=lambda run: _("%(run)s: %(h)s h") % {"run": run, "h": hours(took)} if took is not None else str(run),
    )


def _task_gaps(task) -> list[str]:
    gaps = []
    if task.owner_id is None and task.owner_team_id is None:
        gaps.append(str(_("no owner")))
    if task.planned_minutes is None and task.type not in (TaskType.MILESTONE, TaskType.CHECKPOINT):
        gaps.append(str(_("no planned duration")))
    if task.critical and not task.rollback.strip():
        gaps.append(str(_("critical without a rollback step")))
    return gaps


@rule(
    key="cutover_tasks_complete",
    title=_("Cutover tasks owned, timed, with rollback"),
    category=Category.CUTOVER,
    description=_(
        "Every task of the runbook has an owner (a person or a support team) and a planned "
        "duration (milestones and go/no-go checkpoints take none), and every critical task a "
        "rollback step."
    ),
)
def cutover_tasks_complete(project, params):
    runbook = _runbook(project)
    tasks = CutoverTask.objects.filter(runbook=runbook) if runbook is not None else CutoverTask.objects.none()
    total = tasks.count() if runbook is not None else 0
    if not total:
        return no_data(params, _("No cutover task yet."))
    untimed = Q(planned_minutes__isnull=True) & ~Q(type__in=[TaskType.MILESTONE, TaskType.CHECKPOINT])
    no_rollback = Q(critical=True, rollback__regex=r"^\s*$")
    offending = tasks.filter(Q(owner__isnull=True, owner_team__isnull=True) | untimed | no_rollback).order_by("number")
    count = offending.count()
    return outcome_of(
        count == 0,
        measured=_("%(n)s of %(total)s incomplete") % {"n": count, "total": total},
        threshold=_("= 0"),
        page=offending,
        total=count,
        label=lambda task: f"{task}: {', '.join(_task_gaps(task))}",
    )


# --- 14. user guides -------------------------------------------------------------------------


@rule(
    key="user_guides_published",
    title=_("User guides published"),
    category=Category.TRAINING,
    description=_("Every process design (each is a process going live) has at least one published user guide."),
)
def user_guides_published(project, params):
    designs = design_selectors.process_designs_for_readiness(project=project)
    total = designs.count()
    if not total:
        return no_data(params, _("No process design yet."))
    published = UserGuide.objects.filter(published=True, processes=OuterRef("pk"))
    missing = designs.exclude(Exists(published))
    count = missing.count()
    return outcome_of(
        count == 0,
        measured=_("%(n)s of %(total)s processes without a guide") % {"n": count, "total": total},
        threshold=_("= 0"),
        page=missing,
        total=count,
        label=str,
    )


# --- 15. the Deployment phase's plan ---------------------------------------------------------


@rule(
    key="deployment_tasks_on_time",
    title=_("No overdue deployment tasks"),
    category=Category.CUTOVER,
    description=_("No plan task of the Deployment phase is past its due date and not done."),
)
def deployment_tasks_on_time(project, params):
    total, overdue = project_selectors.phase_tasks_for_readiness(
        project=project, kind=PhaseKind.DEPLOYMENT, today=timezone.localdate()
    )
    if not total:
        return no_data(params, _("The Deployment phase has no plan task."))
    count = overdue.count()
    return outcome_of(
        count == 0,
        measured=_("%(n)s overdue") % {"n": count},
        threshold=_("= 0"),
        page=overdue,
        total=count,
        label=lambda task: _("%(task)s: due %(due)s") % {"task": task, "due": task.due.isoformat()},
    )
