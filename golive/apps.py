from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoliveConfig(AppConfig):
    name = "golive"
    label = "golive"
    verbose_name = _("Deployment (go-live)")
    # One entry: the go-live pages share their tabs (readiness, criteria, cutover, go/no-go,
    # support plan, training, user guides: templates/golive/_tabs.html).
    nav_items = [(_("Go-live"), "golive:readiness")]
    portal_nav_items = [
        (_("Go-live readiness"), "golive-portal:readiness"),
        (_("Go/no-go"), "golive-portal:decision_home"),
        (_("My cutover tasks"), "golive-portal:cutover_my_tasks"),
        (_("My training"), "golive-portal:my_training"),
        (_("User guides"), "golive-portal:guides"),
        (_("Support plan"), "golive-portal:support_plan"),
    ]

    def ready(self):
        from golive import audit, services
        from golive.services.decisions import decision_signoff_check
        from projects.services import project_setup_register, signoff_check_register

        audit.register_models()
        project_setup_register(services.criteria_seed)
        signoff_check_register("golive.gonogodecision", decision_signoff_check)
