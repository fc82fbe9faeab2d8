"""The audit trail never shows client roles what the lists hide from them (issue 10, point 1).

A client-role sweep over every audited model that can be internal: an entry is readable by a
sponsor, key user or viewer only while its object is client-visible now, through every door
that shows the trail (API list and detail, the project page, the audit page, the object's
own page); entries of a deleted internal object never; internal fields never, in any entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services as project_services
from projects.audit import internal_capable_models
from projects.models import Milestone, Task
from projects.tests.factories import MilestoneFactory, TaskFactory

pytestmark = pytest.mark.django_db

CLIENTS = ("sponsor", "key_user", "viewer")
FIRM = ("pm", "consultant")


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@dataclass(frozen=True)
class Audited:
    """How to create, edit and delete one audited model through its services."""

    label: str  # "app_label.model", as the API names it
    create: Callable  # (project, by, title) -> object
    update: Callable  # (object, by, **changes) -> object
    delete: Callable  # (object, by) -> None
    page: str | None = None  # the object's own page (with its history), args (code, pk)

    def __str__(self):
        return self.label


def _task_create(project, by, title):
    return project_services.task_create(
        project=project, by=by, phase=project.phases.get(kind="design"), title=title, description=f"{title} (detail)"
    )


def _milestone_create(project, by, title):
    return project_services.milestone_create(project=project, by=by, title=title, due_date=date(2026, 9, 1))


def _raid_create(project, by, title):
    from phases.discovery import services

    return services.raid_item_create(project=project, by=by, kind="issue", title=title, description=f"{title} (detail)")


def _document_create(project, by, title):
    from phases.discovery import services

    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 audit", "application/pdf")
    return services.plan_document_create(
        project=project, by=by, kind="preparation", title=title, description=f"{title} (detail)", file=upload
    )


def _discovery(name):
    def call(*args, **kwargs):
        from phases.discovery import services

        return getattr(services, name)(*args, **kwargs)

    return call


def _criterion_create(project, by, title):
    from golive import services as golive_services

    code = f"AU-{project.readiness_criteria.count() + 1}"
    return golive_services.criterion_create(
        project=project, by=by, code=code, title=title, category="scope", kind="manual"
    )


def _cutover_task_create(project, by, title):
    from golive import services as golive_services

    return golive_services.cutover_task_create(project=project, by=by, title=title, planned_minutes=30, owner=by)


def _run_task_create(project, by, title):
    """A rehearsal of a one-task runbook: its run task."""
    from golive import services as golive_services

    runbook = golive_services.runbook_get_or_create(project)
    planned = golive_services.cutover_task_create(
        project=project, by=by, title="Restore the backup", planned_minutes=30, owner=by
    )
    for run in runbook.runs.filter(status="running"):
        golive_services.cutover_run_cancel(run=run, by=by)
    run = golive_services.cutover_run_start(runbook=runbook, by=by, kind="rehearsal")
    task = run.tasks.get(code=planned.code)
    # The title only on the run's copy: the plan task's own trail is another object's.
    return golive_services.cutover_run_task_update(task=task, by=by, version=task.version, title=title)


def _golive(name):
    from golive import services as golive_services

    return getattr(golive_services, name)


AUDITED = [
    Audited(
        "projects.task",
        _task_create,
        lambda o, by, **c: project_services.task_update(task=_fresh(o), by=by, version=_fresh(o).version, **c),
        lambda o, by: project_services.task_delete(task=_fresh(o), by=by),
        page="projects:task_edit",
    ),
    Audited(
        "projects.milestone",
        _milestone_create,
        lambda o, by, **c: project_services.milestone_update(
            milestone=_fresh(o), by=by, version=_fresh(o).version, **c
        ),
        lambda o, by: project_services.milestone_delete(milestone=_fresh(o), by=by),
        page="projects:milestone_edit",
    ),
    Audited(
        "discovery.raiditem",
        _raid_create,
        lambda o, by, **c: _discovery("raid_item_update")(item=_fresh(o), by=by, version=_fresh(o).version, **c),
        lambda o, by: _discovery("raid_item_delete")(item=_fresh(o), by=by),
        page="discovery:raid_detail",
    ),
    Audited(
        "discovery.plandocument",
        _document_create,
        lambda o, by, **c: _discovery("plan_document_update")(
            document=_fresh(o), by=by, version=_fresh(o).version, **c
        ),
        lambda o, by: _discovery("plan_document_delete")(document=_fresh(o), by=by),
        page="discovery:document_detail",
    ),
    Audited(
        "golive.readinesscriterion",
        _criterion_create,
        lambda o, by, **c: _golive("criterion_update")(criterion=_fresh(o), by=by, version=_fresh(o).version, **c),
        lambda o, by: _golive("criterion_delete")(criterion=_fresh(o), by=by),
    ),
    Audited(
        "golive.cutovertask",
        _cutover_task_create,
        lambda o, by, **c: _golive("cutover_task_update")(task=_fresh(o), by=by, version=_fresh(o).version, **c),
        lambda o, by: _golive("cutover_task_delete")(task=_fresh(o), by=by),
    ),
    Audited(
        "golive.cutoverruntask",
        _run_task_create,
        lambda o, by, **c: _golive("cutover_run_task_update")(task=_fresh(o), by=by, version=_fresh(o).version, **c),
        lambda o, by: _golive("cutover_run_delete")(run=_fresh(o).run, by=by),
    ),
]


def test_the_sweep_covers_every_audited_model_that_can_be_internal():
    """A new model with an ``internal`` flag (or ``internal_path``) must join the sweep."""
    assert {f"{m._meta.app_label}.{m._meta.model_name}" for m in internal_capable_models()} == {
        a.label for a in AUDITED
    }


def _entries_of(audited: Audited, pk) -> set[int]:
    app_label, model = audited.label.split(".")
    return set(
        LogEntry.objects.filter(content_type__app_label=app_label, content_type__model=model, object_id=pk).values_list(
            "pk", flat=True
        )
    )


def _assert_trail(client, persona, project, audited: Audited, pk, *, expected: set[int], secret: str):
    """Every door that shows the trail shows ``persona`` exactly ``expected`` of the object's entries."""
    everything = _entries_of(audited, pk)
    assert expected <= everything
    mine = lambda ids: set(ids) & everything  # noqa: E731

    listed = client.get(reverse("projects-api:auditentry-list"), {"project": project.code, "page_size": 200})
    assert listed.status_code == 200
    assert mine(row["id"] for row in listed.json()["results"]) == expected, "API list"
    filtered = client.get(
        reverse("projects-api:auditentry-list"), {"object_type": audited.label, "object_id": pk, "page_size": 200}
    )
    assert {row["id"] for row in filtered.json()["results"]} == expected, "API list filtered by object"
    for entry_id in everything:
        status = client.get(reverse("projects-api:auditentry-detail", args=[entry_id])).status_code
        assert status == (200 if entry_id in expected else 404), f"API detail of entry {entry_id}"

    page = client.get(reverse("projects:project_detail", args=[project.code]))
    assert page.status_code == 200
    assert mine(e.pk for e in page.context["audit"]) == expected, "project page"
    audit_page = client.get(reverse("projects:audit", args=[project.code]))
    assert audit_page.status_code == 200
    assert mine(e.pk for e in audit_page.context["page_obj"].object_list) == expected, "audit page"

    if not expected:
        for response in (listed, filtered, audit_page):
            assert secret not in response.content.decode(), "the title reached the client"

    if audited.page and type_of(audited).objects.filter(pk=pk).exists():
        own = client.get(reverse(audited.page, args=[project.code, pk]))
        if own.status_code == 200 and "audit" in own.context:
            assert {e.pk for e in own.context["audit"]} == expected, "the object's own page"
        else:
            assert persona in CLIENTS and own.status_code in (403, 404), (persona, own.status_code)


def type_of(audited: Audited):
    return next(m for m in internal_capable_models() if f"{m._meta.app_label}.{m._meta.model_name}" == audited.label)


@pytest.mark.parametrize("persona", [*CLIENTS, *FIRM])
@pytest.mark.parametrize("audited", AUDITED, ids=str)
def test_entries_follow_whether_the_object_is_client_visible_now(audited, persona, personas, project, client_of):
    pm, client = personas["pm"], client_of(persona)
    secret = f"Confidential {audited.label}"
    obj = audited.create(project, pm, secret)
    audited.update(obj, pm, title=f"{secret} v2")
    _assert_trail(client, persona, project, audited, obj.pk, expected=_entries_of(audited, obj.pk), secret=secret)

    audited.update(obj, pm, internal=True)
    everything = _entries_of(audited, obj.pk)
    hidden = set() if persona in CLIENTS else everything
    _assert_trail(client, persona, project, audited, obj.pk, expected=hidden, secret=secret)

    audited.update(obj, pm, internal=False)
    _assert_trail(client, persona, project, audited, obj.pk, expected=_entries_of(audited, obj.pk), secret=secret)


@pytest.mark.parametrize("last_state_internal", [True, False], ids=["internal", "client-visible"])
@pytest.mark.parametrize("persona", [*CLIENTS, *FIRM])
@pytest.mark.parametrize("audited", AUDITED, ids=str)
def test_entries_of_a_deleted_object_follow_its_last_state(
    audited, persona, last_state_internal, personas, project, client_of
):
    pm, client = personas["pm"], client_of(persona)
    secret = f"Deleted {audited.label}"
    obj = audited.create(project, pm, secret)
    audited.update(obj, pm, internal=True)
    if not last_state_internal:
        audited.update(obj, pm, internal=False)
    audited.delete(obj, pm)
    everything = _entries_of(audited, obj.pk)
    assert LogEntry.objects.filter(pk__in=everything, action=LogEntry.Action.DELETE).exists()
    expected = set() if (persona in CLIENTS and last_state_internal) else everything
    _assert_trail(client, persona, project, audited, obj.pk, expected=expected, secret=secret)


@pytest.mark.parametrize("audited", AUDITED, ids=str)
def test_an_object_made_internal_outside_the_services_is_hidden_too(audited, personas, project, client_of):
    """The rule reads the object's current row, so no door can leave the trail behind."""
    pm = personas["pm"]
    obj = audited.create(project, pm, "Flag flipped by SQL")
    type_of(audited).objects.filter(pk=obj.pk).update(internal=True)  # no audit entry written
    for persona in CLIENTS:
        _assert_trail(client_of(persona), persona, project, audited, obj.pk, expected=set(), secret="Flag flipped")
    _assert_trail(
        client_of("pm"), "pm", project, audited, obj.pk, expected=_entries_of(audited, obj.pk), secret="Flag flipped"
    )


def test_internal_notes_never_show_to_client_roles_even_in_older_entries(personas, project, client_of):
    from phases.discovery import services

    pm = personas["pm"]
    requirement = services.requirement_create(
        project=project, by=pm, title="Thuế", business_area="finance", internal_notes="Bí mật: 20 md"
    )
    entry = LogEntry.objects.get_for_object(requirement).get()
    # an entry written before ``internal_notes`` was excluded from the trail
    LogEntry.objects.filter(pk=entry.pk).update(
        changes={**entry.changes, "internal_notes": ["None", "Bí mật: 20 md"]}, changes_text="Bí mật: 20 md"
    )
    detail = reverse("projects-api:auditentry-detail", args=[entry.pk])
    page_url = reverse("discovery:requirement_detail", args=[project.code, requirement.pk])
    for persona in CLIENTS:
        client = client_of(persona)
        body = client.get(detail).json()
        assert "internal_notes" not in body["changes"] and body["changes"]["title"] == ["None", "Thuế"]
        assert "Bí mật" not in client.get(reverse("projects:audit", args=[project.code])).content.decode()
        page = client.get(page_url)
        assert page.status_code == 200 and "Bí mật" not in page.content.decode()
    assert client_of("pm").get(detail).json()["changes"]["internal_notes"] == ["None", "Bí mật: 20 md"]


def test_a_dependency_on_an_internal_task_is_not_named_to_client_roles(personas, project, client_of):
    pm = personas["pm"]
    hidden = TaskFactory(project=project, internal=True, title="Hidden estimate task")
    task = _task_create(project, pm, "Visible task")
    project_services.task_update(task=task, by=pm, version=_fresh(task).version, depends_on=[hidden])
    url = reverse("projects-api:auditentry-list")
    params = {"object_type": "projects.task", "object_id": task.pk}
    for persona in CLIENTS:
        response = client_of(persona).get(url, params)
        assert len(response.json()["results"]) == 2  # the task's entries stay readable...
        assert "Hidden estimate task" not in response.content.decode()  # ...without the internal task's title
    assert "Hidden estimate task" in client_of("consultant").get(url, params).content.decode()


def test_development_history_leaves_internal_figures_out_for_client_roles(personas, project, client_of):
    from phases.development import services
    from phases.development.tests.factories import DevelopmentItemFactory

    item = DevelopmentItemFactory(project=project)
    services.development_item_update(item=item, by=personas["pm"], version=item.version, title="Renamed item")
    entry = LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).get()
    LogEntry.objects.filter(pk=entry.pk).update(changes={**entry.changes, "estimate_days": ["5", "42.5"]})
    url = reverse("development:item_detail", args=[project.code, item.pk])
    for persona in CLIENTS:
        rows = client_of(persona).get(url).context["history"]
        assert [c[0] for row in rows for c in row["changes"]] == ["title"]
    firm_rows = client_of("pm").get(url).context["history"]
    label = str(type(item)._meta.get_field("estimate_days").verbose_name)
    assert label in {c[0] for row in firm_rows for c in row["changes"]}


def test_the_audit_list_stays_constant_query_for_client_roles(personas, project, client_of):
    client, url = client_of("viewer"), reverse("projects-api:auditentry-list")

    def make(n):
        for i in range(n):
            TaskFactory(project=project, internal=bool(i % 2))
            MilestoneFactory(project=project, internal=bool(i % 2))
            project_services.task_create(
                project=project, by=personas["pm"], phase=project.phases.get(kind="design"), title=f"T{i}"
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"project": project.code}).status_code == 200
        return len(queries)

    make(2)
    few = count()
    make(8)
    assert count() == few
    assert Task.objects.count() and Milestone.objects.count()
