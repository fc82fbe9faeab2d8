"""django-import-export resource for the baseline: bulk options plus cached foreign-key lookups.

Bulk options as django-import-export documents them for large imports: ``use_bulk`` with
5,000-row batches, ``skip_diff``, and the ``CachedInstanceLoader`` (one query for existing
rows instead of one per row). Foreign keys are resolved through a dict loaded once per
import instead of one query per cell (the "cached foreign-key lookups").
"""

from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader
from import_export.widgets import ForeignKeyWidget

from bench.iebench.models import Product, TaxCode, Uom, Vendor


class CachedForeignKeyWidget(ForeignKeyWidget):
    """A ForeignKeyWidget that looks codes up in a dict filled with one query."""

    def __init__(self, model, field="code", **kwargs):
        super().__init__(model, field, **kwargs)
        self._cache = None

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        if self._cache is None:
            self._cache = {getattr(obj, self.field): obj for obj in self.model.objects.all()}
        try:
            return self._cache[value]
        except KeyError:
            raise self.model.DoesNotExist(f"{self.model.__name__} {value!r} does not exist") from None


class ProductResource(resources.ModelResource):
    uom = fields.Field(column_name="uom", attribute="uom", widget=CachedForeignKeyWidget(Uom))
    vendor = fields.Field(column_name="vendor_code", attribute="vendor", widget=CachedForeignKeyWidget(Vendor))
    tax_code = fields.Field(column_name="tax_code", attribute="tax_code", widget=CachedForeignKeyWidget(TaxCode))

    class Meta:
        model = Product
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "category",
            "uom",
            "price",
            "cost",
            "weight_kg",
            "barcode",
            "vendor",
            "tax_code",
            "active",
            "launch_date",
        )
        use_bulk = True
        batch_size = 5000
        skip_diff = True
        instance_loader_class = CachedInstanceLoader
