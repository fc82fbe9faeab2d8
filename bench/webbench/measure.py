"""One request through Django's test client, in process: its queries, time, status, size.

A request longer than the timeout is cut off: SIGALRM interrupts it (Python code) and the
database's ``statement_timeout`` ends a query that runs past it; either way the route is
recorded as timed out (failing) and not repeated.
"""

from __future__ import annotations

import signal
import statistics
import time
from collections import deque
from dataclasses import dataclass, field

from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import CaptureQueriesContext

QUERIES_LOGGED = 1_000_000


class RouteTimeout(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` of the app swallows it."""


def _alarm(signum, frame):
    raise RouteTimeout


@dataclass
class Sample:
    status: int | None = None
    queries: int | None = None
    ms: float | None = None
    bytes: int = 0
    content_type: str = ""
    download: bool = False
    error: str = ""
    timeout: bool = False
    sql: list[str] = field(default_factory=list)


def set_statement_timeout(seconds: float) -> None:
    def apply(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    connection_created.connect(apply, weak=False)
    if connection.connection is not None:
        apply(None, connection)


def login(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def fetch(client: Client, url: str, *, timeout: float, keep_sql: bool = False) -> Sample:
    sample = Sample()
    if connection.queries_log.maxlen != QUERIES_LOGGED:  # Django keeps 9,000; a page may run more
        connection.queries_log = deque(maxlen=QUERIES_LOGGED)
    connection.queries_log.clear()  # the log outlives requests on a kept connection
    previous = signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                response.close()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            sample.ms = (time.perf_counter() - started) * 1000
        sample.status = response.status_code
        sample.bytes = len(body)
        sample.content_type = response.get("Content-Type", "").split(";")[0]
        sample.download = "attachment" in response.get("Content-Disposition", "")
    except RouteTimeout:
        sample.timeout, sample.ms, sample.error = True, (time.perf_counter() - started) * 1000, "timeout"
        connection.close()  # whatever the request was doing is abandoned
    except Exception as exc:  # any failure of the page is a result to report
        elapsed = (time.perf_counter() - started) * 1000
        sample.ms, sample.status = elapsed, 500
        sample.error = f"{type(exc).__name__}: {str(exc)[:300]}"
        if "statement timeout" in str(exc) or elapsed >= timeout * 1000 * 0.98:
            sample.timeout = True
        connection.close()
    finally:
        signal.signal(signal.SIGALRM, previous)
    if "captured" in locals():
        sample.queries = len(captured.captured_queries)
        if keep_sql:
            sample.sql = [q["sql"][:500] for q in captured.captured_queries]
    return sample


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
