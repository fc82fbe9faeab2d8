"""What every step of the big-project generator shares: the context, sizes, bulk inserts.

``Context`` carries the project, its people by role, the scale, the seed, the project's
calendar and what one step hands to the next (``shared``). Rows are written with
``Context.bulk`` (``bulk_create`` in batches, timestamps given by the generator so a
project looks lived-in rather than created in one second).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone

BATCH = 2000


@contextmanager
def explicit_timestamps(model):
    """Let ``bulk_create`` keep the ``created_at`` / ``updated_at`` the generator set."""
    touched = []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.DateField) and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
            touched.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in touched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class Context:
    project: object
    scale: float
    seed: int
    today: date
    users: dict[str, list] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    shared: dict = field(default_factory=dict)
    out: object = None

    # --- sizes and randomness -------------------------------------------------------------
    def n(self, base: float, minimum: int = 1) -> int:
        """``base`` rows at scale 1, scaled; never fewer than ``minimum``."""
        return max(minimum, int(round(base * self.scale)))

    def rng(self, name: str) -> random.Random:
        """A random generator of its own per step, so steps stay deterministic one by one."""
        return random.Random(f"{self.seed}:{name}")

    # --- the calendar -----------------------------------------------------------------------
    @property
    def start(self) -> date:
        return self.project.planned_start

    def day(self, offset: int) -> date:
        """The project's day ``offset`` (0 = planned start)."""
        return self.start + timedelta(days=offset)

    def moment(self, rng: random.Random, first: date, last: date) -> datetime:
        """A working-hours moment between two dates (never after now)."""
        last = min(last, self.today)
        first = min(first, last)
        span = (last - first).days
        day = first + timedelta(days=rng.randint(0, span) if span > 0 else 0)
        naive = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
        moment = timezone.make_aware(naive)
        return min(moment, self.now)

    @property
    def now(self) -> datetime:
        return self.shared.setdefault("now", timezone.now())

    # --- people -------------------------------------------------------------------------------
    def pick(self, rng: random.Random, *roles: str):
        pool = [u for role in roles for u in self.users.get(role, [])]
        return rng.choice(pool)

    # --- writing ------------------------------------------------------------------------------
    def bulk(self, model, objs, *, label: str | None = None, batch: int = BATCH) -> list:
        """``bulk_create`` in batches, with the timestamps the generator gave (or now)."""
        objs = list(objs)
        names = {f.name for f in model._meta.concrete_fields}
        now = self.now
        for obj in objs:
            if "created_at" in names and obj.created_at is None:
                obj.created_at = now
            if "updated_at" in names and obj.updated_at is None:
                obj.updated_at = obj.created_at
        with explicit_timestamps(model):
            for start in range(0, len(objs), batch):
                model.objects.bulk_create(objs[start : start + batch], batch_size=batch)
        self.counts[label or model._meta.label] += len(objs)
        return objs

    def link(self, relation, pairs, *, label: str) -> int:
        """Rows of a many-to-many ``relation`` (e.g. ``Case.requirements``) from ``(a_id, b_id)`` pairs."""
        through = relation.through
        source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
        rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in dict.fromkeys(pairs)]
        for start in range(0, len(rows), BATCH * 5):
            through.objects.bulk_create(rows[start : start + BATCH * 5], batch_size=BATCH * 5)
        self.counts[label] += len(rows)
        return len(rows)

    def log(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message)

    @contextmanager
    def step(self, name: str):
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started
        self.log(f"  {name:<14} {self.timings[name]:6.1f} s")


def weighted(rng: random.Random, table: dict):
    """One key of ``{value: weight}``."""
    return rng.choices(list(table), weights=list(table.values()))[0]


def spread(rng: random.Random, total: int, table: dict) -> list:
    """``total`` values following the weights of ``table`` exactly (shuffled)."""
    weights = sum(table.values())
    values, placed = [], 0
    items = list(table.items())
    for index, (value, weight) in enumerate(items):
        count = total - placed if index == len(items) - 1 else int(round(total * weight / weights))
        count = max(0, min(count, total - placed))
        values += [value] * count
        placed += count
    rng.shuffle(values)
    return values


def codes(prefix: str, count: int, start: int = 1) -> list[str]:
    """``PREFIX-001`` ... as the app numbers them (``projects.codes.next_codes``)."""
    return [f"{prefix}-{n:03d}" for n in range(start, start + count)]
