"""Sign-in with a brake on password guessing, for the login page and the API token door alike.

Every attempt is recorded in the database as a ``LoginFailure`` BEFORE the password is
checked, then counted per account and per client address over a sliding window
(``LOGIN_FAILURE_WINDOW_MINUTES``): past ``LOGIN_FAILURES_PER_ACCOUNT`` failures for the
account, or ``LOGIN_FAILURES_PER_ADDRESS`` from the address, the attempt is refused without
looking at the password (``LoginLocked``) and its row removed. Recording first means that
concurrent attempts, in any number of web processes, never get more password checks than the
limit. A successful sign-in removes the account's failures; the others age out.

The client address is the connection's (``REMOTE_ADDR``); ``X-Forwarded-For`` is read only
when the connection comes from a proxy listed in ``TRUSTED_PROXIES``.
"""

import ipaddress
import logging
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import ngettext

from projects.models import LoginFailure

logger = logging.getLogger(__name__)


class LoginLocked(Exception):
    """Too many failed sign-ins for the account or from the address; ``retry_after`` until free."""

    def __init__(self, retry_after: timedelta):
        super().__init__(f"sign-in locked for {retry_after}")
        self.retry_after = retry_after

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds()))

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Too many failed sign-ins; try again in %(minutes)d minute.",
            "Too many failed sign-ins; try again in %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted_proxy(address) -> bool:
    return address is not None and any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_address(request) -> str | None:
    """The client's IP: the connection's, or, behind a trusted proxy, the last untrusted hop it forwards."""
    address = _ip(request.META.get("REMOTE_ADDR", ""))
    if not _is_trusted_proxy(address):
        return str(address) if address is not None else None
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):  # the right-most entries were written by our own proxies
        forwarded = _ip(hop)
        if forwarded is None:
            break  # garbage from a hop we trust no further: keep the last address we could vouch for
        address = forwarded
        if not _is_trusted_proxy(forwarded):
            break
    return str(address)


def account_key(username: str) -> str:
    """How an account is counted: case and surrounding blanks do not make a new account to guess."""
    return username.strip().casefold()[: LoginFailure._meta.get_field("username").max_length]


def _locked_for(failures, limit: int, now) -> timedelta | None:
    """How long ``failures`` (a queryset) stay at or above ``limit`` within the window, or None."""
    times = list(failures.filter(at__gt=now - _window()).order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    # The count falls below the limit once the limit-th newest failure leaves the window.
    return max(times[-1] + _window() - now, timedelta(seconds=1))


def _lockout(account: str, address: str | None, now, *, exclude=None) -> timedelta | None:
    failures = LoginFailure.objects.exclude(pk=exclude) if exclude else LoginFailure.objects.all()
    waits = [
        _locked_for(failures.filter(username=account), settings.LOGIN_FAILURES_PER_ACCOUNT, now),
        _locked_for(failures.filter(address=address), settings.LOGIN_FAILURES_PER_ADDRESS, now),
    ]
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def login_attempt(request, *, username: str, password: str):
    """``authenticate()`` behind the brake: the user, or None for wrong credentials.

    Raises ``LoginLocked`` (the password is not checked) while the account or the client
    address is over its limit. The one door for every sign-in with a password.
    """
    account, address, now = account_key(username), client_address(request), timezone.now()
    LoginFailure.objects.filter(at__lte=now - _window()).delete()
    attempt = LoginFailure.objects.create(username=account, address=address, at=now)
    wait = _lockout(account, address, now, exclude=attempt.pk)
    if wait is not None:
        attempt.delete()
        logger.info(
            "Sign-in refused (locked out): account %r from %s, %ds left", account, address, wait.total_seconds()
        )
        raise LoginLocked(wait)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        LoginFailure.objects.filter(username=account).delete()
        return user
    wait = _lockout(account, address, now)
    if wait is not None:
        logger.warning(
            "Sign-in locked out after repeated failures: account %r from %s, for %d min",
            account,
            address,
            math.ceil(wait.total_seconds() / 60),
        )
    return None
