"""Forms of the discovery pages: input shape only; the services hold the rules.

Choices bound to the project (owners, processes, stakeholders, attendees) are narrowed
in ``__init__`` to the project the view passes in.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phases.discovery.models import (
    CurrentProcess,
    Kickoff,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from projects.forms import person_label
from projects.models import Approval
from projects.roles import Capability, members_with

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


def _people(project, current=()):
    """The members of the project (active, by name), plus whoever the row names today."""
    members = members_with(project, Capability.VIEW)
    if not current:
        return members
    return (
        get_user_model()
        .objects.filter(Q(pk__in=members.values("pk")) | Q(pk__in=current))
        .order_by("first_name", "last_name", "username")
    )


class _ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    member_fields: tuple[str, ...] = ()

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        for name in self.member_fields:
            if name in self.fields:
                self.fields[name].queryset = _people(project, self._current_people(name))
                self.fields[name].label_from_instance = person_label
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def _current_people(self, name: str) -> list[int]:
        if not self.instance.pk:
            return []
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        current = getattr(self.instance, field.attname)
        return [current] if current is not None else []

    def service_data(self) -> tuple[int | None, dict]:
        data = dict(self.cleaned_data)
        return data.pop("version", None), data

    def _post_clean(self):
        """Validation belongs to the services: skip the ModelForm's instance construction."""


class StakeholderForm(_ProjectForm):
    member_fields = ("user",)

    class Meta:
        model = Stakeholder
        fields = ["name", "organisation", "title", "email", "phone", "influence", "interest", "user", "notes"]
        widgets = {"notes": TEXT}


class KickoffForm(_ProjectForm):
    member_fields = ("attendee_members",)

    class Meta:
        model = Kickoff
        fields = [
            "title",
            "meeting_date",
            "location",
            "attendee_members",
            "attendee_stakeholders",
            "goals",
            "scope_in",
            "scope_out",
            "schedule_summary",
            "expectations",
            "ground_rules",
        ]
        widgets = {
            "meeting_date": DATETIME,
            "goals": TEXT,
            "scope_in": TEXT,
            "scope_out": TEXT,
            "schedule_summary": TEXT,
            "expectations": TEXT,
            "ground_rules": TEXT,
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.fields["attendee_stakeholders"].queryset = project.stakeholders.all()


class CurrentProcessForm(_ProjectForm):
    member_fields = ("owner",)

    class Meta:
        model = CurrentProcess
        fields = ["business_area", "name", "as_is_description", "systems_used", "volumes", "pain_points", "owner"]
        widgets = {"as_is_description": TEXT, "pain_points": TEXT}


class RequirementForm(_ProjectForm):
    member_fields = ("owner",)
    code = forms.CharField(
        label=_("Code"), max_length=30, required=False, help_text=_("Leave empty for the next REQ-nnn.")
    )

    class Meta:
        model = Requirement
        fields = [
            "code",
            "title",
            "description",
            "business_area",
            "source",
            "priority",
            "fit_gap",
            "resolution",
            "status",
            "owner",
            "processes",
            "internal_notes",
        ]
        widgets = {"description": TEXT, "internal_notes": TEXT}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.fields["processes"].queryset = project.current_processes.all()
        if self.instance.pk:
            del self.fields["code"]  # the code is fixed once given


class RaidItemForm(_ProjectForm):
    member_fields = ("owner",)

    class Meta:
        model = RaidItem
        fields = [
            "kind",
            "title",
            "description",
            "probability",
            "impact",
            "response",
            "owner",
            "due",
            "status",
            "internal",
        ]
        widgets = {"description": TEXT, "response": TEXT, "due": DATE}


class RolloutWaveForm(_ProjectForm):
    sites = forms.CharField(
        label=_("Sites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One site per line: company | site | location | users"),
    )

    class Meta:
        model = RolloutWave
        fields = ["name", "sequence", "start_date", "golive_date", "description"]
        widgets = {"start_date": DATE, "golive_date": DATE, "description": TEXT}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["sites"] = "\n".join(
                " | ".join([s.company, s.site, s.location, str(s.users_count or "")]).rstrip(" |")
                for s in self.instance.sites.all()
            )

    def clean_sites(self):
        sites = []
        for number, line in enumerate(self.cleaned_data["sites"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            users = parts[3]
            if users and not users.isdigit():
                raise forms.ValidationError(
                    _("Line %(n)d: the number of users must be a whole number.") % {"n": number}
                )
            sites.append(
                {
                    "company": parts[0],
                    "site": parts[1],
                    "location": parts[2],
                    "users_count": int(users) if users else None,
                }
            )
        return sites


class PlanDocumentForm(_ProjectForm):
    class Meta:
        model = PlanDocument
        fields = ["kind", "title", "description", "file", "internal"]
        widgets = {"description": TEXT}


class PlanDocumentEditForm(_ProjectForm):
    class Meta:
        model = PlanDocument
        fields = ["kind", "title", "description", "internal"]
        widgets = {"description": TEXT}


class RequirementImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: code, title, description, business_area, source, priority, fit_gap, resolution, "
            "status, owner, processes, internal_notes. Title and business_area are required."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )


class SignoffRequestForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the sponsor"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "class": "form-control", "placeholder": _("Summary for the sponsor (optional)")}
        ),
    )


class SignoffDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Approval.Decision.APPROVED, _("Approve")), (Approval.Decision.REJECTED, _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class RequirementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Requirement.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
