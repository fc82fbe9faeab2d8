"""Design: process designs (steps, BPMN, the requirements they cover, sign-offs, versions),
function descriptions traced to requirements, technical requirements."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

import phases.design
from phases.design.models import (
    DesignStatus,
    FunctionDescription,
    ProcessDesign,
    ProcessDesignVersion,
    ProcessStep,
    TechnicalRequirement,
)
from phases.discovery.models import Requirement
from projects.bigproject import words
from projects.bigproject.base import Context, codes, spread, weighted
from projects.bigproject.discovery import AREAS
from projects.bigproject.plan import approval
from projects.models import Approval, PhaseKind
from projects.roles import Role

BPMN_FILES = sorted((Path(phases.design.__file__).parent / "demo_data").glob("*.bpmn"))
SIGNOFF = {"approved": 70, "pending": 15, "rejected": 5, "none": 10}
RES = Requirement.Resolution
KIND_OF = {
    RES.CUSTOM: FunctionDescription.Kind.DEVELOPMENT,
    RES.CONFIGURATION: FunctionDescription.Kind.CONFIGURATION,
}


def generate(ctx: Context) -> None:
    rng = ctx.rng("design")
    project, phase = ctx.project, ctx.shared["phases"][PhaseKind.DESIGN]
    firm = ctx.users[Role.PM] + ctx.users[Role.CONSULTANT]
    client = ctx.users[Role.SPONSOR] + ctx.users[Role.KEY_USER]
    window = (phase.planned_start, phase.planned_end)
    diagrams = [(path.name, path.read_text(encoding="utf-8")) for path in BPMN_FILES]

    count = ctx.n(400)
    areas = spread(rng, count, AREAS)
    designs = []
    for number, (code, area) in enumerate(zip(codes("PD", count), areas, strict=True), start=1):
        diagram = rng.choice(diagrams) if diagrams and rng.random() < 0.6 else ("", "")
        designs.append(
            ProcessDesign(
                project=project,
                number=number,
                code=code,
                business_area=area,
                name=f"{words.title(rng, area)} ({code})",
                as_is="Today: Excel, e-mail and paper approvals.",
                to_be="In the ERP: one document flow with approvals by amount.",
                owner=rng.choice(client),
                bpmn_filename=diagram[0],
                bpmn_xml=diagram[1],
                revision=1,
                created_at=ctx.moment(rng, *window),
            )
        )
    ctx.bulk(ProcessDesign, designs, label="process designs")
    steps = [
        ProcessStep(
            design=design,
            order=order,
            title=f"Step {order}: {words.title(rng, design.business_area)}",
            actor=rng.choice(["Kế toán", "Purchasing", "Warehouse", "Sales admin", "Plant director"]),
            erp_function=rng.choice(
                ["Accounting > Journals", "Purchase > Orders", "Inventory > Transfers", "Sales > Orders"]
            ),
            work_instruction="Fill in the mandatory fields, attach the document, submit.",
        )
        for design in designs
        for order in range(1, rng.randint(5, 11))
    ]
    ctx.bulk(ProcessStep, steps, label="process steps")

    requirements = ctx.shared["requirements"]
    in_scope = [r for r in requirements if r.status in (Requirement.Status.AGREED, Requirement.Status.REVIEWED)]
    designs_by_area = {}
    for design in designs:
        designs_by_area.setdefault(design.business_area, []).append(design)
    covering = {}
    for req in in_scope:
        if rng.random() < 0.93 and designs_by_area.get(req.business_area):
            covering[req.pk] = rng.choice(designs_by_area[req.business_area])
    ctx.link(ProcessDesign.requirements, ((d.pk, r) for r, d in covering.items()), label="design ↔ requirement links")
    ctx.shared["design_of_requirement"] = {r: d.pk for r, d in covering.items()}

    # Sign-offs: most designs approved at the end of the phase, some in review, a few rejected.
    decisions = spread(rng, count, SIGNOFF)
    signoffs = []
    for design, decision in zip(designs, decisions, strict=True):
        if decision == "none":
            continue
        when = ctx.moment(rng, phase.planned_end - timedelta(days=25), phase.planned_end)
        signoffs.append(
            (
                design,
                approval(
                    ctx,
                    rng,
                    title=f"Process design sign-off: {design.code}",
                    target=design,
                    decision=decision,
                    when=when,
                    requested_by=rng.choice(firm),
                ),
            )
        )
    ctx.bulk(Approval, [a for _d, a in signoffs], label="sign-offs (approvals)")
    for design, signoff in signoffs:
        design.approval = signoff
    # Approved designs changed after approval keep versions.
    versions = []
    for design, signoff in signoffs:
        if signoff.decision != Approval.Decision.APPROVED or rng.random() > 0.2:
            continue
        design.revision = rng.randint(2, 3)
        for number in range(1, design.revision):
            versions.append(
                ProcessDesignVersion(
                    design=design,
                    number=number,
                    business_area=design.business_area,
                    name=design.name,
                    as_is=design.as_is,
                    to_be=design.to_be,
                    bpmn_xml=design.bpmn_xml,
                    bpmn_filename=design.bpmn_filename,
                    steps=[
                        {"order": i, "title": f"Step {i}", "actor": "", "erp_function": "", "work_instruction": ""}
                        for i in range(1, 6)
                    ],
                    requirements=[],
                    status=DesignStatus.APPROVED,
                    approval=signoff,
                    superseded_by=rng.choice(firm),
                    created_at=signoff.decided_at,
                )
            )
    ProcessDesign.objects.bulk_update(designs, ["approval", "revision"], batch_size=1000)
    ctx.bulk(ProcessDesignVersion, versions, label="process design versions")

    functions = []
    for req in in_scope:
        for _index in range(1 if rng.random() < 0.6 else 2):
            design = covering.get(req.pk)
            functions.append(
                FunctionDescription(
                    project=project,
                    requirement=req,
                    design=design,
                    kind=KIND_OF.get(req.resolution, FunctionDescription.Kind.STANDARD),
                    title=f"{req.code}: {words.title(rng, req.business_area)}",
                    description="What the ERP will do, screen by screen.",
                    erp_reference=rng.choice(
                        ["Purchasing > Purchase orders", "Accounting > Journals", "Sales > Pricelists"]
                    ),
                    created_at=ctx.moment(rng, *window),
                )
            )
    ctx.bulk(FunctionDescription, functions, label="function descriptions")
    ctx.shared["functions"] = functions
    ctx.shared["designs"] = designs

    technical = []
    count = ctx.n(160)
    for number, code in enumerate(codes("TR", count), start=1):
        status = weighted(rng, {"open": 3, "agreed": 4, "verified": 3})
        verified = status == TechnicalRequirement.Status.VERIFIED
        evidence_file = ""
        if verified and number % 8 == 1:
            evidence_file = default_storage.save(
                f"design/{project.pk}/evidence/{rng.getrandbits(64):016x}/evidence-{code}.txt",
                ContentFile(f"Load test evidence for {code}\n".encode()),
            )
        technical.append(
            TechnicalRequirement(
                project=project,
                number=number,
                code=code,
                category=rng.choice(list(TechnicalRequirement.Category.values)),
                title=f"{rng.choice(['Backup', 'Firewall', 'VPN', 'Server sizing', 'SSO', 'Disaster recovery'])} {number}",
                acceptance_criterion="Verified in the UAT environment by the IT manager.",
                owner=rng.choice(firm),
                status=status,
                evidence="Screenshot and log attached." if verified else "",
                evidence_file=evidence_file,
                evidence_filename=Path(evidence_file).name if evidence_file else "",
                verified_at=ctx.moment(rng, phase.planned_end, ctx.today) if verified else None,
                verified_by=rng.choice(firm) if verified else None,
                created_at=ctx.moment(rng, *window),
            )
        )
    ctx.bulk(TechnicalRequirement, technical, label="technical requirements")
