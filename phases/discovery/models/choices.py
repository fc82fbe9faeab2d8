"""Choice sets shared by several discovery models (and read by design/testing)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessArea(models.TextChoices):
    FINANCE = "finance", _("Finance")
    PROCUREMENT = "procurement", _("Procurement")
    SALES = "sales", _("Sales")
    INVENTORY = "inventory", _("Inventory")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HR = "hr", _("HR")
    PROJECTS = "projects", _("Projects")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
