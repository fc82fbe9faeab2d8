"""Allowed status moves of Discovery & Planning, as data. ``services`` enforces them.

``REQUIREMENT_TRANSITIONS[from][to]`` is the capability the move needs on the project.
Every move of a requirement is the firm's work (EDIT); pages and the API offer only the
moves the user may make (``projects.roles.allowed_moves``).
"""

from phases.discovery.models import Requirement
from projects.roles import Capability

S = Requirement.Status
EDIT = Capability.EDIT

REQUIREMENT_TRANSITIONS: dict[str, dict[str, Capability]] = {
    S.DRAFT: {S.REVIEWED: EDIT, S.AGREED: EDIT, S.DEFERRED: EDIT, S.REJECTED: EDIT},
    S.REVIEWED: {S.DRAFT: EDIT, S.AGREED: EDIT, S.DEFERRED: EDIT, S.REJECTED: EDIT},
    S.AGREED: {S.REVIEWED: EDIT, S.DEFERRED: EDIT, S.REJECTED: EDIT},
    S.DEFERRED: {S.DRAFT: EDIT, S.REVIEWED: EDIT},
    S.REJECTED: {S.DRAFT: EDIT},
}
