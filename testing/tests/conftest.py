"""The seeded world of the testing app's isolation tests: the same objects in two projects."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from testing import services
from testing.models import Cycle
from testing.tests.factories import CaseFactory, CycleCaseFactory, CycleFactory, LoadTestResultFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _seed(project, tester, assignee):
    cycle = CycleFactory(project=project, type=Cycle.Type.UAT)
    cc = CycleCaseFactory(cycle=cycle, case=CaseFactory(project=project, steps=2), assignee=assignee)
    run = services.execution_start(cycle_case=cc, by=tester)
    step = services.execution_record_step(execution=run, by=tester, order=1, status="failed")
    services.execution_finish(execution=run, by=tester)
    evidence = services.evidence_add(execution=run, by=tester, file=SimpleUploadedFile("a.png", PNG))
    defect = services.defect_create(project=project, by=tester, title="Lỗi", step_result=step)
    load = LoadTestResultFactory(
        project=project, recorded_by=tester, report=SimpleUploadedFile("r.csv", b"a,b\n"), report_name="r.csv"
    )
    return {
        "project": project,
        "cycle": cycle,
        "cc": cc,
        "case": cc.case,
        "run": run,
        "step": step,
        "evidence": evidence,
        "defect": defect,
        "load": load,
    }


@pytest.fixture
def world(project, other_project, personas):
    return {
        "mine": _seed(project, personas["key_user"], personas["key_user"]),
        "theirs": _seed(other_project, personas["outsider"], None),
    }
