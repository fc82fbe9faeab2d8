"""API tokens of a user (stored hashed by knox), each stamped with the password it was issued under."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from knox.models import AuthToken

from projects.models import TokenStamp

# --- API tokens (stored hashed by knox) ----------------------------------------------


def password_fingerprint(user) -> str:
    """A digest of the user's password hash: it changes whenever the password does, by any door."""
    return hashlib.sha256(f"erpimpl.token-stamp:{user.password}".encode()).hexdigest()


def token_create(*, user, expiry_days: int | None = None) -> tuple[AuthToken, str]:
    ttl = timedelta(days=expiry_days) if expiry_days else settings.REST_KNOX["TOKEN_TTL"]
    with transaction.atomic():
        instance, token = AuthToken.objects.create(user=user, expiry=ttl)
        TokenStamp.objects.create(token=instance, password=password_fingerprint(user))
    return instance, token


def token_is_current(auth_token: AuthToken) -> bool:
    """True while the token's user is active and has the password the token was issued under."""
    user = auth_token.user
    if not user.is_active:
        return False
    stamp = TokenStamp.objects.filter(token=auth_token).values_list("password", flat=True).first()
    return stamp == password_fingerprint(user)


def token_revoke(*, user, token_key: str) -> int:
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted


def tokens_revoke_all(*, user) -> int:
    """Delete every token of the user (a dead token is removed, not kept refusable)."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted
