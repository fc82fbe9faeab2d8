"""Template helpers. Templates never compute permissions: they ask ``can``."""

from datetime import UTC

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from projects.roles import Capability
from projects.roles import can as role_can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, project, capability_name: str) -> bool:
    """``{% can project "edit_content" as may_edit %}``: the request user's capability."""
    capability = Capability(f"projects.{capability_name}" if "." not in capability_name else capability_name)
    return role_can(context["request"].user, project, capability)


@register.filter
def person_choice(user) -> str:
    """A person as a picker offers them: "Full Name (username)" (``projects.forms.person_label``)."""
    from projects.forms import person_label

    return person_label(user)


@register.filter
def percent_class(value: int) -> str:
    """A Bootstrap colour for a progress value."""
    value = int(value or 0)
    return "bg-success" if value >= 100 else "bg-info" if value >= 50 else "bg-primary"


@register.simple_tag
def project_nav(project, portal=False):
    """Links of every app's project pages, from ``AppConfig.nav_items`` (or ``portal_nav_items``).

    Each item is ``(title, url_name)``; the URL takes the project code.
    """
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    links = []
    for config in apps.get_app_configs():
        for title, url_name in getattr(config, "portal_nav_items" if portal else "nav_items", ()):
            try:
                links.append((title, reverse(url_name, args=[project.code])))
            except NoReverseMatch:
                continue
    return links


@register.filter
def bs(bound_field):
    """Render a form field with Bootstrap's classes (and ``is-invalid`` when it has errors)."""
    from django import forms

    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(
        widget, forms.CheckboxSelectMultiple
    ):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})


#: The action badge of an audit entry (django-auditlog's own labels have no Vietnamese).
AUDIT_ACTIONS = {
    0: pgettext_lazy("audit action", "Created"),
    1: pgettext_lazy("audit action", "Changed"),
    2: pgettext_lazy("audit action", "Deleted"),
    3: pgettext_lazy("audit action", "Viewed"),
}


@register.filter
def audit_action(entry) -> str:
    return str(AUDIT_ACTIONS.get(entry.action, entry.action))


def _audit_field(entry, name: str):
    """The model field an audit entry's change names, or ``None`` (a field since removed)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import FieldDoesNotExist

    model = ContentType.objects.get_for_id(entry.content_type_id).model_class() if entry.content_type_id else None
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _audit_value(field, value) -> str:
    """A recorded value as the pages show it: a choice's label, yes/no, "∅" for nothing."""
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if value in (None, "None", ""):
        return "∅"
    if field is not None and field.get_internal_type() == "BooleanField" and value in ("True", "False"):
        return str(_("Yes") if value == "True" else _("No"))
    if field is not None and field.get_internal_type() == "DateTimeField":
        moment = parse_datetime(str(value))  # recorded in UTC: shown in local time, as the pages do
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, UTC)
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return str(value)


@register.filter
def audit_changes(entry) -> list[tuple[str, str, str]]:
    """``(field, old, new)`` rows of an audit entry, the field by its (translated) verbose name
    and choices by their labels; many-to-many changes read "+ a, b" / "− a"."""
    rows = []
    for name, change in (entry.changes_dict or {}).items():
        field = _audit_field(entry, name)
        # An implicit verbose name ("phase") is the field's name: translated when the catalogue has it.
        label = capfirst(gettext(str(field.verbose_name))) if field is not None else name
        if isinstance(change, dict) and change.get("type") == "m2m":
            sign = "+" if change.get("operation") == "add" else "−"
            rows.append((label, "", f"{sign} {', '.join(map(str, change.get('objects', [])))}"))
        elif isinstance(change, list | tuple) and len(change) == 2:
            old, new = _audit_value(field, change[0]), _audit_value(field, change[1])
            rows.append((label, old, new))
    return rows
