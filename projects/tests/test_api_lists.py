"""API lists read lean (issue 11) and answer what the details answer.

A list attaches the ids of many-to-many relations for its whole page in one query
(``RelatedIdsField``), reads plain columns without DRF's attribute walk (``ModelOutputMixin``)
and builds only the filters its request names (``RequestedFilterBackend``). None of that may
change what a caller reads.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from phases.discovery.api.serializers import RequirementSerializer
from phases.discovery.models import BusinessArea
from phases.discovery.tests.factories import (
    CurrentProcessFactory,
    KickoffFactory,
    RequirementFactory,
    StakeholderFactory,
)
from projects.tests.factories import TaskFactory


def _listed(client, route, project, **params):
    response = client.get(reverse(route), {"project": project.code, **params})
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def _requirements(project, n, processes):
    for i in range(n):
        requirement = RequirementFactory(project=project, internal_notes=f"ghi chú {i}")
        requirement.processes.set(processes[: 1 + i % len(processes)])


def test_a_requirement_in_the_list_reads_as_its_detail(project, pm, api_client_for):
    # Names out of id order: the ids come in the processes' own order, as the detail has them.
    processes = [
        CurrentProcessFactory(project=project, business_area=BusinessArea.FINANCE, name=name)
        for name in ("Thu tiền", "Mua hàng", "Bán hàng")
    ]
    _requirements(project, 3, processes)
    client = api_client_for(pm)
    listed = _listed(client, "discovery-api:requirement-list", project)
    assert len(listed) == 3
    for pk, row in listed.items():
        detail = client.get(reverse("discovery-api:requirement-detail", args=[pk])).json()
        assert row == detail
    widest = max(listed.values(), key=lambda row: len(row["processes"]))
    by_name = sorted(processes, key=lambda p: p.name)
    assert widest["processes"] == [p.pk for p in by_name]
    assert widest["internal_notes"].startswith("ghi chú")


def test_a_client_role_reads_the_list_without_internal_fields(project, pm, key_user, api_client_for):
    _requirements(project, 2, [CurrentProcessFactory(project=project)])
    rows = _listed(api_client_for(key_user), "discovery-api:requirement-list", project).values()
    assert rows and all("internal_notes" not in row and row["processes"] for row in rows)


def test_task_dependencies_and_kickoff_attendees_in_lists_match_the_details(project, pm, api_client_for):
    first, second = TaskFactory(project=project), TaskFactory(project=project)
    third = TaskFactory(project=project)
    third.depends_on.set([first, second])
    kickoff = KickoffFactory(project=project)
    kickoff.attendee_stakeholders.set([StakeholderFactory(project=project), StakeholderFactory(project=project)])
    client = api_client_for(pm)
    tasks = _listed(client, "projects-api:task-list", project)
    assert sorted(tasks[third.pk]["depends_on"]) == sorted([first.pk, second.pk])
    assert tasks[first.pk]["depends_on"] == []
    for pk, row in tasks.items():
        assert row == client.get(reverse("projects-api:task-detail", args=[pk])).json()
    kickoffs = _listed(client, "discovery-api:kickoff-list", project)
    assert len(kickoffs[kickoff.pk]["attendee_stakeholders"]) == 2
    assert kickoffs[kickoff.pk] == client.get(reverse("discovery-api:kickoff-detail", args=[kickoff.pk])).json()


def test_related_ids_cost_one_query_whatever_the_page(project, pm, api_client_for):
    processes = [CurrentProcessFactory(project=project) for _ in range(3)]
    client = api_client_for(pm)
    url = reverse("discovery-api:requirement-list")

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"project": project.code, "page_size": page_size}).status_code == 200
        return len(captured)

    _requirements(project, 2, processes)
    small = queries(2)
    _requirements(project, 30, processes)
    assert queries(30) == small


def test_a_filter_the_request_names_still_filters_and_refuses_bad_values(project, pm, api_client_for):
    RequirementFactory(project=project, business_area=BusinessArea.SALES)
    RequirementFactory(project=project, business_area=BusinessArea.FINANCE)
    client = api_client_for(pm)
    url = reverse("discovery-api:requirement-list")
    finance = client.get(url, {"project": project.code, "business_area": BusinessArea.FINANCE}).json()
    assert [row["business_area"] for row in finance["results"]] == [BusinessArea.FINANCE]
    refused = client.get(url, {"project": project.code, "business_area": "moon"})
    assert refused.status_code == 400 and "business_area" in refused.json()
    unknown_project = client.get(url, {"project": "NOPE"})
    assert unknown_project.status_code == 400 and "project" in unknown_project.json()


@pytest.mark.parametrize("notes", ["", "Nội bộ: ưu tiên"])
def test_the_lean_output_is_what_drf_would_write(project, pm, notes):
    requirement = RequirementFactory(project=project, internal_notes=notes, description="Mô tả\nhai dòng")
    requirement.processes.set([CurrentProcessFactory(project=project)])
    request = APIRequestFactory().get("/")
    request.user = pm
    lean = RequirementSerializer(requirement, context={"request": request}).data
    plain_fields = {
        name: field
        for name, field in RequirementSerializer(context={"request": request}).fields.items()
        if not isinstance(field, serializers.SerializerMethodField)
    }
    for name, field in plain_fields.items():
        attribute = field.get_attribute(requirement)
        expected = None if attribute is None else field.to_representation(attribute)
        assert lean[name] == expected, name
