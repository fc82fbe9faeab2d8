"""Pickers at size (``projects.choices``): a select while short, a box for codes past the limit."""

from django import forms
from django.urls import reverse

from phases.design.models import FunctionDescription
from phases.development.models import DevelopmentItem
from phases.development.tests.factories import DevelopmentItemFactory
from phases.discovery.models import Requirement
from phases.discovery.tests.factories import RequirementFactory
from projects.choices import SELECT_LIMIT, CodesInput, choose_by_code


class _Form(forms.Form):
    many = forms.ModelMultipleChoiceField(queryset=None, required=False)
    one = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, project, limit, **kwargs):
        super().__init__(*args, **kwargs)
        requirements = Requirement.objects.filter(project=project).order_by("code")
        choose_by_code(self.fields["many"], requirements, limit=limit)
        choose_by_code(self.fields["one"], requirements, limit=limit)


def test_a_short_choice_stays_a_select(project):
    RequirementFactory(project=project, code="REQ-1")
    form = _Form(project=project, limit=2)
    assert isinstance(form.fields["many"].widget, forms.SelectMultiple)
    assert isinstance(form.fields["one"].widget, forms.Select)


def test_past_the_limit_codes_are_typed_and_read_back(project, other_project):
    first, _second, third = (RequirementFactory(project=project, code=f"REQ-{n}") for n in (1, 2, 3))
    RequirementFactory(project=other_project, code="REQ-9")
    form = _Form({"many": "REQ-1, REQ-3;\nREQ-1", "one": "REQ-3"}, project=project, limit=2)
    assert isinstance(form.fields["many"].widget, CodesInput)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["many"]) == {first, third}
    assert form.cleaned_data["one"] == third
    assert "Type the codes, separated by commas." in form.fields["many"].help_text


def test_an_unknown_code_or_another_projects_is_refused_by_name(project, other_project):
    for n in (1, 2, 3):
        RequirementFactory(project=project, code=f"REQ-{n}")
    RequirementFactory(project=other_project, code="REQ-9")
    form = _Form({"many": "REQ-1, REQ-9", "one": "NOPE"}, project=project, limit=2)
    assert not form.is_valid()
    assert form.errors["many"] == ["“REQ-9” is not a code of this project."]
    assert form.errors["one"] == ["“NOPE” is not a code of this project."]


def test_an_edit_page_shows_the_current_codes_in_the_box(project, pm, client):
    RequirementFactory.create_batch(SELECT_LIMIT + 1, project=project)
    linked = Requirement.objects.filter(project=project).order_by("code")[:2]
    item = DevelopmentItemFactory(project=project)
    item.requirements.set(linked)
    client.force_login(pm)
    response = client.get(reverse("development:item_edit", args=[project.code, item.pk]))
    field = response.context["form"]["requirements"]
    assert isinstance(field.field.widget, CodesInput)
    assert f'value="{linked[0].code}, {linked[1].code}"' in str(field)


def test_a_function_is_described_on_a_big_project_by_typing_the_requirement_code(project, pm, client):
    RequirementFactory.create_batch(SELECT_LIMIT + 1, project=project)
    target = Requirement.objects.filter(project=project).order_by("code").last()
    client.force_login(pm)
    url = reverse("design:function_create", args=[project.code])
    opened = client.get(url, {"requirement": target.pk})
    assert f'value="{target.code}"' in str(opened.context["form"]["requirement"])
    data = {"requirement": target.code, "kind": "standard", "title": "Duyệt đơn hàng"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert FunctionDescription.objects.get(project=project).requirement == target
    wrong = client.post(url, {**data, "requirement": "REQ-NONE"})
    assert "“REQ-NONE” is not a code of this project." in wrong.content.decode()


def test_a_release_lists_its_items_by_code_on_a_big_project(project, pm, client):
    items = DevelopmentItemFactory.create_batch(SELECT_LIMIT + 1, project=project)
    client.force_login(pm)
    form = client.get(reverse("development:release_create", args=[project.code])).context["form"]
    assert isinstance(form.fields["items"].widget, CodesInput)
    assert DevelopmentItem.objects.filter(project=project).count() == len(items)


def test_an_item_links_function_descriptions_by_their_numbers_on_a_big_project(project, pm, client):
    from phases.design.tests.factories import FunctionDescriptionFactory
    from phases.development.forms import DevelopmentItemForm

    requirement = RequirementFactory(project=project)
    functions = FunctionDescriptionFactory.create_batch(SELECT_LIMIT + 1, project=project, requirement=requirement)
    client.force_login(pm)
    listed = client.get(reverse("design:function_list", args=[project.code]))
    assert f'<td class="small text-muted">{functions[0].pk}</td>' in listed.content.decode()
    form = DevelopmentItemForm(project=project)
    assert isinstance(form.fields["function_descriptions"].widget, CodesInput)
    assert "the No. column of the function descriptions" in form.fields["function_descriptions"].help_text
    chosen = DevelopmentItemForm(
        {"function_descriptions": f"{functions[0].pk}, {functions[-1].pk}"}, project=project
    ).fields["function_descriptions"]
    assert set(chosen.clean([str(functions[0].pk), str(functions[-1].pk)])) == {functions[0], functions[-1]}
    other = FunctionDescriptionFactory()  # another project's
    refused = DevelopmentItemForm({"function_descriptions": f"{other.pk}"}, project=project)
    assert not refused.is_valid()
    assert refused.errors["function_descriptions"] == [f"“{other.pk}” is not a number on this project's list."]
    letters = DevelopmentItemForm({"function_descriptions": "abc"}, project=project)
    assert not letters.is_valid()
    assert letters.errors["function_descriptions"] == ["“abc” is not a number on this project's list."]
