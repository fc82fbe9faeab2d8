"""Template helpers. Templates never compute permissions: they ask ``can``."""

from django import template

from projects.roles import Capability
from projects.roles import can as role_can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, project, capability_name: str) -> bool:
    """``{% can project "edit_content" as may_edit %}``: the request user's capability."""
    capability = Capability(f"projects.{capability_name}" if "." not in capability_name else capability_name)
    return role_can(context["request"].user, project, capability)


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


@register.filter
def audit_changes(entry) -> list[tuple[str, str, str]]:
    """``(field, old, new)`` rows of an audit entry; many-to-many changes read "+ a, b" / "− a"."""
    rows = []
    for field, change in (entry.changes_dict or {}).items():
        if isinstance(change, dict) and change.get("type") == "m2m":
            sign = "+" if change.get("operation") == "add" else "−"
            rows.append((field, "", f"{sign} {', '.join(map(str, change.get('objects', [])))}"))
        elif isinstance(change, list | tuple) and len(change) == 2:
            rows.append(
                (
                    field,
                    "∅" if change[0] in (None, "None", "") else str(change[0]),
                    "∅" if change[1] in (None, "None", "") else str(change[1]),
                )
            )
    return rows
