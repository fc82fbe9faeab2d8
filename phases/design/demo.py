"""Demo content of the Design phase for the demo project (Vietnamese and English).

Four process designs (one approved then changed, so it is back in review with an earlier
version; one in review; one approved; one draft covering no requirement), real BPMN 2.0
diagrams from ``demo_data/``, function descriptions traced to the discovery requirements
(REQ-008 stays uncovered on purpose, so the coverage page has something to show), and one
technical requirement per category. Idempotent: what exists is left alone.
"""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from phases.design import services
from phases.design.models import FunctionDescription, ProcessDesign, TechnicalRequirement
from phases.discovery.models import Requirement
from projects.roles import Role

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"

DESIGNS = [
    {
        "business_area": "procurement",
        "name": "Mua hàng đến thanh toán (Procure to pay)",
        "bpmn": "procure-to-pay.bpmn",
        "requirements": ["REQ-004", "REQ-005"],
        "as_is": (
            "Đề nghị mua hàng gửi qua email và Excel; trưởng bộ phận duyệt bằng chữ ký tay. "
            "Purchase orders are typed in Excel, goods receipts are noted on paper and the invoice "
            "is matched by the accountant at month end, so late-payment penalties happen every month."
        ),
        "to_be": (
            "Requisitions are created in the ERP and released by amount (department head up to "
            "50 million VND, plant director above). Approved requisitions become purchase orders from "
            "the best of three quotations; the warehouse posts the goods receipt by lot; the vendor "
            "invoice is verified against PO and receipt (3-way match) and paid by the weekly payment run."
        ),
        "steps": [
            (
                "Tạo đề nghị mua hàng",
                "Requester (bộ phận)",
                "Purchasing > Requisitions",
                "Chọn mã vật tư, số lượng, ngày cần; đính kèm báo giá nếu có.",
            ),
            (
                "Approve the requisition",
                "Department head / plant director",
                "Approvals inbox",
                "Approve or reject with a reason; above 50M VND the plant director approves.",
            ),
            (
                "Create the purchase order",
                "Buyer",
                "Purchasing > Purchase orders",
                "Create from the approved requisition; choose the supplier with the best evaluated quotation.",
            ),
            (
                "Nhập kho theo lô",
                "Warehouse keeper",
                "Inventory > Goods receipt",
                "Quét mã vạch lô, nhập hạn sử dụng; chênh lệch > 2% báo người mua.",
            ),
            (
                "Verify the vendor invoice",
                "AP accountant",
                "Finance > Vendor invoices",
                "Match invoice, PO and receipt; price differences above tolerance are blocked for payment.",
            ),
            (
                "Run the payment proposal",
                "Chief accountant",
                "Finance > Payment run",
                "Weekly on Thursday; export the bank file for Vietcombank.",
            ),
        ],
        "flow": "approved_then_changed",
    },
    {
        "business_area": "sales",
        "name": "Order to cash — đơn hàng nhà phân phối",
        "bpmn": "order-to-cash.bpmn",
        "requirements": ["REQ-006", "REQ-007", "REQ-003"],
        "as_is": "Nhà phân phối đặt hàng qua Zalo; sales admin nhập lại vào phần mềm kế toán, không kiểm tra công nợ.",
        "to_be": (
            "Distributor orders are entered once in the ERP with tiered discounts and promotions applied "
            "automatically; the credit limit is checked on save; delivery is picked FEFO; the e-invoice is "
            "issued to the tax authority from the billing document; receipts clear open items daily."
        ),
        "steps": [
            (
                "Nhập đơn bán hàng",
                "Sales admin",
                "Sales > Sales orders",
                "Chọn nhà phân phối; giá và khuyến mãi tự động.",
            ),
            (
                "Credit check",
                "System / sales director",
                "Sales > Blocked orders",
                "Orders over the credit limit are blocked; the sales director releases them with a note.",
            ),
            ("Xuất kho giao hàng", "Warehouse", "Inventory > Deliveries", "Lấy hàng theo FEFO; in phiếu xuất kho."),
            ("Issue the e-invoice", "Billing clerk", "Finance > Billing", "Send to VNPT; keep the tax authority code."),
            (
                "Ghi nhận thu tiền",
                "AR accountant",
                "Finance > Incoming payments",
                "Đối chiếu sao kê ngân hàng hằng ngày.",
            ),
        ],
        "flow": "in_review",
    },
    {
        "business_area": "finance",
        "name": "Month-end closing / Khóa sổ cuối tháng",
        "bpmn": None,
        "requirements": ["REQ-001", "REQ-002"],
        "as_is": "Khóa sổ mất 12 ngày; bút toán phân bổ làm bằng Excel.",
        "to_be": (
            "A five-day close calendar: day 1 sub-ledgers closed, day 2 accruals and allocations, day 3 "
            "inventory valuation, day 4 reconciliation, day 5 VAS statements (B01, B02, B03) in VI and EN."
        ),
        "steps": [
            ("Close sub-ledgers (AR, AP, inventory)", "Accountants", "Finance > Period close", ""),
            (
                "Bút toán phân bổ chi phí",
                "Chief accountant",
                "Finance > Allocations",
                "Chạy chu kỳ phân bổ theo trung tâm chi phí.",
            ),
            ("Issue the VAS financial statements", "Finance manager", "Reports > Financial statements", ""),
        ],
        "flow": "approved",
    },
    {
        "business_area": "inventory",
        "name": "Kiểm kê kho định kỳ (cycle count)",
        "bpmn": None,
        "requirements": [],
        "as_is": "Kiểm kê toàn bộ cuối năm, đóng kho 2 ngày.",
        "to_be": "Cycle counts per ABC class every month, without closing the warehouse.",
        "steps": [],
        "flow": "draft",
    },
]

FUNCTIONS = [
    (
        "REQ-004",
        "procurement",
        "configuration",
        "Release strategy for purchase requisitions",
        "Two release levels by net value: department head ≤ 50,000,000 VND, plant director above.",
        "Purchasing > Release strategies",
    ),
    (
        "REQ-003",
        "sales",
        "development",
        "Tích hợp hóa đơn điện tử VNPT",
        "Custom interface sending billing documents to the VNPT e-invoice API and storing the tax code back.",
        "Interface IF-01 (development item)",
    ),
    (
        "REQ-007",
        "sales",
        "standard",
        "Automatic credit check on sales orders",
        "Standard credit management: static limit per distributor, overdue items counted.",
        "Sales > Credit management",
    ),
    (
        "REQ-006",
        "sales",
        "configuration",
        "Chiết khấu bậc thang theo nhóm nhà phân phối",
        "Pricing conditions by distributor group and quantity scale; promotions add-on for buy 10 get 1.",
        "Sales > Pricing conditions",
    ),
    (
        "REQ-001",
        "finance",
        "standard",
        "Period-close cockpit",
        "Standard close checklist with task owners and status per day of the close calendar.",
        "Finance > Period close",
    ),
]

TECHNICAL = [
    (
        "hardware",
        "Máy quét mã vạch cho kho",
        "12 handheld scanners (Zebra TC21) for the three warehouses.",
        "Each scanner posts a goods receipt in the test system over Wi-Fi.",
        "agreed",
        "",
    ),
    (
        "software",
        "Supported browsers and office suite",
        "Chrome/Edge current versions; Excel 2016+ for exports.",
        "All key-user PCs pass the browser check page.",
        "verified",
        "Checked 38 of 38 key-user PCs on 2026-10-02 (list attached to the IT ticket #4471).",
    ),
    (
        "servers",
        "Production and test environments",
        "Separate PROD and TEST tenants; TEST refreshed monthly.",
        "Both tenants reachable; TEST refresh completes in under 4 hours.",
        "agreed",
        "",
    ),
    (
        "network",
        "Đường truyền giữa nhà máy Bình Dương và văn phòng",
        "Leased line 100 Mbps with 4G backup at the plant.",
        "Response time of the sales order screen < 2 s from the plant at 14:00.",
        "open",
        "",
    ),
    (
        "security",
        "Single sign-on and MFA",
        "Login through the client's Microsoft Entra ID with MFA for all users.",
        "No local passwords; MFA enforced for the finance role.",
        "agreed",
        "",
    ),
    (
        "scalability",
        "Peak volume at Tết",
        "3× normal order volume during the 4 weeks before Tết.",
        "Load test: 1,500 sales orders/hour with p95 < 3 s.",
        "open",
        "",
    ),
    (
        "backup_recovery",
        "Sao lưu và khôi phục",
        "Nightly full backup, 15-minute log backup, 30-day retention.",
        "Restore test: RPO ≤ 15 min, RTO ≤ 4 h, done before go-live.",
        "open",
        "",
    ),
    (
        "integration",
        "Bank file for Vietcombank",
        "Payment run exports the bank's bulk payment format.",
        "Vietcombank accepts a test file of 20 payments.",
        "agreed",
        "",
    ),
]


def _requirements(project, codes):
    return list(Requirement.objects.filter(project=project, code__in=codes).order_by("code"))


def _bpmn(name):
    if not name:
        return None
    return SimpleUploadedFile(name, (DEMO_DATA / name).read_bytes(), content_type="application/xml")


def _seed_design(project, spec, consultant, sponsor) -> ProcessDesign:
    steps = [
        {"title": title, "actor": actor, "erp_function": where, "work_instruction": how}
        for title, actor, where, how in spec["steps"]
    ]
    design = services.process_design_create(
        project=project,
        by=consultant,
        business_area=spec["business_area"],
        name=spec["name"],
        as_is=spec["as_is"],
        to_be=spec["to_be"],
        requirements=_requirements(project, spec["requirements"]),
        steps=steps,
        bpmn_file=_bpmn(spec["bpmn"]),
    )
    if spec["flow"] == "draft":
        return design
    design = services.process_design_submit(design=design, by=consultant)
    if spec["flow"] == "in_review":
        return design
    design = services.process_design_decide(
        design=design, by=sponsor, decision="approved", comment="Đồng ý / Approved in the design workshop."
    )
    if spec["flow"] == "approved_then_changed":
        design = services.process_design_update(
            design=design,
            by=consultant,
            version=design.version,
            to_be=design.to_be + " Purchase orders above 500 million VND also need the CFO's approval.",
            steps=[
                *steps[:3],
                {
                    "title": "CFO approval above 500M VND",
                    "actor": "CFO",
                    "erp_function": "Approvals inbox",
                    "work_instruction": "",
                },
                *steps[3:],
            ],
        )
    return design


def seed(project, users) -> None:
    consultant, sponsor = users[Role.CONSULTANT], users[Role.SPONSOR]
    designs = {}
    for spec in DESIGNS:
        found = ProcessDesign.objects.filter(project=project, name=spec["name"]).first()
        designs[spec["business_area"]] = found or _seed_design(project, spec, consultant, sponsor)

    for code, area, kind, title, description, reference in FUNCTIONS:
        requirement = Requirement.objects.filter(project=project, code=code).first()
        if requirement is None or FunctionDescription.objects.filter(project=project, title=title).exists():
            continue
        services.function_description_create(
            project=project,
            by=consultant,
            requirement=requirement,
            design=designs.get(area),
            kind=kind,
            title=title,
            description=description,
            erp_reference=reference,
        )

    owners = [users[Role.CONSULTANT], users[Role.KEY_USER], users[Role.PM]]
    for index, (category, title, description, criterion, status, evidence) in enumerate(TECHNICAL):
        if TechnicalRequirement.objects.filter(project=project, title=title).exists():
            continue
        services.technical_requirement_create(
            project=project,
            by=consultant,
            category=category,
            title=title,
            description=description,
            acceptance_criterion=criterion,
            owner=owners[index % len(owners)],
            status=status,
            evidence=evidence,
        )
