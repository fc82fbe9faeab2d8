from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "testing"
    label = "testing"
    verbose_name = _("Testing")
    # One entry: the testing pages have their own tabs (cases, cycles, defects, load, traceability).
    nav_items = [(_("Testing"), "testing:cycle_list")]
    portal_nav_items = [
        (_("UAT"), "testing-portal:uat_home"),
    ]

    def ready(self):
        from projects.services import signoff_check_register
        from testing import audit
        from testing.services.signoff import cycle_signoff_check

        audit.register_models()
        signoff_check_register("testing.cycle", cycle_signoff_check)
