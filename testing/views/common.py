"""What the testing pages share: the filtered list page and the execution pages' mixin."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.mixins import ProjectAccessMixin, ProjectFilteredListView
from projects.roles import Capability, can
from testing import access, selectors
from testing.models import Execution, StepStatus


def page_filter_form(form, *, project, fields):
    """A FilterSet's form as the page shows it: only ``fields``, one value each, this project's choices.

    The API accepts several values and any visible project; a page of one project offers a
    single value per filter, and related choices (cycles, people) of that project only.
    """
    for name in [name for name in form.fields if name not in fields]:
        form.fields.pop(name)
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            if queryset.model is get_user_model():
                field.queryset = queryset.filter(memberships__project=project).distinct()
            elif any(f.name == "project" for f in queryset.model._meta.fields):
                field.queryset = queryset.filter(project=project)
        if isinstance(field, forms.MultipleChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
            field.widget = forms.Select(choices=[("", _("Any"))] + [c for c in field.choices if c[0]])
        elif isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
    return form


class FilteredListView(ProjectFilteredListView):
    """A project's rows filtered by the app's FilterSet; the page shows ``filter_fields``."""

    filter_fields: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = page_filter_form(
            context["filter_form"], project=self.project, fields=self.filter_fields
        )
        return context


class ExecutionMixin(ProjectAccessMixin):
    """The execution pages of the dashboard (``testing:``) and of the portal (``testing-portal:``)."""

    portal = False

    @property
    def ns(self):
        return "testing-portal" if self.portal else "testing"

    def get_execution(self) -> Execution:
        return selectors.execution_get(user=self.request.user, project=self.project, pk=self.kwargs["pk"])

    def execution_url(self, execution) -> str:
        return reverse(f"{self.ns}:execution_detail", args=[self.project.code, execution.pk])

    def step_context(self, execution) -> dict:
        """What a step row needs (the page and the htmx partial): may the user record, raise a defect."""
        return {
            "execution": execution,
            "ns": self.ns,
            "may_record": access.may_record(self.request.user, execution),
            "may_raise": can(self.request.user, self.project, Capability.PARTICIPATE),
            "step_choices": StepStatus.choices,
        }
