"""Every write of the projects app: plain functions taking the acting user as ``by``.

One module per sub-domain; the public names are re-exported here, so callers write
``from projects import services`` / ``services.project_create(...)``.
"""

from projects.services.approvals import (  # noqa: F401
    ALREADY_DECIDED,
    APPROVER_CANNOT_APPROVE,
    SIGNOFF_CHECKS,
    approval_decide,
    approval_notify,
    approval_request,
    signoff_check_register,
)
from projects.services.logins import (  # noqa: F401
    LoginLocked,
    client_address,
    login_attempt,
)
from projects.services.plan import (  # noqa: F401
    DEPENDENCY_CYCLE,
    DEPENDENCY_ON_ITSELF,
    DEPENDENCY_OTHER_PROJECT,
    MILESTONE_FIELDS,
    NOT_A_MEMBER,
    TASK_FIELDS,
    milestone_create,
    milestone_delete,
    milestone_update,
    task_create,
    task_delete,
    task_update,
)
from projects.services.setup import (  # noqa: F401
    CANNOT_CREATE_PROJECT,
    GATE_ALREADY_APPROVED,
    GATE_ALREADY_PENDING,
    GATE_NOT_REQUESTED,
    GATE_REJECTED,
    LAST_PM,
    MIN_PROJECT_DAYS,
    PHASE_FIELDS,
    PHASE_GATE_OPEN,
    PROJECT_DELETE_BLOCKED,
    PROJECT_FIELDS,
    PROJECT_TOO_SHORT,
    TEMPLATE_NAME_TAKEN,
    gate_request_refusal,
    membership_create,
    membership_delete,
    membership_update,
    phase_request_gate,
    phase_update,
    project_create,
    project_delete,
    project_setup_register,
    project_update,
    template_create_from_project,
    template_get_builtin,
)
from projects.services.tokens import (  # noqa: F401
    token_create,
    token_is_current,
    token_revoke,
    tokens_revoke_all,
)
