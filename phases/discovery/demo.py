"""Demo content of Discovery & Planning for the demo project (Sao Mai Foods, a Vietnamese
food manufacturer): stakeholders, kick-off with RACI, current processes, requirements,
RAID log, rollout waves, a plan document and an approved discovery sign-off.

Idempotent: each object is looked up by its natural key first, so running ``seed_demo``
twice changes nothing.
"""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phases.discovery import services
from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    Kickoff,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from projects import services as project_services
from projects.models import Approval, Phase, PhaseKind
from projects.roles import Role

A = BusinessArea
P = Requirement.Priority
FG = Requirement.FitGap
R = Requirement.Resolution
ST = Requirement.Status

STAKEHOLDERS = [
    # name, organisation, title, email, influence, interest
    (
        "Lê Văn Hùng",
        "Sao Mai Foods",
        "Giám đốc Tài chính (CFO) — project sponsor",
        "hung.le@saomaifoods.vn",
        "high",
        "high",
    ),
    ("Trần Thị Thu Hà", "Sao Mai Foods", "Kế toán trưởng", "ha.tran@saomaifoods.vn", "high", "high"),
    ("Nguyễn Văn Phúc", "Sao Mai Foods", "Giám đốc Nhà máy Bình Dương", "phuc.nguyen@saomaifoods.vn", "high", "medium"),
    ("Phạm Thị Mai", "Sao Mai Foods", "Trưởng phòng Mua hàng", "mai.pham@saomaifoods.vn", "medium", "high"),
    ("Võ Minh Tuấn", "Sao Mai Foods", "Trưởng phòng Kinh doanh", "tuan.vo@saomaifoods.vn", "medium", "high"),
    ("Đặng Quốc Bảo", "Sao Mai Foods", "IT Manager", "bao.dang@saomaifoods.vn", "medium", "high"),
    ("Karen Lim", "Deloitte Vietnam", "External auditor", "klim@example.com", "medium", "low"),
]

PROCESSES = [
    (
        A.FINANCE,
        "Month-end closing / Khóa sổ cuối tháng",
        "Kế toán tổng hợp gom số liệu từ 3 file Excel (bán hàng, kho, mua hàng) và nhập tay vào MISA. "
        "Closing takes 12 working days; VAT declarations are prepared separately.",
        "MISA SME, Excel",
        "~4,500 journal lines / month",
        "Khóa sổ chậm (12 ngày); số liệu kho và kế toán lệch nhau; không có báo cáo quản trị theo nhà máy.",
    ),
    (
        A.PROCUREMENT,
        "Purchase of raw materials / Mua nguyên liệu",
        "Purchase requests by e-mail, approved on paper by the plant director; POs typed in Excel and sent by Zalo.",
        "Excel, Zalo, e-mail",
        "~350 POs / month, 120 suppliers",
        "Không theo dõi được PR đã duyệt; giá mua không so sánh được giữa các nhà cung cấp.",
    ),
    (
        A.SALES,
        "Distributor orders / Đơn hàng nhà phân phối",
        "Sales admins receive orders by phone and Zalo from 85 distributors and key accounts (Co.opmart, Bách Hóa Xanh).",
        "Excel, Zalo, DMS Fast",
        "~2,000 orders / month",
        "Chiết khấu theo chương trình khuyến mãi tính tay; công nợ quá hạn không cảnh báo.",
    ),
    (
        A.INVENTORY,
        "Warehouse stock and lot tracking / Quản lý kho và lô hàng",
        "Stock cards kept per warehouse in Excel; expiry dates written on pallets only.",
        "Excel",
        "3 warehouses, ~900 SKUs",
        "Không truy xuất được lô (FEFO) khi có khiếu nại chất lượng; kiểm kê lệch 3-5%.",
    ),
    (
        A.MANUFACTURING,
        "Production orders / Lệnh sản xuất",
        "Production planned weekly in Excel; material issues recorded at the end of the shift.",
        "Excel",
        "~60 production orders / week",
        "Định mức (BOM) không cập nhật; không tính được giá thành thực tế theo lệnh.",
    ),
]

REQUIREMENTS = [
    # code, title, description, area, source, priority, fit_gap, resolution, status, process index, internal notes
    (
        "REQ-001",
        "Khóa sổ cuối tháng trong 5 ngày làm việc",
        "Month-end close in at most 5 working days with automatic sub-ledger postings (AR, AP, inventory).",
        A.FINANCE,
        "workshop",
        P.MUST,
        FG.FIT,
        R.STANDARD,
        ST.AGREED,
        0,
        "Standard period-close checklist covers this; confirm VAS chart of accounts mapping.",
    ),
    (
        "REQ-002",
        "Báo cáo tài chính theo chuẩn VAS (Thông tư 200)",
        "Balance sheet, P&L and cash flow per Circular 200/2014/TT-BTC, in Vietnamese and English.",
        A.FINANCE,
        "document",
        P.MUST,
        FG.PARTIAL,
        R.CONFIGURATION,
        ST.AGREED,
        0,
        "Localisation pack gives the B01/B02/B03 forms; English labels need configuration.",
    ),
    (
        "REQ-003",
        "E-invoice integration (hóa đơn điện tử) with the tax authority",
        "Issue e-invoices per Decree 123/2020 through the current provider (VNPT) from sales invoices.",
        A.FINANCE,
        "interview",
        P.MUST,
        FG.GAP,
        R.CUSTOM,
        ST.AGREED,
        2,
        "Integration estimate 15 md; VNPT API sandbox access requested 2 weeks ago, still pending.",
    ),
    (
        "REQ-004",
        "Purchase requisition approval by amount",
        "Purchase requests approved by the department head up to 50 million VND, above that by the plant director.",
        A.PROCUREMENT,
        "workshop",
        P.MUST,
        FG.FIT,
        R.CONFIGURATION,
        ST.AGREED,
        1,
        "",
    ),
    (
        "REQ-005",
        "So sánh báo giá nhà cung cấp",
        "Compare quotations of at least three suppliers per raw material before the PO is created.",
        A.PROCUREMENT,
        "workshop",
        P.SHOULD,
        FG.FIT,
        R.STANDARD,
        ST.REVIEWED,
        1,
        "",
    ),
    (
        "REQ-006",
        "Chiết khấu và khuyến mãi theo chương trình cho nhà phân phối",
        "Tiered discounts and 'buy 10 get 1' promotions per distributor group and period.",
        A.SALES,
        "workshop",
        P.MUST,
        FG.PARTIAL,
        R.CONFIGURATION,
        ST.AGREED,
        2,
        "Pricing engine handles tiers; 'buy X get Y' needs the promotions add-on (licence cost to confirm).",
    ),
    (
        "REQ-007",
        "Credit limit check on distributor orders",
        "Block an order when the distributor's overdue balance exceeds its credit limit; the sales director may release it.",
        A.SALES,
        "interview",
        P.SHOULD,
        FG.FIT,
        R.STANDARD,
        ST.AGREED,
        2,
        "",
    ),
    (
        "REQ-008",
        "Truy xuất lô hàng và hạn sử dụng (FEFO)",
        "Track lots and expiry dates from goods receipt to delivery; pick first-expired-first-out.",
        A.INVENTORY,
        "workshop",
        P.MUST,
        FG.FIT,
        R.CONFIGURATION,
        ST.AGREED,
        3,
        "",
    ),
    (
        "REQ-009",
        "Mobile stock count with barcode scanners",
        "Cycle counts with handheld scanners (Zebra TC21) in the three warehouses.",
        A.INVENTORY,
        "interview",
        P.COULD,
        FG.GAP,
        R.WORKAROUND,
        ST.REVIEWED,
        3,
        "Workaround: count sheets exported to XLSX and re-imported until the mobile app is licensed.",
    ),
    (
        "REQ-010",
        "Giá thành thực tế theo lệnh sản xuất",
        "Actual cost per production order (materials, labour, overhead) compared with standard cost.",
        A.MANUFACTURING,
        "workshop",
        P.SHOULD,
        FG.PARTIAL,
        R.CONFIGURATION,
        ST.DRAFT,
        4,
        "",
    ),
    (
        "REQ-011",
        "Quản lý ca làm việc và chấm công",
        "Shift planning and time attendance for 450 factory workers.",
        A.HR,
        "document",
        P.WONT,
        FG.GAP,
        R.OUT_OF_SCOPE,
        ST.DEFERRED,
        None,
        "Client keeps its HR system (Base.vn) for phase 1.",
    ),
]

RAID = [
    # kind, title, description, probability, impact, response, due (days from today), status, internal
    (
        "risk",
        "Dữ liệu tồn kho đầu kỳ không chính xác",
        "Opening stock in Excel differs 3-5% from the physical count; wrong opening balances would break costing.",
        4,
        5,
        "Full physical count at both plants the weekend before go-live; key users reconcile by lot.",
        30,
        "in_progress",
        False,
    ),
    (
        "risk",
        "Key users unavailable during Tết",
        "Tết holiday falls in the UAT window; key users of sales and warehouse will be away 2 weeks.",
        3,
        4,
        "Move UAT cycle 2 after Tết; agree the calendar with the sponsor.",
        20,
        "open",
        False,
    ),
    (
        "risk",
        "E-invoice provider API delays the integration",
        "VNPT has not given sandbox access yet; the custom integration cannot start.",
        3,
        4,
        "Escalate through the client IT manager; fallback: manual upload for 1 month.",
        10,
        "open",
        True,
    ),
    (
        "risk",
        "Fixed-price budget overrun on promotions add-on",
        "The promotions requirement may need a licence not in the commercial offer.",
        2,
        3,
        "Prepare a change request with two options before design sign-off.",
        15,
        "open",
        True,
    ),
    (
        "assumption",
        "Client provides master data in the agreed templates",
        "Customers, suppliers, items and BOMs are cleaned by the client and delivered in the data templates.",
        None,
        None,
        "",
        45,
        "open",
        False,
    ),
    (
        "issue",
        "Chart of accounts mapping not agreed",
        "Finance and the auditor disagree on sub-accounts for promotional expenses.",
        None,
        None,
        "Workshop with the chief accountant and the auditor on Friday.",
        7,
        "in_progress",
        False,
    ),
    (
        "decision",
        "Go live with finance, procurement, sales and inventory first; manufacturing in wave 2",
        "Agreed in the steering committee: wave 1 covers the head office and the Bình Dương plant.",
        None,
        None,
        "",
        None,
        "closed",
        False,
    ),
]

WAVES = [
    (
        "Wave 1 — Head office & Bình Dương",
        1,
        (0, 120),
        [
            ("Sao Mai Foods JSC", "Head office", "Quận 7, TP. Hồ Chí Minh", 60),
            ("Sao Mai Foods JSC", "Nhà máy Bình Dương", "KCN VSIP 1, Bình Dương", 140),
        ],
    ),
    (
        "Wave 2 — Long An plant & manufacturing",
        2,
        (110, 210),
        [("Sao Mai Foods JSC", "Nhà máy Long An", "KCN Tân Kim, Long An", 90)],
    ),
]

PREPARATION_DOC = """Preparation requirements for go-live / Yêu cầu chuẩn bị
1. Physical stock count at both plants (lot and expiry date).
2. Opening balances per VAS chart of accounts, signed by the chief accountant.
3. Barcode printers and scanners installed in the Bình Dương warehouse.
4. Key users trained and available for UAT (2 per business area).
"""


def seed(project, users) -> None:
    pm = users[Role.PM]
    consultant = users[Role.CONSULTANT]
    sponsor = users[Role.SPONSOR]
    key_user = users[Role.KEY_USER]
    today = timezone.localdate()

    stakeholders = {}
    for name, org, title, email, influence, interest in STAKEHOLDERS:
        found = Stakeholder.objects.filter(project=project, name=name).first()
        stakeholders[name] = found or services.stakeholder_create(
            project=project,
            by=pm,
            name=name,
            organisation=org,
            title=title,
            email=email,
            influence=influence,
            interest=interest,
            user=sponsor if name == "Lê Văn Hùng" else None,
        )

    if not Kickoff.objects.filter(project=project).exists():
        start = project.planned_start
        kickoff = services.kickoff_create(
            project=project,
            by=pm,
            title="Kick-off meeting / Họp khởi động dự án",
            meeting_date=timezone.make_aware(datetime.combine(start + timedelta(days=3), time(9, 0))),
            location="Sao Mai Foods head office, Quận 7 — phòng họp tầng 5",
            attendee_members=[pm, consultant, sponsor, key_user],
            attendee_stakeholders=[stakeholders["Trần Thị Thu Hà"], stakeholders["Nguyễn Văn Phúc"]],
            goals="Một hệ thống ERP duy nhất cho tài chính, mua hàng, bán hàng và kho.\n"
            "Close the books in 5 days instead of 12; lot traceability for every finished good.",
            scope_in="Finance (GL, AR, AP, fixed assets), procurement, sales & distribution, inventory with lots, "
            "e-invoice integration; head office and Bình Dương plant.",
            scope_out="HR & payroll (stays on Base.vn), manufacturing execution (wave 2), Long An plant (wave 2).",
            schedule_summary="Discovery 4 weeks · Design 6 weeks · Build 8 weeks · UAT 4 weeks · "
            f"go-live {project.planned_golive:%d/%m/%Y}.",
            expectations="Sponsor decides within 3 working days on escalations; key users 50% on the project "
            "during design and UAT.",
            ground_rules="Weekly status meeting Tuesday 14:00; all decisions recorded in the RAID log; "
            "tài liệu song ngữ Việt – Anh.",
        )
        su, si = f"u{sponsor.pk}", f"s{stakeholders['Trần Thị Thu Hà'].pk}"
        services.kickoff_set_raci(
            kickoff=kickoff,
            by=pm,
            version=kickoff.version,
            rows=[
                {
                    "activity": "Project plan & status reporting",
                    "cells": {f"u{pm.pk}": "A", f"u{consultant.pk}": "R", su: "I"},
                },
                {
                    "activity": "Requirements workshops",
                    "cells": {f"u{consultant.pk}": "R", f"u{pm.pk}": "A", f"u{key_user.pk}": "C", si: "C"},
                },
                {
                    "activity": "Master data cleansing",
                    "cells": {f"u{key_user.pk}": "R", su: "A", f"u{consultant.pk}": "C"},
                },
                {"activity": "Design sign-off", "cells": {su: "A", f"u{pm.pk}": "R", si: "C"}},
                {
                    "activity": "User acceptance testing",
                    "cells": {f"u{key_user.pk}": "R", su: "A", f"u{consultant.pk}": "C"},
                },
            ],
        )

    processes = []
    for area, name, as_is, systems, volumes, pains in PROCESSES:
        found = CurrentProcess.objects.filter(project=project, business_area=area, name=name).first()
        processes.append(
            found
            or services.current_process_create(
                project=project,
                by=consultant,
                business_area=area,
                name=name,
                as_is_description=as_is,
                systems_used=systems,
                volumes=volumes,
                pain_points=pains,
                owner=key_user,
            )
        )

    for code, title, desc, area, source, prio, fit, res, status, proc, notes in REQUIREMENTS:
        if Requirement.objects.filter(project=project, code=code).exists():
            continue
        services.requirement_create(
            project=project,
            by=consultant,
            code=code,
            title=title,
            description=desc,
            business_area=area,
            source=source,
            priority=prio,
            fit_gap=fit,
            resolution=res,
            status=status,
            owner=key_user if area != A.FINANCE else pm,
            internal_notes=notes,
            processes=[processes[proc]] if proc is not None else [],
        )

    for kind, title, desc, prob, impact, response, due, status, internal in RAID:
        if RaidItem.objects.filter(project=project, title=title).exists():
            continue
        services.raid_item_create(
            project=project,
            by=pm,
            kind=kind,
            title=title,
            description=desc,
            probability=prob,
            impact=impact,
            response=response,
            owner=pm if internal else key_user,
            due=today + timedelta(days=due) if due is not None else None,
            status=status,
            internal=internal,
        )

    for name, sequence, (start, golive), sites in WAVES:
        if RolloutWave.objects.filter(project=project, name=name).exists():
            continue
        services.rollout_wave_create(
            project=project,
            by=pm,
            name=name,
            sequence=sequence,
            start_date=project.planned_start + timedelta(days=start),
            golive_date=project.planned_start + timedelta(days=golive),
            sites=[{"company": c, "site": s, "location": loc, "users_count": n} for c, s, loc, n in sites],
        )

    if not PlanDocument.objects.filter(project=project).exists():
        services.plan_document_create(
            project=project,
            by=pm,
            kind=PlanDocument.Kind.PREPARATION,
            title="Yêu cầu chuẩn bị go-live / Go-live preparation requirements",
            file=SimpleUploadedFile("chuan-bi-go-live.txt", PREPARATION_DOC.encode("utf-8"), "text/plain"),
        )
        services.plan_document_create(
            project=project,
            by=consultant,
            kind=PlanDocument.Kind.TEST_PROCEDURE,
            title="UAT test procedure (draft)",
            file=SimpleUploadedFile(
                "uat-test-procedure.md",
                b"# UAT procedure\n\n1. Key users run the scenarios of their area.\n2. Defects logged in erpimpl.\n",
                "text/markdown",
            ),
        )

    if not project.discovery_signoffs.exists():
        signoff = services.discovery_signoff_request(
            project=project,
            by=pm,
            summary="Kick-off held, 11 requirements assessed (7 agreed), RAID log and rollout plan ready.",
            approver=sponsor,
        )
        if signoff.approval.decision == Approval.Decision.PENDING:
            services.discovery_signoff_decide(
                signoff=signoff,
                by=sponsor,
                decision=Approval.Decision.APPROVED,
                comment="Đồng ý. Approved — please keep the e-invoice risk under close watch.",
            )

    # The discovery phase completes through its approved gate (the sign-off above).
    phase = project.phases.get(kind=PhaseKind.DISCOVERY)
    gate = phase.gate_approval
    if phase.status != Phase.Status.COMPLETED and gate is not None and gate.decision == Approval.Decision.APPROVED:
        project_services.phase_update(
            phase=phase,
            by=pm,
            version=phase.version,
            status=Phase.Status.COMPLETED,
            actual_end=project.planned_start + timedelta(days=30),
        )
