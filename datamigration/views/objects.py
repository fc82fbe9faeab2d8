"""Master data objects: the list, an object with its fields (consultants add objects and
fields), its template and staged records (page and export), and the reconciliation."""

from functools import cached_property

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from datamigration import exports, selectors, services
from datamigration.filters import RecordSearchFilterSet
from datamigration.forms import FieldForm, ObjectForm
from datamigration.views.common import PageMixin, check_format
from projects.actions import ServiceFormView
from projects.mixins import page_filter_form
from projects.roles import Capability

C = Capability


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
        return exports.template_download(obj, check_format(fmt))


class RecordListView(PageMixin, TemplateView):
    template_name = "datamigration/records.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = selectors.object_get(user=self.request.user, project=self.project, name=self.kwargs["name"])
        records = selectors.record_list(user=self.request.user, object=obj)
        search = RecordSearchFilterSet(self.request.GET, queryset=records, request=self.request)
        page = Paginator(search.qs.order_by("key"), 50).get_page(self.request.GET.get("page"))
        names = selectors.field_names(obj)
        context.update(
            object=obj,
            names=names,
            page_obj=page,
            rows=[[r.data.get(n, "") for n in names] for r in page.object_list],
            filter_form=page_filter_form(search.form, project=self.project),
        )
        return context


class RecordExportView(PageMixin, View):
    def get(self, request, code, name, fmt):
        obj = selectors.object_get(user=request.user, project=self.project, name=name)
        return exports.records_download(obj, check_format(fmt))


class ReconciliationView(PageMixin, TemplateView):
    template_name = "datamigration/reconciliation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.reconciliation(user=self.request.user, project=self.project)
        context.update(rows=rows, chart_data=selectors.reconciliation_chart(rows))
        return context


class ObjectCreateView(PageMixin, ServiceFormView):
    """A consultant defines a new master data object (EDIT)."""

    template_name = "datamigration/definition_form.html"
    form_class = ObjectForm
    capability = C.EDIT
    success_message = gettext_lazy("Object created. Add its fields.")

    def perform(self, form):
        return services.object_create(project=self.project, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, result=None):
        return self.url("object_detail", result.name)


class FieldCreateView(PageMixin, ServiceFormView):
    """A consultant adds a field with its rules to an object (EDIT)."""

    template_name = "datamigration/definition_form.html"
    form_class = FieldForm
    capability = C.EDIT
    success_message = gettext_lazy("Field added.")

    @cached_property
    def object(self):
        return selectors.object_get(user=self.request.user, project=self.project, name=self.kwargs["name"])

    def project_objects(self):
        return selectors.object_list(user=self.request.user, project=self.project)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["objects"] = self.project_objects()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        target = data.pop("reference_object")
        data["reference_object"] = self.project_objects().filter(name=target).first() if target else None
        for key in ("max_length", "min_value", "max_value"):
            if data[key] is None:
                data.pop(key)
        return services.field_create(object=self.object, by=self.request.user, **data)

    def get_success_url(self, result=None):
        return self.url("object_detail", self.object.name)
