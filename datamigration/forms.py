from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from datamigration import conf
from datamigration.models import MAX_RUN_WORKERS, MigrationRun

ENCODINGS = [
    ("", _("Detect automatically")),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", _("UTF-8 with BOM")),
    ("utf-16", "UTF-16"),
    ("cp1258", _("Windows-1258 (Vietnamese)")),
    ("cp1252", _("Windows-1252 (Western)")),
    ("latin-1", _("ISO-8859-1 (Latin-1)")),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), allow_empty_file=True)
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS, required=False)
    sheet = forms.CharField(label=_("Sheet (XLSX)"), required=False, help_text=_("Empty: the first sheet."))
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=1000, initial=1)


class EncodingForm(forms.Form):
    """Read a CSV upload again in another encoding."""

    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, upload, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore —"))] + [(f.name, f.name) for f in upload.object.fields.order_by("order")]
        self.columns = []
        for index, header in enumerate(upload.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("(no header)"),
                choices=choices,
                required=False,
                initial=upload.mapping.get(header, ""),
            )
            self.columns.append((name, header))
        self.fields["version"].initial = upload.version

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data[name] for name, header in self.columns if self.cleaned_data.get(name)}


class RunStartForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=MigrationRun.Mode.choices, initial=MigrationRun.Mode.VALIDATE)
    cycle = forms.RegexField(
        label=_("Cycle"),
        regex=r"^(mock[1-9][0-9]?|final)$",
        initial="mock1",
        required=False,
        help_text=_("mock1, mock2, ... or final"),
    )
    workers = forms.IntegerField(
        label=_("Workers"),
        min_value=1,
        max_value=MAX_RUN_WORKERS,
        required=False,
        help_text=_("How many workers may process the file's chunks at once; each needs a free worker process."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if connection.vendor == "postgresql":
            self.fields["workers"].initial = conf.run_workers()
        else:  # splitting a run needs PostgreSQL
            del self.fields["workers"]


class ObjectForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=64, help_text=_("Used in files and the API, e.g. warehouses."))
    label = forms.CharField(label=_("Label"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    key_field = forms.SlugField(label=_("Natural key field"), max_length=64, initial="code")


class FieldForm(forms.Form):
    name = forms.SlugField(label=_("Name"), max_length=64)
    type = forms.ChoiceField(label=_("Type"), choices=[])
    required = forms.BooleanField(label=_("Required"), required=False)
    max_length = forms.IntegerField(label=_("Max length"), required=False, min_value=1)
    min_value = forms.DecimalField(label=_("Min value"), required=False)
    max_value = forms.DecimalField(label=_("Max value"), required=False)
    regex = forms.CharField(label=_("Pattern (regular expression)"), required=False, max_length=255)
    choices = forms.CharField(label=_("Allowed values (comma-separated)"), required=False)
    reference_object = forms.ChoiceField(label=_("References object"), required=False, choices=[])
    example = forms.CharField(label=_("Example"), required=False, max_length=255)

    def __init__(self, *args, objects=(), **kwargs):
        from datamigration.models import FieldDefinition

        super().__init__(*args, **kwargs)
        self.fields["type"].choices = FieldDefinition.Type.choices
        self.fields["reference_object"].choices = [("", "—")] + [(o.name, o.label) for o in objects]

    def clean_regex(self):
        import re

        value = self.cleaned_data["regex"]
        try:
            re.compile(value)
        except re.error as exc:
            raise forms.ValidationError(_("Not a valid regular expression: %(error)s") % {"error": exc}) from None
        return value

    def clean_choices(self):
        return [c.strip() for c in self.cleaned_data["choices"].split(",") if c.strip()]
