"""Forms of the testing pages: input shape only; the services hold the rules."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.choices import choose_by_code
from projects.forms import person_label
from projects.roles import Capability, allowed_moves, members_with
from testing.models import Case, CaseType, Cycle, Defect, StepStatus
from testing.transitions import CYCLE_TRANSITIONS

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 2})
C = Capability


class CaseForm(forms.Form):
    """A case and its steps; steps are typed one per line as ``action | expected result``."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    preconditions = forms.CharField(label=_("Preconditions"), widget=TEXT, required=False)
    steps_text = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step per line: action | expected result."),
    )
    test_data = forms.CharField(label=_("Test data"), widget=TEXT, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    requirements = forms.ModelMultipleChoiceField(label=_("Requirements"), queryset=None, required=False)
    development_items = forms.ModelMultipleChoiceField(label=_("Development items"), queryset=None, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from phases.development.models import DevelopmentItem
        from phases.discovery.models import Requirement

        self.fields["owner"].queryset = members_with(project, C.VIEW)
        self.fields["owner"].label_from_instance = person_label
        choose_by_code(self.fields["requirements"], Requirement.objects.filter(project=project).order_by("code"))
        choose_by_code(
            self.fields["development_items"], DevelopmentItem.objects.filter(project=project).order_by("code")
        )

    @staticmethod
    def initial_for(case: Case) -> dict:
        return {
            "version": case.version,
            "title": case.title,
            "type": case.type,
            "preconditions": case.preconditions,
            "test_data": case.test_data,
            "owner": case.owner,
            "requirements": list(case.requirements.all()),
            "development_items": list(case.development_items.all()),
            "steps_text": "\n".join(f"{s.action} | {s.expected_result}" for s in case.steps.order_by("order")),
        }

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        lines = [line for line in data.pop("steps_text").splitlines() if line.strip()]
        data["steps"] = [
            {
                "action": line.split("|", 1)[0].strip(),
                "expected_result": line.split("|", 1)[1].strip() if "|" in line else "",
            }
            for line in lines
        ]
        return data


class CycleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=CaseType.choices)
    environment = forms.ModelChoiceField(label=_("Environment"), queryset=None, required=False)
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE, required=False)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from phases.development.models import Environment

        self.fields["environment"].queryset = Environment.objects.filter(project=project)


class CycleStatusForm(forms.Form):
    """The cycle's status: the current one and the moves the user may make (``CYCLE_TRANSITIONS``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=())

    def __init__(self, *args, user, cycle, **kwargs):
        kwargs.setdefault("initial", {"version": cycle.version, "status": cycle.status})
        super().__init__(*args, **kwargs)
        targets = [cycle.status, *allowed_moves(user, cycle.project, CYCLE_TRANSITIONS, cycle.status)]
        self.fields["status"].choices = [(value, Cycle.Status(value).label) for value in targets]


class AddCasesForm(forms.Form):
    """Cases of the project not yet in the cycle's scope, to add (with a tester).

    Any such case is accepted; the page offers the first ``SHOWN`` matching ``search`` (by
    code or title) rather than a list of every case of a project with thousands of them.
    """

    SHOWN = 100

    cases = forms.ModelMultipleChoiceField(label=_("Test cases"), queryset=None)
    assignee = forms.ModelChoiceField(label=_("Tester"), queryset=None, required=False)

    def __init__(self, *args, project, cycle, search="", **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Case.objects.filter(project=project).exclude(cycle_cases__cycle=cycle).order_by("code")
        self.fields["cases"].queryset = candidates
        self.fields["assignee"].queryset = members_with(project, C.PARTICIPATE)
        self.fields["assignee"].label_from_instance = person_label
        if search:
            candidates = candidates.filter(Q(code__icontains=search) | Q(title__icontains=search))
        offered = list(candidates.values_list("pk", "code", "title")[: self.SHOWN + 1])
        self.more_candidates = len(offered) > self.SHOWN
        self.fields["cases"].widget.choices = [(pk, f"{code} {title}") for pk, code, title in offered[: self.SHOWN]]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Tester"), queryset=None, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members_with(project, C.PARTICIPATE)
        self.fields["assignee"].label_from_instance = person_label


class SignoffRequestForm(forms.Form):
    approver = forms.ModelChoiceField(
        label=_("Approver"), queryset=None, required=False, empty_label=_("Any approver (PM or sponsor)")
    )

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The requester never decides their own sign-off: they are not offered as its approver.
        self.fields["approver"].queryset = members_with(project, C.APPROVE).exclude(pk=user.pk)
        self.fields["approver"].label_from_instance = person_label


class SignoffDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approved", _("Sign off")), ("rejected", _("Reject"))], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), widget=TEXT, required=False)
    override = forms.BooleanField(label=_("Sign off although critical defects are open"), required=False)
    override_reason = forms.CharField(label=_("Reason for the override"), widget=TEXT, required=False)


class StepResultForm(forms.Form):
    status = forms.ChoiceField(label=_("Result"), choices=StepStatus.choices)
    actual_result = forms.CharField(label=_("Actual result"), required=False, widget=forms.Textarea(attrs={"rows": 1}))


class FinishForm(forms.Form):
    actual_result = forms.CharField(label=_("Actual result (summary)"), widget=TEXT, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    step = forms.IntegerField(label=_("Step"), required=False, min_value=1)


class DefectForm(forms.Form):
    """Raise a defect (on its own, or from a failed step when ``step_result`` is given)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Defect.Severity.choices, initial=Defect.Severity.MAJOR)
    priority = forms.ChoiceField(label=_("Priority"), choices=Defect.Priority.choices, initial=Defect.Priority.MEDIUM)
    step_result = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DefectEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Defect.Severity.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Defect.Priority.choices)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False)
    development_item = forms.ModelChoiceField(label=_("Development item"), queryset=None, required=False)
    environment = forms.ModelChoiceField(label=_("Environment"), queryset=None, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from phases.development.models import DevelopmentItem, Environment

        self.fields["assignee"].queryset = members_with(project, C.VIEW)
        self.fields["assignee"].label_from_instance = person_label
        choose_by_code(
            self.fields["development_item"], DevelopmentItem.objects.filter(project=project).order_by("code")
        )
        self.fields["environment"].queryset = Environment.objects.filter(project=project)


class DefectTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Defect.Status.choices)
    comment = forms.CharField(required=False, widget=TEXT)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=TEXT)


class LoadResultForm(forms.Form):
    scenario = forms.CharField(label=_("Scenario"), max_length=200)
    case = forms.ModelChoiceField(label=_("Test case"), queryset=None, required=False)
    virtual_users = forms.IntegerField(label=_("Virtual users"), min_value=1)
    duration_seconds = forms.IntegerField(label=_("Duration (s)"), min_value=1)
    throughput_rps = forms.DecimalField(label=_("Throughput (req/s)"), min_value=0, max_digits=12, decimal_places=2)
    p95_ms = forms.IntegerField(label=_("p95 (ms)"), min_value=0)
    p99_ms = forms.IntegerField(label=_("p99 (ms)"), min_value=0)
    error_rate = forms.DecimalField(label=_("Error rate (%)"), min_value=0, max_value=100, decimal_places=3)
    max_p95_ms = forms.IntegerField(label=_("Bound: p95 at most (ms)"), min_value=0, required=False)
    max_p99_ms = forms.IntegerField(label=_("Bound: p99 at most (ms)"), min_value=0, required=False)
    max_error_rate = forms.DecimalField(
        label=_("Bound: error rate at most (%)"), min_value=0, max_value=100, decimal_places=3, required=False
    )
    min_throughput_rps = forms.DecimalField(
        label=_("Bound: throughput at least (req/s)"), min_value=0, decimal_places=2, required=False
    )
    report = forms.FileField(label=_("Report"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.filter(project=project, type=CaseType.LOAD)


class TraceabilityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Requirement status"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    coverage = forms.ChoiceField(
        label=_("Coverage"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        choices=[
            ("", _("Any coverage")),
            ("no_test", _("No test")),
            ("not_run", _("Not run")),
            ("in_progress", _("Partly run")),
            ("failed", _("Failed")),
            ("passed", _("Passed")),
        ],
    )
    business_area = forms.ChoiceField(
        label=_("Business area"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from phases.discovery.models import Requirement

        self.fields["status"].choices = [("", _("Any status")), *Requirement.Status.choices]
        self.fields["business_area"].choices = [("", _("Any")), *Requirement._meta.get_field("business_area").choices]
