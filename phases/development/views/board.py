"""The development board (dashboard and client portal) and the move of a card.

Cards move with buttons or by drag and drop (htmx): the move is a ``ServiceActionView``
whose htmx answer is the refreshed board with the outcome on top; a plain POST is
redirected back with the same message.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from phases.development import selectors, services
from phases.development.filters import DevelopmentItemFilterSet
from phases.development.forms import MoveForm
from projects.actions import ServiceActionView, is_htmx
from projects.mixins import ProjectAccessMixin, filter_params, page_filter_form
from projects.roles import Capability, members_with

C = Capability

#: How the item filters read on a page (the FilterSet's labels are the API's).
ITEM_FILTER_LABELS = {
    "environment": gettext_lazy("Target environment"),
    "assignee": gettext_lazy("Assignee"),
    "q": gettext_lazy("Search"),
}


def narrow_item_filters(form, project) -> None:
    """Offer the project's own environments, releases and possible assignees in the filters
    shown on the page (the FilterSet validated against everything the user may see)."""
    choices = {
        "environment": project.environments.all(),
        "release": project.releases.all(),
        "assignee": members_with(project, Capability.EDIT),
    }
    for name, queryset in choices.items():
        if name in form.fields:
            form.fields[name].queryset = queryset


class BoardMixin:
    """Builds the board context: filtered cards of the project grouped by status."""

    board_template = "development/_board.html"
    board_filters = ("type", "environment", "assignee", "q")

    def board_context(self, request, project) -> dict:
        params = filter_params(request.GET)
        params.pop("project", None)
        filterset = DevelopmentItemFilterSet(
            params,
            queryset=selectors.development_item_list(user=request.user).filter(project=project),
            request=request,
        )
        items = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        form = page_filter_form(filterset.form, project=project, fields=self.board_filters, labels=ITEM_FILTER_LABELS)
        narrow_item_filters(form, project)
        return {
            "project": project,
            "columns": selectors.board_columns(items.order_by("number"), user=request.user, project=project),
            "filter_form": form,
            "querystring": params.urlencode(),
        }


class BoardView(BoardMixin, ProjectAccessMixin, TemplateView):
    """Columns by status; cards move with buttons or drag and drop (htmx partial updates)."""

    template_name = "development/board.html"
    capability = C.VIEW
    read_only = False

    def get(self, request, *args, **kwargs):
        context = self.board_context(request, self.project)
        context["read_only"] = self.read_only
        if is_htmx(request):
            return render(request, self.board_template, context)
        return self.render_to_response(self.get_context_data(**context))


class PortalBoardView(BoardView):
    """The board for the client team: read-only, client-visible fields only."""

    template_name = "development/portal/board.html"
    read_only = True


class ItemMoveView(BoardMixin, ServiceActionView):
    """POST ``to_status`` + ``version``: the service moves the card or says why not.

    An htmx request gets the refreshed board (with the message on top); a plain POST is
    redirected back (``next``, else the board) with the message.
    """

    capability = C.EDIT
    form_class = MoveForm
    partial_template = BoardMixin.board_template

    def get_object(self):
        return selectors.development_item_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.development_item_transition(item=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("%(code)s moved to “%(status)s”.") % {"code": result.code, "status": result.get_status_display()}

    def get_success_url(self, result):
        return reverse("development:board", args=[self.project.code])

    def get_partial_context(self, form, result):
        return self.board_context(self.request, self.project)
