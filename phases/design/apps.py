from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    name = "phases.design"
    label = "design"
    verbose_name = _("Design")
    # One entry: the design pages have their own tabs (designs, functions, technical, coverage).
    nav_items = [(_("Design"), "design:design_list")]
    portal_nav_items = [(_("Design sign-off"), "design-portal:signoff_list")]

    def ready(self):
        from phases.design import audit

        audit.register_models()
