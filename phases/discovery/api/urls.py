from rest_framework.routers import DefaultRouter

from phases.discovery.api import views

router = DefaultRouter()
router.register("kickoffs", views.KickoffViewSet, basename="kickoff")
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")
router.register("current-processes", views.CurrentProcessViewSet, basename="current-process")
router.register("requirements", views.RequirementViewSet, basename="requirement")
router.register("raid-items", views.RaidItemViewSet, basename="raid-item")
router.register("rollout-waves", views.RolloutWaveViewSet, basename="rollout-wave")
router.register("plan-documents", views.PlanDocumentViewSet, basename="plan-document")
router.register("signoffs", views.DiscoverySignoffViewSet, basename="signoff")

urlpatterns = router.urls
