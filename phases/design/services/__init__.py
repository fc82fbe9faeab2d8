"""Every write of the design app. Plain keyword-only functions taking the acting user as ``by``.

By sub-domain: ``designs`` (process designs, their sign-off and versions), ``functions``
(function descriptions), ``technical`` (technical requirements and their evidence), and
``common`` (the checks they share). Reads live in ``phases.design.selectors``. The public
names are re-exported here: ``from phases.design import services; services.x(...)``.
"""

from phases.design.services.common import OWNER_NOT_MEMBER, REQUIREMENT_OTHER_PROJECT
from phases.design.services.designs import (
    ALREADY_APPROVED,
    ALREADY_IN_REVIEW,
    DECISION_CHOICE,
    DELETE_IN_REVIEW,
    DELETE_SIGNED_OFF,
    DESIGN_FIELDS,
    NOT_IN_REVIEW,
    NOTHING_TO_REVIEW,
    REJECT_NEEDS_COMMENT,
    STEP_TITLE_REQUIRED,
    process_design_create,
    process_design_decide,
    process_design_delete,
    process_design_submit,
    process_design_update,
)
from phases.design.services.functions import (
    DESIGN_OTHER_PROJECT,
    FUNCTION_FIELDS,
    function_description_create,
    function_description_delete,
    function_description_update,
)
from phases.design.services.technical import (
    MAX_EVIDENCE_BYTES,
    TECHNICAL_FIELDS,
    VERIFY_NEEDS_EVIDENCE,
    technical_requirement_create,
    technical_requirement_delete,
    technical_requirement_update,
)

__all__ = [
    "ALREADY_APPROVED",
    "ALREADY_IN_REVIEW",
    "DECISION_CHOICE",
    "DELETE_IN_REVIEW",
    "DELETE_SIGNED_OFF",
    "DESIGN_FIELDS",
    "DESIGN_OTHER_PROJECT",
    "FUNCTION_FIELDS",
    "MAX_EVIDENCE_BYTES",
    "NOTHING_TO_REVIEW",
    "NOT_IN_REVIEW",
    "OWNER_NOT_MEMBER",
    "REJECT_NEEDS_COMMENT",
    "REQUIREMENT_OTHER_PROJECT",
    "STEP_TITLE_REQUIRED",
    "TECHNICAL_FIELDS",
    "VERIFY_NEEDS_EVIDENCE",
    "function_description_create",
    "function_description_delete",
    "function_description_update",
    "process_design_create",
    "process_design_decide",
    "process_design_delete",
    "process_design_submit",
    "process_design_update",
    "technical_requirement_create",
    "technical_requirement_delete",
    "technical_requirement_update",
]
