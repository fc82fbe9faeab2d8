"""Development: the system landscape, development items (RICEFW) linked to requirements,
designs and function descriptions, and releases transporting them between environments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from phases.design.models import FunctionDescription
from phases.development.models import DevelopmentItem, Environment, Release
from phases.discovery.models import Requirement
from projects.bigproject import words
from projects.bigproject.base import Context, codes, spread, weighted
from projects.models import PhaseKind
from projects.roles import Role

S = DevelopmentItem.Status
ENVIRONMENTS = [
    ("DEV", Environment.Kind.DEVELOPMENT, 1),
    ("TEST", Environment.Kind.TEST, 2),
    ("UAT", Environment.Kind.UAT, 3),
    ("TRAIN", Environment.Kind.TRAINING, 4),
    ("PROD", Environment.Kind.PRODUCTION, 5),
]
STATUS = {S.ACCEPTED: 35, S.READY_FOR_TEST: 20, S.DEV_TESTED: 15, S.IN_DEVELOPMENT: 15, S.DESIGNED: 10, S.CANCELLED: 5}
TYPES = {"report": 25, "interface": 15, "conversion": 10, "enhancement": 25, "form": 15, "workflow": 7, "analytics": 3}
#: Where an item of a status is now.
WHERE = {S.ACCEPTED: "UAT", S.READY_FOR_TEST: "TEST", S.DEV_TESTED: "DEV", S.IN_DEVELOPMENT: "DEV"}
ROUTES = {("DEV", "TEST"): 50, ("TEST", "UAT"): 35, ("UAT", "PROD"): 15}


def generate(ctx: Context) -> None:
    rng = ctx.rng("development")
    project, phase = ctx.project, ctx.shared["phases"][PhaseKind.DEVELOPMENT]
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    window = (phase.planned_start, phase.planned_end)

    environments = ctx.bulk(
        Environment,
        (
            Environment(
                project=project,
                name=name,
                kind=kind,
                order=order,
                url=f"https://{name.lower()}.erp.saomai.example",
                software_version="17.0+e.2026",
                status="available" if name != "UAT" else "refreshing",
                last_refresh=ctx.moment(rng, ctx.today - timedelta(days=30), ctx.today),
                created_at=ctx.moment(rng, window[0], window[0] + timedelta(days=5)),
            )
            for name, kind, order in ENVIRONMENTS
        ),
        label="environments",
    )
    env = {e.name: e for e in environments}
    ctx.shared["environments"] = env

    custom = [r for r in ctx.shared["requirements"] if r.resolution == Requirement.Resolution.CUSTOM]
    custom = custom or ctx.shared["requirements"]
    functions_of = {}
    for function in ctx.shared.get("functions", []):
        if function.kind == FunctionDescription.Kind.DEVELOPMENT:
            functions_of.setdefault(function.requirement_id, []).append(function)

    count = ctx.n(2000)
    statuses = spread(rng, count, STATUS)
    types = spread(rng, count, TYPES)
    items, req_links, design_links, function_links = [], [], [], []
    for number, (code, status, type_) in enumerate(zip(codes("DEV", count), statuses, types, strict=True), start=1):
        interface = type_ == DevelopmentItem.Type.INTERFACE
        reqs = rng.sample(custom, min(len(custom), weighted(rng, {1: 6, 2: 3, 3: 1})))
        item = DevelopmentItem(
            project=project,
            number=number,
            code=code,
            type=type_,
            title=f"{type_.title()}: {words.title(rng, reqs[0].business_area)}",
            description="Specification in the function description.",
            status=status,
            complexity=rng.choice(list(DevelopmentItem.Complexity.values)),
            estimate_days=Decimal(rng.choice(["1.5", "3", "5", "8", "13", "20"])),
            assignee=rng.choice(firm),
            target_environment=env[rng.choice(["TEST", "UAT"])],
            current_environment=env[WHERE[status]] if status in WHERE else None,
            external_system=rng.choice(words.SYSTEMS) if interface else "",
            direction=rng.choice(list(DevelopmentItem.Direction.values)) if interface else "",
            protocol=rng.choice(words.PROTOCOLS) if interface else "",
            frequency=rng.choice(words.FREQUENCIES) if interface else "",
            data_objects="Sales orders, invoices" if interface else "",
            status_changed_at=ctx.moment(rng, window[0], ctx.today),
            created_at=ctx.moment(rng, *window),
        )
        items.append(item)
        item._requirements = reqs
    ctx.bulk(DevelopmentItem, items, label="development items")
    designs_of = ctx.shared.get("design_of_requirement", {})
    for item in items:
        for req in item._requirements:
            req_links.append((item.pk, req.pk))
            if req.pk in designs_of:
                design_links.append((item.pk, designs_of[req.pk]))
            for function in functions_of.get(req.pk, [])[:2]:
                function_links.append((item.pk, function.pk))
    ctx.link(DevelopmentItem.requirements, req_links, label="item ↔ requirement links")
    ctx.link(DevelopmentItem.process_designs, design_links, label="item ↔ design links")
    ctx.link(DevelopmentItem.function_descriptions, function_links, label="item ↔ function links")
    ctx.shared["development_items"] = items

    releases, release_items = [], []
    count = ctx.n(80, minimum=2)
    routes = spread(rng, count, ROUTES)
    movable = [i for i in items if i.status not in (S.DESIGNED, S.CANCELLED)] or items
    for number, (code, (source, target)) in enumerate(zip(codes("REL", count), routes, strict=True), start=1):
        status = weighted(rng, {"transported": 75, "planned": 15, "failed": 5, "cancelled": 5})
        planned = ctx.moment(rng, window[0] + timedelta(days=20), ctx.today + timedelta(days=20)).date()
        transported = status == Release.Status.TRANSPORTED
        release = Release(
            project=project,
            number=number,
            code=code,
            title=f"Transport {source} → {target} #{number}",
            source_environment=env[source],
            target_environment=env[target],
            planned_date=planned,
            status=status,
            transported_at=ctx.moment(rng, window[0] + timedelta(days=20), ctx.today) if transported else None,
            transported_by=rng.choice(firm) if transported else None,
            created_at=ctx.moment(rng, window[0] + timedelta(days=10), ctx.today),
        )
        releases.append(release)
        release._items = rng.sample(movable, min(len(movable), rng.randint(10, 40)))
    ctx.bulk(Release, releases, label="releases")
    for release in releases:
        release_items += [(release.pk, item.pk) for item in release._items]
    ctx.link(Release.items, release_items, label="release ↔ item links")
    targeted = {}
    for release in releases:
        if release.status == Release.Status.PLANNED:
            for item in release._items:
                item.target_release = release
                targeted[item.pk] = item
    DevelopmentItem.objects.bulk_update(list(targeted.values()), ["target_release"], batch_size=1000)
