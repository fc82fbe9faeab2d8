"""Go/no-go pages of the client portal (gathered by ``golive/portal_urls.py``, namespace
``golive-portal``): the sponsor decides GO / NO-GO here."""

from django.urls import path

from golive.views import decisions as views

urlpatterns = [
    path("decisions/", views.PortalDecisionHomeView.as_view(), name="decision_home"),
    path("decisions/<int:pk>/", views.PortalDecisionDetailView.as_view(), name="decision_detail"),
]
