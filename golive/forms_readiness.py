"""Forms of the readiness pages: the input's shape only; the services hold the rules.

A criterion's rule is picked from the built-in rules and its parameters typed as JSON text
(``{"threshold": 90}``); the service checks the names and the values against the rule, so
the page, the API and the seed give the same answer. The rules module is written apart from
this one: while it cannot be imported, the rules registered so far are offered.
"""

import contextlib
import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from golive.models import Category, ReadinessCriterion, ReadinessRun
from golive.readiness import base
from projects.forms import person_label
from projects.roles import Capability, members_with

TEXT = forms.Textarea(attrs={"rows": 3})


def builtin_rules() -> list[base.Rule]:
    """The built-in rules, by key; those registered so far when the rules module is broken."""
    with contextlib.suppress(ImportError):
        from golive.readiness import rules  # noqa: F401  (registers the built-in rules)
    return [base.RULES[key] for key in sorted(base.RULES)]


def rule_help(rules: list[base.Rule]) -> list[dict]:
    """What the form shows under the rule: each rule's parameters with their defaults."""
    return [
        {
            "key": r.key,
            "title": r.title,
            "description": r.description,
            "params": [{"name": p.name, "label": p.label, "default": p.default} for p in r.all_params],
        }
        for r in rules
    ]


class CriterionForm(forms.Form):
    """A readiness criterion; ``parameters`` is a JSON object of the rule's named parameters."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Code"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReadinessCriterion.Kind.choices)
    rule = forms.ChoiceField(label=_("Rule"), required=False, help_text=_("Automatic criteria only."))
    parameters = forms.CharField(
        label=_("Parameters (JSON)"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        required=False,
        help_text=_('For example {"threshold": 90}. Parameters left out take the rule\'s default (listed below).'),
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=0, max_value=100, initial=1)
    blocking = forms.BooleanField(label=_("Blocking (a failure means NO-GO)"), required=False)
    internal = forms.BooleanField(label=_("Internal (hidden from client roles)"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, help_text=_("Who assesses a manual criterion.")
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = builtin_rules()
        choices = [(r.key, f"{r.key} · {r.title}") for r in self.rules]
        current = self.initial.get("rule")
        if current and current not in base.RULES:  # a rule no longer built in: still shown
            choices.append((current, current))
        self.fields["rule"].choices = [("", "—"), *choices]
        self.fields["owner"].queryset = members_with(project, Capability.VIEW)
        self.fields["owner"].label_from_instance = person_label

    @staticmethod
    def initial_for(criterion: ReadinessCriterion) -> dict:
        return {
            "version": criterion.version,
            "code": criterion.code,
            "title": criterion.title,
            "description": criterion.description,
            "category": criterion.category,
            "kind": criterion.kind,
            "rule": criterion.rule,
            "parameters": json.dumps(criterion.parameters, ensure_ascii=False) if criterion.parameters else "",
            "weight": criterion.weight,
            "blocking": criterion.blocking,
            "internal": criterion.internal,
            "active": criterion.active,
            "order": criterion.order,
            "owner": criterion.owner,
        }

    def clean_parameters(self):
        text = (self.cleaned_data.get("parameters") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_('Write the parameters as a JSON object, e.g. {"threshold": 90}.')) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Write the parameters as a JSON object, e.g. {"threshold": 90}.'))
        return value

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class AssessForm(forms.Form):
    """The owner's assessment of a manual criterion: met or not, a note, an attachment."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    met = forms.TypedChoiceField(
        label=_("Assessment"),
        choices=[("met", _("Met")), ("not_met", _("Not met"))],
        coerce=lambda value: value == "met",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)
    evidence = forms.FileField(
        label=_("Attachment"), required=False, help_text=_("PDF, image, Office document, CSV, text or zip.")
    )


class CompareForm(forms.Form):
    """The other run of a comparison (``?with=<pk>``): a finished run of the same project."""

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(label=_("Compare with"), queryset=runs, empty_label=None)
        field.label_from_instance = self.run_label
        self.fields["with"] = field

    @staticmethod
    def run_label(run: ReadinessRun) -> str:
        when = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M") if run.finished_at else ""
        return f"#{run.number} · {when}".strip(" ·")
