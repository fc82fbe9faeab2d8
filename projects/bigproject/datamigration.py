"""Master data migration: the built-in objects, then real uploads and runs through the
services and the engine (run inline, as ``seed_demo`` does): units, tax codes, vendors and
products loaded (a few rows refused), customers validated with errors to fix."""

from __future__ import annotations

import csv
import io

from django.core.files.base import ContentFile

from datamigration import services
from datamigration.models import MasterDataObject
from projects.bigproject.base import Context
from projects.roles import Role

UOM = [("PCS", "Cái"), ("BOX", "Hộp"), ("KG", "Kilôgam"), ("SET", "Bộ"), ("CTN", "Thùng"), ("L", "Lít"), ("M", "Mét")]
TAXES = [
    ("VAT0", "Thuế GTGT 0%", "0"),
    ("VAT5", "Thuế GTGT 5%", "5"),
    ("VAT8", "Thuế GTGT 8%", "8"),
    ("VAT10", "Thuế GTGT 10%", "10"),
]
PARTNER_HEADER = [
    "code",
    "name",
    "tax_id",
    "address",
    "province",
    "country",
    "phone",
    "email",
    "payment_terms",
    "currency",
    "credit_limit",
    "active",
]
PRODUCT_HEADER = [
    "code",
    "name",
    "category",
    "uom",
    "price",
    "cost",
    "weight_kg",
    "barcode",
    "vendor_code",
    "tax_code",
    "active",
    "launch_date",
]


def _csv(header, rows) -> ContentFile:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ContentFile(text.getvalue().encode("utf-8"))


def _ean13(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _partners(rng, prefix: str, count: int, dirty: float):
    rows = []
    for index in range(1, count + 1):
        row = [
            f"{prefix}{index:06d}",
            f"Công ty TNHH {rng.choice(['Sao Mai', 'Phú Thịnh', 'Đại Phát', 'Kim Ngân', 'Minh Phát'])} {index}",
            f"0{rng.randint(100000000, 999999999)}",
            f"{rng.randint(1, 300)} Lê Lợi",
            rng.choice(["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Cần Thơ"]),
            "VN",
            f"09{rng.randint(10000000, 99999999)}",
            f"contact{index}@example.vn",
            rng.choice(["NET15", "NET30", "NET45", "COD"]),
            "VND",
            str(rng.randint(0, 2000) * 1000000),
            "true",
        ]
        if rng.random() < dirty:  # the usual mistakes: a short tax id, a country name, a bad e-mail
            column, value = rng.choice([(2, "01234"), (5, "VIETNAM"), (7, "khong-phai-email"), (8, "NET99")])
            row[column] = value
        rows.append(row)
    return rows


def _products(rng, count: int, vendors: int, dirty: float):
    rows = []
    for index in range(1, count + 1):
        price = rng.randint(5, 5000) * 1000
        row = [
            f"SP{index:07d}",
            f"{rng.choice(['Cà phê', 'Nước mắm', 'Bánh quy', 'Sữa tươi', 'Mì gói'])} loại {index % 50}",
            rng.choice(["Đồ uống", "Gia vị", "Bánh kẹo", "Sữa"]),
            rng.choice(UOM)[0],
            str(price),
            str(int(price * 0.7)),
            f"{rng.randint(1, 5000) / 1000:.3f}",
            _ean13(f"893{rng.randint(100000000, 999999999)}"),
            f"NCC{rng.randint(1, vendors):06d}",
            rng.choice(TAXES)[0],
            "true",
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ]
        if rng.random() < dirty:
            column, value = rng.choice([(3, "XYZ"), (4, "-5"), (7, "8931234567890"), (11, "2025-02-30")])
            row[column] = value
        rows.append(row)
    return rows


def _run(ctx: Context, name: str, content: ContentFile, filename: str, *, by, mode: str, cycle: str = "mock1"):
    obj = MasterDataObject.objects.get(project=ctx.project, name=name)
    upload = services.upload_create(project=ctx.project, object=obj, by=by, file=content, original_name=filename)
    run = services.migration_run_start(upload=upload, by=by, mode=mode, cycle=cycle, workers=1)
    claimed, token = services.migration_run_claim(run_id=run.pk, worker="make_big_project")
    run = services.migration_run_execute(run=claimed, token=token) if claimed else run
    ctx.counts["master data runs"] += 1
    ctx.counts["master data rows read"] += run.total_rows or 0
    return run


def generate(ctx: Context) -> None:
    rng = ctx.rng("datamigration")
    services.builtin_objects_ensure(project=ctx.project)
    ctx.counts["master data objects"] = MasterDataObject.objects.filter(project=ctx.project).count()
    consultant, key_user = ctx.users[Role.CONSULTANT][0], ctx.users[Role.KEY_USER][0]
    vendors = ctx.n(2000, minimum=5)
    _run(ctx, "uom", _csv(["code", "name"], UOM), "don-vi-tinh.csv", by=consultant, mode="load")
    _run(ctx, "tax_codes", _csv(["code", "name", "rate"], TAXES), "ma-thue.csv", by=consultant, mode="load")
    vendor_file = _csv(PARTNER_HEADER, _partners(rng, "NCC", vendors, 0.015))
    _run(ctx, "vendors", vendor_file, "nha-cung-cap.csv", by=key_user, mode="validate")
    vendor_file.seek(0)
    _run(ctx, "vendors", vendor_file, "nha-cung-cap.csv", by=consultant, mode="load")
    customers = _csv(PARTNER_HEADER, _partners(rng, "KH", ctx.n(5000, minimum=5), 0.03))
    _run(ctx, "customers", customers, "khach-hang.csv", by=key_user, mode="validate", cycle="mock2")
    products = _csv(PRODUCT_HEADER, _products(rng, ctx.n(10000, minimum=5), vendors, 0.01))
    _run(ctx, "products", products, "san-pham.csv", by=consultant, mode="load", cycle="mock2")
