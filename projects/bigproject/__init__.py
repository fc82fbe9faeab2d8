"""One large, realistic project for measuring pages and endpoints at real size.

``generate(code=..., scale=1, seed=7)`` creates, in one transaction, a project in its
testing phase with every app's objects in realistic proportions and states (scale 1:
5,000 requirements, 2,000 development items, 20,000 test cases of 5 steps, 40,000
executions with their step results, 10,000 defects, and the rest to match), by bulk
inserts through the models. The same seed and scale give the same content (codes,
titles, states, links); only database ids and "today"-relative dates differ.

Each app's rows come from one module of this package, called in ``STEPS`` order with a
shared ``Context`` (``base.py``). The go-live and support apps have no models yet:
``golive.py`` and ``support.py`` are their hooks. ``manage.py make_big_project`` is the
command line; ``bench/README.md`` ("The big project") documents it.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from projects.bigproject import audit, datamigration, design, development, discovery, golive, plan, support, testing
from projects.bigproject.base import Context
from projects.bigproject.replace import project_tables, remove_project
from projects.models import Project

#: (name, generate(ctx)) in order: each step may read what the earlier ones left in ``ctx.shared``.
STEPS = [
    ("plan", plan.generate),
    ("discovery", discovery.generate),
    ("design", design.generate),
    ("development", development.generate),
    ("datamigration", datamigration.generate),
    ("testing", testing.generate),
    ("golive", golive.generate),
    ("support", support.generate),
    ("audit trail", audit.generate),
]


class ProjectExists(Exception):
    """The code is taken and ``replace`` was not asked for."""


def generate(
    *, code: str, scale: float = 1.0, seed: int = 7, replace: bool = False, password: str | None = None, out=None
) -> Context:
    """Create the big project; returns the context (``project``, ``counts``, ``timings``)."""
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        existing = Project.objects.filter(code=code).first()
        if existing is not None:
            if not replace:
                raise ProjectExists(code)
            t0 = time.perf_counter()
            removed = remove_project(existing)
            if out is not None:
                out.write(f"  removed the existing {code} ({removed:,} rows) in {time.perf_counter() - t0:.1f} s")
        project, users = plan.create_project(code=code, today=today, password=password, scale=scale, seed=seed)
        ctx = Context(project=project, scale=scale, seed=seed, today=today, users=users, out=out)
        ctx.counts["users"] = sum(len(members) for members in users.values())
        for name, step in STEPS:
            with ctx.step(name):
                step(ctx)
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        tables = sorted({model._meta.db_table for model, _path in project_tables()} | {"auditlog_logentry"})
        # Fresh planner statistics and visibility maps, as on a database in use where autovacuum
        # has run (without the map, counts cannot use index-only scans). VACUUM cannot run inside
        # a transaction (a test's): there, statistics only.
        command = "ANALYZE " if connection.in_atomic_block else "VACUUM (ANALYZE) "
        with connection.cursor() as cursor:
            cursor.execute(command + ", ".join(connection.ops.quote_name(t) for t in tables))
        ctx.timings["analyze"] = time.perf_counter() - t0
    ctx.timings["total"] = time.perf_counter() - started
    return ctx
