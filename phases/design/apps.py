from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    name = "phases.design"
    label = "design"
    verbose_name = _("Design")
    nav_items = [
        (_("Process designs"), "design:design_list"),
        (_("Function descriptions"), "design:function_list"),
        (_("Technical requirements"), "design:technical_list"),
        (_("Design coverage"), "design:coverage"),
    ]
    portal_nav_items = [(_("Design sign-off"), "design-portal:signoff_list")]

    def ready(self):
        from phases.design import audit

        audit.register_models()
