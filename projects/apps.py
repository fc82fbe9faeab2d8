from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from projects import audit
        from projects.models import Membership

        audit.register_models()
        # A membership written during a request counts for the rest of that request.
        post_save.connect(_forget_roles, sender=Membership, dispatch_uid="forget-roles-on-save")
        post_delete.connect(_forget_roles, sender=Membership, dispatch_uid="forget-roles-on-delete")
        # A closed account's tokens die with it: reopening the account does not revive them.
        post_save.connect(_revoke_tokens_of_closed_account, sender=get_user_model(), dispatch_uid="close-tokens")


def _forget_roles(**kwargs):
    from projects.roles import forget_roles

    forget_roles()


def _revoke_tokens_of_closed_account(instance, **kwargs):
    if not instance.is_active:
        from projects.services.tokens import tokens_revoke_all

        tokens_revoke_all(user=instance)
