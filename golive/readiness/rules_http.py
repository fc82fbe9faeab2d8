"""Calling a production environment's URL for the go-live check, from a worker.

Only ``http`` and ``https``; a timeout on connecting and on each read; redirects followed by
hand, at most ``MAX_REDIRECTS`` and only to the same host (a redirect elsewhere is a failure,
not a request to a host nobody recorded); the body is never read. Whatever goes wrong
(refused, unknown host, timeout, TLS, a 4xx/5xx answer) comes back as a failure with its
reason: a check never raises.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.utils.translation import gettext_lazy as _

MAX_REDIRECTS = 3
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
SCHEMES = frozenset({"http", "https"})
USER_AGENT = "erpimpl-readiness-check"


@dataclass(frozen=True)
class Health:
    ok: bool
    status: int | None  # the last HTTP status answered, if any
    reason: str  # what happened, in words


def _cause(exc: BaseException) -> str:
    """A connection failure in a few words: refused, unknown host, TLS, or the error's name."""
    seen = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return str(_("connection refused"))
        if isinstance(seen, socket.gaierror) or type(seen).__name__ == "NameResolutionError":
            return str(_("host not found"))
        if isinstance(seen, ssl.SSLError):
            return str(_("TLS error"))
        seen = seen.__cause__ or seen.__context__
    return str(_("could not connect"))


def _host(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower()


def check_url(url: str, *, timeout: float) -> Health:
    """GET ``url`` and say whether it answered 2xx (after same-host redirects)."""
    scheme, host = _host(url)
    if scheme not in SCHEMES or not host:
        return Health(False, None, str(_("only http and https addresses are checked")))
    session = requests.Session()
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = session.get(
                    url,
                    allow_redirects=False,
                    timeout=(timeout, timeout),
                    stream=True,
                    headers={"User-Agent": USER_AGENT},
                )
            except requests.Timeout:
                return Health(False, None, str(_("no answer within %(s)s s") % {"s": f"{timeout:g}"}))
            except requests.ConnectionError as exc:
                return Health(False, None, _cause(exc))
            except (requests.RequestException, ValueError) as exc:
                return Health(False, None, str(_("invalid address (%(error)s)") % {"error": type(exc).__name__}))
            status = response.status_code
            location = response.headers.get("Location", "")
            response.close()
            if 200 <= status < 300:
                return Health(True, status, str(_("answered HTTP %(status)s") % {"status": status}))
            if status not in REDIRECT_CODES or not location:
                return Health(False, status, str(_("answered HTTP %(status)s") % {"status": status}))
            target = urljoin(url, location)
            next_scheme, next_host = _host(target)
            if next_scheme not in SCHEMES or next_host != host:
                return Health(
                    False, status, str(_("redirects to another host (%(host)s)") % {"host": next_host or target})
                )
            url = target
        return Health(False, status, str(_("more than %(n)s redirects") % {"n": MAX_REDIRECTS}))
    finally:
        session.close()
