"""Discovery & Planning: stakeholders, the kick-off and its RACI, current processes,
requirements with fit/gap, the RAID log, rollout waves, plan documents and the approved
discovery sign-off (the discovery phase's gate)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    PlanDocument,
    RaciActivity,
    RaciAssignment,
    RaidItem,
    Requirement,
    RolloutSite,
    RolloutWave,
    Stakeholder,
)
from phases.discovery.selectors import discovery_snapshot
from projects.bigproject import words
from projects.bigproject.base import Context, codes, spread, weighted
from projects.bigproject.plan import approval
from projects.models import Approval, Phase, PhaseKind
from projects.roles import Role

AREAS = {
    BusinessArea.FINANCE: 6,
    BusinessArea.PROCUREMENT: 4,
    BusinessArea.SALES: 5,
    BusinessArea.INVENTORY: 4,
    BusinessArea.MANUFACTURING: 4,
    BusinessArea.HR: 1,
    BusinessArea.PROJECTS: 1,
    BusinessArea.OTHER: 1,
}
R = Requirement
STATUS = {R.Status.AGREED: 70, R.Status.REVIEWED: 10, R.Status.DRAFT: 8, R.Status.DEFERRED: 7, R.Status.REJECTED: 5}
FIT = {R.FitGap.FIT: 45, R.FitGap.PARTIAL: 30, R.FitGap.GAP: 20, R.FitGap.NOT_ASSESSED: 5}
RESOLUTION = {
    R.FitGap.FIT: {R.Resolution.STANDARD: 7, R.Resolution.CONFIGURATION: 3},
    R.FitGap.PARTIAL: {R.Resolution.CONFIGURATION: 6, R.Resolution.CUSTOM: 3, R.Resolution.WORKAROUND: 1},
    R.FitGap.GAP: {R.Resolution.CUSTOM: 6, R.Resolution.WORKAROUND: 2, R.Resolution.OUT_OF_SCOPE: 2},
    R.FitGap.NOT_ASSESSED: {R.Resolution.NONE: 1},
}


def generate(ctx: Context) -> None:
    rng = ctx.rng("discovery")
    project, phase = ctx.project, ctx.shared["phases"][PhaseKind.DISCOVERY]
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    client = ctx.users[Role.SPONSOR] + ctx.users[Role.KEY_USER]
    early = (phase.planned_start, phase.planned_start + timedelta(days=10))
    during = (phase.planned_start, phase.planned_end)

    stakeholders = ctx.bulk(
        Stakeholder,
        (
            Stakeholder(
                project=project,
                name=words.person(rng),
                organisation=rng.choice(["Sao Mai Foods", "Sao Mai Foods", "Deloitte Vietnam", "VNPT"]),
                title=rng.choice(["CFO", "Kế toán trưởng", "Plant director", "IT manager", "Trưởng phòng mua hàng"]),
                email=f"stakeholder{index}@saomai.example",
                influence=rng.choice(["low", "medium", "high"]),
                interest=rng.choice(["low", "medium", "high"]),
                user=client[index] if index < len(client) and index % 3 == 0 else None,
                created_at=ctx.moment(rng, *early),
            )
            for index in range(ctx.n(45))
        ),
        label="stakeholders",
    )
    kickoff = ctx.bulk(
        Kickoff,
        [
            Kickoff(
                project=project,
                title="Kick-off meeting / Họp khởi động dự án",
                meeting_date=timezone.make_aware(datetime.combine(ctx.day(3), time(9, 0))),
                location="Head office, meeting room 5",
                goals="One ERP for finance, procurement, sales, inventory and manufacturing.",
                scope_in="Finance, procurement, sales, inventory, manufacturing; three plants.",
                scope_out="Payroll (stays on Base.vn).",
                created_at=ctx.moment(rng, *early),
            )
        ],
        label="kick-offs",
    )[0]
    members = firm + client
    kickoff.attendee_members.set(rng.sample(members, min(len(members), 12)))
    kickoff.attendee_stakeholders.set(stakeholders[:10])
    activities = ctx.bulk(
        RaciActivity,
        (RaciActivity(kickoff=kickoff, name=f"{words.title(rng, 'other')}", order=i) for i in range(16)),
        label="RACI rows",
    )
    cells = []
    for activity in activities:
        people = rng.sample(members, min(len(members), 6))
        for index, user in enumerate(people):
            cells.append(RaciAssignment(activity=activity, user=user, letter="A" if index == 0 else rng.choice("RCI")))
        cells.append(RaciAssignment(activity=activity, stakeholder=rng.choice(stakeholders), letter="I"))
    ctx.bulk(RaciAssignment, cells, label="RACI cells")

    processes = []
    for area, weight in AREAS.items():
        for index in range(ctx.n(weight * 5)):
            processes.append(
                CurrentProcess(
                    project=project,
                    business_area=area,
                    name=f"{words.title(rng, area)} #{index + 1}",
                    as_is_description="Today in Excel and e-mail; approvals on paper.",
                    systems_used=rng.choice(["Excel", "MISA SME", "Excel, Zalo", "DMS Fast"]),
                    volumes=f"~{rng.randint(50, 5000)} documents / month",
                    pain_points=rng.choice(["Slow month-end", "Double entry", "Không truy xuất được lô", ""]),
                    owner=rng.choice(client),
                    created_at=ctx.moment(rng, *during),
                )
            )
    ctx.bulk(CurrentProcess, processes, label="current processes")
    by_area = {}
    for process in processes:
        by_area.setdefault(process.business_area, []).append(process)

    count = ctx.n(5000)
    areas = spread(rng, count, AREAS)
    statuses = spread(rng, count, STATUS)
    requirements = []
    for code, area, status in zip(codes("REQ", count), areas, statuses, strict=True):
        fit = weighted(rng, FIT) if status != R.Status.DRAFT else rng.choice([R.FitGap.NOT_ASSESSED, R.FitGap.FIT])
        requirements.append(
            Requirement(
                project=project,
                code=code,
                title=words.title(rng, area),
                description=f"The system shall {words.title(rng, area).lower()} for every plant.",
                business_area=area,
                source=rng.choice(list(R.Source.values)),
                priority=weighted(rng, {"must": 45, "should": 30, "could": 15, "wont": 10}),
                fit_gap=fit,
                resolution=weighted(rng, RESOLUTION[fit]),
                status=status,
                owner=rng.choice(firm),
                internal_notes=rng.choice(["", "", "Estimate 5 md; confirm licence.", "Ghi chú nội bộ: rủi ro"]),
                created_at=ctx.moment(rng, *during),
            )
        )
    ctx.bulk(Requirement, requirements, label="requirements")
    ctx.link(
        Requirement.processes,
        (
            (req.pk, process.pk)
            for req in requirements
            for process in rng.sample(
                by_area[req.business_area], min(len(by_area[req.business_area]), rng.randint(1, 2))
            )
        ),
        label="requirement ↔ process links",
    )
    ctx.shared["requirements"] = requirements

    raid = []
    for index in range(ctx.n(260)):
        kind = weighted(rng, {"risk": 45, "assumption": 15, "issue": 30, "decision": 10})
        raid.append(
            RaidItem(
                project=project,
                kind=kind,
                title=f"{rng.choice(words.RISKS)} ({index + 1})",
                description="Raised in the weekly status meeting.",
                probability=rng.randint(1, 5) if kind == "risk" else None,
                impact=rng.randint(1, 5) if kind == "risk" else None,
                response=rng.choice(["", "Mitigation agreed with the sponsor.", "Theo dõi hàng tuần."]),
                owner=rng.choice(firm),
                due=ctx.day(rng.randint(10, 380)),
                status=weighted(rng, {"open": 4, "in_progress": 3, "closed": 5}),
                internal=rng.random() < 0.2,
                created_at=ctx.moment(rng, ctx.start, ctx.today),
            )
        )
    ctx.bulk(RaidItem, raid, label="RAID items")

    waves = ctx.bulk(
        RolloutWave,
        (
            RolloutWave(
                project=project,
                name=f"Wave {index + 1} — {['Head office & Bình Dương', 'Long An plant', 'Hà Nội branch', 'Đà Nẵng'][index % 4]}",
                sequence=index + 1,
                start_date=ctx.day(300 + 40 * index),
                golive_date=ctx.day(390 + 40 * index),
                created_at=ctx.moment(rng, *during),
            )
            for index in range(3)
        ),
        label="rollout waves",
    )
    ctx.bulk(
        RolloutSite,
        (
            RolloutSite(
                wave=wave,
                company="Sao Mai Foods JSC",
                site=f"Site {wave.sequence}.{index + 1}",
                location=rng.choice(["TP. Hồ Chí Minh", "Bình Dương", "Long An", "Hà Nội"]),
                users_count=rng.randint(20, 200),
            )
            for wave in waves
            for index in range(4)
        ),
        label="rollout sites",
    )
    documents = []
    for index in range(ctx.n(14, minimum=2)):
        name = f"discovery/{project.pk}/plan-documents/plan-{index + 1}.txt"
        stored = default_storage.save(name, ContentFile(f"Plan document {index + 1}\n".encode() * 20))
        documents.append(
            PlanDocument(
                project=project,
                kind=rng.choice(list(PlanDocument.Kind.values)),
                title=f"Plan document {index + 1}",
                file=stored,
                original_name=f"plan-{index + 1}.txt",
                content_type="text/plain",
                size=default_storage.size(stored),
                uploaded_by=rng.choice(firm),
                internal=index % 4 == 3,
                created_at=ctx.moment(rng, *during),
            )
        )
    ctx.bulk(PlanDocument, documents, label="plan documents")

    # The sign-off: submitted at the end of the phase, approved by the sponsor: the phase's gate.
    when = ctx.moment(rng, phase.planned_end - timedelta(days=3), phase.planned_end)
    signoff = ctx.bulk(
        DiscoverySignoff,
        [
            DiscoverySignoff(
                project=project, summary="Discovery deliverables", snapshot=discovery_snapshot(project), created_at=when
            )
        ],
        label="discovery sign-offs",
    )[0]
    gate = ctx.bulk(
        Approval,
        [
            approval(
                ctx,
                rng,
                title="Discovery & Planning sign-off",
                target=signoff,
                decision=Approval.Decision.APPROVED,
                when=when,
                approver=ctx.users[Role.SPONSOR][0],
            )
        ],
        label="sign-offs (approvals)",
    )[0]
    DiscoverySignoff.objects.filter(pk=signoff.pk).update(approval=gate)
    Phase.objects.filter(pk=phase.pk).update(gate_approval=gate)
