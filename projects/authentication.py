"""API token authentication: knox's, refusing tokens that outlived a password change or the user.

A token is stamped with a fingerprint of the password it was issued under
(``projects.models.TokenStamp``). At every request the stamp is compared with the user's
password now, so a password changed by any door (profile, admin, ``changepassword``, a
reset, a raw update) kills the earlier tokens without a signal or a hook on each door. A
deactivated user's tokens are refused (knox) and, the first time one is shown, deleted.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from projects.services import tokens

TOKEN_OUTDATED = _("This token is no longer valid: the password changed or the account was closed. Sign in again.")


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token):
        if not tokens.token_is_current(auth_token):
            if auth_token.user.is_active:
                auth_token.delete()
            else:
                tokens.tokens_revoke_all(user=auth_token.user)
            raise exceptions.AuthenticationFailed(TOKEN_OUTDATED)
        return super().validate_user(auth_token)


class TokenScheme(KnoxTokenScheme):
    """The same OpenAPI security scheme as knox's own class (drf-spectacular matches by class)."""

    target_class = "projects.authentication.TokenAuthentication"
