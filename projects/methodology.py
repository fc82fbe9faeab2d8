"""The built-in methodology: six phases, their standard activities and deliverables.

Offsets and durations are in days relative to a nominal phase; when a project is created
they are scaled to the phase's real window (see ``services.project_create``).
"""

from django.utils.translation import gettext_noop as _

from projects.models import PhaseKind

BUILTIN_TEMPLATE_NAME = "erpimpl standard (six phases)"

#: Share of the start → go-live window given to each phase before go-live.
PHASE_SHARE = {
    PhaseKind.DISCOVERY: 0.15,
    PhaseKind.DESIGN: 0.20,
    PhaseKind.DEVELOPMENT: 0.30,
    PhaseKind.TESTING: 0.25,
    PhaseKind.DEPLOYMENT: 0.10,
}
#: Support (hypercare) runs this many days after go-live.
SUPPORT_DAYS = 60

# (phase, kind, title, start offset, duration)
BUILTIN_ITEMS = [
    (PhaseKind.DISCOVERY, "activity", _("Kick-off meeting: goals, schedule, roles, expectations"), 0, 2),
    (PhaseKind.DISCOVERY, "activity", _("Client discovery workshops: current processes and pain points"), 2, 10),
    (PhaseKind.DISCOVERY, "activity", _("Requirements catalogue with fit/gap"), 5, 12),
    (PhaseKind.DISCOVERY, "activity", _("RAID log set up and reviewed"), 2, 15),
    (PhaseKind.DISCOVERY, "activity", _("Detailed plan: PM method, rollout plan, test procedures"), 10, 7),
    (PhaseKind.DISCOVERY, "activity", _("Master data collection: objects and templates"), 12, 8),
    (PhaseKind.DISCOVERY, "deliverable", _("Discovery report and agreed requirements"), 17, 3),
    (PhaseKind.DESIGN, "activity", _("As-is and to-be process design (BPMN)"), 0, 15),
    (PhaseKind.DESIGN, "activity", _("Work instructions and function descriptions"), 8, 12),
    (PhaseKind.DESIGN, "activity", _("Technical requirements: hardware, network, security, backup"), 5, 10),
    (PhaseKind.DESIGN, "deliverable", _("Solution design document signed off"), 20, 5),
    (PhaseKind.DEVELOPMENT, "activity", _("Environments set up (development, test, UAT)"), 0, 5),
    (PhaseKind.DEVELOPMENT, "activity", _("Custom features: reports, forms, process tweaks"), 3, 30),
    (PhaseKind.DEVELOPMENT, "activity", _("Extensions and integrations with external systems"), 5, 30),
    (PhaseKind.DEVELOPMENT, "activity", _("Mock data loads"), 15, 15),
    (PhaseKind.DEVELOPMENT, "deliverable", _("Development items dev-tested"), 35, 5),
    (PhaseKind.TESTING, "activity", _("Functional and integration testing"), 0, 15),
    (PhaseKind.TESTING, "activity", _("Load testing"), 10, 5),
    (PhaseKind.TESTING, "activity", _("User acceptance testing with key users"), 15, 15),
    (PhaseKind.TESTING, "deliverable", _("UAT sign-off"), 30, 3),
    (PhaseKind.DEPLOYMENT, "activity", _("Training and user guides"), 0, 8),
    (PhaseKind.DEPLOYMENT, "activity", _("Go-live readiness check and support plan"), 4, 5),
    (PhaseKind.DEPLOYMENT, "activity", _("Cutover runbook and final data load"), 8, 4),
    (PhaseKind.DEPLOYMENT, "deliverable", _("Go/no-go decision and go-live"), 12, 1),
    (PhaseKind.SUPPORT, "activity", _("Hypercare: monitoring and incidents within SLA"), 0, 30),
    (PhaseKind.SUPPORT, "activity", _("Maintenance windows: backups, patches, security"), 10, 40),
    (PhaseKind.SUPPORT, "activity", _("Change requests, releases and extra training"), 20, 40),
    (PhaseKind.SUPPORT, "deliverable", _("Handover to the client's support organisation"), 55, 5),
]
