from django.urls import path

from phases.design import views

app_name = "design-portal"

urlpatterns = [
    path("", views.PortalSignoffListView.as_view(), name="signoff_list"),
    path("<int:pk>/", views.PortalDesignDetailView.as_view(), name="design_detail"),
    path("<int:pk>/decide/", views.PortalDecideView.as_view(), name="signoff_decide"),
]
