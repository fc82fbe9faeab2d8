from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "phases.development"
    label = "development"
    verbose_name = _("Development")
    nav_items = [(_("Development"), "development:board")]
    portal_nav_items = [(_("Development"), "development-portal:board")]

    def ready(self):
        from phases.development import audit

        audit.register_models()
