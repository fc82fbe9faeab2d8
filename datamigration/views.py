"""Dashboard and portal pages of the datamigration app.

The same views serve both sides: ``portal = True`` picks the portal layout and URL
namespace. Key users upload files and start validation runs from the portal; consultants
also start loads. Every page is scoped by ``ProjectAccessMixin``; writes go to services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from datamigration import exports, selectors, services
from datamigration.forms import FieldForm, MappingForm, ObjectForm, RunStartForm, UploadForm
from datamigration.models import MigrationRun, RowError
from erpimpl.errors import DomainError
from projects.actions import call_service
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability, can

C = Capability


class PageMixin(ProjectAccessMixin):
    portal = False
    capability = C.VIEW

    @property
    def ns(self) -> str:
        return "datamigration-portal" if self.portal else "datamigration"

    def url(self, name, *args):
        return reverse(f"{self.ns}:{name}", args=[self.project.code, *args])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            base_template="portal/base.html" if self.portal else "dashboard/base.html",
            ns=self.ns,
            portal=self.portal,
            may_upload=can(self.request.user, self.project, C.UPLOAD_DATA),
            may_load=can(self.request.user, self.project, C.RUN_JOBS),
        )
        return context


def _download(chunks, filename, fmt):
    content_type = exports_content_type(fmt)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = exports.content_disposition(filename)
    return response


def exports_content_type(fmt: str) -> str:
    if fmt == "xlsx":
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "text/csv; charset=utf-8"


def _check_format(fmt: str) -> str:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return fmt


class ObjectListView(PageMixin, TemplateView):
    template_name = "datamigration/object_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["objects"] = selectors.object_summaries(user=user, project=self.project)
        context["runs"] = selectors.run_list(user=user, project=self.project)[:10]
        return context


class ObjectDetailView(PageMixin, TemplateView):
    template_name = "datamigration/object_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        obj = selectors.object_get(user=user, project=self.project, name=self.kwargs["name"])
        context.update(
            object=obj,
            fields=[(f, exports.field_rules(f)) for f in selectors.object_fields(obj)],
            uploads=selectors.upload_list(user=user, project=self.project).filter(object=obj)[:20],
            runs=selectors.run_list(user=user, project=self.project).filter(object=obj)[:20],
        )
        return context


class TemplateDownloadView(PageMixin, View):
    def get(self, request, code, name, fmt):
        obj = selectors.object_get(user=request.user, project=self.project, name=name)
        fmt = _check_format(fmt)
        chunks = exports.template_xlsx(obj) if fmt == "xlsx" else exports.template_csv(obj)
        return _download(chunks, f"{obj.name}-template.{fmt}", fmt)


class UploadCreateView(PageMixin, FormView):
    template_name = "datamigration/upload_form.html"
    form_class = UploadForm
    capability = C.UPLOAD_DATA

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    def get(self, request, *args, **kwargs):
        self.object = selectors.object_get(user=request.user, project=self.project, name=kwargs["name"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = selectors.object_get(user=request.user, project=self.project, name=kwargs["name"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        upload = call_service(
            form,
            services.upload_create,
            project=self.project,
            object=self.object,
            by=self.request.user,
            file=data["file"],
            original_name=data["file"].name,
            encoding=data["encoding"],
            sheet=data["sheet"],
            header_row=data["header_row"],
        )
        if upload is None:
            return self.form_invalid(form)
        messages.success(self.request, _("File uploaded. Check the column mapping, then start a run."))
        return redirect(self.url("upload_detail", upload.pk))


class UploadDetailView(PageMixin, TemplateView):
    template_name = "datamigration/upload_detail.html"

    def get_upload(self):
        return selectors.upload_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upload = kwargs.get("upload") or self.get_upload()
        context.update(
            upload=upload,
            mapping_form=kwargs.get("mapping_form") or MappingForm(upload=upload),
            run_form=kwargs.get("run_form") or RunStartForm(),
            runs=selectors.run_list(user=self.request.user, project=self.project).filter(upload=upload),
            required=selectors.field_names(upload.object, required=True),
        )
        return context

    def post(self, request, *args, **kwargs):
        upload = self.get_upload()
        form = MappingForm(request.POST, upload=upload)
        if form.is_valid():
            updated = call_service(
                form,
                services.upload_update_mapping,
                upload=upload,
                by=request.user,
                mapping=form.mapping(),
                version=form.cleaned_data["version"],
            )
            if updated is not None:
                messages.success(request, _("Mapping saved."))
                return redirect(self.url("upload_detail", upload.pk))
        return self.render_to_response(self.get_context_data(upload=upload, mapping_form=form))


class RunStartView(PageMixin, View):
    def post(self, request, code, pk):
        upload = selectors.upload_get(user=request.user, project=self.project, pk=pk)
        form = RunStartForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
            return redirect(self.url("upload_detail", upload.pk))
        try:
            run = services.migration_run_start(
                upload=upload,
                by=request.user,
                mode=form.cleaned_data["mode"],
                cycle=form.cleaned_data["cycle"] or "mock1",
                workers=form.cleaned_data.get("workers"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("upload_detail", upload.pk))
        return redirect(self.url("run_detail", run.pk))


class RunDetailView(PageMixin, TemplateView):
    template_name = "datamigration/run_detail.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = selectors.run_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])
        field = self.request.GET.get("field", "")
        kind = self.request.GET.get("kind", "")
        errors = selectors.row_error_list(run=run, field=field, kind=kind)
        page = Paginator(errors, self.paginate_by).get_page(self.request.GET.get("page"))
        mode_capability = C.RUN_JOBS if run.mode == MigrationRun.Mode.LOAD else C.UPLOAD_DATA
        context.update(
            run=run,
            chunks=selectors.run_chunk_summary(run),
            page_obj=page,
            summary=selectors.row_error_summary(run=run),
            field_filter=field,
            kind_filter=kind,
            fields=selectors.field_names(run.object),
            kinds=RowError.Kind.choices,
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


class RunCancelView(PageMixin, View):
    def post(self, request, code, pk):
        run = selectors.run_get(user=request.user, project=self.project, pk=pk)
        try:
            services.migration_run_cancel(run=run, by=request.user)
            messages.info(request, _("Cancel requested; the run stops within a few seconds."))
        except DomainError as exc:
            messages.error(request, exc.message)
        except PermissionDenied:
            raise
        return redirect(self.url("run_detail", run.pk))


class RunErrorsDownloadView(PageMixin, View):
    def get(self, request, code, pk, fmt):
        run = selectors.run_get(user=request.user, project=self.project, pk=pk)
        fmt = _check_format(fmt)
        chunks = exports.errors_xlsx(run) if fmt == "xlsx" else exports.errors_csv(run)
        return _download(chunks, f"run-{run.pk}-{run.object.name}-errors.{fmt}", fmt)


class RecordListView(PageMixin, TemplateView):
    template_name = "datamigration/records.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = selectors.object_get(user=self.request.user, project=self.project, name=self.kwargs["name"])
        q = self.request.GET.get("q", "").strip()
        records = selectors.record_list(user=self.request.user, object=obj, key_contains=q).order_by("key")
        page = Paginator(records, 50).get_page(self.request.GET.get("page"))
        names = selectors.field_names(obj)
        context.update(
            object=obj,
            names=names,
            page_obj=page,
            rows=[[r.data.get(n, "") for n in names] for r in page.object_list],
            q=q,
        )
        return context


class RecordExportView(PageMixin, View):
    def get(self, request, code, name, fmt):
        obj = selectors.object_get(user=request.user, project=self.project, name=name)
        fmt = _check_format(fmt)
        chunks = exports.records_xlsx(obj) if fmt == "xlsx" else exports.records_csv(obj)
        return _download(chunks, f"{self.project.code}-{obj.name}.{fmt}", fmt)


class ReconciliationView(PageMixin, TemplateView):
    template_name = "datamigration/reconciliation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.reconciliation(user=self.request.user, project=self.project)
        context.update(rows=rows, chart_data=selectors.reconciliation_chart(rows))
        return context


class ObjectCreateView(PageMixin, FormView):
    """A consultant defines a new master data object (EDIT)."""

    template_name = "datamigration/definition_form.html"
    form_class = ObjectForm
    capability = C.EDIT

    def form_valid(self, form):
        obj = call_service(
            form, services.object_create, project=self.project, by=self.request.user, **form.cleaned_data
        )
        if obj is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Object created. Add its fields."))
        return redirect(self.url("object_detail", obj.name))


class FieldCreateView(PageMixin, FormView):
    """A consultant adds a field with its rules to an object (EDIT)."""

    template_name = "datamigration/definition_form.html"
    form_class = FieldForm
    capability = C.EDIT

    def get_object(self):
        return selectors.object_get(user=self.request.user, project=self.project, name=self.kwargs["name"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["objects"] = selectors.object_list(user=self.request.user, project=self.project)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context

    def form_valid(self, form):
        obj = self.get_object()
        data = dict(form.cleaned_data)
        target = data.pop("reference_object")
        data["reference_object"] = (
            selectors.object_list(user=self.request.user, project=self.project).filter(name=target).first()
            if target
            else None
        )
        for key in ("max_length", "min_value", "max_value"):
            if data[key] is None:
                data.pop(key)
        definition = call_service(form, services.field_create, object=obj, by=self.request.user, **data)
        if definition is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Field added."))
        return redirect(self.url("object_detail", obj.name))


def portal(view_class):
    return type(f"Portal{view_class.__name__}", (view_class,), {"portal": True})
