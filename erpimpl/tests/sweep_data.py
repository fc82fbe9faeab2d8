"""Two projects with content of every app, for the isolation sweeps (issue 10, "Keep it caught").

``fill(project, members, visible=..., internal=...)`` gives a project at least one row of
every project-owned model (through the apps' factories, and their services where a row
only exists as a service's by-product: RACI cells, design versions, evidence, comments),
with recognisable text: every text of project B carries ``SECRET``; A's internal rows and
internal fields carry ``INTERNAL``. ``rows_of(model, project)`` reads them back, for any
model a URL can name, and ``values_of`` the values a route's keyword takes.
"""

from datetime import UTC, datetime
from decimal import Decimal

from auditlog.models import LogEntry
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken

from datamigration import services as migration_services
from datamigration.models import MasterDataObject, RunChunk
from datamigration.tests import factories as migration
from datamigration.tests.factories import csv_bytes
from erpimpl.tests.sweep import schema
from phases.design import services as design_services
from phases.design.tests import factories as design
from phases.development.tests import factories as development
from phases.discovery import services as discovery_services
from phases.discovery.models import RolloutSite
from phases.discovery.tests import factories as discovery
from projects.models import Project
from projects.roles import Role
from projects.scoping import internal_lookup
from projects.services import token_create
from projects.tests.factories import ApprovalFactory, MembershipFactory, UserFactory
from projects.tests.test_audit_visibility import AUDITED
from testing import services as testing_services
from testing.tests import factories as testing

SECRET = "ZZ-B-SECRET"  # in every text of project B
INTERNAL = "ZZ-INTERNAL"  # in every internal row and internal field of project A
LATER = "ZZ-LATER"  # client-visible rows of A that the client sweep makes internal
#: A's development estimate (an internal figure), as a page or an export may print it.
ESTIMATE = Decimal("987.5")
ESTIMATE_TEXTS = ("987.5", "987,5")
ROLES = ("pm", "consultant", "sponsor", "key_user", "viewer")
PERSONAS = (*ROLES, "outsider")  # A's roles, and a consultant of a third project


def members_of(project, suffix: str) -> dict:
    """A new user in every role of ``project``."""
    return {
        role: MembershipFactory(project=project, role=Role(role), user=UserFactory(username=f"{role}_{suffix}")).user
        for role in ROLES
    }


def fill(project, members: dict, *, visible: str, internal: str) -> None:
    """Content of every app in ``project``: texts start with ``visible``; the internal variant of
    each model with an internal flag, and internal fields, with ``internal``."""
    pm, consultant = members["pm"], members["consultant"]

    def text(what):
        return f"{visible} {what}"

    for audited in AUDITED:  # the four models with an internal flag: one of each kind
        audited.create(project, pm, text(audited.label))
        audited.update(audited.create(project, pm, f"{internal} {audited.label}"), pm, internal=True)
    ApprovalFactory(project=project, requested_by=pm, title=text("approval"))

    stakeholder = discovery.StakeholderFactory(project=project, name=text("stakeholder"), notes=text("notes"))
    kickoff = discovery.KickoffFactory(project=project, title=text("kickoff"), goals=text("goals"))
    discovery_services.kickoff_set_raci(
        kickoff=kickoff,
        by=pm,
        version=kickoff.version,
        rows=[{"activity": text("raci"), "cells": {f"s{stakeholder.pk}": "A"}}],
    )
    discovery.CurrentProcessFactory(project=project, name=text("process"), pain_points=text("pain"))
    wave = discovery.RolloutWaveFactory(project=project, name=text("wave"))
    RolloutSite.objects.create(wave=wave, company=text("company"), site=text("site"))
    requirement = design.RequirementFactory(
        project=project,
        title=text("requirement"),
        internal_notes=f"{internal} notes",
        fit_gap="fit",
        resolution="standard",
    )
    discovery.DiscoverySignoffFactory(project=project, by=consultant, summary=text("signoff"))

    process = design.ProcessDesignFactory(
        project=project,
        name=text("design"),
        to_be=text("to-be"),
        requirements=[requirement],
        bpmn_xml=design.P2P_BPMN.decode(),
        bpmn_filename="procure-to-pay.bpmn",
    )
    design.ProcessStepFactory(design=process, title=text("step"))
    # signed off, then edited: a version of the approved design and a new pending sign-off
    process = design_services.process_design_submit(design=process, by=consultant)
    process = design_services.process_design_decide(design=process, by=members["sponsor"], decision="approved")
    design_services.process_design_update(
        design=process, by=consultant, version=process.version, to_be=text("to-be, revised")
    )
    design.FunctionDescriptionFactory(project=project, requirement=requirement, title=text("function"))
    design.TechnicalRequirementFactory(
        project=project,
        title=text("technical"),
        evidence=text("evidence"),
        evidence_file=ContentFile(f"%PDF-1.4 {text('evidence file')}".encode(), name="evidence.pdf"),
        evidence_filename="evidence.pdf",
    )

    item = development.DevelopmentItemFactory(
        project=project, title=text("item"), description=text("item text"), estimate_days=ESTIMATE
    )
    development.ReleaseFactory(project=project, title=text("release"), items=[item])

    _fill_datamigration(project, consultant, text)
    _fill_testing(project, members, text)
    _fill_golive(project, members, text, internal)
    for user in members.values():
        token_create(user=user)


def _fill_datamigration(project, consultant, text):
    slug = visible_slug(text(""))
    obj = migration_services.object_create(project=project, by=consultant, name=slug, label=text("object"))
    migration_services.field_create(object=obj, by=consultant, name="note", label=text("field"))
    rows = [["code", "name"], ["PCS", text("uom")], ["", text("row error")]]
    run = migration.MigrationRunFactory(project=project, by=consultant, content=csv_bytes(rows))
    if not run.chunks.exists():
        RunChunk.objects.create(run=run, chunk_no=1, first_row=1, rows=2, worker=text("worker"))


def visible_slug(prefix: str) -> str:
    """A master-data object name of the project alone (names are unique per project only)."""
    return "obj_" + "".join(c for c in prefix.lower() if c.isalnum())[:20]


def _fill_testing(project, members, text):
    key_user, consultant = members["key_user"], members["consultant"]
    case = testing.CaseFactory(project=project, title=text("case"), preconditions=text("preconditions"))
    cycle = testing.CycleFactory(project=project, name=text("cycle"))
    cycle_case = testing.CycleCaseFactory(cycle=cycle, case=case, assignee=key_user)
    execution = testing.ExecutionFactory(cycle_case=cycle_case, tester=key_user, actual_result=text("actual"))
    testing_services.evidence_add(
        execution=execution, by=key_user, file=SimpleUploadedFile("evidence.txt", text("evidence").encode())
    )
    defect = testing.DefectFactory(
        project=project, title=text("defect"), description=text("defect text"), reported_by=key_user
    )
    testing_services.defect_comment_add(defect=defect, by=key_user, body=text("comment"))
    testing.LoadTestResultFactory(
        project=project,
        scenario=text("scenario"),
        recorded_by=consultant,
        report=ContentFile(f"%PDF-1.4 {text('report')}".encode(), name="report.pdf"),
        report_name="report.pdf",
        executed_at=datetime(2026, 4, 1, tzinfo=UTC),
    )


def _fill_golive(project, members, text, internal):
    """Readiness runs with results (one internal), a rehearsal of the runbook, the support plan with a
    team and an escalation level, a training session with attendance, a user guide with a version,
    a go/no-go decision. The criteria and cutover tasks come from ``AUDITED`` above."""
    from golive import models as golive
    from golive import services as golive_services
    from golive.services.decisions import snapshot_of

    pm, sponsor = members["pm"], members["sponsor"]
    run = golive.ReadinessRun.objects.create(project=project, number=1, status="succeeded", score=50)
    for n, (code, is_internal) in enumerate((("SW-1", False), ("SW-2", True)), start=1):
        golive.ReadinessResult.objects.create(
            run=run, code=code, title=f"{internal} result" if is_internal else text("result"), category="scope",
            kind="automatic", result="fail", internal=is_internal, order=n, detail=text("detail"),
            evidence=[{"label": text("evidence"), "url": ""}], evidence_total=1,
        )  # fmt: skip
    runbook = golive_services.runbook_get_or_create(project)
    golive.Runbook.objects.filter(pk=runbook.pk).update(title=text("runbook"))
    rehearsal = golive.CutoverRun.objects.create(
        project=project,
        runbook=runbook,
        kind="rehearsal",
        number=runbook.runs.count() + 1,
        baseline_start=datetime(2026, 5, 1, tzinfo=UTC),
        status="completed",
    )
    golive.CutoverRunTask.objects.create(run=rehearsal, code="CT-900", title=text("run task"), type="normal")
    golive.CutoverRunTask.objects.create(
        run=rehearsal, code="CT-901", title=f"{internal} run task", type="normal", internal=True
    )
    plan = golive.SupportPlan.objects.create(project=project, exit_criteria=text("exit"), procedure=text("procedure"))
    team = golive.SupportTeam.objects.create(plan=plan, name=text("team"))
    team.members.add(pm)
    golive.EscalationLevel.objects.create(plan=plan, level="L1", team=team, contact_name=text("contact"))
    session = golive.TrainingSession.objects.create(
        project=project, topic=text("training"), audience_roles=["key_user"], trainer=pm, place=text("room"),
        starts_at=datetime(2026, 5, 2, 2, tzinfo=UTC), ends_at=datetime(2026, 5, 2, 4, tzinfo=UTC),
    )  # fmt: skip
    golive.Attendance.objects.create(session=session, user=members["key_user"], status="attended")
    guide = golive.UserGuide.objects.create(project=project, title=text("guide"), published=True)
    golive.UserGuideVersion.objects.create(
        guide=guide, number=1, original_name="guide.pdf", uploaded_by=pm, note=text("version"),
        file=ContentFile(f"%PDF-1.4 {text('guide file')}".encode(), name="guide.pdf"),
    )  # fmt: skip
    decision = golive.GoNoGoDecision.objects.create(
        project=project, meeting_at=datetime(2026, 5, 3, 2, tzinfo=UTC), readiness_run=run,
        other_attendees=text("attendees"), snapshot=snapshot_of(run),
    )  # fmt: skip
    decision.attendees.add(sponsor)
    # The methodology's criteria carry no marker text: the sweep's are the AUDITED ones above.
    project.readiness_criteria.filter(code__startswith="RD-").delete()
    for is_internal in (False, True):  # the rows the sweep names: the first of each variant
        manual = project.readiness_criteria.filter(internal=is_internal).order_by("pk").first()
        golive_services.criterion_assess(
            criterion=manual, by=pm, met=False, note=text("assessment"),
            evidence=SimpleUploadedFile("review.pdf", f"%PDF-1.4 {text('review')}".encode()),
        )  # fmt: skip
    golive.ReadinessRun.objects.create(project=project, number=2, status="succeeded", score=60)  # to compare with


# --- reading rows back ---------------------------------------------------------------------

#: How rows of a model that is not ``ProjectScopedModel`` reach their project.
PROJECT_LOOKUPS = {
    "auditlog.LogEntry": "additional_data__project_id",
    "knox.AuthToken": "user__memberships__project_id",
}

#: Models whose rows are a user's own (the field naming the user).
OWN_ROWS = {"knox.AuthToken": "user"}


def rows_of(model, project):
    """The rows of ``model`` in ``project`` (``None``: the model belongs to no project)."""
    if model is Project:
        return Project.objects.filter(pk=project.pk)
    lookup = PROJECT_LOOKUPS.get(model._meta.label)
    if lookup is None and getattr(model, "scope_path", None):
        lookup = f"{model.scope_path}_id"
    if lookup is None:
        return None
    return model._base_manager.filter(**{lookup: project.pk}).distinct().order_by("pk")


class Unfillable(Exception):
    pass


def values_of(route, kwarg, project, other=None, owner=None) -> list[str]:
    """Rows of ``project`` for the keyword: one per internal variant; by a field other than the
    primary key, only values ``other`` does not have (a name is unique per project only); of a
    model whose rows are a user's own (API tokens), ``owner``'s when given."""
    model, lookup = route.models[kwarg]
    rows = rows_of(model, project)
    if rows is None:
        raise Unfillable(f"{route}: <{kwarg}> names {model._meta.label}, a model of no project")
    if owner is not None and model._meta.label in OWN_ROWS:
        rows = rows.filter(**{OWN_ROWS[model._meta.label]: owner})
    if other is not None and lookup != "pk":
        rows = rows.exclude(**{f"{lookup}__in": rows_of(model, other).values(lookup)})
    flag = internal_lookup(model)
    picked = [rows.filter(**{flag: value}).first() for value in (False, True)] if flag else [rows.first()]
    found = [str(getattr(row, lookup)) for row in picked if row is not None]
    if not found:
        raise Unfillable(f"{route}: no row of {model._meta.label} in {project.code} for <{kwarg}>")
    return found


#: Values of the API's query parameters that a GET requires (the schema says which).
REQUIRED_QUERY = {
    "project": lambda project: project.code,
    "object": lambda project: MasterDataObject.objects.filter(project=project, records__isnull=False).first().name,
    # a readiness run to compare with: the project's last (the sweep names its first)
    "with": lambda project: str(project.readiness_runs.order_by("-pk").first().pk),
}


def required_query(route, project) -> dict:
    """The query parameters the schema marks required for a GET of ``route``, for ``project``."""
    operation = schema()["paths"]["/" + route.path].get("get", {})
    params = [p["name"] for p in operation.get("parameters", ()) if p["in"] == "query" and p.get("required")]
    unknown = [name for name in params if name not in REQUIRED_QUERY]
    if unknown:
        raise Unfillable(f"{route}: no value for the required query parameter(s) {unknown}")
    return {name: REQUIRED_QUERY[name](project) for name in params}


def project_owned_models() -> list:
    return [m for m in apps.get_models() if getattr(m, "scope_path", None)]


def snapshot(project) -> dict:
    """Every row of the project, field by field (an unchanged snapshot: nothing was written)."""
    state = {}
    for model in [*project_owned_models(), Project, LogEntry, AuthToken]:
        rows = rows_of(model, project)
        state[model._meta.label] = [tuple(sorted(row.items())) for row in rows.values()]
    return state
