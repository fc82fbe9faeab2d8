"""Go/no-go decision pages of the dashboard (gathered by ``golive/urls.py``, namespace ``golive``)."""

from django.urls import path

from golive.views import decisions as views

urlpatterns = [
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision_edit"),
]
