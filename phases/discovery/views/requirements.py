"""Requirement pages beyond the resource shapes: inline status change, import, export."""

from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from phases.discovery import exports, forms, selectors, services, spreadsheets
from phases.discovery import filters as f
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, filter_params
from projects.roles import Capability

C = Capability


class RequirementStatus(ServiceActionView):
    """Inline status change on the requirement list: htmx swaps the row; a plain POST redirects."""

    capability = C.EDIT
    form_class = forms.RequirementStatusForm
    success_message = gettext_lazy("Status changed.")
    partial_template = "discovery/_requirement_row.html"

    def get_object(self):
        return selectors.requirement_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.requirement_update(
            requirement=self.object,
            by=self.request.user,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )

    def get_success_url(self, result):
        return reverse("discovery:requirement_list", args=[self.project.code])

    def get_partial_context(self, form, result):
        user = self.request.user
        fresh = selectors.requirement_get(user=user, project=self.project, pk=self.object.pk)
        [row] = selectors.with_status_choices([fresh], user=user, project=self.project)
        return {"r": row, "may_edit": True}


class RequirementImport(ServiceFormView):
    """All or nothing; a refused file lists every faulty row."""

    capability = C.EDIT
    template_name = "discovery/requirement_import.html"
    form_class = forms.RequirementImportForm
    import_errors: list[str] = []

    def perform(self, form):
        upload = form.cleaned_data["file"]
        try:
            return services.requirement_import(
                project=self.project,
                by=self.request.user,
                filename=upload.name,
                data=upload.read(spreadsheets.MAX_IMPORT_BYTES + 1),  # never more than one byte past the limit
                size=upload.size,
            )
        except services.ImportRefused as refused:
            self.import_errors = refused.errors  # one message per row, listed above the form
            raise  # call_service puts its summary on the file field

    def get_context_data(self, **kwargs):
        kwargs.setdefault("import_errors", self.import_errors)
        return super().get_context_data(**kwargs)

    def get_success_message(self, result) -> str:
        return _("%(n)d requirements imported.") % {"n": len(result)}

    def get_success_url(self, result=None) -> str:
        return reverse("discovery:requirement_list", args=[self.project.code])


class RequirementExport(ProjectAccessMixin, View):
    """The (filtered) requirement list as CSV or XLSX; internal notes only for firm roles."""

    capability = C.VIEW

    def get(self, request, code):
        base = selectors.requirement_list(user=request.user).filter(project=self.project)
        rows = f.RequirementFilterSet(filter_params(request.GET), queryset=base, request=request).qs
        try:
            fmt = exports.export_format(request.GET.get("file_format"))
        except exports.UnknownFormat as refused:
            raise BadRequest(str(refused)) from None
        return exports.requirement_export_response(project=self.project, by=request.user, requirements=rows, fmt=fmt)
