from django.apps import AppConfig


class IeBenchConfig(AppConfig):
    """The django-import-export baseline's target models (benchmark only)."""

    name = "bench.iebench"
    label = "iebench"
    default_auto_field = "django.db.models.BigAutoField"
