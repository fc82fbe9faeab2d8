"""Load-test results (list, record, report download) and the traceability matrix (page, XLSX)."""

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from projects.actions import ServiceFormView
from projects.files import KNOWN_TYPES, attachment_response, streaming_attachment
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability
from testing import exports, selectors, services
from testing.filters import LoadTestResultFilterSet
from testing.forms import LoadResultForm, TraceabilityFilterForm

C = Capability
XLSX = KNOWN_TYPES[".xlsx"][0]


class LoadResultListView(ProjectFilteredListView):
    template_name = "testing/load_result_list.html"
    context_object_name = "results"
    filterset_class = LoadTestResultFilterSet
    filter_fields = ("passed", "q")

    def rows(self):
        return selectors.load_result_list(user=self.request.user)


class LoadResultCreateView(ServiceFormView):
    template_name = "testing/load_result_form.html"
    form_class = LoadResultForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def perform(self, form):
        return services.load_result_record(project=self.project, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        verdict = _("passed") if result.passed else _("failed")
        return _("Load test result recorded: %(verdict)s.") % {"verdict": verdict}

    def get_success_url(self, result=None):
        return reverse("testing:load_result_list", args=[self.project.code])


class LoadReportDownloadView(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        result = selectors.load_result_get(user=request.user, project=self.project, pk=pk)
        if not result.report:
            raise Http404
        return attachment_response(result.report, filename=result.report_name or "report")


class TraceabilityView(ProjectAccessMixin, TemplateView):
    """The matrix, 50 requirements a page; its queries do not grow with the project or the page."""

    template_name = "testing/traceability.html"
    capability = C.VIEW
    paginate_by = 50

    def filters(self) -> dict:
        form = TraceabilityFilterForm(self.request.GET)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        self.filter_form = form
        return {k: v for k, v in data.items() if v}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matrix = selectors.traceability_matrix(user=self.request.user, project=self.project, filters=self.filters())
        page = Paginator(matrix.ids, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            rows=matrix.rows(page.object_list),
            page_obj=page,
            coverage=selectors.coverage(user=self.request.user, project=self.project),
            filter_form=self.filter_form,
            coverage_labels={k: _(v) for k, v in selectors.COVERAGE_LABELS.items()},
            query=query.urlencode(),
        )
        return context


class TraceabilityExportView(TraceabilityView):
    """Every filtered row as XLSX, streamed: written a chunk of requirements at a time."""

    def get(self, request, *args, **kwargs):
        matrix = selectors.traceability_matrix(user=request.user, project=self.project, filters=self.filters())
        coverage = selectors.coverage(user=request.user, project=self.project)
        chunks = exports.traceability_xlsx(self.project, matrix.lines(), coverage)
        response = StreamingHttpResponse(chunks, content_type=XLSX)
        return streaming_attachment(response, filename=f"traceability-{self.project.code}.xlsx")
