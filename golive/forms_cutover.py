"""Forms of the cutover pages: a plan task, starting a run, finishing and skipping a run task."""

from django import forms
from django.utils.translation import gettext_lazy as _

from datamigration.models import MasterDataObject
from golive.models import CutoverRun, CutoverTask, SupportTeam, TaskType
from projects.roles import Capability, members_with


class CutoverTaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    stream = forms.CharField(label=_("Stream"), max_length=80, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=TaskType.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    owner_team = forms.ModelChoiceField(label=_("Owner team"), queryset=None, required=False)
    planned_minutes = forms.IntegerField(label=_("Planned duration (minutes)"), min_value=0, required=False)
    fixed_start = forms.DateTimeField(
        label=_("Fixed start"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    predecessors = forms.ModelMultipleChoiceField(label=_("Predecessors"), queryset=None, required=False)
    critical = forms.BooleanField(label=_("Critical"), required=False)
    rollback = forms.CharField(label=_("Rollback step"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    masterdata_object = forms.ModelChoiceField(label=_("Master data object"), queryset=None, required=False)
    expected_rows = forms.IntegerField(label=_("Expected rows"), min_value=0, required=False)
    internal = forms.BooleanField(label=_("Internal"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_with(project, Capability.VIEW)
        self.fields["owner_team"].queryset = SupportTeam.objects.filter(plan__project=project)
        others = CutoverTask.objects.filter(project=project).order_by("number")
        self.fields["predecessors"].queryset = others.exclude(pk=task.pk) if task else others
        self.fields["masterdata_object"].queryset = MasterDataObject.objects.filter(project=project).order_by("name")
        if task is None:
            del self.fields["version"]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class RunStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CutoverRun.Kind.choices)
    baseline_start = forms.DateTimeField(
        label=_("Planned start (now when empty)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class FinishForm(forms.Form):
    passed = forms.NullBooleanField(label=_("Passed"), required=False)


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
