"""FilterSets shared by the dashboard lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from datamigration.models import MasterDataObject, MigrationRun, RowError, StagedRecord, Upload
from projects.filters import ProjectField, SearchFilterMixin


class MasterDataObjectFilterSet(django_filters.FilterSet):
    project = ProjectField()
    name = django_filters.CharFilter()

    class Meta:
        model = MasterDataObject
        fields = ["project", "name"]


class UploadFilterSet(django_filters.FilterSet):
    project = ProjectField()
    object = django_filters.CharFilter(field_name="object__name", label=_("Object"))
    # ``file_format``, the name every download uses for csv/xlsx (never ``format``).
    file_format = django_filters.ChoiceFilter(field_name="format", choices=Upload.Format.choices, label=_("Format"))

    class Meta:
        model = Upload
        fields = ["project", "object", "file_format"]


class MigrationRunFilterSet(django_filters.FilterSet):
    project = ProjectField()
    object = django_filters.CharFilter(field_name="object__name", label=_("Object"))
    status = django_filters.MultipleChoiceFilter(choices=MigrationRun.Status.choices)
    mode = django_filters.ChoiceFilter(choices=MigrationRun.Mode.choices)
    cycle = django_filters.CharFilter()

    class Meta:
        model = MigrationRun
        fields = ["project", "object", "status", "mode", "cycle"]


class RowErrorFilterSet(django_filters.FilterSet):
    field = django_filters.CharFilter()
    kind = django_filters.ChoiceFilter(choices=RowError.Kind.choices)

    class Meta:
        model = RowError
        fields = ["field", "kind"]


class StagedRecordFilterSet(SearchFilterMixin, django_filters.FilterSet):
    project = ProjectField()
    object = django_filters.CharFilter(field_name="object__name", label=_("Object"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields = ("key",)

    class Meta:
        model = StagedRecord
        fields = ["project", "object"]


# --- the pages' filters (the run page, the records page) ------------------------------------


class RunErrorPageFilterSet(RowErrorFilterSet):
    """The run page's row-error filter: ``field`` is chosen among the object's fields."""

    def __init__(self, *args, field_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["field"] = django_filters.ChoiceFilter(
            field_name="field", label=_("Field"), choices=[(n, n) for n in field_names], empty_label=_("All fields")
        )
        self.filters["kind"].label = _("Kind")
        self.filters["kind"].extra["empty_label"] = _("All kinds")


class RecordSearchFilterSet(SearchFilterMixin, django_filters.FilterSet):
    """The records page of one object: search by key."""

    q = django_filters.CharFilter(method="search", label=_("Search key"))
    search_fields = ("key",)

    class Meta:
        model = StagedRecord
        fields = []
