"""The readiness criteria every new project starts with (the methodology's go-live checklist).

The fifteen built-in rules, plus the manual checks no data can answer. A project's criteria
are its own once created: every field can be edited, criteria added, deactivated or deleted.
"""

from django.utils.translation import gettext_noop as N_

from golive.models import Category, ReadinessCriterion

AUTO = ReadinessCriterion.Kind.AUTOMATIC
MANUAL = ReadinessCriterion.Kind.MANUAL

#: (code, title, category, kind, rule, parameters, weight, blocking, internal)
DEFAULT_CRITERIA = [
    ("RD-01", N_("Scope signed off"), Category.SCOPE, AUTO, "scope_signed_off", {}, 3, True, False),
    (
        "RD-02",
        N_("Must-have requirements covered by tests"),
        Category.TESTING,
        AUTO,
        "must_requirements_covered",
        {},
        3,
        True,
        False,
    ),
    ("RD-03", N_("UAT signed off by the sponsor"), Category.TESTING, AUTO, "uat_signed_off", {}, 3, True, False),
    ("RD-04", N_("UAT pass rate"), Category.TESTING, AUTO, "pass_rate", {}, 2, False, False),
    ("RD-05", N_("No open major or critical defects"), Category.TESTING, AUTO, "open_defects", {}, 3, True, False),
    (
        "RD-06",
        N_("Mock loads of every required object"),
        Category.DATA_MIGRATION,
        AUTO,
        "mock_loads",
        {},
        2,
        False,
        False,
    ),
    (
        "RD-07",
        N_("Latest loads clean and reconciled"),
        Category.DATA_MIGRATION,
        AUTO,
        "latest_load_clean",
        {},
        3,
        True,
        False,
    ),
    (
        "RD-08",
        N_("Technical requirements verified"),
        Category.SECURITY,
        AUTO,
        "technical_verified",
        {},
        2,
        False,
        False,
    ),
    (
        "RD-09",
        N_("Production environment answering"),
        Category.ENVIRONMENT,
        AUTO,
        "production_health",
        {},
        2,
        True,
        True,
    ),
    ("RD-10", N_("Training completed"), Category.TRAINING, AUTO, "training_completion", {}, 2, False, False),
    ("RD-11", N_("Support plan approved"), Category.SUPPORT, AUTO, "support_plan_approved", {}, 2, True, False),
    ("RD-12", N_("Cutover rehearsed"), Category.CUTOVER, AUTO, "rehearsals", {}, 2, True, True),
    (
        "RD-13",
        N_("Cutover tasks owned, timed, with rollback"),
        Category.CUTOVER,
        AUTO,
        "cutover_tasks_complete",
        {},
        1,
        False,
        True,
    ),
    ("RD-14", N_("User guides published"), Category.TRAINING, AUTO, "user_guides_published", {}, 1, False, False),
    (
        "RD-15",
        N_("No overdue deployment tasks"),
        Category.CUTOVER,
        AUTO,
        "deployment_tasks_on_time",
        {},
        1,
        False,
        True,
    ),
    ("RD-16", N_("Security review passed"), Category.SECURITY, MANUAL, "", {}, 2, True, True),
    (
        "RD-17",
        N_("External systems confirmed for the go-live date"),
        Category.EXTERNAL,
        MANUAL,
        "",
        {},
        2,
        False,
        False,
    ),
]
