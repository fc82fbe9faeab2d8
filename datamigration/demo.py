"""Demo content: built-in objects, units and tax codes loaded, and a vendors file validated
with a few errors for the key user to fix (``manage.py seed_demo``; idempotent)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from datamigration import services
from datamigration.models import MasterDataObject, MigrationRun
from projects.roles import Role

VENDORS = """code,name,tax_id,address,province,country,phone,email,payment_terms,currency,credit_limit,active
NCC000001,Công ty TNHH Thương mại Sao Mai,0101234567,12 Lê Lợi,Hà Nội,VN,0912345678,lienhe@saomai.vn,NET30,VND,500000000,true
NCC000002,Công ty Cổ phần Sản xuất Phú Thịnh,0301234568-001,45 Nguyễn Huệ,TP. Hồ Chí Minh,VN,0987654321,ketoan@phuthinh.vn,NET45,VND,1200000000,true
NCC000003,Doanh nghiệp tư nhân Đại Phát,01234,8 Trần Hưng Đạo,Đà Nẵng,VN,0905111222,daiphat@daiphat.vn,COD,VND,0,true
NCC000004,Công ty TNHH MTV Kim Ngân,0401234569,90 Hai Bà Trưng,Hải Phòng,VIETNAM,0936000111,khong-phai-email,NET60,USD,200000000,false
NCC000002,Công ty TNHH Xuất nhập khẩu Đông Á,0501234570,3 Lý Thường Kiệt,Cần Thơ,VN,0939888777,info@donga.vn,NET15,VND,300000000,true
NCC000006,Tokyo Parts Co.,,1-2-3 Shibuya,Tokyo,JP,+81312345678,sales@tokyoparts.jp,NET30,JPY,10000000,true
"""


def _csv(rows) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")


def _run_inline(upload, by, mode, cycle="mock1") -> MigrationRun:
    run = services.migration_run_start(upload=upload, by=by, mode=mode, cycle=cycle)
    claimed, token = services.migration_run_claim(run_id=run.pk, worker="seed_demo")
    return services.migration_run_execute(run=claimed, token=token) if claimed else run


def _upload(project, name, content: bytes, filename, by):
    obj = MasterDataObject.objects.get(project=project, name=name)
    file = SimpleUploadedFile(filename, content)
    return services.upload_create(project=project, object=obj, by=by, file=file, original_name=filename)


def seed(project, users):
    services.builtin_objects_ensure(project=project)
    if MigrationRun.objects.filter(project=project).exists():
        return
    consultant, key_user = users[Role.CONSULTANT], users[Role.KEY_USER]
    uom = [["code", "name"], ["PCS", "Cái"], ["BOX", "Hộp"], ["KG", "Kilôgam"], ["SET", "Bộ"], ["CTN", "Thùng"]]
    taxes = [["code", "name", "rate"], ["VAT0", "Thuế GTGT 0%", "0"], ["VAT5", "Thuế GTGT 5%", "5"]]
    taxes += [["VAT8", "Thuế GTGT 8%", "8"], ["VAT10", "Thuế GTGT 10%", "10"], ["EXEMPT", "Không chịu thuế", "0"]]
    _run_inline(_upload(project, "uom", _csv(uom), "don-vi-tinh.csv", consultant), consultant, "load")
    _run_inline(_upload(project, "tax_codes", _csv(taxes), "ma-thue.csv", consultant), consultant, "load")
    vendors = _upload(project, "vendors", VENDORS.encode("utf-8"), "nha-cung-cap.csv", key_user)
    _run_inline(vendors, key_user, "validate")
