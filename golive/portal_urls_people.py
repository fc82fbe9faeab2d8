"""Portal pages of training, user guides and the support plan (gathered by
``golive/portal_urls.py``, namespace ``golive-portal``)."""

from django.urls import path

from golive.views import people_guides as guides
from golive.views import people_portal as views

urlpatterns = [
    path("training/", views.MyTrainingView.as_view(), name="my_training"),
    path("guides/", views.PortalGuidesView.as_view(), name="guides"),
    path("guides/files/<int:pk>/", guides.GuideDownloadView.as_view(), name="guide_download"),
    path("support/", views.PortalSupportPlanView.as_view(), name="support_plan"),
]
