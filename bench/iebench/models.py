"""A Django target shaped like an ERP product master, for the django-import-export baseline.

Unique code (with the ``_like`` index Django adds for a unique CharField on PostgreSQL),
lookup indexes, and foreign keys to units, tax codes and vendors.
"""

from django.db import models


class Uom(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=64)

    def __str__(self):
        return self.code


class TaxCode(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=128)
    rate = models.DecimalField(max_digits=5, decimal_places=2)

    def __str__(self):
        return self.code


class Vendor(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255)

    def __str__(self):
        return self.code


class Product(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=100, blank=True, db_index=True)
    uom = models.ForeignKey(Uom, on_delete=models.PROTECT)
    price = models.DecimalField(max_digits=18, decimal_places=2)
    cost = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    barcode = models.CharField(max_length=13, blank=True, db_index=True)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, null=True, blank=True)
    tax_code = models.ForeignKey(TaxCode, on_delete=models.PROTECT)
    active = models.BooleanField(default=True)
    launch_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="iebench_product_price_gte_0"),
        ]

    def __str__(self):
        return self.code
