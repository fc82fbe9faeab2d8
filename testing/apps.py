from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "testing"
    label = "testing"
    verbose_name = _("Testing")
    nav_items = [
        (_("Test cases"), "testing:case_list"),
        (_("Test cycles"), "testing:cycle_list"),
        (_("Defects"), "testing:defect_list"),
        (_("Load tests"), "testing:load_result_list"),
        (_("Traceability"), "testing:traceability"),
    ]
    portal_nav_items = [
        (_("UAT"), "testing-portal:uat_home"),
    ]

    def ready(self):
        from testing import audit

        audit.register_models()
