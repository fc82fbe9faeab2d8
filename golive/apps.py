from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoliveConfig(AppConfig):
    name = "golive"
    label = "golive"
    verbose_name = _("Deployment (go-live)")

    def ready(self):
        from golive import audit, services
        from projects.services import project_setup_register

        audit.register_models()
        project_setup_register(services.criteria_seed)
