"""Service rules of the testing app: cases, scope, executions, evidence, defects, load tests (sign-off: test_signoff)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from erpimpl.errors import DomainError
from phases.design.tests.factories import RequirementFactory
from phases.development.tests.factories import DevelopmentItemFactory, EnvironmentFactory
from projects.files import UPLOAD_BAD_TYPE, UPLOAD_CONTENT_MISMATCH, UPLOAD_TOO_LARGE
from testing import services
from testing.models import Case, Cycle, Defect, Evidence, Execution, StepResult
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
STEPS = [
    {"action": "Tạo đơn mua hàng", "expected_result": "Đơn được lưu"},
    {"action": "Approve", "expected_result": "Approved"},
]


# --- cases -------------------------------------------------------------------------------


def test_case_codes_are_given_per_project(project, other_project, consultant, outsider):
    first = services.case_create(project=project, by=consultant, title="A", steps=STEPS)
    second = services.case_create(project=project, by=consultant, title="B", steps=STEPS)
    elsewhere = services.case_create(project=other_project, by=outsider, title="C", steps=STEPS)
    assert (first.code, second.code, elsewhere.code) == ("TC-001", "TC-002", "TC-001")
    assert [s.order for s in first.steps.all()] == [1, 2]


def test_a_case_needs_steps_with_expected_results(project, consultant):
    with pytest.raises(DomainError) as exc:
        services.case_create(project=project, by=consultant, title="A", steps=[])
    assert exc.value.message == services.NO_STEPS
    with pytest.raises(DomainError) as exc:
        services.case_create(project=project, by=consultant, title="A", steps=[{"action": "x", "expected_result": ""}])
    assert exc.value.message == services.STEP_INCOMPLETE.format(n=1)
    assert not Case.objects.exists()


def test_case_links_must_belong_to_the_same_project(project, other_project, consultant):
    foreign = RequirementFactory(project=other_project)
    with pytest.raises(DomainError) as exc:
        services.case_create(project=project, by=consultant, title="A", steps=STEPS, requirements=[foreign])
    assert exc.value.field == "requirements"
    req = RequirementFactory(project=project)
    item = DevelopmentItemFactory(project=project)
    case = services.case_create(
        project=project, by=consultant, title="A", steps=STEPS, requirements=[req], development_items=[item]
    )
    assert list(case.requirements.all()) == [req] and list(case.development_items.all()) == [item]


def test_editing_steps_keeps_the_history_of_past_runs(project, consultant):
    case = services.case_create(project=project, by=consultant, title="A", steps=STEPS)
    cycle = CycleFactory(project=project)
    (cc,) = services.cycle_add_cases(cycle=cycle, by=consultant, cases=[case])
    run = services.execution_start(cycle_case=cc, by=consultant)
    services.case_update(
        case=case, by=consultant, version=case.version, steps=[{"action": "New", "expected_result": "New"}]
    )
    assert list(run.step_results.values_list("action", flat=True)) == ["Tạo đơn mua hàng", "Approve"]


def test_key_user_cannot_write_test_cases(project, key_user):
    with pytest.raises(PermissionDenied):
        services.case_create(project=project, by=key_user, title="A", steps=STEPS)


# --- scope and assignment ------------------------------------------------------------------


def test_uat_cases_are_assigned_to_client_key_users_only(project, consultant, key_user, viewer):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    case = CaseFactory(project=project)
    with pytest.raises(DomainError) as exc:
        services.cycle_add_cases(cycle=cycle, by=consultant, cases=[case], assignee=consultant)
    assert exc.value.message == services.UAT_ASSIGNEE_NOT_CLIENT.format(user=consultant)
    with pytest.raises(DomainError) as exc:
        services.cycle_add_cases(cycle=cycle, by=consultant, cases=[case], assignee=viewer)
    assert exc.value.message == services.ASSIGNEE_CANNOT_TEST.format(user=viewer)
    (row,) = services.cycle_add_cases(cycle=cycle, by=consultant, cases=[case], assignee=key_user)
    assert row.assignee == key_user


def test_cases_of_another_project_cannot_enter_the_scope(project, other_project, consultant):
    cycle = CycleFactory(project=project)
    with pytest.raises(DomainError):
        services.cycle_add_cases(cycle=cycle, by=consultant, cases=[CaseFactory(project=other_project)])
    assert not cycle.cycle_cases.exists()


# --- executions ----------------------------------------------------------------------------


def _uat(project, key_user, steps=2):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT, status=Cycle.Status.PLANNED)
    return CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=steps), assignee=key_user)


def test_key_user_executes_an_assigned_case_step_by_step(project, key_user):
    cc = _uat(project, key_user)
    run = services.execution_start(cycle_case=cc, by=key_user)
    assert run.run == 1 and run.status == Execution.Status.IN_PROGRESS
    assert Cycle.objects.get(pk=cc.cycle_id).status == Cycle.Status.RUNNING
    assert services.execution_start(cycle_case=cc, by=key_user) == run  # starting twice is harmless
    services.execution_record_step(execution=run, by=key_user, order=1, status="passed")
    with pytest.raises(DomainError) as exc:
        services.execution_finish(execution=run, by=key_user)
    assert exc.value.message == services.STEPS_NOT_RUN.format(n=1)
    services.execution_record_step(execution=run, by=key_user, order=2, status="passed", actual_result="OK")
    done = services.execution_finish(execution=run, by=key_user, actual_result="Mọi bước đều đạt")
    assert done.status == Execution.Status.PASSED and done.finished_at is not None


def test_key_user_cannot_execute_a_case_not_assigned_to_them(project, key_user, sponsor):
    cc = _uat(project, sponsor)
    with pytest.raises(DomainError) as exc:
        services.execution_start(cycle_case=cc, by=key_user)
    name = sponsor.get_full_name() or sponsor.username
    assert exc.value.message == services.NOT_ASSIGNED_TO_YOU.format(case=cc.case.code, assignee=name)
    unassigned = _uat(project, None)
    with pytest.raises(DomainError) as exc:
        services.execution_start(cycle_case=unassigned, by=key_user)
    assert exc.value.message == services.NOT_ASSIGNED_TO_ANYONE.format(case=unassigned.case.code)
    assert not Execution.objects.exists()


def test_only_the_tester_or_the_test_team_records_a_run(project, key_user, sponsor, consultant):
    cc = _uat(project, key_user)
    run = services.execution_start(cycle_case=cc, by=key_user)
    with pytest.raises(DomainError) as exc:
        services.execution_record_step(execution=run, by=sponsor, order=1, status="passed")
    assert exc.value.message == services.NOT_YOUR_RUN.format(tester=key_user.get_full_name() or key_user.username)
    services.execution_record_step(execution=run, by=consultant, order=1, status="blocked")
    assert run.step_results.get(order=1).status == "blocked"


def test_a_failed_step_fails_the_run_and_a_retest_is_a_new_run(project, key_user):
    cc = _uat(project, key_user, steps=3)
    run = services.execution_start(cycle_case=cc, by=key_user)
    services.execution_record_step(execution=run, by=key_user, order=1, status="passed")
    services.execution_record_step(execution=run, by=key_user, order=2, status="failed", actual_result="Lỗi 500")
    failed = services.execution_finish(execution=run, by=key_user)
    assert failed.status == Execution.Status.FAILED  # step 3 not run is fine after a failure
    with pytest.raises(DomainError) as exc:
        services.execution_record_step(execution=failed, by=key_user, order=3, status="passed")
    assert exc.value.message == services.RUN_FINISHED.format(result="failed")
    retest = services.execution_start(cycle_case=cc, by=key_user)
    assert retest.run == 2 and retest.pk != run.pk
    assert list(cc.executions.order_by("run").values_list("status", flat=True)) == ["failed", "in_progress"]


def test_execution_outcome_rules():
    assert services.execution_outcome(["passed", "passed"]) == "passed"
    assert services.execution_outcome(["passed", "blocked", "not_run"]) == "blocked"
    assert services.execution_outcome(["blocked", "failed"]) == "failed"
    assert services.execution_outcome(["passed", "not_run"]) is None


# --- evidence ------------------------------------------------------------------------------


def _run(project, key_user):
    return services.execution_start(cycle_case=_uat(project, key_user), by=key_user)


def test_evidence_is_stored_under_a_generated_name(project, key_user):
    run = _run(project, key_user)
    ev = services.evidence_add(
        execution=run, by=key_user, file=SimpleUploadedFile("../màn hình.png", PNG), step_order=1
    )
    assert ev.original_name == "màn hình.png" and ev.content_type == "image/png" and ev.size == len(PNG)
    assert ".." not in ev.file.name and ev.file.name.endswith(".png")
    assert ev.step_result.order == 1


def test_evidence_over_the_size_limit_is_refused(project, key_user, settings):
    settings.TESTING_EVIDENCE_MAX_BYTES = 1024 * 1024
    run = _run(project, key_user)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (2 * 1024 * 1024))
    with pytest.raises(DomainError) as exc:
        services.evidence_add(execution=run, by=key_user, file=big)
    assert exc.value.message == UPLOAD_TOO_LARGE.format(size="2.0", limit="1")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", UPLOAD_BAD_TYPE),
        ("page.html", b"<html>", UPLOAD_BAD_TYPE),
        ("fake.png", b"<script>alert(1)</script>", UPLOAD_CONTENT_MISMATCH),
        ("fake.pdf", b"MZ\x90\x00binary", UPLOAD_CONTENT_MISMATCH),
        ("log.txt", b"\x00\x01\x02binary", UPLOAD_CONTENT_MISMATCH),
    ],
)
def test_evidence_of_a_disallowed_type_is_refused(project, key_user, name, content, message):
    run = _run(project, key_user)
    with pytest.raises(DomainError) as exc:
        services.evidence_add(execution=run, by=key_user, file=SimpleUploadedFile(name, content))
    ext = "." + name.rsplit(".", 1)[1]
    if message == UPLOAD_BAD_TYPE:
        assert exc.value.message.startswith(message.split("{")[0] + ext)
    else:
        assert exc.value.message == message.format(ext=ext)
    assert not Evidence.objects.exists()


# --- defects -------------------------------------------------------------------------------


def test_a_defect_raised_from_a_failed_step_carries_case_cycle_and_environment(project, key_user):
    env = EnvironmentFactory(project=project, name="UAT")
    cc = _uat(project, key_user)
    Cycle.objects.filter(pk=cc.cycle_id).update(environment=env)
    run = services.execution_start(cycle_case=cc, by=key_user)
    step = services.execution_record_step(execution=run, by=key_user, order=2, status="failed")
    defect = services.defect_create(
        project=project, by=key_user, title="Không in được hoá đơn", severity="critical", step_result=step
    )
    assert defect.code == "DEF-001" and defect.status == Defect.Status.NEW
    assert (defect.case, defect.cycle, defect.execution, defect.environment) == (cc.case, cc.cycle, run, env)
    assert defect.reported_by == key_user


def test_a_defect_cannot_be_raised_from_a_passed_step(project, key_user):
    run = _run(project, key_user)
    step = services.execution_record_step(execution=run, by=key_user, order=1, status="passed")
    with pytest.raises(DomainError) as exc:
        services.defect_create(project=project, by=key_user, title="x", step_result=step)
    assert exc.value.message == services.STEP_NOT_FAILED.format(status="passed")
    assert not Defect.objects.exists()


def test_a_defect_on_its_own_and_a_step_of_another_project(project, other_project, sponsor, outsider):
    alone = services.defect_create(project=project, by=sponsor, title="Sai chính tả trên báo cáo", severity="trivial")
    assert alone.case is None and alone.execution is None
    foreign_run = services.execution_start(cycle_case=_uat(other_project, None), by=outsider)
    foreign_step = StepResult.objects.filter(execution=foreign_run).first()
    foreign_step.status = "failed"
    foreign_step.save()
    with pytest.raises(DomainError) as exc:
        services.defect_create(project=project, by=sponsor, title="x", step_result=foreign_step)
    assert exc.value.field == "step_result"


def test_viewer_cannot_log_defects(project, viewer):
    with pytest.raises(PermissionDenied):
        services.defect_create(project=project, by=viewer, title="x")


# --- load tests ----------------------------------------------------------------------------

FIGURES = {
    "scenario": "Nhập 500 đơn hàng đồng thời",
    "virtual_users": 500,
    "duration_seconds": 900,
    "throughput_rps": Decimal("85.5"),
    "p95_ms": 1200,
    "p99_ms": 2100,
    "error_rate": Decimal("0.4"),
}


def test_load_result_pass_or_fail_is_computed_from_the_bounds(project, consultant):
    ok = services.load_result_record(
        project=project, by=consultant, max_p95_ms=1500, max_error_rate=Decimal("1"), **FIGURES
    )
    assert ok.passed
    too_slow = services.load_result_record(project=project, by=consultant, max_p99_ms=2000, **FIGURES)
    assert not too_slow.passed
    low = services.load_result_record(project=project, by=consultant, min_throughput_rps=Decimal("100"), **FIGURES)
    assert not low.passed
    with pytest.raises(DomainError) as exc:
        services.load_result_record(project=project, by=consultant, **FIGURES)
    assert exc.value.message == services.NO_BOUND


def test_load_report_follows_the_evidence_rules(project, consultant):
    with pytest.raises(DomainError):
        services.load_result_record(
            project=project, by=consultant, max_p95_ms=1500, report=SimpleUploadedFile("r.exe", b"MZ"), **FIGURES
        )
    result = services.load_result_record(
        project=project,
        by=consultant,
        max_p95_ms=1500,
        report=SimpleUploadedFile("jmeter.csv", b"a,b\n1,2\n"),
        **FIGURES,
    )
    assert result.report_name == "jmeter.csv"


# --- the one "may record" rule ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["key_user", "consultant", "pm", "sponsor", "viewer"])
def test_may_record_is_the_rule_the_service_applies(project, personas, persona):
    """``testing.access.may_record`` (what the page offers) and the service agree, persona by persona."""
    from testing import access

    run = services.execution_start(cycle_case=_uat(project, personas["key_user"]), by=personas["key_user"])
    user = personas[persona]
    offered = access.may_record(user, run)
    try:
        services.execution_record_step(execution=run, by=user, order=1, status="passed")
        recorded = True
    except (DomainError, PermissionDenied):
        recorded = False
    assert offered == recorded == (persona in ("key_user", "consultant", "pm"))
