from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from projects.models import Approval, MethodologyTemplate, Milestone, Phase, Project, Task
from projects.roles import Role
from projects.services.logins import LoginLocked, login_attempt

DATE = forms.DateInput(attrs={"type": "date"})


def person_label(user) -> str:
    """How a person is offered in a picker (approver, tester, owner, …): "Full Name (username)",
    the username alone when the account has no name. Set as a field's ``label_from_instance``."""
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


class BrakedLoginMixin:
    """For a Django sign-in form: the password is checked through the shared brake on guessing."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_attempt(self.request, username=username, password=password)
            except LoginLocked as locked:
                raise forms.ValidationError(locked.message, code="locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class LoginForm(BrakedLoginMixin, AuthenticationForm):
    """The login page's form."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Your username and password didn't match. Please try again."),
    }


class AdminLoginForm(BrakedLoginMixin, AdminAuthenticationForm):
    """The admin site's login form (``projects/admin.py`` installs it): the same brake."""


class ProjectCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("Capital letters, digits and '-', e.g. ACME-ERP.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    client_name = forms.CharField(label=_("Client organisation"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_golive = forms.DateField(label=_("Planned go-live"), widget=DATE)
    template = forms.ModelChoiceField(
        label=_("Methodology template"),
        queryset=MethodologyTemplate.objects.all(),
        required=False,
        empty_label=_("Built-in six-phase template"),
    )


class ProjectUpdateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = ["name", "client_name", "description", "status", "planned_start", "planned_golive", "actual_golive"]
        widgets = {
            "planned_start": DATE,
            "planned_golive": DATE,
            "actual_golive": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class MembershipAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"]
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(_("No active user is called %(name)s.") % {"name": username}) from None


class PhaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Phase.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = [
            "phase",
            "title",
            "description",
            "owner",
            "start",
            "due",
            "progress",
            "status",
            "depends_on",
            "is_deliverable",
            "internal",
        ]
        widgets = {"start": DATE, "due": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()
        self.fields["owner"].queryset = get_user_model().objects.filter(memberships__project=project)
        self.fields["owner"].label_from_instance = person_label
        others = project.tasks.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others
        self.fields["depends_on"].required = False

    def _post_clean(self):
        # Validation of the instance happens in the service, which owns the rules.
        pass


class MilestoneForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        fields = ["phase", "title", "due_date", "achieved_on", "internal"]
        widgets = {"due_date": DATE, "achieved_on": DATE}
        labels = {"phase": _("Phase")}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()

    def _post_clean(self):
        # Validation of the instance happens in the service, which owns the rules.
        pass


class SaveTemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Approval.Decision.APPROVED, _("Approve")), (Approval.Decision.REJECTED, _("Reject"))],
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TokenCreateForm(forms.Form):
    expiry_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
