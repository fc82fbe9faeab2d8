"""Demo content of the testing app: test cases linked to the demo requirements and development
items, a completed integration cycle (signed off), a UAT round running for a week with runs,
re-tests and defects spread over the days (so the charts show a real trend), load-test results.

Idempotent: nothing is added once the project has test cases. Every write goes through the
services; only the timestamps are moved back afterwards so the week looks lived-in.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from projects.roles import Role
from testing import services
from testing.models import Case, Cycle, CycleCase, Defect, DefectComment, Evidence, Execution, StepResult

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)

#: (type, title, preconditions, test data, steps[(action, expected)])
CASES = [
    (
        "uat",
        "Lập hoá đơn VAT cho khách hàng doanh nghiệp",
        "Khách hàng có mã số thuế; đơn bán hàng đã giao.",
        "KH: Công ty TNHH Minh Phát, MST 0312345678-001",
        [
            ("Mở đơn bán hàng SO-1024 đã giao", "Đơn hiển thị trạng thái 'Đã giao'"),
            ("Chọn 'Tạo hoá đơn' và xác nhận", "Hoá đơn nháp có thuế suất 10%"),
            ("Phát hành hoá đơn điện tử", "Hoá đơn có số và mã tra cứu của cơ quan thuế"),
        ],
    ),
    (
        "uat",
        "Create a purchase order from an approved requisition",
        "Requisition PR-311 approved by the department head.",
        "Vendor: Bao Bi Xanh JSC; 2 lines",
        [
            ("Open requisition PR-311", "Status is Approved"),
            ("Click 'Create PO' and pick the vendor", "Draft PO with both lines"),
            ("Submit the PO for approval", "PO waits for the purchasing manager"),
        ],
    ),
    (
        "uat",
        "Nhập kho thành phẩm từ lệnh sản xuất",
        "Lệnh sản xuất MO-77 đã hoàn thành.",
        "Kho: Nhà máy Bình Dương, 1.200 thùng",
        [
            ("Mở lệnh sản xuất MO-77", "Lệnh ở trạng thái 'Hoàn thành'"),
            ("Tạo phiếu nhập kho thành phẩm", "Phiếu nháp đúng số lượng 1.200"),
            ("Xác nhận phiếu nhập", "Tồn kho tăng 1.200 thùng, không nhân đôi"),
        ],
    ),
    (
        "uat",
        "Báo cáo tồn kho theo kho và đơn vị tính",
        "Có tồn kho ở hai nhà máy.",
        "",
        [
            ("Mở báo cáo tồn kho, chọn cả hai kho", "Báo cáo hiện đủ hai kho"),
            ("Lọc theo nhóm hàng 'Nước giải khát'", "Chỉ còn nhóm đã chọn"),
            ("Kiểm tra đơn vị tính của từng dòng", "Đơn vị tính theo danh mục (thùng/chai)"),
        ],
    ),
    (
        "uat",
        "Approve a purchase order above the spending limit",
        "PO above 500,000,000 VND.",
        "PO-2207, 640,000,000 VND",
        [
            ("Log in as the purchasing manager", "PO-2207 is in 'To approve'"),
            ("Approve the PO", "PO goes to the finance director"),
        ],
    ),
    (
        "uat",
        "Thu tiền khách hàng qua sao kê ngân hàng",
        "Sao kê Vietcombank ngày hôm trước đã được nhập.",
        "File sao kê VCB_20260310.csv",
        [
            ("Mở màn hình đối chiếu ngân hàng", "Các dòng sao kê chưa đối chiếu hiện ra"),
            ("Đối chiếu tự động", "Các khoản thu khớp với hoá đơn mở"),
            ("Xác nhận bút toán", "Công nợ khách hàng giảm tương ứng"),
        ],
    ),
    (
        "uat",
        "Goods receipt posts the right stock quantity",
        "PO-2190 confirmed, goods arrived at the plant.",
        "PO-2190: 300 cartons",
        [
            ("Open the receipt of PO-2190", "Receipt shows 300 cartons to receive"),
            ("Validate the receipt", "Stock on hand increases by exactly 300"),
            ("Open the stock move history", "One move of 300, no duplicate"),
        ],
    ),
    (
        "uat",
        "In phiếu giao hàng có logo và địa chỉ giao",
        "",
        "Đơn SO-1031",
        [
            ("Mở phiếu giao hàng của SO-1031", "Phiếu hiển thị địa chỉ giao"),
            ("In phiếu", "Bản in có logo, không lỗi chính tả"),
        ],
    ),
    (
        "uat",
        "Month-end closing checklist for finance",
        "All sub-ledgers posted for the month.",
        "",
        [
            ("Run the depreciation batch", "Depreciation entries posted"),
            ("Lock the period", "No posting possible in the closed month"),
            ("Print the trial balance", "Debits equal credits"),
        ],
    ),
    (
        "uat",
        "Phân quyền người dùng kho theo nhà máy",
        "Người dùng kho Bình Dương đã được tạo.",
        "",
        [
            ("Đăng nhập bằng người dùng kho Bình Dương", "Chỉ thấy kho Bình Dương"),
            ("Thử mở phiếu kho Long An", "Hệ thống từ chối truy cập"),
        ],
    ),
    (
        "integration",
        "Bank host-to-host payment file is accepted by the bank",
        "Payment run prepared in TEST.",
        "",
        [
            ("Generate the payment file", "File in the bank's format"),
            ("Send over SFTP", "Bank acknowledges the file"),
        ],
    ),
    (
        "integration",
        "Đồng bộ đơn hàng từ hệ thống DMS",
        "Kết nối DMS ở môi trường TEST.",
        "",
        [
            ("Tạo đơn trên DMS", "Đơn xuất hiện trong ERP trong 5 phút"),
            ("Huỷ đơn trên DMS", "Đơn trong ERP được huỷ"),
        ],
    ),
    (
        "load",
        "500 concurrent order entries",
        "",
        "",
        [("Run the JMeter plan 'orders-500'", "p95 under 2 s, errors under 1%")],
    ),
]

#: The UAT week: (case index, days ago, hour, run results per step, defect to raise from the failing step)
UAT_RUNS = [
    (0, 7, 9, ["passed", "failed"], ("Không lập được hoá đơn VAT khi MST có 13 số", "critical", "urgent")),
    (1, 7, 14, ["passed", "passed", "passed"], None),
    (
        2,
        6,
        10,
        ["passed", "passed", "failed"],
        ("Goods receipt from production doubles the stock", "critical", "urgent"),
    ),
    (3, 6, 15, ["passed", "passed", "failed"], ("Báo cáo tồn kho hiển thị sai đơn vị tính", "major", "high")),
    (4, 5, 9, ["blocked"], ("UAT: purchasing manager has no approval right", "major", "high")),
    (5, 5, 14, ["passed", "passed", "passed"], None),
    (4, 4, 10, ["passed", "passed"], None),
    (6, 4, 15, ["passed", "failed"], ("Nhập kho từ PO bị ghi nhận hai lần", "critical", "urgent")),
    (0, 3, 10, ["passed", "passed", "passed"], None),
    (7, 2, 9, ["passed", "failed"], ("Lỗi chính tả 'Dia chi giao hang' trên phiếu giao", "minor", "low")),
    (3, 1, 16, ["passed", "passed", "failed"], None),
]

#: What happened to each raised defect afterwards: (statuses in order, days ago of the last move, comment)
DEFECT_FATE = {
    "Không lập được hoá đơn VAT khi MST có 13 số": (
        ["open", "in_progress", "fixed", "retest", "closed"],
        3,
        "Đã sửa độ dài trường MST; kiểm tra lại đạt.",
    ),
    "Goods receipt from production doubles the stock": (
        ["open", "in_progress", "fixed", "retest"],
        1,
        "Fix transported to UAT in REL-004, please retest.",
    ),
    "Báo cáo tồn kho hiển thị sai đơn vị tính": (["open", "in_progress"], 4, "Đang sửa mapping đơn vị tính."),
    "UAT: purchasing manager has no approval right": (
        ["open", "in_progress", "fixed", "retest", "closed"],
        4,
        "Role added in UAT; approval works.",
    ),
    "Nhập kho từ PO bị ghi nhận hai lần": (["rejected"], 3, "Trùng với lỗi nhập kho thành phẩm; theo dõi ở lỗi đó."),
    "Lỗi chính tả 'Dia chi giao hang' trên phiếu giao": (["open"], 1, ""),
}


def _at(today, days_ago: int, hour: int, minute: int = 0):
    moment = datetime.combine(today - timedelta(days=days_ago), time(hour, minute))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _environment(project, name):
    try:
        return project.environments.filter(name=name).first()
    except AttributeError:  # the development app is not installed
        return None


def _links(project):
    """Agreed requirements, and development items that do not lead to the last two of them
    (so the matrix shows two agreed requirements without a test)."""
    requirements = list(project.requirements.filter(status="agreed").order_by("code"))
    uncovered = requirements[-2:] if len(requirements) > 2 else []
    items = project.development_items.exclude(status="cancelled")
    if uncovered:
        items = items.exclude(requirements__in=uncovered).exclude(process_designs__requirements__in=uncovered)
    return requirements, list(items.distinct().order_by("code"))


def _make_cases(project, users) -> list[Case]:
    consultant = users[Role.CONSULTANT]
    requirements, items = _links(project)
    cases = []
    for index, (type_, title, pre, data, steps) in enumerate(CASES):
        links = {}
        # Cover most agreed requirements, leave the last two without a test (the matrix shows the gap).
        covered = requirements[:-2] if len(requirements) > 2 else requirements
        if covered:
            links["requirements"] = [covered[index % len(covered)]]
        if items and index % 2 == 0:
            links["development_items"] = [items[index % len(items)]]
        cases.append(
            services.case_create(
                project=project,
                by=consultant,
                title=title,
                type=type_,
                preconditions=pre,
                test_data=data,
                owner=consultant,
                steps=[{"action": a, "expected_result": e} for a, e in steps],
                **links,
            )
        )
    return cases


def _run(cycle_case, tester, results, when, actual=""):
    execution = services.execution_start(cycle_case=cycle_case, by=tester)
    last = None
    for order, status in enumerate(results, start=1):
        last = services.execution_record_step(
            execution=execution,
            by=tester,
            order=order,
            status=status,
            actual_result=actual if status == "failed" else "",
        )
    if results and results[-1] in ("failed", "blocked") or len(results) == cycle_case.case.steps.count():
        execution = services.execution_finish(execution=execution, by=tester, actual_result=actual)
    Execution.objects.filter(pk=execution.pk).update(
        started_at=when - timedelta(minutes=25), finished_at=when if execution.finished_at else None
    )
    StepResult.objects.filter(execution=execution).exclude(recorded_at=None).update(recorded_at=when)
    return execution, last


def _integration_cycle(project, users, cases, today):
    pm, consultant = users[Role.PM], users[Role.CONSULTANT]
    cycle = services.cycle_create(
        project=project,
        by=pm,
        name="SIT 1 — System integration test",
        type="integration",
        environment=_environment(project, "TEST"),
        planned_start=today - timedelta(days=24),
        planned_end=today - timedelta(days=14),
    )
    rows = services.cycle_add_cases(
        cycle=cycle, by=pm, cases=[c for c in cases if c.type == "integration"], assignee=consultant
    )
    for offset, row in enumerate(rows):
        _run(row, consultant, ["passed"] * row.case.steps.count(), _at(today, 20 - 2 * offset, 10))
    cycle.refresh_from_db()
    services.cycle_update(cycle=cycle, by=pm, version=cycle.version, status="completed")
    return cycle


def _uat_cycle(project, users, cases, today):
    pm, key_user, sponsor = users[Role.PM], users[Role.KEY_USER], users[Role.SPONSOR]
    cycle = services.cycle_create(
        project=project,
        by=pm,
        name="UAT vòng 1 — Bán hàng, mua hàng, kho, tài chính",
        type="uat",
        environment=_environment(project, "UAT"),
        planned_start=today - timedelta(days=8),
        planned_end=today + timedelta(days=4),
    )
    uat_cases = [c for c in cases if c.type == "uat"]
    rows = services.cycle_add_cases(cycle=cycle, by=pm, cases=uat_cases[:-1], assignee=key_user)
    rows += services.cycle_add_cases(cycle=cycle, by=pm, cases=uat_cases[-1:], assignee=sponsor)
    by_case = {row.case_id: row for row in rows}

    defects = {}
    for case_index, days_ago, hour, results, defect_spec in UAT_RUNS:
        row = by_case[uat_cases[case_index].pk]
        when = _at(today, days_ago, hour)
        actual = "Kết quả khác mong đợi; xem ảnh chụp màn hình." if "failed" in results else ""
        execution, last = _run(row, key_user, results, when, actual)
        if "failed" in results or "blocked" in results:
            evidence = services.evidence_add(
                execution=execution,
                by=key_user,
                file=ContentFile(PNG_1PX, name=f"man-hinh-{case_index + 1}.png"),
                step_order=len(results),
            )
            Evidence.objects.filter(pk=evidence.pk).update(created_at=when)
        if defect_spec:
            title, severity, priority = defect_spec
            defect = services.defect_create(
                project=project,
                by=key_user,
                title=title,
                description=f"Bước {last.order}: {last.action}\nMong đợi: {last.expected_result}",
                severity=severity,
                priority=priority,
                assignee=users[Role.CONSULTANT],
                step_result=last,
            )
            Defect.objects.filter(pk=defect.pk).update(created_at=when + timedelta(minutes=5))
            defects[title] = defect
    # the month-end case: a run in progress today; the sponsor's case is not run yet
    waiting = by_case[uat_cases[8].pk]
    execution, _last = _run(waiting, key_user, ["passed"], _at(today, 0, 9))

    for title, (moves, days_ago, comment) in DEFECT_FATE.items():
        defect = defects[title]
        for index, status in enumerate(moves):
            last_move = index == len(moves) - 1
            who = key_user if status == "closed" else users[Role.CONSULTANT]
            defect = services.defect_transition(
                defect=defect, by=who, to_status=status, comment=comment if last_move else ""
            )
        if defect.resolved_at:
            Defect.objects.filter(pk=defect.pk).update(resolved_at=_at(today, days_ago, 17))
        DefectComment.objects.filter(defect=defect).update(created_at=_at(today, days_ago, 17))
    standalone = services.defect_create(
        project=project,
        by=users[Role.SPONSOR],
        title="Logo on the printed invoice is blurred",
        description="Seen on the sample invoices shared by the finance team.",
        severity="trivial",
        priority="low",
        cycle=cycle,
    )
    services.defect_transition(defect=standalone, by=users[Role.PM], to_status="deferred", comment="After go-live.")
    Defect.objects.filter(pk=standalone.pk).update(created_at=_at(today, 2, 16))
    services.defect_comment_add(
        defect=defects["Goods receipt from production doubles the stock"],
        by=key_user,
        body="Sẽ kiểm tra lại sáng mai trên môi trường UAT.",
    )
    return cycle


def _load_results(project, users, cases, today):
    load_case = next((c for c in cases if c.type == "load"), None)
    common = {"project": project, "by": users[Role.CONSULTANT], "case": load_case}
    services.load_result_record(
        scenario="500 concurrent order entries (baseline)",
        virtual_users=500,
        duration_seconds=1800,
        throughput_rps=Decimal("62.40"),
        p95_ms=2850,
        p99_ms=4900,
        error_rate=Decimal("1.800"),
        max_p95_ms=2000,
        max_error_rate=Decimal("1.000"),
        executed_at=_at(today, 12, 22),
        report=ContentFile(
            b"label,samples,p95,p99,errors\norders,112320,2850,4900,1.8%\n", name="orders-500-baseline.csv"
        ),
        **common,
    )
    services.load_result_record(
        scenario="500 concurrent order entries (after index tuning)",
        virtual_users=500,
        duration_seconds=1800,
        throughput_rps=Decimal("88.10"),
        p95_ms=1450,
        p99_ms=2300,
        error_rate=Decimal("0.200"),
        max_p95_ms=2000,
        max_error_rate=Decimal("1.000"),
        executed_at=_at(today, 9, 22),
        report=ContentFile(
            b"label,samples,p95,p99,errors\norders,158580,1450,2300,0.2%\n", name="orders-500-tuned.csv"
        ),
        **common,
    )
    services.load_result_record(
        scenario="Month-end closing with 50 finance users",
        virtual_users=50,
        duration_seconds=3600,
        throughput_rps=Decimal("14.00"),
        p95_ms=900,
        p99_ms=1600,
        error_rate=Decimal("0.000"),
        max_p99_ms=3000,
        min_throughput_rps=Decimal("10.00"),
        executed_at=_at(today, 6, 21),
        **common,
    )


def seed(project, users) -> None:
    if project.test_cases.exists():
        return
    today = timezone.localdate()
    cases = _make_cases(project, users)
    sit = _integration_cycle(project, users, cases, today)
    services.cycle_signoff_request(cycle=sit, by=users[Role.PM], approver=users[Role.SPONSOR])
    sit.refresh_from_db()
    services.cycle_signoff_decide(cycle=sit, by=users[Role.SPONSOR], decision="approved", comment="SIT đạt yêu cầu.")
    _uat_cycle(project, users, cases, today)
    _load_results(project, users, cases, today)
    CycleCase.objects.filter(cycle__project=project).update(created_at=_at(today, 9, 8))
    Cycle.objects.filter(project=project).update(created_at=_at(today, 10, 8))
