from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "phases.discovery"
    label = "discovery"
    verbose_name = _("Discovery & Planning")
    nav_items = [
        (_("Discovery"), "discovery:overview"),
        (_("Requirements"), "discovery:requirement_list"),
    ]
    portal_nav_items = [(_("Discovery sign-off"), "discovery-portal:signoff")]

    def ready(self):
        from phases.discovery import audit

        audit.register_models()
        _name_schema_enums()


#: OpenAPI names of this app's choice sets. Several apps have fields called ``status`` or
#: ``kind`` with different choices; naming ours keeps the schema free of collision warnings
#: without touching the shared settings (merged into SPECTACULAR_SETTINGS at start-up).
SCHEMA_ENUMS = {
    "BusinessAreaEnum": "phases.discovery.models.BusinessArea",
    "StakeholderLevelEnum": "phases.discovery.models.Level",
    "RequirementSourceEnum": "phases.discovery.models.Requirement.Source",
    "RequirementPriorityEnum": "phases.discovery.models.Requirement.Priority",
    "RequirementFitGapEnum": "phases.discovery.models.Requirement.FitGap",
    "RequirementResolutionEnum": "phases.discovery.models.Requirement.Resolution",
    "RequirementStatusEnum": "phases.discovery.models.Requirement.Status",
    "RaidItemKindEnum": "phases.discovery.models.RaidItem.Kind",
    "RaidItemStatusEnum": "phases.discovery.models.RaidItem.Status",
    "PlanDocumentKindEnum": "phases.discovery.models.PlanDocument.Kind",
    "RaciLetterEnum": "phases.discovery.models.RaciAssignment.Letter",
    "SignoffDecisionEnum": "phases.discovery.api.serializers.SIGNOFF_DECISIONS",
}


def _name_schema_enums():
    from django.conf import settings

    overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
    for name, path in SCHEMA_ENUMS.items():
        overrides.setdefault(name, path)
