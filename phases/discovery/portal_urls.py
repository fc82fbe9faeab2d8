"""Client portal routes, mounted at ``/portal/<code>/discovery/``."""

from django.urls import path

from phases.discovery import views as v

app_name = "discovery-portal"

urlpatterns = [
    path("", v.PortalSignoff.as_view(), name="signoff"),
    path("signoffs/<int:pk>/decide/", v.PortalSignoffDecide.as_view(), name="signoff_decide"),
]
