from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatamigrationConfig(AppConfig):
    name = "datamigration"
    label = "datamigration"
    verbose_name = _("Master data migration")
