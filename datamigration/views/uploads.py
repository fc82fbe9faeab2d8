"""Uploads: send a file for an object (UPLOAD_DATA), then check and save its column mapping."""

from functools import cached_property

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from datamigration import selectors, services
from datamigration.forms import EncodingForm, MappingForm, RunStartForm, UploadForm
from datamigration.views.common import PageMixin
from projects.actions import ServiceActionView, ServiceFormView, call_service
from projects.roles import Capability

C = Capability


class UploadCreateView(PageMixin, ServiceFormView):
    template_name = "datamigration/upload_form.html"
    form_class = UploadForm
    capability = C.UPLOAD_DATA
    success_message = gettext_lazy("File uploaded. Check the column mapping, then start a run.")

    @cached_property
    def object(self):
        return selectors.object_get(user=self.request.user, project=self.project, name=self.kwargs["name"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.upload_create(
            project=self.project,
            object=self.object,
            by=self.request.user,
            file=data["file"],
            original_name=data["file"].name,
            encoding=data["encoding"],
            sheet=data["sheet"],
            header_row=data["header_row"],
        )

    def get_success_url(self, result=None):
        return self.url("upload_detail", result.pk)


class UploadDetailView(PageMixin, TemplateView):
    """The upload with its column mapping (POST saves it, re-rendered with the refusal) and runs."""

    template_name = "datamigration/upload_detail.html"

    def get_upload(self):
        return selectors.upload_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upload = kwargs.get("upload") or self.get_upload()
        context.update(
            upload=upload,
            mapping_form=kwargs.get("mapping_form") or MappingForm(upload=upload),
            encoding_form=EncodingForm(initial={"encoding": upload.encoding, "version": upload.version}),
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


class UploadEncodingView(PageMixin, ServiceActionView):
    """Read a CSV upload again in another encoding (its header and mapping follow); back to the upload."""

    capability = C.UPLOAD_DATA
    form_class = EncodingForm
    success_message = gettext_lazy("Encoding changed: check the column mapping.")

    def get_object(self):
        return selectors.upload_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        data = form.cleaned_data
        return services.upload_change_encoding(
            upload=self.object, by=self.request.user, encoding=data["encoding"], version=data["version"]
        )

    def get_success_url(self, result):
        return self.url("upload_detail", self.object.pk)
