"""Forms of the go/no-go decision pages (dashboard and portal)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from golive.models import ReadinessRun
from projects.forms import person_label

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 2})


def _members(project):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__project=project)
        .order_by("first_name", "last_name", "username")
    )


class DecisionForm(forms.Form):
    """The meeting: when, who, on which finished readiness check (only on create)."""

    meeting_at = forms.DateTimeField(label=_("Meeting"), widget=DATETIME)
    readiness_run = forms.ModelChoiceField(
        label=_("Readiness check"),
        queryset=ReadinessRun.objects.none(),
        help_text=_("A finished check; the decision keeps a copy of its results."),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    other_attendees = forms.CharField(label=_("Other attendees"), widget=TEXT, required=False)
    conditions = forms.CharField(label=_("Conditions"), widget=TEXT, required=False)

    def __init__(self, *args, project, runs=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _members(project)
        self.fields["attendees"].label_from_instance = person_label
        if editing:
            del self.fields["readiness_run"]
        else:
            del self.fields["conditions"]
            self.fields["readiness_run"].queryset = runs
            self.fields["readiness_run"].label_from_instance = _run_label


def _run_label(run) -> str:
    return _("#%(number)s of %(date)s — score %(score)s, %(recommendation)s") % {
        "number": run.number,
        "date": run.finished_at.date() if run.finished_at else "—",
        "score": run.score if run.score is not None else "—",
        "recommendation": run.get_recommendation_display() or "—",
    }


class DecideForm(forms.Form):
    """An approver's GO / NO-GO; the override reason only when a blocking criterion failed."""

    go = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("go", _("GO")), ("no_go", _("NO-GO"))],
        coerce=lambda v: v == "go",
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(label=_("Conditions"), widget=TEXT, required=False)
    override_reason = forms.CharField(
        label=_("Override reason"),
        widget=TEXT,
        required=False,
        help_text=_("Required for a GO: a blocking criterion failed in the readiness check."),
    )

    def __init__(self, *args, needs_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_override:
            del self.fields["override_reason"]
