"""Words the generator builds titles from: an ERP rollout for a Vietnamese manufacturer,
in English and Vietnamese, per business area."""

AREA_OBJECTS = {
    "finance": [
        "journal entries",
        "bank reconciliation",
        "VAT declaration",
        "fixed assets",
        "month-end close",
        "accounts payable",
        "accounts receivable",
        "cash flow report",
        "hóa đơn điện tử",
        "sổ cái tổng hợp",
        "báo cáo tài chính VAS",
        "tạm ứng nhân viên",
    ],
    "procurement": [
        "purchase requisitions",
        "purchase orders",
        "supplier quotations",
        "vendor evaluation",
        "goods receipt",
        "three-way matching",
        "đơn mua hàng",
        "báo giá nhà cung cấp",
        "hợp đồng khung",
    ],
    "sales": [
        "distributor orders",
        "price lists",
        "promotions",
        "credit limits",
        "delivery notes",
        "sales returns",
        "đơn bán hàng",
        "chiết khấu thương mại",
        "công nợ khách hàng",
    ],
    "inventory": [
        "stock transfers",
        "lot tracking",
        "expiry dates",
        "cycle counts",
        "warehouse locations",
        "FEFO picking",
        "phiếu nhập kho",
        "phiếu xuất kho",
        "kiểm kê kho",
    ],
    "manufacturing": [
        "bills of materials",
        "production orders",
        "routings",
        "material issues",
        "actual costing",
        "quality inspections",
        "lệnh sản xuất",
        "định mức nguyên vật liệu",
    ],
    "hr": ["employee records", "shift plans", "time attendance", "payroll export", "chấm công", "hồ sơ nhân sự"],
    "projects": ["project budgets", "timesheets", "milestone billing", "dự toán công trình"],
    "other": ["user roles", "document numbering", "approval workflows", "audit trail", "phân quyền người dùng"],
}

VERBS = [
    "Record",
    "Approve",
    "Post",
    "Print",
    "Track",
    "Report on",
    "Import",
    "Export",
    "Reconcile",
    "Validate",
    "Cancel",
    "Lập",
    "Duyệt",
    "Theo dõi",
    "In",
]

QUALIFIERS = [
    "per plant",
    "by warehouse",
    "with two-level approval",
    "in VND and USD",
    "for key accounts",
    "at month end",
    "by business unit",
    "with audit trail",
    "theo chi nhánh",
    "theo nhà máy",
    "hàng ngày",
    "",
    "",
]

SYSTEMS = [
    "Vietcombank host-to-host",
    "VNPT e-Invoice",
    "DMS.One",
    "Base.vn HR",
    "Shopee seller centre",
    "GHN shipping",
    "MISA (legacy)",
    "Zalo OA notifications",
    "Power BI",
]

PROTOCOLS = ["REST API (JSON)", "SOAP", "SFTP file", "EDI", "database link", "webhooks"]
FREQUENCIES = ["real time", "every 15 minutes", "hourly", "nightly batch", "weekly"]

FIRST_NAMES = ["Lan", "Minh", "Hùng", "Mai", "Đức", "Thảo", "Quang", "Hà", "Phúc", "Tuấn", "Bảo", "Linh", "Khoa"]
LAST_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh", "Ngô", "Dương"]

STEP_ACTIONS = [
    ("Open the {obj} screen", "The list of {obj} is shown"),
    ("Create a new record with the test data", "The record is saved as draft"),
    ("Submit it for approval", "The approver sees it in the to-do list"),
    ("Approve as the department head", "Status changes to approved"),
    ("Post the document", "Accounting entries are generated"),
    ("Print the document", "The layout shows logo, tax id and address"),
    ("Check the report", "Totals match the posted documents"),
    ("Mở màn hình {obj}", "Danh sách {obj} hiển thị đúng"),
    ("Xác nhận chứng từ", "Chứng từ chuyển sang trạng thái đã duyệt"),
]

RISKS = [
    "Opening stock differs from the physical count",
    "Key users unavailable during Tết",
    "Legacy data quality is poor",
    "Interface partner delays the sandbox",
    "Budget overrun on licences",
    "Dữ liệu khách hàng trùng lặp",
    "Network at the plant is unstable",
    "Scope creep on reports",
]


def title(rng, area: str) -> str:
    obj = rng.choice(AREA_OBJECTS.get(area, AREA_OBJECTS["other"]))
    qualifier = rng.choice(QUALIFIERS)
    return f"{rng.choice(VERBS)} {obj} {qualifier}".strip()


def person(rng) -> str:
    return f"{rng.choice(LAST_NAMES)} {rng.choice(['Văn', 'Thị', 'Minh', 'Quốc', 'Thu'])} {rng.choice(FIRST_NAMES)}"
