from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "phases.discovery"
    label = "discovery"
    verbose_name = _("Discovery & Planning")
    # One entry: the discovery pages have their own tabs (kick-off, requirements, RAID, ...).
    nav_items = [(_("Discovery"), "discovery:overview")]
    portal_nav_items = [(_("Discovery sign-off"), "discovery-portal:signoff")]

    def ready(self):
        from phases.discovery import audit

        audit.register_models()
