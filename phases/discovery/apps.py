from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "phases.discovery"
    label = "discovery"
    verbose_name = _("Discovery & Planning")
    nav_items = [
        (_("Discovery"), "discovery:overview"),
        (_("Requirements"), "discovery:requirement_list"),
    ]
    portal_nav_items = [(_("Discovery sign-off"), "discovery-portal:signoff")]

    def ready(self):
        from phases.discovery import audit

        audit.register_models()
