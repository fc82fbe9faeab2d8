"""Factories of the discovery app: plain functions building saved rows (through the ORM,
so tests of the services start from a known state)."""

import itertools
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from phases.discovery.models import (
    BusinessArea,
    CurrentProcess,
    DiscoverySignoff,
    Kickoff,
    PlanDocument,
    RaidItem,
    Requirement,
    RolloutWave,
    Stakeholder,
)
from projects.tests.factories import ProjectFactory

_seq = itertools.count(1)


def _project(project):
    return project or ProjectFactory()


def make_stakeholder(*, project=None, **overrides):
    fields = {"name": f"Stakeholder {next(_seq)}", "organisation": "Sao Mai Foods", **overrides}
    return Stakeholder.objects.create(project=_project(project), **fields)


def make_kickoff(*, project=None, **overrides):
    fields = {
        "title": f"Kick-off {next(_seq)}",
        "meeting_date": timezone.make_aware(datetime(2026, 1, 8, 9, 0)),
        "goals": "Một hệ thống ERP duy nhất",
        **overrides,
    }
    return Kickoff.objects.create(project=_project(project), **fields)


def make_process(*, project=None, **overrides):
    fields = {"business_area": BusinessArea.FINANCE, "name": f"Process {next(_seq)}", **overrides}
    return CurrentProcess.objects.create(project=_project(project), **fields)


def make_requirement(*, project=None, **overrides):
    n = next(_seq)
    fields = {"code": f"T-{n:04d}", "title": f"Requirement {n}", "business_area": BusinessArea.SALES, **overrides}
    return Requirement.objects.create(project=_project(project), **fields)


def make_raid_item(*, project=None, **overrides):
    kind = overrides.pop("kind", RaidItem.Kind.RISK)
    scores = {"probability": 3, "impact": 4} if kind == RaidItem.Kind.RISK else {}
    fields = {"kind": kind, "title": f"{kind} {next(_seq)}", **scores, **overrides}
    return RaidItem.objects.create(project=_project(project), **fields)


def make_wave(*, project=None, **overrides):
    fields = {
        "name": f"Wave {next(_seq)}",
        "start_date": date(2026, 3, 1),
        "golive_date": date(2026, 6, 1),
        **overrides,
    }
    return RolloutWave.objects.create(project=_project(project), **fields)


def make_document(*, project=None, content=b"%PDF-1.4 test", name="plan.pdf", **overrides):
    project = _project(project)
    fields = {
        "kind": PlanDocument.Kind.TEST_PROCEDURE,
        "title": f"Document {next(_seq)}",
        "original_name": name,
        "content_type": "application/pdf",
        "size": len(content),
        **overrides,
    }
    document = PlanDocument(project=project, **fields)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def make_signoff(*, project=None, by, **overrides):
    """A pending discovery sign-off through the service (needs an agreed requirement)."""
    from phases.discovery import services

    project = _project(project)
    if not project.requirements.filter(status=Requirement.Status.AGREED).exists():
        make_requirement(project=project, status="agreed", fit_gap="fit", resolution="standard")
    return services.discovery_signoff_request(project=project, by=by, **overrides)


__all__ = [
    "make_stakeholder",
    "make_kickoff",
    "make_process",
    "make_requirement",
    "make_raid_item",
    "make_wave",
    "make_document",
    "make_signoff",
    "DiscoverySignoff",
]
