"""API tokens of a user (stored hashed by knox)."""

from datetime import timedelta

from django.conf import settings
from knox.models import AuthToken

# --- API tokens (stored hashed by knox) ----------------------------------------------


def token_create(*, user, expiry_days: int | None = None) -> tuple[AuthToken, str]:
    ttl = timedelta(days=expiry_days) if expiry_days else settings.REST_KNOX["TOKEN_TTL"]
    return AuthToken.objects.create(user=user, expiry=ttl)


def token_revoke(*, user, token_key: str) -> int:
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted
