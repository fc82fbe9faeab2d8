"""The fifteen built-in readiness rules on purpose-built projects (real PostgreSQL).

For each rule: it passes when the project is ready, it fails with the measured value, the
threshold and the offending objects when it is not, and with nothing to look at it says
"not applicable" (or fails, when the criterion's ``when_no_data`` says so). The last tests
run all fifteen on a small and a bigger project: the same number of queries, under 60.
"""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from datamigration.models import MasterDataObject, MigrationRun, StagedRecord
from datamigration.tests.factories import UOM_CSV, UOM_ONE_ERROR, MasterDataObjectFactory, MigrationRunFactory
from golive.models import Attendance, CutoverRun, TaskType
from golive.readiness import base
from golive.readiness.defaults import DEFAULT_CRITERIA
from golive.readiness.rules_common import url_of
from golive.tests import factories as f
from phases.design import services as design_services
from phases.design.models import TechnicalRequirement
from phases.design.tests.factories import ProcessDesignFactory, TechnicalRequirementFactory
from phases.development.models import Environment
from phases.development.tests.factories import EnvironmentFactory
from phases.discovery import services as discovery_services
from phases.discovery.models import Requirement
from phases.discovery.tests.factories import DiscoverySignoffFactory
from phases.discovery.tests.factories import RequirementFactory as DiscoveryRequirementFactory
from projects import services as project_services
from projects.models import Task
from testing import services as testing_services
from testing.models import Cycle, Defect, Execution
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, DefectFactory, ExecutionFactory

pytestmark = pytest.mark.django_db

NA, PASS, FAIL = base.NOT_APPLICABLE, base.PASS, base.FAIL
#: The fifteen built-in rules, as the methodology's default criteria name them.
RULE_KEYS = [criterion[4] for criterion in DEFAULT_CRITERIA if criterion[4]]


def check(key, project, **params):
    return base.evaluate(key, project, params)


def labels(outcome):
    return [e.label for e in outcome.evidence]


def assert_no_data(key, project):
    assert check(key, project).result == NA
    assert check(key, project, when_no_data="fail").result == FAIL


def approve(project, target, *, by, approver):
    """An approved sign-off of ``target`` through the projects services (request, decide)."""
    approval = project_services.approval_request(project=project, by=by, title=str(target), target=target)
    return project_services.approval_decide(approval=approval, by=approver, decision="approved")


# --- 1. scope ------------------------------------------------------------------------------


def _design(project, by, approver=None):
    design = ProcessDesignFactory(project=project)
    if approver is not None:
        design_services.process_design_submit(design=design, by=by)
        design_services.process_design_decide(design=design, by=approver, decision="approved")
    return design


def test_scope_signed_off(project, consultant, sponsor):
    assert_no_data("scope_signed_off", project)
    signoff = DiscoverySignoffFactory(project=project, by=consultant)
    _design(project, consultant, approver=sponsor)
    draft = _design(project, consultant)

    failing = check("scope_signed_off", project)
    assert (failing.result, failing.measured, failing.threshold) == (FAIL, "1 of 3 sign-offs approved", "all approved")
    assert labels(failing) == ["Discovery & Planning sign-off: Pending", f"{draft}: Draft"]
    assert failing.evidence[0].url == f"/projects/{project.code}/discovery/"
    assert failing.evidence[1].url == draft.get_absolute_url() and failing.evidence_total == 2

    discovery_services.discovery_signoff_decide(signoff=signoff, by=sponsor, decision="approved")
    design_services.process_design_submit(design=draft, by=consultant)
    design_services.process_design_decide(design=draft, by=sponsor, decision="approved")
    passing = check("scope_signed_off", project)
    assert (passing.result, passing.measured, passing.evidence) == (PASS, "3 of 3 sign-offs approved", [])


def test_scope_without_designs_is_not_signed_off(project, consultant, sponsor):
    signoff = DiscoverySignoffFactory(project=project, by=consultant)
    discovery_services.discovery_signoff_decide(signoff=signoff, by=sponsor, decision="approved")
    outcome = check("scope_signed_off", project)
    assert outcome.result == FAIL and labels(outcome) == ["No process design yet"]


# --- 2–5. testing --------------------------------------------------------------------------


def test_must_requirements_covered(project):
    def requirement(code, status=Requirement.Status.AGREED):
        return DiscoveryRequirementFactory(project=project, code=code, status=status, priority="must")

    DiscoveryRequirementFactory(project=project, code="REQ-9", status="agreed", priority="should")
    assert_no_data("must_requirements_covered", project)
    covered, uncovered = requirement("REQ-1"), requirement("REQ-2")
    requirement("REQ-3", status=Requirement.Status.DRAFT)  # not agreed: not judged
    CaseFactory(project=project).requirements.add(covered)

    failing = check("must_requirements_covered", project)
    assert (failing.result, failing.measured, failing.threshold) == (FAIL, "1 of 2 covered", "all covered")
    assert labels(failing) == [str(uncovered)] and failing.evidence[0].url == uncovered.get_absolute_url()

    CaseFactory(project=project).requirements.add(uncovered)
    assert check("must_requirements_covered", project).result == PASS


def _uat_cycle(project, name):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT, name=name)
    CycleCaseFactory(cycle=cycle)
    return cycle


def _sign_off(cycle, consultant, sponsor):
    testing_services.cycle_signoff_request(cycle=cycle, by=consultant)
    testing_services.cycle_signoff_decide(cycle=Cycle.objects.get(pk=cycle.pk), by=sponsor, decision="approved")


def test_uat_signed_off(project, consultant, sponsor):
    CycleFactory(project=project, type=Cycle.Type.FUNCTIONAL)  # not a UAT cycle: not judged
    assert_no_data("uat_signed_off", project)
    first, second, third = (_uat_cycle(project, name) for name in ("UAT 1", "UAT 2", "UAT 3"))
    _sign_off(first, consultant, sponsor)
    testing_services.cycle_signoff_request(cycle=second, by=consultant)

    failing = check("uat_signed_off", project)
    assert (failing.result, failing.measured, failing.threshold) == (FAIL, "1 of 3 signed off", "all signed off")
    assert sorted(labels(failing)) == ["UAT 2: Pending", "UAT 3: Not requested"]
    assert third.get_absolute_url() in [e.url for e in failing.evidence]

    testing_services.cycle_signoff_decide(cycle=Cycle.objects.get(pk=second.pk), by=sponsor, decision="approved")
    _sign_off(third, consultant, sponsor)
    assert check("uat_signed_off", project).result == PASS


def _run(cycle, status, *, minutes_ago=60, case=None):
    """A finished run of ``case`` (a new case unless given) in ``cycle``."""
    cycle_case = CycleCaseFactory(cycle=cycle, case=case) if case is not None else CycleCaseFactory(cycle=cycle)
    when = timezone.now() - timedelta(minutes=minutes_ago)
    return ExecutionFactory(cycle_case=cycle_case, status=status, started_at=when, finished_at=when)


def test_pass_rate_counts_the_last_run_of_each_case(project):
    uat = CycleFactory(project=project, type=Cycle.Type.UAT)
    ExecutionFactory(cycle_case=CycleCaseFactory(cycle=uat))  # still running: no result yet
    assert_no_data("pass_rate", project)

    _run(uat, Execution.Status.PASSED)
    failed_then_passed = _run(uat, Execution.Status.FAILED, minutes_ago=90).case
    _run(CycleFactory(project=project, type=Cycle.Type.UAT), Execution.Status.PASSED, case=failed_then_passed)
    _run(CycleFactory(project=project, type=Cycle.Type.FUNCTIONAL), Execution.Status.FAILED)  # another kind
    assert check("pass_rate", project).result == PASS

    failed = _run(uat, Execution.Status.FAILED).case
    outcome = check("pass_rate", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (FAIL, "66.6 %", "≥ 95 %")
    assert labels(outcome) == [f"{failed}: Failed"] and outcome.evidence[0].url == failed.get_absolute_url()
    assert check("pass_rate", project, threshold=60).result == PASS
    functional = check("pass_rate", project, cycle_type="functional")
    assert (functional.result, functional.measured) == (FAIL, "0 %")


def test_open_defects_of_a_severity_or_worse(project):
    assert_no_data("open_defects", project)
    DefectFactory(project=project, severity=Defect.Severity.MINOR, status=Defect.Status.OPEN)
    DefectFactory(project=project, severity=Defect.Severity.CRITICAL, status=Defect.Status.CLOSED)
    passing = check("open_defects", project)
    assert (passing.result, passing.measured, passing.threshold) == (PASS, "0 open", "= 0")

    major = DefectFactory(project=project, severity=Defect.Severity.MAJOR, status=Defect.Status.IN_PROGRESS)
    critical = DefectFactory(project=project, severity=Defect.Severity.CRITICAL, status=Defect.Status.NEW)
    failing = check("open_defects", project)
    assert (failing.result, failing.measured) == (FAIL, "2 open")
    assert labels(failing) == [f"{critical} (Critical, New)", f"{major} (Major, In progress)"]
    assert failing.evidence[0].url == critical.get_absolute_url()
    assert check("open_defects", project, severity="critical").measured == "1 open"
    assert check("open_defects", project, severity="minor").measured == "3 open"


# --- 6–7. data migration -------------------------------------------------------------------


@pytest.fixture
def uom(project):
    """The project's built-in objects, only ``uom`` required for go-live."""
    obj = MasterDataObjectFactory(project=project, name="uom")
    MasterDataObject.objects.filter(project=project).exclude(pk=obj.pk).update(required_for_golive=False)
    return obj


def test_mock_loads_count_load_cycles_that_succeeded(project, uom):
    MasterDataObject.objects.filter(pk=uom.pk).update(required_for_golive=False)
    assert_no_data("mock_loads", project)
    MasterDataObject.objects.filter(pk=uom.pk).update(required_for_golive=True)

    MigrationRunFactory(project=project, cycle="mock1")
    MigrationRunFactory(project=project, cycle="mock1")  # a retry in the same cycle counts once
    MigrationRunFactory(project=project, cycle="mock2", mode=MigrationRun.Mode.VALIDATE)  # not a load
    failing = check("mock_loads", project)
    assert (failing.result, failing.measured, failing.threshold) == (FAIL, "0 of 1 objects", "≥ 2 load cycles each")
    assert (
        labels(failing) == ["Units of measure: 1 of 2 load cycles"]
        and failing.evidence[0].url == uom.get_absolute_url()
    )

    MigrationRunFactory(project=project, cycle="mock2")
    assert check("mock_loads", project).result == PASS


def test_latest_load_clean_and_reconciled(project, uom):
    MasterDataObject.objects.filter(pk=uom.pk).update(required_for_golive=False)
    assert_no_data("latest_load_clean", project)
    MasterDataObject.objects.filter(pk=uom.pk).update(required_for_golive=True)

    never = check("latest_load_clean", project)
    assert (never.result, labels(never)) == (FAIL, ["Units of measure: never loaded"])
    dirty = MigrationRunFactory(project=project, content=UOM_ONE_ERROR)
    outcome = check("latest_load_clean", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (
        FAIL,
        "0 of 1 objects clean",
        "all clean, ≤ 1 % rows with errors",
    )
    assert labels(outcome) == ["Units of measure: 50 % of rows with errors"]
    assert outcome.evidence[0].url == dirty.get_absolute_url()
    assert check("latest_load_clean", project, max_error_rate=50).result == PASS

    clean = MigrationRunFactory(project=project, content=UOM_CSV, cycle="mock2")
    passing = check("latest_load_clean", project)
    assert (passing.result, passing.measured) == (PASS, "1 of 1 objects clean")

    StagedRecord.objects.filter(object=uom, key="KG").update(checksum="0" * 32)  # changed after the load
    drifted = check("latest_load_clean", project)
    assert labels(drifted) == ["Units of measure: the staged data no longer matches the load's checksum"]

    MigrationRun.objects.filter(pk=clean.pk).update(status=MigrationRun.Status.FAILED)
    assert labels(check("latest_load_clean", project)) == ["Units of measure: latest load failed"]


# --- 8. technical requirements -------------------------------------------------------------


def test_technical_requirements_verified(project):
    assert_no_data("technical_verified", project)
    TechnicalRequirementFactory(project=project, status="verified", verified_at=timezone.now())
    assert check("technical_verified", project).result == PASS
    agreed = TechnicalRequirementFactory(project=project, status=TechnicalRequirement.Status.AGREED)
    outcome = check("technical_verified", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (FAIL, "1 of 2 verified", "all verified")
    assert labels(outcome) == [f"{agreed}: Agreed"] and outcome.evidence[0].url == agreed.get_absolute_url()


# --- 9. production environment -------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    ROUTES = {"/ok": (200, None), "/down": (500, None), "/hop": (302, "/ok"), "/loop": (302, "/loop")}

    def do_GET(self):
        if self.path == "/away":  # the same server under another host name
            status, location = 302, f"http://localhost:{self.server.server_port}/ok"
        else:
            status, location = self.ROUTES.get(self.path, (404, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A tiny HTTP server on 127.0.0.1 (port chosen by the system), for the health check."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_health(project, server):
    EnvironmentFactory(project=project, kind=Environment.Kind.UAT, url=f"{server}/ok")
    assert_no_data("production_health", project)
    prod = EnvironmentFactory(project=project, name="PROD", kind=Environment.Kind.PRODUCTION, url=f"{server}/ok")

    def health(url):
        Environment.objects.filter(pk=prod.pk).update(url=url)
        return check("production_health", project, timeout_seconds=3)

    ok = health(f"{server}/ok")
    assert (ok.result, ok.measured, ok.threshold) == (PASS, "answered HTTP 200", "HTTP 2xx")
    assert health(f"{server}/hop").result == PASS  # a redirect within the host is followed
    down = health(f"{server}/down")
    assert (down.result, down.measured, labels(down)) == (
        FAIL,
        "answered HTTP 500",
        [f"PROD ({server}/down): answered HTTP 500"],
    )
    assert down.evidence[0].url == prod.get_absolute_url() and "answered HTTP 500" in down.detail
    assert health(f"{server}/away").measured == "redirects to another host (localhost)"
    assert health(f"{server}/loop").measured == "more than 3 redirects"
    assert health(f"http://127.0.0.1:{_closed_port()}/").measured == "connection refused"
    assert health("ftp://127.0.0.1/health").measured == "only http and https addresses are checked"
    assert health("").measured == "no URL recorded"


# --- 10–11. training, support plan ---------------------------------------------------------


def test_training_completion_per_client_role(project, pm, sponsor, key_user, viewer):
    first, second = f.TrainingSessionFactory(project=project), f.TrainingSessionFactory(project=project)
    f.AttendanceFactory(session=first, user=pm, status=Attendance.Status.ABSENT)  # the firm is not judged
    assert_no_data("training_completion", project)

    f.AttendanceFactory(session=first, user=sponsor)
    f.AttendanceFactory(session=first, user=key_user)
    missed = f.AttendanceFactory(session=second, user=key_user, status=Attendance.Status.ABSENT)
    outcome = check("training_completion", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (
        FAIL,
        "Sponsor 100 %, Key user 50 %",
        "≥ 90 % per role",
    )
    assert labels(outcome) == [
        "Key user: 50 % (1 of 2 invitations attended)",
        f"{key_user.get_full_name()} (Key user): 1 of 2 sessions not attended",
    ]
    assert check("training_completion", project, threshold=50).result == PASS
    Attendance.objects.filter(pk=missed.pk).update(status=Attendance.Status.ATTENDED)
    assert check("training_completion", project).result == PASS


def test_support_plan_approved(project, consultant, sponsor):
    assert_no_data("support_plan_approved", project)
    plan = f.SupportPlanFactory(project=project)
    outcome = check("support_plan_approved", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (FAIL, "Not requested", "Approved")
    assert labels(outcome) == ["Support plan: Not requested"] and outcome.evidence[0].url == url_of(plan)

    plan.signoff = approve(project, plan, by=consultant, approver=sponsor)
    plan.save()
    assert check("support_plan_approved", project).measured == "Approved"
    assert check("support_plan_approved", project).result == PASS


# --- 12–13. cutover ------------------------------------------------------------------------


def test_rehearsals_completed_within_the_window(project):
    assert_no_data("rehearsals", project)
    f.RunbookFactory(project=project, window_hours=48)
    none_yet = check("rehearsals", project)
    assert (none_yet.result, none_yet.measured, none_yet.threshold) == (FAIL, "0 completed", "≥ 2, within 48 h")

    f.CutoverRunFactory(project=project, hours=30)
    f.CutoverRunFactory(project=project, status=CutoverRun.Status.CANCELLED)
    f.CutoverRunFactory(project=project, kind=CutoverRun.Kind.LIVE, hours=10)  # not a rehearsal
    slow = f.CutoverRunFactory(project=project, hours=50.5)
    failing = check("rehearsals", project)
    assert (failing.result, failing.measured) == (FAIL, "2 completed, the last in 50.5 h")
    assert labels(failing) == [f"Rehearsal #{slow.number}: 50.5 h"] and failing.evidence[0].url == url_of(slow)

    last = f.CutoverRunFactory(project=project, hours=60)  # the tasks' actual times decide: 36 h
    start = last.baseline_start + timedelta(hours=1)
    f.CutoverRunTaskFactory(run=last, actual_start=start, actual_end=start + timedelta(hours=20))
    f.CutoverRunTaskFactory(run=last, actual_start=start + timedelta(hours=20), actual_end=start + timedelta(hours=36))
    passing = check("rehearsals", project)
    assert (passing.result, passing.measured) == (PASS, "3 completed, the last in 36 h")
    assert check("rehearsals", project, min_rehearsals=4).result == FAIL


def test_cutover_tasks_owned_timed_with_rollback(project):
    assert_no_data("cutover_tasks_complete", project)
    f.RunbookFactory(project=project)
    assert_no_data("cutover_tasks_complete", project)
    team = f.SupportTeamFactory(plan=f.SupportPlanFactory(project=project))
    f.CutoverTaskFactory(project=project, critical=True, rollback="Restore the backup")
    f.CutoverTaskFactory(project=project, owner=None, owner_team=team)
    f.CutoverTaskFactory(project=project, type=TaskType.MILESTONE, planned_minutes=None)
    assert check("cutover_tasks_complete", project).result == PASS

    unowned = f.CutoverTaskFactory(project=project, owner=None)
    untimed = f.CutoverTaskFactory(project=project, planned_minutes=None)
    risky = f.CutoverTaskFactory(project=project, critical=True, rollback="  ")
    outcome = check("cutover_tasks_complete", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (FAIL, "3 of 6 incomplete", "= 0")
    assert labels(outcome) == [
        f"{unowned}: no owner",
        f"{untimed}: no planned duration",
        f"{risky}: critical without a rollback step",
    ]


# --- 14–15. user guides, the Deployment plan -----------------------------------------------


def test_user_guides_published_for_every_process(project):
    assert_no_data("user_guides_published", project)
    guided, unguided = ProcessDesignFactory(project=project), ProcessDesignFactory(project=project)
    f.UserGuideFactory(project=project, processes=[guided])
    f.UserGuideFactory(project=project, processes=[unguided], published=False)
    outcome = check("user_guides_published", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (FAIL, "1 of 2 processes without a guide", "= 0")
    assert labels(outcome) == [str(unguided)] and outcome.evidence[0].url == unguided.get_absolute_url()
    f.UserGuideFactory(project=project, processes=[unguided])
    assert check("user_guides_published", project).result == PASS


def test_deployment_tasks_on_time(project):
    today = timezone.localdate()
    tasks = Task.objects.filter(project=project, phase__kind="deployment")
    tasks.update(start=None, due=today + timedelta(days=5))
    assert check("deployment_tasks_on_time", project).result == PASS

    late = tasks.order_by("pk").first()
    Task.objects.filter(pk=late.pk).update(due=today - timedelta(days=3))
    Task.objects.filter(pk=tasks.order_by("pk").last().pk).update(due=today - timedelta(days=9), status="done")
    outcome = check("deployment_tasks_on_time", project)
    assert (outcome.result, outcome.measured, outcome.threshold) == (FAIL, "1 overdue", "= 0")
    assert labels(outcome) == [f"{late.title}: due {(today - timedelta(days=3)).isoformat()}"]

    tasks.delete()
    assert_no_data("deployment_tasks_on_time", project)


# --- all fifteen: a bounded number of queries --------------------------------------------


def _not_ready(project, n: int, server: str) -> None:
    """A project where every rule fails with ``n`` offending rows of each kind."""
    from projects.roles import Role
    from projects.tests.factories import MembershipFactory

    consultant = MembershipFactory(project=project, role=Role.CONSULTANT).user
    key_user = MembershipFactory(project=project, role=Role.KEY_USER).user
    DiscoverySignoffFactory(project=project, by=consultant)
    uat = CycleFactory(project=project, type=Cycle.Type.UAT)
    MigrationRunFactory(project=project, content=UOM_ONE_ERROR)
    EnvironmentFactory(project=project, name="PROD", kind=Environment.Kind.PRODUCTION, url=f"{server}/down")
    f.SupportPlanFactory(project=project)
    Task.objects.filter(project=project, phase__kind="deployment").update(
        start=None, due=timezone.localdate() - timedelta(days=1)
    )
    for i in range(n):
        design = ProcessDesignFactory(project=project)
        f.UserGuideFactory(project=project, processes=[design], published=False)
        requirement = DiscoveryRequirementFactory(project=project, code=f"REQ-{i}", status="agreed", priority="must")
        case = _run(uat, Execution.Status.FAILED).case
        if i % 2:  # half of the must-haves covered
            case.requirements.add(requirement)
        CycleFactory(project=project, type=Cycle.Type.UAT)
        DefectFactory(project=project, severity=Defect.Severity.CRITICAL, status=Defect.Status.OPEN)
        TechnicalRequirementFactory(project=project)
        f.AttendanceFactory(session=f.TrainingSessionFactory(project=project), user=key_user, status="absent")
        f.CutoverRunFactory(project=project, hours=72)
        f.CutoverTaskFactory(project=project, owner=None)


def test_all_rules_make_the_same_few_queries_on_any_project_size(project, other_project, server):
    _not_ready(project, 1, server)
    _not_ready(other_project, 6, server)

    def queries(target) -> dict[str, int]:
        counts = {}
        for key in RULE_KEYS:
            with CaptureQueriesContext(connection) as captured:
                outcome = check(key, target, timeout_seconds=3)
            assert outcome.result == FAIL, (key, outcome)
            counts[key] = len(captured)
        return counts

    queries(project)  # warm up (content types, first reads)
    small, big = queries(project), queries(other_project)
    assert len(small) == 15 and small == big
    assert sum(big.values()) < 60
