from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "phases.development"
    label = "development"
    verbose_name = _("Development")
    nav_items = [
        (_("Development board"), "development:board"),
        (_("Development items"), "development:item_list"),
        (_("Environments"), "development:environment_list"),
        (_("Releases"), "development:release_list"),
    ]
    portal_nav_items = [(_("Development"), "development-portal:board")]

    def ready(self):
        from phases.development import audit

        audit.register_models()
