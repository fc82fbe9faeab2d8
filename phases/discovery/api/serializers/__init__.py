"""Serializers of the discovery API: read (ModelSerializer) and input (plain Serializer) shapes.

Input serializers only validate shape; the services hold the rules. References to other
rows (owner, processes, stakeholders, attendees) are looked up among what the caller may
see (``scoped_pk``, ``MemberField``), and the service checks they belong to the same project.
By topic: ``people`` (stakeholders, kick-offs), ``requirements``, ``plan`` (RAID, waves,
documents, sign-off).
"""

from phases.discovery.api.serializers.people import (
    KickoffInputSerializer,
    KickoffSerializer,
    KickoffUpdateSerializer,
    RaciInputSerializer,
    RaciRowSerializer,
    RaciSerializer,
    StakeholderInputSerializer,
    StakeholderSerializer,
    StakeholderUpdateSerializer,
)
from phases.discovery.api.serializers.plan import (
    DiscoverySignoffInputSerializer,
    DiscoverySignoffSerializer,
    PlanDocumentInputSerializer,
    PlanDocumentSerializer,
    PlanDocumentUpdateSerializer,
    RaidItemInputSerializer,
    RaidItemSerializer,
    RaidItemUpdateSerializer,
    RolloutSiteSerializer,
    RolloutWaveInputSerializer,
    RolloutWaveSerializer,
    RolloutWaveUpdateSerializer,
    SignoffDecisionSerializer,
)
from phases.discovery.api.serializers.requirements import (
    CurrentProcessInputSerializer,
    CurrentProcessSerializer,
    CurrentProcessUpdateSerializer,
    ImportErrorSerializer,
    RequirementImportResultSerializer,
    RequirementImportSerializer,
    RequirementInputSerializer,
    RequirementSerializer,
    RequirementUpdateSerializer,
)

__all__ = [
    "CurrentProcessInputSerializer",
    "CurrentProcessSerializer",
    "CurrentProcessUpdateSerializer",
    "DiscoverySignoffInputSerializer",
    "DiscoverySignoffSerializer",
    "ImportErrorSerializer",
    "KickoffInputSerializer",
    "KickoffSerializer",
    "KickoffUpdateSerializer",
    "PlanDocumentInputSerializer",
    "PlanDocumentSerializer",
    "PlanDocumentUpdateSerializer",
    "RaciInputSerializer",
    "RaciRowSerializer",
    "RaciSerializer",
    "RaidItemInputSerializer",
    "RaidItemSerializer",
    "RaidItemUpdateSerializer",
    "RequirementImportResultSerializer",
    "RequirementImportSerializer",
    "RequirementInputSerializer",
    "RequirementSerializer",
    "RequirementUpdateSerializer",
    "RolloutSiteSerializer",
    "RolloutWaveInputSerializer",
    "RolloutWaveSerializer",
    "RolloutWaveUpdateSerializer",
    "SignoffDecisionSerializer",
    "StakeholderInputSerializer",
    "StakeholderSerializer",
    "StakeholderUpdateSerializer",
]
