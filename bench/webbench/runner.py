"""Measuring every route as a firm user and a client user, on the big and the small project.

Per route and user: one request (its query count, and a warm-up), then up to ``runs`` timed
requests within ``budget`` seconds (a request slower than ``slow`` seconds counts as the
first timed run instead of a warm-up); for a paginated API list the queries at page size 10
and 100; on the small project the same route once, for its query count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.common import log
from bench.webbench.measure import fetch, login, median, percentile
from bench.webbench.objects import Picker, Unfillable
from bench.webbench.routes import Route

USERS = (("firm", "pm"), ("client", "key_user"))


@dataclass
class Options:
    runs: int = 5
    timeout: float = 30.0
    budget: float = 12.0
    slow: float = 1.0


class Seat:
    """One user on one project: the signed-in client and the picker of its rows."""

    def __init__(self, project, user):
        self.project, self.user = project, user
        self.client = login(user)
        self.picker = Picker(project, user)


def seats(project, kind_role: str):
    from projects.models import Membership

    membership = (
        Membership.objects.filter(project=project, role=kind_role)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if membership is None:
        raise SystemExit(f"project {project.code} has no member with the role {kind_role}")
    return Seat(project, membership.user)


def _with_query(url: str, extra: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{extra}"


def measure(route: Route, kind: str, seat: Seat, small: Seat | None, opts: Options) -> dict:
    row = {
        "key": route.key,
        "kind": route.kind,
        "name": route.name,
        "variant": route.variant,
        "template": route.template,
        "user": kind,
    }
    try:
        url = seat.picker.url(route)
    except Unfillable as exc:
        row["unfilled"] = str(exc)
        return row
    row["url"] = url
    first = fetch(seat.client, url, timeout=opts.timeout)
    row.update(
        status=first.status,
        queries=first.queries,
        bytes=first.bytes,
        content_type=first.content_type,
        download=first.download,
        error=first.error,
        timeout=first.timeout,
    )
    # The first request warms per-process caches (content types, templates): unless it was
    # slow enough to count as a run, its time and query count are left out.
    times, counts = [], []
    if first.timeout or first.error or first.ms >= opts.slow * 1000:
        times.append(first.ms)
        counts.append(first.queries)
    spent = first.ms / 1000
    while not (first.timeout or first.error) and len(times) < opts.runs and spent < opts.budget:
        sample = fetch(seat.client, url, timeout=opts.timeout)
        spent += sample.ms / 1000
        times.append(sample.ms)
        counts.append(sample.queries)
        if sample.timeout or sample.error:
            row.update(error=sample.error, timeout=sample.timeout)
            break
    row.update(
        queries=counts[-1] if counts else first.queries,
        queries_first=first.queries,
        queries_seen=sorted({c for c in counts if c is not None}),
        median_ms=median(times),
        p95_ms=percentile(times, 95),
        runs=len(times),
    )
    if route.paginated and first.status == 200:
        for size in (10, 100):
            sample = fetch(seat.client, _with_query(url, f"page_size={size}"), timeout=opts.timeout)
            row[f"queries_ps{size}"], row[f"ms_ps{size}"] = sample.queries, sample.ms
    if small is not None:
        try:
            small_url = small.picker.url(route)
        except Unfillable as exc:
            row["small_unfilled"] = str(exc)
        else:
            sample = fetch(small.client, small_url, timeout=opts.timeout)
            row.update(queries_small=sample.queries, status_small=sample.status, ms_small=sample.ms)
    return row


def run(routes: list[Route], big, small, opts: Options, only: str | None = None) -> list[dict]:
    pattern = re.compile(only) if only else None
    chosen = [r for r in routes if pattern is None or pattern.search(r.key) or pattern.search(r.template)]
    seats_big = {kind: seats(big, role) for kind, role in USERS}
    seats_small = {kind: seats(small, role) for kind, role in USERS} if small is not None else {}
    rows = []
    for index, route in enumerate(chosen, start=1):
        for kind, _role in USERS:
            row = measure(route, kind, seats_big[kind], seats_small.get(kind), opts)
            rows.append(row)
            if row.get("unfilled"):
                continue
            flag = " TIMEOUT" if row.get("timeout") else (f" ERROR {row['error'][:80]}" if row.get("error") else "")
            log(
                f"[{index}/{len(chosen)}] {kind:<6} {row['status']} q={row['queries']} "
                f"p95={row['p95_ms'] or 0:.0f}ms {route.key}{flag}"
            )
    return rows
