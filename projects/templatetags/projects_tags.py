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
