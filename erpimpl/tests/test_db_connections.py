"""Database connections: the web server holds none for a client between its requests.

The development server (``make run``) answers each client connection on a thread of its
own; with persistent connections (``CONN_MAX_AGE`` > 0) every open browser or API session
kept a PostgreSQL connection, and after ~1,700 requests the database refused new clients.
Persistent connections are for servers that reuse their threads (gunicorn), asked for with
``DB_CONN_MAX_AGE``.
"""

import http.client
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

CLIENTS = 12


def _settings_database(env: dict) -> dict:
    """``DATABASES["default"]`` as a fresh process with ``env`` configures it."""
    base = {k: v for k, v in os.environ.items() if k not in ("DB_CONN_MAX_AGE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({k: db[k] for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "erpimpl.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_connections_are_not_kept_unless_asked_for_and_are_health_checked():
    assert _settings_database({}) == {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": True}
    assert _settings_database({"DB_CONN_MAX_AGE": "60"}) == {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_open_client_sessions_hold_no_database_connection_between_requests(live_server):
    """Clients that keep their HTTP connection open (keep-alive) hold no database connection."""
    before = _backends()
    url = urlsplit(live_server.url)
    sessions = [http.client.HTTPConnection(url.hostname, url.port, timeout=30) for _ in range(CLIENTS)]
    try:
        for _ in range(3):
            for session in sessions:
                session.request("GET", "/healthz")
                response = session.getresponse()
                body = json.loads(response.read())
                assert body["database"]["ok"], body
                assert response.getheader("Connection", "").lower() != "close", "the session stays open"
        held = _backends() - before
    finally:
        for session in sessions:
            session.close()

    assert held <= 1, f"{held} database connections held by {CLIENTS} idle client sessions"
