"""Runs: start one on an upload, follow its progress (htmx), cancel it, read and download its
row errors. Starting and cancelling are checked by the services (UPLOAD_DATA for a
validation, RUN_JOBS for a load)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from datamigration import exports, selectors, services
from datamigration.filters import RunErrorPageFilterSet
from datamigration.forms import RunStartForm
from datamigration.models import MigrationRun
from datamigration.views.common import PageMixin, check_format
from projects.actions import ServiceActionView
from projects.mixins import page_filter_form
from projects.roles import Capability, can

C = Capability


class RunStartView(PageMixin, ServiceActionView):
    """Start a run of an upload; then its page (or back to the upload with the refusal)."""

    form_class = RunStartForm

    def get_object(self):
        return selectors.upload_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        data = form.cleaned_data
        return services.migration_run_start(
            upload=self.object,
            by=self.request.user,
            mode=data["mode"],
            cycle=data["cycle"] or "mock1",
            workers=data.get("workers"),
        )

    def get_success_url(self, result):
        if result is None:
            return self.url("upload_detail", self.object.pk)
        return self.url("run_detail", result.pk)


class RunDetailView(PageMixin, TemplateView):
    template_name = "datamigration/run_detail.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = selectors.run_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        errors = RunErrorPageFilterSet(
            self.request.GET,
            queryset=selectors.row_error_list(run=run),
            request=self.request,
            field_names=selectors.field_names(run.object),
        )
        page = Paginator(errors.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        mode_capability = C.RUN_JOBS if run.mode == MigrationRun.Mode.LOAD else C.UPLOAD_DATA
        context.update(
            run=run,
            chunks=selectors.run_chunk_summary(run),
            page_obj=page,
            summary=selectors.row_error_summary(run=run),
            filter_form=page_filter_form(errors.form, project=self.project),
            may_cancel=can(self.request.user, self.project, mode_capability),
        )
        return context


class RunProgressView(RunDetailView):
    """The progress fragment polled by htmx every second while the run is active."""

    template_name = "datamigration/_run_progress.html"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context["run"].is_active:
            response["HX-Trigger"] = "run-finished"
        return response


class RunCancelView(PageMixin, ServiceActionView):
    success_message = gettext_lazy("Cancel requested; the run stops within a few seconds.")
    message_level = messages.INFO

    def get_object(self):
        return selectors.run_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.migration_run_cancel(run=self.object, by=self.request.user)

    def get_success_url(self, result):
        return self.url("run_detail", self.object.pk)


class RunErrorsDownloadView(PageMixin, View):
    def get(self, request, code, pk, fmt):
        run = selectors.run_get(user=request.user, project=self.project, pk=pk)
        return exports.errors_download(run, check_format(fmt))
