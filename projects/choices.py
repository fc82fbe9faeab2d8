"""Pickers that stay fast on a project of realistic size.

A form that offers a project's requirements, test cases or development items as a select
rendered every one of them: 5,000 requirements or 20,000 cases made an edit page take one
to three seconds. ``choose_by_code`` keeps the select while the choice is short, and turns
the field into a box for codes (``REQ-0001``, or several separated by commas) once there
are more than ``SELECT_LIMIT``. The choices are the same either way (the field's queryset):
a code of another project, or one that does not exist, is refused with the field's error.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

#: Above this many choices a picker becomes a box for codes.
SELECT_LIMIT = 200

_SEPARATORS = re.compile(r"[\s,;]+")
UNKNOWN_CODE = _("“%(value)s” is not a code of this project.")
UNKNOWN_NUMBER = _("“%(value)s” is not a number on this project's list.")


class CodesInput(forms.TextInput):
    """Several codes in one box, separated by commas, semicolons, spaces or new lines."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name) or ""]
        return [code for value in values for code in _SEPARATORS.split(str(value).strip()) if code]

    def format_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value if v not in (None, ""))
        return str(value)


def choose_by_code(
    field: forms.ModelChoiceField, queryset, *, code_field: str = "code", limit: int = SELECT_LIMIT, hint=None
):
    """Give ``field`` its ``queryset``; past ``limit`` choices, take codes instead of a select.

    Works for ``ModelChoiceField`` and ``ModelMultipleChoiceField`` (a ModelForm's generated
    fields included). One query (a bounded count) decides. Rows without a code are chosen by
    number (``code_field="pk"``), with a ``hint`` saying where the numbers are shown.
    """
    field.queryset = queryset
    if queryset.order_by()[: limit + 1].count() <= limit:
        return field
    attrs = {"class": "form-control", "autocomplete": "off", "spellcheck": "false"}
    field.to_field_name = code_field
    if isinstance(field, forms.ModelMultipleChoiceField):
        field.widget = CodesInput(attrs=attrs)
        hint = hint or _("Type the codes, separated by commas.")
    else:
        field.widget = forms.TextInput(attrs=attrs)
        hint = hint or _("Type the code.")
    field.help_text = f"{field.help_text} {hint}".strip() if field.help_text else hint
    unknown = UNKNOWN_NUMBER if code_field == "pk" else UNKNOWN_CODE
    field.error_messages = {
        **field.error_messages,
        "invalid_choice": unknown,
        "invalid_pk_value": unknown.replace("%(value)s", "%(pk)s"),
    }
    return field
