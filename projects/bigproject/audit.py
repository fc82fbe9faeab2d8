"""The audit trail the generated work would have left: a "create" entry for each main row of
every app and "update" entries for the defects' status moves, written in bulk with the
project id and internal flag every entry carries (``projects.audit``)."""

from __future__ import annotations

from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from projects.bigproject.base import Context
from projects.roles import Role
from testing.models import Defect

#: ``ctx.shared`` key of the rows → the fields their "create" entry records
TRAILS = {
    "requirements": ("code", "title", "status"),
    "designs": ("code", "name"),
    "development_items": ("code", "title", "status"),
    "cases": ("code", "title", "type"),
    "defects": ("code", "title", "status", "severity"),
}


def generate(ctx: Context) -> None:
    rng = ctx.rng("audit")
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    entries = []
    for key, fields in TRAILS.items():
        rows = ctx.shared.get(key, [])
        if not rows:
            continue
        content_type = ContentType.objects.get_for_model(type(rows[0]))
        for row in rows:
            actor = getattr(row, "reported_by", None) or getattr(row, "owner", None) or rng.choice(firm)
            entries.append(
                _entry(
                    ctx,
                    content_type,
                    row,
                    LogEntry.Action.CREATE,
                    row.created_at,
                    actor,
                    {f: ["None", str(getattr(row, f))] for f in fields},
                )
            )
    defect_type = ContentType.objects.get_for_model(Defect)
    for defect in ctx.shared.get("defects", []):
        if defect.status == Defect.Status.NEW:
            continue
        moves = ["new", "open", defect.status] if defect.status != "open" else ["new", "open"]
        for number, (before, after) in enumerate(zip(moves, moves[1:], strict=False), start=1):
            when = min(defect.created_at + timedelta(hours=8 * number), ctx.now)
            entries.append(
                _entry(
                    ctx,
                    defect_type,
                    defect,
                    LogEntry.Action.UPDATE,
                    when,
                    rng.choice(firm),
                    {"status": [before, after]},
                )
            )
    for start in range(0, len(entries), 5000):
        LogEntry.objects.bulk_create(entries[start : start + 5000])
    ctx.counts["audit entries"] += len(entries)


def _entry(ctx, content_type, row, action, when, actor, changes) -> LogEntry:
    return LogEntry(
        content_type=content_type,
        object_pk=str(row.pk),
        object_id=row.pk,
        object_repr=str(row)[:200],
        action=action,
        changes=changes,
        changes_text="",
        actor=actor,
        actor_email=actor.email,
        timestamp=when,
        additional_data={"project_id": ctx.project.pk, "internal": False},
    )
