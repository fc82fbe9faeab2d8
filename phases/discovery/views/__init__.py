"""Dashboard pages of Discovery & Planning (consultants), the printable kick-off, downloads,
and the client portal's sign-off page.

Every page resolves the project through ``ProjectAccessMixin`` (404 for non-members, 403
without the capability), reads through the selectors (scoped, so internal rows stay hidden
from client roles) and writes through the services (``projects.actions``).

By topic: ``crud`` (list/detail/edit/delete of each resource, on the shapes of ``base``),
``requirements`` (inline status change, import, export), ``kickoff`` (RACI grid,
printable page), ``signoff`` (overview, sign-off request, portal).
"""

from phases.discovery.views.crud import (
    DocumentDelete,
    DocumentDetail,
    DocumentDownload,
    DocumentEdit,
    DocumentList,
    KickoffDelete,
    KickoffDetail,
    KickoffEdit,
    KickoffList,
    ProcessDelete,
    ProcessDetail,
    ProcessEdit,
    ProcessList,
    RaidDelete,
    RaidDetail,
    RaidEdit,
    RaidList,
    RequirementDelete,
    RequirementDetail,
    RequirementEdit,
    RequirementList,
    StakeholderDelete,
    StakeholderDetail,
    StakeholderEdit,
    StakeholderList,
    WaveDelete,
    WaveDetail,
    WaveEdit,
    WaveList,
)
from phases.discovery.views.kickoff import KickoffPrint, KickoffRaci
from phases.discovery.views.requirements import RequirementExport, RequirementImport, RequirementStatus
from phases.discovery.views.signoff import Overview, PortalSignoff, PortalSignoffDecide, SignoffRequest

__all__ = [
    "DocumentDelete",
    "DocumentDetail",
    "DocumentDownload",
    "DocumentEdit",
    "DocumentList",
    "KickoffDelete",
    "KickoffDetail",
    "KickoffEdit",
    "KickoffList",
    "KickoffPrint",
    "KickoffRaci",
    "Overview",
    "PortalSignoff",
    "PortalSignoffDecide",
    "ProcessDelete",
    "ProcessDetail",
    "ProcessEdit",
    "ProcessList",
    "RaidDelete",
    "RaidDetail",
    "RaidEdit",
    "RaidList",
    "RequirementDelete",
    "RequirementDetail",
    "RequirementEdit",
    "RequirementExport",
    "RequirementImport",
    "RequirementList",
    "RequirementStatus",
    "SignoffRequest",
    "StakeholderDelete",
    "StakeholderDetail",
    "StakeholderEdit",
    "StakeholderList",
    "WaveDelete",
    "WaveDetail",
    "WaveEdit",
    "WaveList",
]
