"""Forms of the design pages: input shape only; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phases.design.models import FunctionDescription, ProcessDesign, TechnicalRequirement
from phases.discovery.models import BusinessArea, Requirement
from projects.choices import choose_by_code
from projects.forms import person_label
from projects.models import Approval, Project
from projects.roles import Capability, members_with

TEXT = forms.Textarea(attrs={"rows": 4})


class _StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


class ProcessDesignForm(_StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    business_area = forms.ChoiceField(label=_("Business area"), choices=BusinessArea.choices)
    name = forms.CharField(label=_("Process name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Process owner"), queryset=None, required=False)
    as_is = forms.CharField(label=_("As-is process"), widget=TEXT, required=False)
    to_be = forms.CharField(label=_("To-be process"), widget=TEXT, required=False)
    requirements = forms.ModelMultipleChoiceField(
        label=_("Requirements covered"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    bpmn_file = forms.FileField(
        label=_("BPMN 2.0 diagram (.bpmn)"),
        required=False,
        help_text=_("Exported from your modelling tool (Camunda Modeler, bpmn.io, Signavio...), with its layout."),
        widget=forms.ClearableFileInput(attrs={"accept": ".bpmn,.xml"}),
    )
    remove_bpmn = forms.BooleanField(label=_("Remove the current diagram"), required=False)

    def __init__(self, *args, project: Project, design: ProcessDesign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_with(project, Capability.VIEW)
        self.fields["owner"].label_from_instance = person_label
        choose_by_code(self.fields["requirements"], Requirement.objects.filter(project=project).order_by("code"))
        if design is None or not design.bpmn_xml:
            del self.fields["remove_bpmn"]


class StepForm(_StyledForm):
    title = forms.CharField(label=_("Step"), max_length=200, required=False)
    actor = forms.CharField(label=_("Performed by"), max_length=120, required=False)
    erp_function = forms.CharField(label=_("ERP screen / transaction"), max_length=200, required=False)
    work_instruction = forms.CharField(
        label=_("Work instruction"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


StepFormSet = forms.formset_factory(StepForm, extra=2, max_num=100)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Approval.Decision.APPROVED, _("Approve")), (Approval.Decision.REJECTED, _("Reject"))],
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FunctionDescriptionForm(_StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    requirement = forms.ModelChoiceField(label=_("Requirement"), queryset=None)
    design = forms.ModelChoiceField(label=_("Process design"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=FunctionDescription.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What the ERP will do"), widget=TEXT, required=False)
    erp_reference = forms.CharField(label=_("ERP module / function"), max_length=200, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        choose_by_code(self.fields["requirement"], Requirement.objects.filter(project=project).order_by("code"))
        choose_by_code(self.fields["design"], ProcessDesign.objects.filter(project=project).order_by("number"))


class TechnicalRequirementForm(_StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=TechnicalRequirement.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    acceptance_criterion = forms.CharField(label=_("Acceptance criterion"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=TechnicalRequirement.Status.choices)
    evidence = forms.CharField(
        label=_("Verification evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)
    remove_evidence_file = forms.BooleanField(label=_("Remove the current evidence file"), required=False)

    def __init__(self, *args, project: Project, requirement: TechnicalRequirement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members_with(project, Capability.VIEW)
        self.fields["owner"].label_from_instance = person_label
        if requirement is None or not requirement.evidence_file:
            del self.fields["remove_evidence_file"]
