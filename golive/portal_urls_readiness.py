"""Readiness pages of the portal (gathered by ``golive/portal_urls.py``, namespace ``golive-portal``)."""

from django.urls import path

from golive.views import readiness_portal as portal

urlpatterns = [
    path("", portal.PortalReadinessView.as_view(), name="readiness"),
    path("criteria/<int:pk>/assess/", portal.PortalCriterionAssessView.as_view(), name="criterion_assess"),
]
