"""Registers the readiness API on the go-live router (``golive.api.urls``): criteria and runs.

Route names: ``golive-api:readiness-criterion-list|detail|assess|rules`` and
``golive-api:readiness-run-list|detail|cancel|compare``.
"""

from golive.api.readiness_views import ReadinessCriterionViewSet, ReadinessRunViewSet


def register(router) -> None:
    router.register("readiness-criteria", ReadinessCriterionViewSet, basename="readiness-criterion")
    router.register("readiness-runs", ReadinessRunViewSet, basename="readiness-run")
