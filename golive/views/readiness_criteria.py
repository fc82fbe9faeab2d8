"""Readiness criteria pages: list, create/edit, detail with results over the runs, delete,
the manual assessment (met / not met, a note, an attachment) and its download.

Writes need ``EDIT`` (criteria) or are decided by the service (an assessment: the
criterion's owner, or anyone who may edit). A criterion of another project, or an
internal one for a client role, answers 404.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from golive import selectors, services
from golive.filters import CriterionFilterSet
from golive.forms_readiness import AssessForm, CriterionForm, rule_help
from golive.models import ReadinessCriterion, ReadinessResult
from golive.views.readiness import with_evidence
from projects.actions import ServiceActionView, ServiceFormView
from projects.files import attachment_response
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability, can

C = Capability
RESULTS_PAGE_SIZE = 25


def may_assess(user, criterion: ReadinessCriterion) -> bool:
    """Whether the page offers the assessment form (the service decides the same way)."""
    if criterion.kind != ReadinessCriterion.Kind.MANUAL:
        return False
    return criterion.owner_id == user.pk or can(user, criterion.project, C.EDIT)


class CriterionListView(ProjectFilteredListView):
    """The project's criteria with the result each had in the latest finished run."""

    template_name = "golive/readiness/criterion_list.html"
    context_object_name = "criteria"
    filterset_class = CriterionFilterSet
    filter_fields = ("category", "kind", "blocking", "active", "q")

    def rows(self):
        return selectors.criterion_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        latest = selectors.latest_run(user=user, project=self.project)
        criteria = list(context["criteria"])
        last = {}
        if latest is not None and criteria:
            results = selectors.result_list(user=user, run=latest).filter(criterion__in=criteria)
            last = {r.criterion_id: r for r in results.only("criterion_id", "result", "measured", "threshold")}
        for criterion in criteria:
            criterion.last_result = last.get(criterion.pk)
        context.update(criteria=criteria, latest=latest, may_edit=can(user, self.project, C.EDIT))
        return context


class CriterionEditView(ServiceFormView):
    """Create a criterion (no ``pk``) or edit one with the version read (a stale one: 409)."""

    template_name = "golive/readiness/criterion_form.html"
    form_class = CriterionForm
    capability = C.EDIT

    def dispatch(self, request, *args, **kwargs):
        self.criterion = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        if self.kwargs.get("pk"):
            self.criterion = selectors.criterion_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
            kwargs["initial"] = CriterionForm.initial_for(self.criterion)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(criterion=self.criterion, rules=rule_help(context["form"].rules))
        return context

    def perform(self, form):
        data = form.service_kwargs()
        if self.criterion is not None:
            version = form.cleaned_data.get("version") or 0
            return services.criterion_update(criterion=self.criterion, by=self.request.user, version=version, **data)
        return services.criterion_create(project=self.project, by=self.request.user, **data)

    def get_success_message(self, result):
        return _("Criterion %(code)s saved.") % {"code": result.code}


class CriterionDetailView(ProjectAccessMixin, TemplateView):
    template_name = "golive/readiness/criterion_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        criterion = selectors.criterion_get(user=user, project=self.project, pk=self.kwargs["pk"])
        # Its results over the runs, newest first; a result recorded while the criterion was
        # internal stays hidden from client roles (the snapshot's own flag).
        results = (
            ReadinessResult.objects.visible_to(user)
            .filter(criterion=criterion)
            .select_related("run")
            .order_by("-run__number")
        )
        page = Paginator(results, RESULTS_PAGE_SIZE).get_page(self.request.GET.get("page"))
        assess = may_assess(user, criterion)
        context.update(
            criterion=criterion,
            results=with_evidence(page.object_list, internal=can(user, self.project, C.VIEW_INTERNAL)),
            page_obj=page,
            may_edit=can(user, self.project, C.EDIT),
            may_assess=assess,
            assess_form=AssessForm(initial={"version": criterion.version}) if assess else None,
        )
        return context


class CriterionDeleteView(ServiceActionView):
    capability = C.EDIT
    success_message = gettext_lazy("Criterion deleted. Past runs keep its results.")

    def get_object(self):
        return selectors.criterion_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.criterion_delete(criterion=self.object, by=self.request.user)
        return True

    def get_success_url(self, result):
        if result:
            return reverse("golive:criteria", args=[self.project.code])
        return super().get_success_url(result)


class CriterionAssessView(ServiceActionView):
    """The owner marks a manual criterion met or not met (the service decides who may)."""

    capability = C.VIEW
    form_class = AssessForm
    success_message = gettext_lazy("Assessment recorded.")
    portal = False

    def get_object(self):
        return selectors.criterion_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        data = form.cleaned_data
        return services.criterion_assess(
            criterion=self.object,
            by=self.request.user,
            met=data["met"],
            note=data["note"],
            evidence=data["evidence"],
            version=data.get("version") or 0,
        )

    def get_success_url(self, result):
        if self.portal:
            return reverse("golive-portal:readiness", args=[self.project.code])
        return self.object.get_absolute_url()


class CriterionEvidenceView(ProjectAccessMixin, View):
    """The attachment of a manual criterion's assessment, as a download."""

    capability = C.VIEW

    def get(self, request, code, pk):
        criterion = selectors.criterion_get(user=request.user, project=self.project, pk=pk)
        if not criterion.evidence:
            raise Http404
        return attachment_response(criterion.evidence, filename=criterion.evidence_name or "evidence")
