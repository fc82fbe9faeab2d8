from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoliveConfig(AppConfig):
    name = "golive"
    label = "golive"
    verbose_name = _("Deployment (go-live)")
