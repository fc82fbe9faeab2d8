"""Every write of Discovery & Planning. Keyword-only functions taking the acting user as ``by``.

Capabilities: reading is ``VIEW``; every edit (kick-off, stakeholders, processes,
requirements, RAID log, rollout waves, plan documents, requesting the sign-off) is
``EDIT``; deciding the discovery sign-off is ``APPROVE`` (through ``projects``' Approval),
never by whoever requested it. Requirement status moves follow ``transitions.py``.

By sub-domain: ``kickoff`` (stakeholders, kick-off, RACI), ``requirements`` (current
processes, requirements), ``imports`` (the requirement import), ``plan`` (RAID log,
rollout waves, plan documents), ``signoff``. Import them from here:
``from phases.discovery import services; services.requirement_create(...)``.
Reads (the RACI matrix, the sign-off snapshot, exports) are in ``selectors``/``exports``.
"""

from erpimpl.errors import DomainError
from phases.discovery.services._base import NOT_A_MEMBER, OTHER_PROJECT, C
from phases.discovery.services.imports import (
    CHOICE_COLUMNS,
    IMPORT_AMBIGUOUS_PROCESS,
    IMPORT_BAD_CHOICE,
    IMPORT_BAD_FILE,
    IMPORT_CODE_EXISTS,
    IMPORT_COLUMNS,
    IMPORT_DUPLICATE_COLUMNS,
    IMPORT_DUPLICATE_IN_FILE,
    IMPORT_MISSING_COLUMNS,
    IMPORT_NO_ROWS,
    IMPORT_REFUSED,
    IMPORT_REQUIRED,
    IMPORT_ROW,
    IMPORT_TOO_LONG,
    IMPORT_TYPES,
    IMPORT_UNKNOWN_COLUMNS,
    IMPORT_UNKNOWN_OWNER,
    IMPORT_UNKNOWN_PROCESS,
    REQUIRED_COLUMNS,
    ImportRefused,
    requirement_import,
)
from phases.discovery.services.kickoff import (
    RACI_BAD_LETTER,
    RACI_EMPTY_ACTIVITY,
    RACI_ONE_ACCOUNTABLE,
    RACI_UNKNOWN_PERSON,
    kickoff_create,
    kickoff_delete,
    kickoff_set_raci,
    kickoff_update,
    stakeholder_create,
    stakeholder_delete,
    stakeholder_update,
)
from phases.discovery.services.plan import (
    SITE_INCOMPLETE,
    plan_document_create,
    plan_document_delete,
    plan_document_update,
    raid_item_create,
    raid_item_delete,
    raid_item_update,
    rollout_wave_create,
    rollout_wave_delete,
    rollout_wave_update,
)
from phases.discovery.services.requirements import (
    AGREED_NEEDS_ASSESSMENT,
    BAD_CODE,
    CODE_TAKEN,
    ILLEGAL_TRANSITION,
    current_process_create,
    current_process_delete,
    current_process_update,
    requirement_create,
    requirement_delete,
    requirement_update,
)
from phases.discovery.services.signoff import (
    SIGNOFF_NOTHING_AGREED,
    SIGNOFF_PENDING,
    discovery_signoff_decide,
    discovery_signoff_request,
)

__all__ = [
    "C",
    "DomainError",
    "NOT_A_MEMBER",
    "OTHER_PROJECT",
    # kick-off and people
    "RACI_BAD_LETTER",
    "RACI_EMPTY_ACTIVITY",
    "RACI_ONE_ACCOUNTABLE",
    "RACI_UNKNOWN_PERSON",
    "stakeholder_create",
    "stakeholder_update",
    "stakeholder_delete",
    "kickoff_create",
    "kickoff_update",
    "kickoff_delete",
    "kickoff_set_raci",
    # processes and requirements
    "AGREED_NEEDS_ASSESSMENT",
    "BAD_CODE",
    "CODE_TAKEN",
    "ILLEGAL_TRANSITION",
    "current_process_create",
    "current_process_update",
    "current_process_delete",
    "requirement_create",
    "requirement_update",
    "requirement_delete",
    # import
    "CHOICE_COLUMNS",
    "IMPORT_AMBIGUOUS_PROCESS",
    "IMPORT_BAD_CHOICE",
    "IMPORT_BAD_FILE",
    "IMPORT_CODE_EXISTS",
    "IMPORT_COLUMNS",
    "IMPORT_DUPLICATE_COLUMNS",
    "IMPORT_DUPLICATE_IN_FILE",
    "IMPORT_MISSING_COLUMNS",
    "IMPORT_NO_ROWS",
    "IMPORT_REFUSED",
    "IMPORT_REQUIRED",
    "IMPORT_ROW",
    "IMPORT_TOO_LONG",
    "IMPORT_TYPES",
    "IMPORT_UNKNOWN_COLUMNS",
    "IMPORT_UNKNOWN_OWNER",
    "IMPORT_UNKNOWN_PROCESS",
    "REQUIRED_COLUMNS",
    "ImportRefused",
    "requirement_import",
    # plan
    "SITE_INCOMPLETE",
    "raid_item_create",
    "raid_item_update",
    "raid_item_delete",
    "rollout_wave_create",
    "rollout_wave_update",
    "rollout_wave_delete",
    "plan_document_create",
    "plan_document_update",
    "plan_document_delete",
    # sign-off
    "SIGNOFF_NOTHING_AGREED",
    "SIGNOFF_PENDING",
    "discovery_signoff_request",
    "discovery_signoff_decide",
]
