"""Models of Discovery & Planning: kick-off, stakeholders, current processes, requirements,
RAID log, rollout plan, plan documents and the discovery sign-off.

Public for other apps (read-only imports): ``BusinessArea``, ``Requirement``, ``CurrentProcess``.
The plan tasks and the Gantt live in ``projects`` (``/projects/<code>/plan/``); this app
links to them rather than duplicating them.

Internal content: ``Requirement.internal_notes`` is a field shown only to firm roles
(pm, consultant; staff); ``RaidItem.internal`` and ``PlanDocument.internal`` hide whole rows
from client roles through ``ScopedQuerySet.visible_to``.

The models live in sub-modules by sub-domain (``choices``, ``kickoff``, ``requirements``,
``plan``); import them from here: ``from phases.discovery.models import Requirement``.
"""

from phases.discovery.models.choices import BusinessArea, Level
from phases.discovery.models.kickoff import Kickoff, RaciActivity, RaciAssignment, Stakeholder
from phases.discovery.models.plan import (
    DiscoverySignoff,
    PlanDocument,
    RaidItem,
    RolloutSite,
    RolloutWave,
    plan_document_path,
)
from phases.discovery.models.requirements import CurrentProcess, Requirement

__all__ = (
    "BusinessArea",
    "Level",
    "Kickoff",
    "RaciActivity",
    "RaciAssignment",
    "Stakeholder",
    "CurrentProcess",
    "Requirement",
    "RaidItem",
    "RolloutWave",
    "RolloutSite",
    "PlanDocument",
    "DiscoverySignoff",
    "plan_document_path",  # the migrations refer to it here
)
