"""Readiness pages of the dashboard: the go-live readiness dashboard and the runs.

The dashboard shows the latest finished run (score, GO / NO-GO, blockers), the score and the
blockers over time, the run in progress (its progress polled by htmx every 2 s until it
ends) and every run, filtered and paginated. A run's page shows its results by category
with the evidence (the offending objects, linked); two runs can be compared.

Figures come from ``selectors.summary``: for a client role they are recomputed over the
client-visible results, so an internal blocker is neither shown nor counted. A run's
worker, query count and error are the firm's (shown with ``VIEW_INTERNAL`` only).
Starting and cancelling a run need ``RUN_JOBS`` (the service checks it again).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from golive import selectors, services
from golive.filters import RunFilterSet
from golive.forms_readiness import CompareForm
from golive.models import Category, ReadinessResult, ReadinessRun
from projects.actions import ServiceActionView
from projects.mixins import ProjectAccessMixin, filter_params, page_filter_form
from projects.roles import Capability, can

C = Capability
RUNS_PAGE_SIZE = 20
#: Results that make a blocking criterion a blocker (the service's ``score_of`` rule).
BLOCKING_RESULTS = (ReadinessResult.Result.FAIL, ReadinessResult.Result.ERROR)
#: The fragment's answer header when a run has ended: the page reloads to show its results.
FINISHED_EVENT = "readiness-run-finished"


def safe_href(url) -> str:
    """An evidence link as a rule stored it, when it is a path of this site or an http(s)
    address; anything else (``javascript:``, ``//host``) is shown as text, not linked."""
    url = str(url or "")
    if url.startswith("/") and not url.startswith("//"):
        return url
    if url.startswith(("http://", "https://")):
        return url
    return ""


def with_evidence(results, *, internal: bool) -> list:
    """The results with ``evidence_items`` (label, safe link, whether internal) and
    ``evidence_more`` (offending objects counted but not kept: "and N more").

    ``internal``: the reader may see internal objects (``VIEW_INTERNAL``), kept apart by the
    run in ``evidence_internal``; for anyone else they are neither listed nor counted in
    "and N more", so not even their number shows.
    """
    results = list(results)
    for result in results:
        shown = _entries(result.evidence, internal=False)
        hidden = _entries(result.evidence_internal, internal=True)
        result.evidence_items = shown + hidden if internal else shown
        result.evidence_more = max(result.evidence_total - len(shown) - len(hidden), 0)
    return results


def _entries(evidence, *, internal: bool) -> list[dict]:
    entries = evidence if isinstance(evidence, list) else []
    return [
        {"label": entry.get("label", ""), "href": safe_href(entry.get("url")), "internal": internal}
        for entry in entries
        if isinstance(entry, dict)
    ]


def by_category(results) -> list[tuple[str, list]]:
    """``[(category label, results)]`` in the order of the categories."""
    groups: dict[str, list] = {}
    for result in results:
        groups.setdefault(result.category, []).append(result)
    return [(label, groups[key]) for key, label in Category.choices if key in groups]


def history_chart(rows: list[dict]) -> dict:
    """The chart of score and blockers over time (``static/js/charts.js``): the score as a
    line on 0–100, the blockers as bars on their own axis. A client role's history has no
    score (it is recomputed per run only for the latest): blockers only."""
    labels = [
        f"#{row['number']} {timezone.localtime(row['at']).strftime('%d/%m') if row['at'] else ''}".strip()
        for row in rows
    ]
    blockers = [row["blockers"] for row in rows]
    if not any(row["score"] is not None for row in rows):
        return {"labels": labels, "datasets": [{"label": _("Blockers"), "data": blockers}]}
    scores = [float(row["score"]) if row["score"] is not None else None for row in rows]
    return {
        "labels": labels,
        "datasets": [
            {"label": _("Score (%)"), "type": "line", "data": scores, "yAxisID": "y"},
            {"label": _("Blockers"), "type": "bar", "data": blockers, "yAxisID": "y1"},
        ],
        "max": 100,
    }


def result_counts(summary) -> list[tuple[str, int]]:
    """``[(result label, how many)]`` of a summary, in the results' order."""
    if summary is None:
        return []
    return [(label, summary.counts.get(key, 0)) for key, label in ReadinessResult.Result.choices]


def progress_context(run: ReadinessRun) -> dict:
    return {"run": run, "run_active": run.status in ReadinessRun.ACTIVE}


class RunPageMixin(ProjectAccessMixin):
    capability = C.VIEW

    def url(self, name: str, *args) -> str:
        return reverse(f"golive:{name}", args=[self.project.code, *args])

    def get_run(self) -> ReadinessRun:
        return selectors.run_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            may_run=can(user, self.project, C.RUN_JOBS),
            may_edit=can(user, self.project, C.EDIT),
            may_view_internal=can(user, self.project, C.VIEW_INTERNAL),
        )
        return context


class ReadinessDashboardView(RunPageMixin, TemplateView):
    """Are we ready to go live? The latest run's answer, its trend, and every run."""

    template_name = "golive/readiness/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        latest = selectors.latest_run(user=user, project=project)
        active = selectors.run_list(user=user).filter(project=project, status__in=ReadinessRun.ACTIVE).first()
        runs = RunFilterSet(
            filter_params(self.request.GET),
            queryset=selectors.run_list(user=user).filter(project=project),
            request=self.request,
        )
        page = Paginator(runs.qs, RUNS_PAGE_SIZE).get_page(self.request.GET.get("page"))
        history = selectors.history(user=user, project=project)
        summary = selectors.summary(user=user, run=latest) if latest else None
        context.update(
            latest=latest,
            summary=summary,
            counts=result_counts(summary),
            blockers=(
                list(selectors.result_list(user=user, run=latest).filter(blocking=True, result__in=BLOCKING_RESULTS))
                if latest
                else []
            ),
            active=active,
            history=history,
            history_chart=history_chart(history),
            page_obj=page,
            runs=page.object_list,
            filter_form=page_filter_form(runs.form, project=project, fields=("status", "trigger")),
        )
        return context


class RunStartView(RunPageMixin, ServiceActionView):
    """Queue a readiness check; then its page (or back to the dashboard with the refusal)."""

    capability = C.RUN_JOBS

    def perform(self, form):
        return services.readiness_run_request(project=self.project, by=self.request.user)

    def get_success_message(self, result):
        return _("Readiness check #%(number)s queued.") % {"number": result.number}

    def get_success_url(self, result):
        if result is None:
            return self.url("readiness")
        return self.url("run_detail", result.pk)


class RunDetailView(RunPageMixin, TemplateView):
    """A run: status and live progress, summary figures, results by category with evidence."""

    template_name = "golive/readiness/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run = self.get_run()
        results = with_evidence(selectors.result_list(user=user, run=run), internal=context["may_view_internal"])
        previous = (
            selectors.run_list(user=user)
            .filter(project=self.project, status=ReadinessRun.Status.SUCCEEDED, number__lt=run.number)
            .first()
        )
        summary = selectors.summary(user=user, run=run) if results else None
        context.update(
            progress_context(run),
            summary=summary,
            counts=result_counts(summary),
            groups=by_category(results),
            previous=previous,
            may_cancel=context["may_run"] and run.status in ReadinessRun.ACTIVE,
        )
        return context


class RunProgressView(RunPageMixin, TemplateView):
    """The progress fragment htmx polls every 2 s while the run is queued or running; once it
    has ended the answer stops the polling and tells the page to reload."""

    template_name = "golive/readiness/_run_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(progress_context(self.get_run()))
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context["run_active"]:
            response["HX-Trigger"] = FINISHED_EVENT
        return response


class RunCancelView(RunPageMixin, ServiceActionView):
    """A queued run ends at once; a running one stops before its next criterion."""

    capability = C.RUN_JOBS
    message_level = messages.INFO

    def get_object(self):
        return self.get_run()

    def perform(self, form):
        return services.readiness_run_cancel(run=self.object, by=self.request.user)

    def get_success_message(self, result):
        if result.status == ReadinessRun.Status.CANCELLED:
            return _("Readiness check #%(number)s cancelled.") % {"number": result.number}
        return _("Cancel requested: the check stops before its next criterion.")

    def get_success_url(self, result):
        return self.url("run_detail", self.object.pk)


class RunCompareView(RunPageMixin, TemplateView):
    """Which criteria changed between two runs, and which evidence appeared or went.

    ``?with=<pk>`` names the other run (a finished run of the project); without it, the
    finished run before this one. The older run is the "before", whichever was named first.
    """

    template_name = "golive/readiness/run_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run = self.get_run()
        finished = selectors.run_list(user=user).filter(project=self.project, status=ReadinessRun.Status.SUCCEEDED)
        others = finished.exclude(pk=run.pk)
        other = None
        if "with" in self.request.GET:
            form = CompareForm(self.request.GET, runs=others)
            if form.is_valid():
                other = form.cleaned_data["with"]
        else:
            other = others.filter(number__lt=run.number).first() or others.first()
            form = CompareForm(initial={"with": other.pk if other else None}, runs=others)
        changes, older, newer = [], None, None
        if other is not None:
            older, newer = sorted((run, other), key=lambda r: r.number)
            changes = selectors.compare(user=user, older=older, newer=newer)
        context.update(run=run, other=other, older=older, newer=newer, changes=changes, form=form)
        return context
