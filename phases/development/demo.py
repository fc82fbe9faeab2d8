"""Demo content of the development phase: a believable board for the demo project.

Environments DEV/TEST/UAT/PROD, fourteen development items over every type and status
(Vietnamese and English titles, interfaces with their external systems), linked to the
custom-development requirements and designs the discovery and design demos created, and
one transport DEV → TEST. Idempotent: nothing is added once the project has items.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from phases.development import services
from phases.development.models import DevelopmentItem, Environment
from projects.roles import Role

S = DevelopmentItem.Status
T = DevelopmentItem.Type

#: name → (kind, order, url, version, status, days since refresh)
ENVIRONMENTS = {
    "DEV": (Environment.Kind.DEVELOPMENT, 1, "https://dev.erp.saomai.example", "17.0+e.20260310", "available", 21),
    "TEST": (Environment.Kind.TEST, 2, "https://test.erp.saomai.example", "17.0+e.20260310", "available", 9),
    "UAT": (Environment.Kind.UAT, 3, "https://uat.erp.saomai.example", "17.0+e.20260301", "refreshing", 2),
    "PROD": (Environment.Kind.PRODUCTION, 4, "https://erp.saomai.example", "17.0+e.20260301", "available", None),
}

#: (type, title, status, firm assignee role, target env, complexity, estimate days, interface fields, description)
ITEMS = [
    (T.REPORT, "Báo cáo công nợ phải thu theo tuổi nợ", S.ACCEPTED, Role.CONSULTANT, "UAT", "medium", "6", {},
     "Aged receivables by customer and sales channel (0-30, 31-60, 61-90, >90 days), in VND."),
    (T.REPORT, "Sales margin by product group and region", S.READY_FOR_TEST, Role.CONSULTANT, "TEST", "medium", "5",
     {}, "Gross margin per product group, region and month, with drill-down to invoices."),
    (T.INTERFACE, "Kết nối ngân hàng Vietcombank (thanh toán & sao kê)", S.DEV_TESTED, Role.CONSULTANT, "TEST",
     "high", "15",
     {"external_system": "Vietcombank host-to-host", "direction": "both", "protocol": "SFTP (ISO 20022 XML)",
      "frequency": "Payments hourly, statements nightly", "data_objects": "Payment runs, bank statements"},
     "Outgoing supplier payments and incoming statements for automatic bank reconciliation."),
    (T.INTERFACE, "E-invoice integration with the tax authority (hóa đơn điện tử)", S.IN_DEVELOPMENT, Role.PM,
     "TEST", "very_high", "20",
     {"external_system": "VNPT e-Invoice / GDT", "direction": "outbound", "protocol": "REST API (JSON)",
      "frequency": "Real time, on invoice posting", "data_objects": "VAT invoices, adjustments, cancellations"},
     "Decree 123/2020: every posted customer invoice is signed and sent to the tax authority."),
    (T.INTERFACE, "Đồng bộ đơn hàng từ hệ thống DMS nhà phân phối", S.DESIGNED, Role.CONSULTANT, "TEST", "high", "12",
     {"external_system": "DMS.One (distributors)", "direction": "inbound", "protocol": "REST API (webhooks)",
      "frequency": "Every 15 minutes", "data_objects": "Sales orders, customers, returns"},
     "Distributor orders flow into sales orders with price and credit checks."),
    (T.CONVERSION, "Chuyển đổi tồn kho đầu kỳ từ phần mềm cũ", S.DEV_TESTED, Role.CONSULTANT, "UAT", "medium", "4",
     {}, "Opening stock by warehouse, lot and expiry date from the legacy system."),
    (T.CONVERSION, "Open purchase orders migration", S.IN_DEVELOPMENT, Role.CONSULTANT, "UAT", "low", "3", {},
     "Purchase orders not yet fully received at cut-over, with their open quantities."),
    (T.ENHANCEMENT, "Kiểm tra hạn mức tín dụng khi xác nhận đơn bán", S.READY_FOR_TEST, Role.PM, "TEST", "medium",
     "5", {}, "Block order confirmation above the credit limit; release by the finance manager."),
    (T.ENHANCEMENT, "FEFO picking strategy for the cold store", S.DESIGNED, Role.CONSULTANT, "TEST", "high", "8", {},
     "First-expired-first-out picking per lot for chilled products."),
    (T.FORM, "Mẫu in hóa đơn GTGT và phiếu xuất kho", S.ACCEPTED, Role.CONSULTANT, "UAT", "low", "3", {},
     "VAT invoice and delivery note layouts following Circular 78/2021."),
    (T.FORM, "Purchase order layout with bilingual terms", S.CANCELLED, Role.CONSULTANT, "TEST", "low", "2", {},
     "Replaced by the standard layout with a bilingual terms page (decision D-07)."),
    (T.WORKFLOW, "Phê duyệt đề nghị mua hàng nhiều cấp", S.IN_DEVELOPMENT, Role.CONSULTANT, "TEST", "medium", "6",
     {}, "Purchase requests approved by department head, then finance above 50 million VND."),
    (T.ANALYTICS, "Production yield dashboard per plant", S.DESIGNED, Role.PM, "UAT", "high", "10",
     {"external_system": "Power BI", "direction": "outbound", "protocol": "OData feed", "frequency": "Nightly",
      "data_objects": "Production orders, consumption, output"},
     "Yield, scrap and OEE per plant and line for the operations director."),
    (T.ANALYTICS, "Bảng điều khiển doanh thu hàng ngày cho ban giám đốc", S.DEV_TESTED, Role.CONSULTANT, "UAT",
     "medium", "5", {}, "Daily revenue, orders and cash position for the board, on one page."),
]  # fmt: skip

#: The path from *designed* to each status.
PATHS = {
    S.DESIGNED: [],
    S.IN_DEVELOPMENT: [S.IN_DEVELOPMENT],
    S.DEV_TESTED: [S.IN_DEVELOPMENT, S.DEV_TESTED],
    S.READY_FOR_TEST: [S.IN_DEVELOPMENT, S.DEV_TESTED, S.READY_FOR_TEST],
    S.ACCEPTED: [S.IN_DEVELOPMENT, S.DEV_TESTED, S.READY_FOR_TEST, S.ACCEPTED],
    S.CANCELLED: [S.CANCELLED],
}


def _environments(project, by) -> dict[str, Environment]:
    now = timezone.now()
    envs = {}
    for name, (kind, order, url, version, status, days) in ENVIRONMENTS.items():
        env = project.environments.filter(name=name).first()
        if env is None:
            env = services.environment_create(
                project=project,
                by=by,
                name=name,
                kind=kind,
                order=order,
                url=url,
                software_version=version,
                status=status,
                last_refresh=now - timedelta(days=days) if days is not None else None,
            )
        envs[name] = env
    return envs


#: For each item (in ``ITEMS`` order): the requirement and process design codes it realises.
LINKS = [
    (["REQ-002"], ["PD-002"]),
    (["REQ-006"], ["PD-002"]),
    (["REQ-001"], ["PD-001", "PD-003"]),
    (["REQ-003"], ["PD-002"]),
    (["REQ-006", "REQ-007"], ["PD-002"]),
    (["REQ-008"], ["PD-004"]),
    (["REQ-004"], ["PD-001"]),
    (["REQ-007"], ["PD-002"]),
    (["REQ-008"], ["PD-004"]),
    (["REQ-003"], ["PD-002"]),
    ([], ["PD-001"]),
    (["REQ-004"], ["PD-001"]),
    (["REQ-010"], []),
    (["REQ-002"], ["PD-003"]),
]


def _links(project, index: int) -> dict:
    """The demo requirements and designs this item realises (those the other demos created), and the
    function descriptions of those requirements that call for a development item."""
    from phases.design.models import FunctionDescription, ProcessDesign
    from phases.discovery.models import Requirement

    requirement_codes, design_codes = LINKS[index] if index < len(LINKS) else ([], [])
    requirements = list(Requirement.objects.filter(project=project, code__in=requirement_codes))
    return {
        "requirements": requirements,
        "process_designs": list(ProcessDesign.objects.filter(project=project, code__in=design_codes)),
        "function_descriptions": list(
            FunctionDescription.objects.filter(
                project=project, requirement__in=requirements, kind=FunctionDescription.Kind.DEVELOPMENT
            )
        ),
    }


def seed(project, users) -> None:
    if project.development_items.exists():
        return
    consultant = users[Role.CONSULTANT]
    envs = _environments(project, consultant)
    items = []
    for index, (type_, title, status, who, env, complexity, days, interface, description) in enumerate(ITEMS):
        item = services.development_item_create(
            project=project,
            by=consultant,
            type=type_,
            title=title,
            description=description,
            assignee=users[who],
            target_environment=envs[env],
            complexity=complexity,
            estimate_days=Decimal(days),
            **_links(project, index),
            **interface,
        )
        for step in PATHS[status]:
            item = services.development_item_transition(item=item, by=consultant, to_status=step)
        items.append(item)
    ready = [i for i in items if i.status in services.TRANSPORTABLE]
    release = services.release_create(
        project=project,
        by=users[Role.PM],
        title="Sprint 3 → TEST: báo cáo, ngân hàng, tồn kho đầu kỳ",
        description="Transport of the dev-tested objects of sprint 3 into the test system for integration testing.",
        source_environment=envs["DEV"],
        target_environment=envs["TEST"],
        planned_date=timezone.localdate() - timedelta(days=3),
        items=ready,
    )
    services.release_transport(release=release, by=users[Role.PM])
