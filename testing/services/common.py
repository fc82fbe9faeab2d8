"""What every write of the testing app shares: its messages, the upload rules, the checks
that a linked object or person belongs to the project, and the frozen signed-off cycle."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from erpimpl.errors import DomainError
from projects.files import DEFAULT_MAX_BYTES, CheckedUpload, types_of, validate_upload
from projects.models import Project
from projects.roles import is_member
from testing.access import CYCLE_SIGNED_OFF

# --- messages (tests assert these) -------------------------------------------------------
NOT_A_MEMBER = N_("{user} is not a member of this project.")
OTHER_PROJECT = N_("This {what} belongs to another project.")
NO_STEPS = N_("A test case needs at least one step with an action and an expected result.")
STEP_INCOMPLETE = N_("Step {n} needs both an action and an expected result.")
CASE_HAS_RUNS = N_("{case} has been executed; it cannot be deleted (its history is kept).")
CYCLE_HAS_RUNS = N_("This cycle has executions; it cannot be deleted (its history is kept).")
CASE_IN_CYCLE_HAS_RUNS = N_("{case} has been executed in this cycle; it stays in scope.")
ILLEGAL_CYCLE_TRANSITION = N_("A cycle cannot go from {current} to {target}.")
CYCLE_COMPLETED = N_("This cycle is completed; reopen it (status running) to execute cases.")
ASSIGNEE_CANNOT_TEST = N_("{user} cannot execute tests on this project (their role does not allow it).")
UAT_ASSIGNEE_NOT_CLIENT = N_("UAT cases are assigned to the client's key users; {user} is not one.")
RUN_FINISHED = N_("This run is finished ({result}); start a re-test to run the case again.")
NO_SUCH_STEP = N_("This run has no step {n}.")
STEPS_NOT_RUN = N_("Record a result for every step before finishing: {n} step(s) not run.")
STEP_NOT_FAILED = N_("A defect can be raised from a failed or blocked step only; this step is {status}.")
ILLEGAL_TRANSITION = N_("A defect cannot go from {current} to {target}.")
TRANSITION_NOT_ALLOWED = N_("Your role cannot move a defect from {current} to {target}.")
NO_BOUND = N_("Give at least one acceptance bound (p95, p99, error rate or throughput).")
SIGNOFF_PENDING = N_("A sign-off of this cycle is already waiting for a decision.")
SIGNOFF_NO_CASES = N_("The cycle has no cases in scope; there is nothing to sign off.")
SIGNOFF_RUNS_OPEN = N_("{n} run(s) are still in progress; finish them before asking for sign-off.")
SIGNOFF_NOT_REQUESTED = N_("No sign-off of this cycle is waiting for a decision.")
OPEN_CRITICAL_DEFECTS = N_(
    "{n} critical defect(s) are still open ({codes}). Sign off only with an explicit override and its reason."
)
OVERRIDE_REASON_REQUIRED = N_("Give the reason for signing off with open critical defects.")

# --- files -------------------------------------------------------------------------------

#: Evidence of a run and load-test reports: screenshots, pdf, Office files, text exports.
#: (No zip: a run's evidence is opened by the client's testers, one file at a time.)
TEST_EVIDENCE_TYPES = types_of(".png", ".jpg", ".jpeg", ".gif", ".pdf", ".xlsx", ".docx", ".txt", ".log", ".csv")


def evidence_max_bytes() -> int:
    """The size limit of evidence and reports (setting ``TESTING_EVIDENCE_MAX_BYTES``, 10 MB)."""
    return getattr(settings, "TESTING_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_test_file(file, *, field: str = "file") -> CheckedUpload:
    """The one upload check of evidence and load-test reports (``projects.files``)."""
    return validate_upload(file, types=TEST_EVIDENCE_TYPES, max_bytes=evidence_max_bytes(), field=field)


# --- checks ------------------------------------------------------------------------------


def check_member(project: Project, user, field: str) -> None:
    if user is not None and not is_member(user, project):
        raise DomainError(_(NOT_A_MEMBER).format(user=user), field=field)


def check_same_project(project: Project, obj, what: str, field: str) -> None:
    if obj is not None and obj.owning_project_id != project.pk:
        raise DomainError(_(OTHER_PROJECT).format(what=what), field=field)


def check_links(project: Project, links: dict) -> None:
    """Linked requirements / development items / environment must be of the same project."""
    for field, value in links.items():
        items = value if isinstance(value, list | tuple | set) or hasattr(value, "all") else [value]
        for item in items:
            if item is not None and item.project_id != project.pk:
                raise DomainError(_(OTHER_PROJECT).format(what=field.replace("_", " ").rstrip("s")), field=field)


def check_not_signed_off(cycle) -> None:
    if cycle.is_signed_off:
        raise DomainError(_(CYCLE_SIGNED_OFF))
