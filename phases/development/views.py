"""Dashboard pages of the development phase: the board, the item list, environments, releases.

Every page is scoped to the project in the URL (``ProjectAccessMixin``): reading needs
``VIEW``, writing ``EDIT``. Internal figures (complexity, estimate) are shown only when the
user holds ``VIEW_INTERNAL``; the templates ask ``{% can project "view_internal" %}``.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from erpimpl.errors import ConflictError, DomainError
from phases.development import selectors, services
from phases.development.filters import DevelopmentItemFilterSet, EnvironmentFilterSet, ReleaseFilterSet
from phases.development.forms import DevelopmentItemForm, EnvironmentForm, MoveForm, ReleaseForm, TransportForm
from phases.development.models import DevelopmentItem, Release
from phases.development.transitions import allowed_targets
from projects.actions import call_service
from projects.mixins import ProjectAccessMixin
from projects.roles import Capability

C = Capability


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# --- the board -------------------------------------------------------------------------


class BoardMixin:
    """Builds the board context: filtered cards of the project grouped by status."""

    board_template = "development/_board.html"

    def board_context(self, request, project, *, message="", level="info") -> dict:
        params = request.GET.copy()
        params.pop("project", None)
        filterset = DevelopmentItemFilterSet(
            params,
            queryset=selectors.development_item_list(user=request.user).filter(project=project),
            request=request,
        )
        form = filterset.form
        form.fields["environment"].queryset = project.environments.all()
        form.fields["release"].queryset = project.releases.all()
        items = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        return {
            "project": project,
            "columns": selectors.board_columns(items.order_by("number")),
            "filter_form": form,
            "querystring": params.urlencode(),
            "board_message": message,
            "board_level": level,
        }


class BoardView(BoardMixin, ProjectAccessMixin, TemplateView):
    """Columns by status; cards move with buttons or drag and drop (htmx partial updates)."""

    template_name = "development/board.html"
    capability = C.VIEW

    def get(self, request, *args, **kwargs):
        context = self.board_context(request, self.project)
        if request.headers.get("HX-Request"):
            return render(request, self.board_template, context)
        return self.render_to_response(self.get_context_data(**context))


class ItemMoveView(BoardMixin, ProjectAccessMixin, View):
    """POST ``to_status`` + ``version``: the service moves the card or says why not.

    An htmx request gets the refreshed board (with the message on top); a plain POST is
    redirected back with the message.
    """

    capability = C.EDIT

    def post(self, request, code, pk):
        item = selectors.development_item_get(user=request.user, pk=pk, project=self.project)
        form = MoveForm(request.POST)
        level, message = "success", ""
        if not form.is_valid():
            level, message = "danger", " ".join(e for errors in form.errors.values() for e in errors)
        else:
            try:
                moved = services.development_item_transition(item=item, by=request.user, **form.cleaned_data)
                message = _("%(code)s moved to “%(status)s”.") % {
                    "code": moved.code,
                    "status": moved.get_status_display(),
                }
            except ConflictError as exc:
                level, message = "warning", exc.message
            except DomainError as exc:
                level, message = "danger", exc.message
        if request.headers.get("HX-Request"):
            context = self.board_context(request, self.project, message=message, level=level)
            return render(request, self.board_template, context)
        getattr(messages, "error" if level == "danger" else level)(request, message)
        return redirect(_safe_next(request, reverse("development:board", args=[code])))


# --- items -----------------------------------------------------------------------------


class ItemListView(ProjectAccessMixin, ListView):
    template_name = "development/item_list.html"
    capability = C.VIEW
    paginate_by = 25
    context_object_name = "items"

    def get_queryset(self):
        params = self.request.GET.copy()
        params.pop("project", None)
        self.filterset = DevelopmentItemFilterSet(
            params,
            queryset=selectors.development_item_list(user=self.request.user).filter(project=self.project),
            request=self.request,
        )
        self.filterset.form.fields["environment"].queryset = self.project.environments.all()
        self.filterset.form.fields["release"].queryset = self.project.releases.all()
        qs = self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()
        return qs.order_by("number")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        context["status_counts"] = selectors.status_counts(user=self.request.user, project=self.project)
        return context


class ItemDetailView(ProjectAccessMixin, TemplateView):
    template_name = "development/item_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = selectors.development_item_get(user=self.request.user, pk=self.kwargs["pk"], project=self.project)
        context.update(
            item=item,
            allowed_targets=[(s, DevelopmentItem.Status(s).label) for s in allowed_targets(item.status)],
            releases=selectors.release_list(user=self.request.user).filter(items=item),
            history=selectors.history_rows(target=item),
        )
        return context


class ItemEditView(ProjectAccessMixin, FormView):
    """Create (no ``pk``) or edit an item; the status changes only by moving it."""

    template_name = "development/item_form.html"
    form_class = DevelopmentItemForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.item = selectors.development_item_get(user=self.request.user, pk=pk, project=self.project) if pk else None
        kwargs["project"] = self.project
        if self.item:
            kwargs["instance"] = self.item
            kwargs["initial"] = {"version": self.item.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.item:
            result = call_service(
                form,
                services.development_item_update,
                item=self.item,
                by=self.request.user,
                version=version or 0,
                **data,
            )
        else:
            result = call_service(
                form, services.development_item_create, project=self.project, by=self.request.user, **data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("%(code)s saved.") % {"code": result.code})
        return redirect(result)


class ItemDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        item = selectors.development_item_get(user=request.user, pk=pk, project=self.project)
        try:
            services.development_item_delete(item=item, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(item)
        messages.success(request, _("%(code)s deleted.") % {"code": item.code})
        return redirect("development:item_list", code=code)


# --- environments ----------------------------------------------------------------------


class EnvironmentListView(ProjectAccessMixin, ListView):
    template_name = "development/environment_list.html"
    capability = C.VIEW
    context_object_name = "environments"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET.copy()
        params.pop("project", None)
        self.filterset = EnvironmentFilterSet(
            params,
            queryset=selectors.environment_list(user=self.request.user).filter(project=self.project),
            request=self.request,
        )
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()


class EnvironmentEditView(ProjectAccessMixin, FormView):
    template_name = "development/environment_form.html"
    form_class = EnvironmentForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.environment = None
        if pk:
            self.environment = get_object_or_404(
                selectors.environment_list(user=self.request.user), pk=pk, project=self.project
            )
            kwargs["instance"] = self.environment
            kwargs["initial"] = {"version": self.environment.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["environment"] = self.environment
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.environment:
            result = call_service(
                form,
                services.environment_update,
                environment=self.environment,
                by=self.request.user,
                version=version or 0,
                **data,
            )
        else:
            result = call_service(form, services.environment_create, project=self.project, by=self.request.user, **data)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Environment %(name)s saved.") % {"name": result.name})
        return redirect("development:environment_list", code=self.project.code)


class EnvironmentDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        environment = get_object_or_404(selectors.environment_list(user=request.user), pk=pk, project=self.project)
        try:
            services.environment_delete(environment=environment, by=request.user)
            messages.success(request, _("Environment %(name)s deleted.") % {"name": environment.name})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("development:environment_list", code=code)


# --- releases --------------------------------------------------------------------------


def _release_get(request, project, pk) -> Release:
    return get_object_or_404(selectors.release_list(user=request.user), pk=pk, project=project)


class ReleaseListView(ProjectAccessMixin, ListView):
    template_name = "development/release_list.html"
    capability = C.VIEW
    context_object_name = "releases"
    paginate_by = 25

    def get_queryset(self):
        params = self.request.GET.copy()
        params.pop("project", None)
        self.filterset = ReleaseFilterSet(
            params,
            queryset=selectors.release_list(user=self.request.user).filter(project=self.project),
            request=self.request,
        )
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_choices"] = Release.Status.choices
        return context


class ReleaseDetailView(ProjectAccessMixin, TemplateView):
    template_name = "development/release_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = _release_get(self.request, self.project, self.kwargs["pk"])
        context.update(
            release=release,
            items=release.items.select_related("assignee", "current_environment").order_by("number"),
            history=selectors.history_rows(target=release),
        )
        return context


class ReleaseEditView(ProjectAccessMixin, FormView):
    template_name = "development/release_form.html"
    form_class = ReleaseForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.release = _release_get(self.request, self.project, pk) if pk else None
        kwargs["project"] = self.project
        if self.release:
            kwargs["instance"] = self.release
            kwargs["initial"] = {"version": self.release.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["release"] = self.release
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.release:
            result = call_service(
                form, services.release_update, release=self.release, by=self.request.user, version=version or 0, **data
            )
        else:
            result = call_service(form, services.release_create, project=self.project, by=self.request.user, **data)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Release %(code)s saved.") % {"code": result.code})
        return redirect(result)


class ReleaseTransportView(ProjectAccessMixin, View):
    """Record the transport of a release (now, by the current user)."""

    capability = C.EDIT

    def post(self, request, code, pk):
        release = _release_get(request, self.project, pk)
        form = TransportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Reload the page and try again."))
        else:
            try:
                done = services.release_transport(release=release, by=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    _("%(code)s transported to %(env)s.") % {"code": done.code, "env": done.target_environment.name},
                )
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect(release)


class ReleaseDeleteView(ProjectAccessMixin, View):
    capability = C.EDIT

    def post(self, request, code, pk):
        release = _release_get(request, self.project, pk)
        try:
            services.release_delete(release=release, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(release)
        messages.success(request, _("Release %(code)s deleted.") % {"code": release.code})
        return redirect("development:release_list", code=code)


# --- client portal ---------------------------------------------------------------------


class PortalBoardView(BoardMixin, ProjectAccessMixin, TemplateView):
    """The board for the client team: read-only, client-visible fields only."""

    template_name = "development/portal/board.html"
    capability = C.VIEW

    def get(self, request, *args, **kwargs):
        context = self.board_context(request, self.project)
        context["read_only"] = True
        if request.headers.get("HX-Request"):
            return render(request, self.board_template, context)
        return self.render_to_response(self.get_context_data(**context))
