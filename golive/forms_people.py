"""Forms of the support plan, training and user guide pages (shape only; the rules are the services')."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from golive.models import Attendance, EscalationLevel
from phases.design.models import ProcessDesign
from projects.forms import person_label
from projects.roles import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


def members_of(project):
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__project=project)
        .order_by("first_name", "last_name", "username")
    )


def _people(field, project):
    field.queryset = members_of(project)
    field.label_from_instance = person_label


class SupportPlanForm(forms.Form):
    hypercare_start = forms.DateField(label=_("Hypercare start"), widget=DATE, required=False)
    hypercare_end = forms.DateField(label=_("Hypercare end"), widget=DATE, required=False)
    working_hours = forms.CharField(label=_("Working hours"), max_length=200, required=False)
    exit_criteria = forms.CharField(label=_("Hypercare exit criteria"), widget=TEXT, required=False)
    procedure = forms.CharField(label=_("Procedure for issues during go-live"), widget=TEXT, required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    working_hours = forms.CharField(label=_("Working hours"), max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["members"], project)


class EscalationForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=EscalationLevel.Level.choices)
    contact_name = forms.CharField(label=_("Contact"), max_length=120)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    when = forms.CharField(label=_("When to escalate"), max_length=200, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = plan.teams.all()


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    audience_roles = forms.MultipleChoiceField(
        label=_("Audience roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=None, required=False)
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = ProcessDesign.objects.filter(project=project).order_by("code")
        self.fields["processes"].label_from_instance = lambda p: f"{p.code} {p.name}"
        _people(self.fields["trainer"], project)


class InviteForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    users = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["users"], project)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Attendance.Status.choices)


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = ProcessDesign.objects.filter(project=project).order_by("code")
        self.fields["processes"].label_from_instance = lambda p: f"{p.code} {p.name}"


class GuideUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, PowerPoint, Excel, PNG or JPG."))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class PublishForm(forms.Form):
    published = forms.BooleanField(required=False)
