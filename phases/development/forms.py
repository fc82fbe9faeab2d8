"""Forms of the development pages: input shape only; the services own the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phases.design.models import FunctionDescription, ProcessDesign
from phases.development.models import DevelopmentItem, Environment, Release
from phases.discovery.models import Requirement
from projects.choices import choose_by_code
from projects.forms import person_label
from projects.models import Project
from projects.roles import Capability, members_with

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BootstrapMixin:
    """Bootstrap classes on every widget (the shared ``_form.html`` renders them as they are)."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class DevelopmentItemForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DevelopmentItem
        fields = [
            "type",
            "title",
            "description",
            "requirements",
            "process_designs",
            "function_descriptions",
            "assignee",
            "target_environment",
            "target_release",
            "complexity",
            "estimate_days",
            "external_system",
            "direction",
            "protocol",
            "frequency",
            "data_objects",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.SelectMultiple(attrs={"size": 6}),
            "process_designs": forms.SelectMultiple(attrs={"size": 4}),
            "function_descriptions": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {
            "complexity": _("Internal: never shown to the client team."),
            "estimate_days": _("Internal: never shown to the client team."),
            "external_system": _("Interfaces: the system this item integrates with."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        choose_by_code(self.fields["requirements"], Requirement.objects.filter(project=project).order_by("code"))
        choose_by_code(self.fields["process_designs"], ProcessDesign.objects.filter(project=project).order_by("code"))
        choose_by_code(
            self.fields["function_descriptions"],
            FunctionDescription.objects.filter(project=project).order_by("pk"),
            code_field="pk",
            hint=_("Type their numbers (the No. column of the function descriptions), separated by commas."),
        )
        # The one assignee rule (the service checks the same): whoever may edit the project's content.
        self.fields["assignee"].queryset = members_with(project, Capability.EDIT)
        self.fields["assignee"].label_from_instance = person_label
        self.fields["target_environment"].queryset = project.environments.all()
        self.fields["target_release"].queryset = project.releases.exclude(status=Release.Status.CANCELLED)
        for name in ("requirements", "process_designs", "function_descriptions"):
            self.fields[name].required = False
        self._style()

    def _post_clean(self):
        # The service validates the instance (one set of rules for the pages and the API).
        pass


class EnvironmentForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")

    class Meta:
        model = Environment
        fields = ["name", "kind", "order", "url", "software_version", "status", "last_refresh", "description"]
        widgets = {"last_refresh": DATETIME, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def _post_clean(self):
        pass


class ReleaseForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Release
        fields = ["title", "description", "source_environment", "target_environment", "planned_date", "items"]
        widgets = {
            "planned_date": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
            "items": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_environment"].queryset = project.environments.all()
        self.fields["target_environment"].queryset = project.environments.all()
        choose_by_code(
            self.fields["items"],
            project.development_items.exclude(status=DevelopmentItem.Status.CANCELLED).order_by("number"),
        )
        self.fields["items"].required = False
        self._style()

    def _post_clean(self):
        pass


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"), choices=DevelopmentItem.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


RELOAD = _("Reload the page and try again.")


class TransportForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": RELOAD, "invalid": RELOAD, "min_value": RELOAD},
    )
