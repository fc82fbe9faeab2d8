"""Development item pages: the filtered list, the detail (with its moves and history), the
form (create / edit; the status changes only by moving the item) and delete."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from phases.development import selectors, services
from phases.development.filters import DevelopmentItemFilterSet
from phases.development.forms import DevelopmentItemForm
from phases.development.views.board import ITEM_FILTER_LABELS, narrow_item_filters
from projects.actions import ServiceActionView, ServiceFormView
from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability

C = Capability


class ItemListView(ProjectFilteredListView):
    template_name = "development/item_list.html"
    paginate_by = 25
    context_object_name = "items"
    filterset_class = DevelopmentItemFilterSet
    filter_fields = ("type", "status", "environment", "assignee", "q")
    filter_labels = ITEM_FILTER_LABELS

    def rows(self):
        return selectors.development_item_list(user=self.request.user).order_by("number")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        narrow_item_filters(self.filterset.form, self.project)
        context["status_counts"] = selectors.status_counts(user=self.request.user, project=self.project)
        return context


class ItemDetailView(ProjectAccessMixin, TemplateView):
    template_name = "development/item_detail.html"
    capability = C.VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        item = selectors.development_item_get(user=user, project=self.project, pk=self.kwargs["pk"])
        context.update(
            item=item,
            allowed_targets=selectors.item_moves(user=user, item=item),
            releases=selectors.release_list(user=user).filter(items=item),
            history=selectors.history_rows(user=user, target=item),
        )
        return context


class ItemEditView(ServiceFormView):
    """Create (no ``pk``) or edit an item; the status changes only by moving it."""

    template_name = "development/item_form.html"
    form_class = DevelopmentItemForm
    capability = C.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.kwargs.get("pk")
        self.item = selectors.development_item_get(user=self.request.user, project=self.project, pk=pk) if pk else None
        kwargs["project"] = self.project
        if self.item:
            kwargs["instance"] = self.item
            kwargs["initial"] = {"version": self.item.version}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        if self.item:
            return services.development_item_update(item=self.item, by=self.request.user, version=version or 0, **data)
        return services.development_item_create(project=self.project, by=self.request.user, **data)

    def get_success_message(self, result):
        return _("%(code)s saved.") % {"code": result.code}


class ItemDeleteView(ServiceActionView):
    capability = C.EDIT

    def get_object(self):
        return selectors.development_item_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def perform(self, form):
        services.development_item_delete(item=self.object, by=self.request.user)
        return True

    def get_success_message(self, result):
        return _("%(code)s deleted.") % {"code": self.object.code}

    def get_success_url(self, result):
        if result:
            return reverse("development:item_list", args=[self.project.code])
        return super().get_success_url(result)
