from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from projects import audit
        from projects.models import Membership

        audit.register_models()
        # A membership written during a request counts for the rest of that request.
        post_save.connect(_forget_roles, sender=Membership, dispatch_uid="forget-roles-on-save")
        post_delete.connect(_forget_roles, sender=Membership, dispatch_uid="forget-roles-on-delete")


def _forget_roles(**kwargs):
    from projects.roles import forget_roles

    forget_roles()
