"""Dashboard pages of Discovery & Planning (consultants), the printable kick-off, downloads.

Every page resolves the project through ``ProjectAccessMixin`` (404 for non-members, 403
without the capability), reads through the selectors (scoped, so internal rows stay hidden
from client roles) and writes through the services.
"""

from django import forms as django_forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from phases.discovery import filters as f
from phases.discovery import forms, selectors, services
from phases.discovery.models import RaidItem, Requirement
from projects import selectors as project_selectors
from projects.actions import call_service
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability, can

C = Capability


def export_filename(response, project, fmt: str):
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{project.code}-requirements-{stamp}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_response(document) -> FileResponse:
    """The file as an attachment; FileResponse writes an RFC 6266 header (``filename*`` for UTF-8)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# --- generic shapes -------------------------------------------------------------------


class _List(ProjectAccessMixin, ListView):
    capability = C.VIEW
    paginate_by = 25
    context_object_name = "objects"
    selector = None
    filterset_class = None

    def get_queryset(self):
        base = type(self).selector(user=self.request.user).filter(project=self.project)
        self.filterset = self.filterset_class(self.request.GET, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        for name in ("project", "process"):
            form.fields.pop(name, None)
        for field in form.fields.values():
            if isinstance(field, django_forms.MultipleChoiceField):
                # one value per filter on the page (the API accepts several)
                field.widget = django_forms.Select(choices=[("", _("Any"))] + [c for c in field.choices if c[0]])
            css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
        context["filter_form"] = form
        return context


class _Detail(ProjectAccessMixin, DetailView):
    capability = C.VIEW
    context_object_name = "object"
    selector = None

    def get_object(self, queryset=None):
        qs = type(self).selector(user=self.request.user)
        return selectors.get_in_project(qs, project=self.project, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audit"] = project_selectors.audit_entries(user=self.request.user, target=self.object)[:20]
        return context


class _Edit(ProjectAccessMixin, FormView):
    """Create (no ``pk``) or update (``pk``) through the services."""

    capability = C.EDIT
    template_name = "discovery/object_form.html"
    selector = None
    create_service = None
    update_service = None
    instance_kwarg = ""
    noun = ""
    list_url = ""

    def get_instance(self):
        if "pk" not in self.kwargs:
            return None
        qs = type(self).selector(user=self.request.user)
        return selectors.get_in_project(qs, project=self.project, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.object = self.get_instance()
        kwargs["project"] = self.project
        if self.object is not None:
            kwargs["instance"] = self.object
            kwargs["initial"] = {**kwargs.get("initial", {}), "version": self.object.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            noun=self.noun,
            cancel_url=self.object.get_absolute_url()
            if self.object
            else reverse(self.list_url, args=[self.project.code]),
            multipart=any(
                getattr(fld.widget, "needs_multipart_form", False) for fld in context["form"].fields.values()
            ),
        )
        return context

    def form_valid(self, form):
        version, data = form.service_data()
        if self.object is None:
            result = call_service(form, type(self).create_service, project=self.project, by=self.request.user, **data)
        else:
            result = call_service(
                form,
                type(self).update_service,
                by=self.request.user,
                version=version or 0,
                **{self.instance_kwarg: self.object},
                **data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(result.get_absolute_url())


class _Delete(ProjectAccessMixin, View):
    capability = C.EDIT
    selector = None
    delete_service = None
    instance_kwarg = ""
    list_url = ""

    def post(self, request, code, pk):
        obj = selectors.get_in_project(type(self).selector(user=request.user), project=self.project, pk=pk)
        type(self).delete_service(by=request.user, **{self.instance_kwarg: obj})
        messages.success(request, _("Deleted."))
        return redirect(self.list_url, code=code)


def _crud(prefix, *, selector, filterset, form, create, update, delete, kwarg, noun, list_template, detail_template):
    """The list, detail, edit and delete view classes of one resource."""
    list_url = f"discovery:{prefix}_list"
    attrs = {"selector": staticmethod(selector)}
    return (
        type(f"{prefix}List", (_List,), {**attrs, "filterset_class": filterset, "template_name": list_template}),
        type(f"{prefix}Detail", (_Detail,), {**attrs, "template_name": detail_template}),
        type(
            f"{prefix}Edit",
            (_Edit,),
            {
                **attrs,
                "form_class": form,
                "create_service": staticmethod(create),
                "update_service": staticmethod(update),
                "instance_kwarg": kwarg,
                "noun": noun,
                "list_url": list_url,
            },
        ),
        type(
            f"{prefix}Delete",
            (_Delete,),
            {**attrs, "delete_service": staticmethod(delete), "instance_kwarg": kwarg, "list_url": list_url},
        ),
    )


StakeholderList, StakeholderDetail, StakeholderEdit, StakeholderDelete = _crud(
    "stakeholder",
    selector=selectors.stakeholder_list,
    filterset=f.StakeholderFilterSet,
    form=forms.StakeholderForm,
    create=services.stakeholder_create,
    update=services.stakeholder_update,
    delete=services.stakeholder_delete,
    kwarg="stakeholder",
    noun=_("stakeholder"),
    list_template="discovery/stakeholder_list.html",
    detail_template="discovery/stakeholder_detail.html",
)
ProcessList, ProcessDetail, ProcessEdit, ProcessDelete = _crud(
    "process",
    selector=selectors.current_process_list,
    filterset=f.CurrentProcessFilterSet,
    form=forms.CurrentProcessForm,
    create=services.current_process_create,
    update=services.current_process_update,
    delete=services.current_process_delete,
    kwarg="process",
    noun=_("current process"),
    list_template="discovery/process_list.html",
    detail_template="discovery/process_detail.html",
)
_RequirementList, RequirementDetail, RequirementEdit, RequirementDelete = _crud(
    "requirement",
    selector=selectors.requirement_list,
    filterset=f.RequirementFilterSet,
    form=forms.RequirementForm,
    create=services.requirement_create,
    update=services.requirement_update,
    delete=services.requirement_delete,
    kwarg="requirement",
    noun=_("requirement"),
    list_template="discovery/requirement_list.html",
    detail_template="discovery/requirement_detail.html",
)


class RequirementList(_RequirementList):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_choices"] = Requirement.Status.choices
        return context


RaidList, RaidDetail, RaidEdit, RaidDelete = _crud(
    "raid",
    selector=selectors.raid_item_list,
    filterset=f.RaidItemFilterSet,
    form=forms.RaidItemForm,
    create=services.raid_item_create,
    update=services.raid_item_update,
    delete=services.raid_item_delete,
    kwarg="item",
    noun=_("RAID item"),
    list_template="discovery/raid_list.html",
    detail_template="discovery/raid_detail.html",
)
WaveList, WaveDetail, WaveEdit, WaveDelete = _crud(
    "wave",
    selector=selectors.rollout_wave_list,
    filterset=f.RolloutWaveFilterSet,
    form=forms.RolloutWaveForm,
    create=services.rollout_wave_create,
    update=services.rollout_wave_update,
    delete=services.rollout_wave_delete,
    kwarg="wave",
    noun=_("rollout wave"),
    list_template="discovery/wave_list.html",
    detail_template="discovery/wave_detail.html",
)
KickoffList, KickoffDetail, KickoffEdit, KickoffDelete = _crud(
    "kickoff",
    selector=selectors.kickoff_list,
    filterset=f.KickoffFilterSet,
    form=forms.KickoffForm,
    create=services.kickoff_create,
    update=services.kickoff_update,
    delete=services.kickoff_delete,
    kwarg="kickoff",
    noun=_("kick-off"),
    list_template="discovery/kickoff_list.html",
    detail_template="discovery/kickoff_detail.html",
)
DocumentList, DocumentDetail, _DocumentEdit, DocumentDelete = _crud(
    "document",
    selector=selectors.plan_document_list,
    filterset=f.PlanDocumentFilterSet,
    form=forms.PlanDocumentForm,
    create=services.plan_document_create,
    update=services.plan_document_update,
    delete=services.plan_document_delete,
    kwarg="document",
    noun=_("plan document"),
    list_template="discovery/document_list.html",
    detail_template="discovery/document_detail.html",
)


class DocumentEdit(_DocumentEdit):
    """Upload a document (the file is fixed afterwards; upload a new one to replace it)."""

    def get_form_class(self):
        return forms.PlanDocumentEditForm if "pk" in self.kwargs else forms.PlanDocumentForm


class DocumentDownload(ProjectAccessMixin, View):
    capability = C.VIEW

    def get(self, request, code, pk):
        document = selectors.get_in_project(
            selectors.plan_document_list(user=request.user), project=self.project, pk=pk
        )
        return document_response(document)


# --- kick-off extras ------------------------------------------------------------------


class KickoffRaci(ProjectAccessMixin, TemplateView):
    """Edit the RACI matrix as a grid: one row per activity, one column per person."""

    capability = C.EDIT
    template_name = "discovery/kickoff_raci.html"
    blank_rows = 3

    def get_kickoff(self):
        return selectors.get_in_project(
            selectors.kickoff_list(user=self.request.user), project=self.project, pk=self.kwargs["pk"]
        )

    def _grid(self, kickoff):
        matrix = services.raci_matrix(kickoff)
        columns = dict(matrix["columns"])
        for member in kickoff.project.memberships.select_related("user"):
            columns.setdefault(f"u{member.user_id}", member.user.get_full_name() or member.user.username)
        for stakeholder in kickoff.project.stakeholders.all():
            columns.setdefault(f"s{stakeholder.pk}", str(stakeholder))
        keys = list(columns)
        known = [k for k, _label in matrix["columns"]]
        rows = []
        for row in matrix["rows"]:
            letters = dict(zip(known, row["letters"], strict=True))
            rows.append({"activity": row["activity"], "cells": [(k, letters.get(k, "")) for k in keys]})
        for _i in range(self.blank_rows):
            rows.append({"activity": "", "cells": [(k, "") for k in keys]})
        return [(k, columns[k]) for k in keys], rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kickoff = kwargs.get("kickoff") or self.get_kickoff()
        columns, rows = self._grid(kickoff)
        if "posted_rows" in kwargs:
            rows = kwargs["posted_rows"]
        context.update(kickoff=kickoff, columns=columns, rows=rows, letters=["", "R", "A", "C", "I"])
        return context

    def post(self, request, code, pk):
        kickoff = self.get_kickoff()
        rows, display = [], []
        count = int(request.POST.get("row_count") or 0)
        column_keys = [k for k, _label in self._grid(kickoff)[0]]
        for i in range(min(count, 200)):
            name = request.POST.get(f"activity-{i}", "").strip()
            cells = {k: request.POST.get(f"cell-{i}-{k}", "") for k in column_keys}
            display.append({"activity": name, "cells": [(k, cells[k]) for k in column_keys]})
            if name or any(cells.values()):
                rows.append({"activity": name, "cells": cells})
        try:
            services.kickoff_set_raci(
                kickoff=kickoff, by=request.user, version=int(request.POST.get("version") or 0), rows=rows
            )
        except services.DomainError as exc:
            return self.render_to_response(
                self.get_context_data(kickoff=kickoff, posted_rows=display, error=exc.message)
            )
        messages.success(request, _("RACI matrix saved."))
        return redirect(kickoff.get_absolute_url())


class KickoffPrint(ProjectAccessMixin, TemplateView):
    """The kick-off on one printable page for the client (browser print → PDF)."""

    capability = C.VIEW
    template_name = "discovery/kickoff_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kickoff = selectors.get_in_project(
            selectors.kickoff_list(user=self.request.user).prefetch_related(
                "attendee_members", "attendee_stakeholders"
            ),
            project=self.project,
            pk=self.kwargs["pk"],
        )
        context.update(kickoff=kickoff, raci=services.raci_matrix(kickoff))
        return context


# --- requirements import / export -----------------------------------------------------


class RequirementStatus(ProjectAccessMixin, View):
    """Inline status change on the requirement list (htmx swaps the row; plain POST redirects)."""

    capability = C.EDIT

    def post(self, request, code, pk):
        requirement = selectors.get_in_project(
            selectors.requirement_list(user=request.user), project=self.project, pk=pk
        )
        form = forms.RequirementStatusForm(request.POST)
        if form.is_valid():
            call_service(
                form,
                services.requirement_update,
                requirement=requirement,
                by=request.user,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        errors = [e for errs in form.errors.values() for e in errs]
        if request.headers.get("HX-Request"):
            fresh = selectors.requirement_list(user=request.user).get(pk=pk)
            return render(
                request,
                "discovery/_requirement_row.html",
                {
                    "r": fresh,
                    "project": self.project,
                    "may_edit": True,
                    "errors": errors,
                    "status_choices": Requirement.Status.choices,
                },
            )
        for error in errors:
            messages.error(request, error)
        if not errors:
            messages.success(request, _("Status changed."))
        return redirect("discovery:requirement_list", code=code)


class RequirementImport(ProjectAccessMixin, FormView):
    capability = C.EDIT
    template_name = "discovery/requirement_import.html"
    form_class = forms.RequirementImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            created = services.requirement_import(
                project=self.project, by=self.request.user, filename=upload.name, data=upload.read()
            )
        except services.ImportRefused as exc:
            form.add_error("file", exc.message)
            return self.render_to_response(self.get_context_data(form=form, import_errors=exc.errors))
        messages.success(self.request, _("%(n)d requirements imported.") % {"n": len(created)})
        return redirect("discovery:requirement_list", code=self.project.code)


class RequirementExport(ProjectAccessMixin, View):
    """The (filtered) requirement list as CSV or XLSX; internal notes only for firm roles."""

    capability = C.VIEW

    def get(self, request, code):
        base = selectors.requirement_list(user=request.user).filter(project=self.project)
        rows = f.RequirementFilterSet(request.GET, queryset=base, request=request).qs.order_by("code")
        fmt = "xlsx" if request.GET.get("file_format") == "xlsx" else "csv"
        data = services.requirement_export(project=self.project, by=request.user, requirements=rows, fmt=fmt)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if fmt == "xlsx"
            else "text/csv; charset=utf-8"
        )
        return export_filename(HttpResponse(data, content_type=content_type), self.project, fmt)


# --- overview and sign-off ------------------------------------------------------------


def _signoff_context(user, project) -> dict:
    signoffs = selectors.discovery_signoff_list(user=user).filter(project=project)
    pending = next((s for s in signoffs if s.approval_id and s.approval.decision == "pending"), None)
    return {"signoffs": signoffs, "pending_signoff": pending}


class Overview(ProjectAccessMixin, TemplateView):
    capability = C.VIEW
    template_name = "discovery/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        summary = selectors.discovery_summary(user=user, project=project)
        labels = dict(Requirement.FitGap.choices)
        context.update(
            summary=summary,
            kickoffs=selectors.kickoff_list(user=user).filter(project=project)[:3],
            top_risks=sorted(
                selectors.raid_item_list(user=user)
                .filter(project=project, kind=RaidItem.Kind.RISK)
                .exclude(status=RaidItem.Status.CLOSED),
                key=lambda r: -(r.score or 0),
            )[:5],
            fit_chart={
                "labels": [str(labels[k]) for k in labels],
                "datasets": [
                    {"label": _("Requirements"), "data": [summary["requirements_by_fit_gap"].get(k, 0) for k in labels]}
                ],
            },
            signoff_form=forms.SignoffRequestForm(),
            **_signoff_context(user, project),
        )
        return context


class SignoffRequest(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code):
        form = forms.SignoffRequestForm(request.POST)
        if form.is_valid() and call_service(
            form, services.discovery_signoff_request, project=self.project, by=request.user, **form.cleaned_data
        ):
            messages.success(request, _("Discovery sign-off requested from the sponsor."))
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect("discovery:overview", code=code)


# --- client portal --------------------------------------------------------------------


class PortalSignoff(ProjectAccessMixin, TemplateView):
    """The client's view of the discovery deliverables, with the sponsor's approve / reject form."""

    capability = C.VIEW
    template_name = "discovery/portal/signoff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.project
        ctx = _signoff_context(user, project)
        pending = ctx["pending_signoff"]
        agreed = selectors.requirement_list(user=user).filter(project=project, status=Requirement.Status.AGREED)
        if pending is not None:
            agreed = agreed.filter(code__in=pending.snapshot.get("agreed_requirements", []))
        context.update(
            ctx,
            agreed=agreed.order_by("code"),
            kickoffs=selectors.kickoff_list(user=user).filter(project=project),
            waves=selectors.rollout_wave_list(user=user).filter(project=project),
            # the portal is the client's view: nothing internal, whoever looks at it
            documents=selectors.plan_document_list(user=user).filter(project=project, internal=False),
            risks=sorted(
                selectors.raid_item_list(user=user)
                .filter(project=project, kind=RaidItem.Kind.RISK, internal=False)
                .exclude(status=RaidItem.Status.CLOSED),
                key=lambda r: -(r.score or 0),
            ),
            may_approve=can(user, project, C.APPROVE),
            form=kwargs.get("form") or forms.SignoffDecisionForm(),
        )
        return context


class PortalSignoffDecide(ProjectAccessMixin, View):
    capability = C.APPROVE

    def post(self, request, code, pk):
        signoff = selectors.get_in_project(
            selectors.discovery_signoff_list(user=request.user), project=self.project, pk=pk
        )
        form = forms.SignoffDecisionForm(request.POST)
        if form.is_valid() and call_service(
            form, services.discovery_signoff_decide, signoff=signoff, by=request.user, **form.cleaned_data
        ):
            messages.success(request, _("Your decision is recorded."))
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect("discovery-portal:signoff", code=code)
