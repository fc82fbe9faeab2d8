from django.urls import path

from phases.development import views

app_name = "development-portal"

urlpatterns = [
    path("", views.PortalBoardView.as_view(), name="board"),
]
