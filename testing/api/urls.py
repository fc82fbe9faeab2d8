from rest_framework.routers import DefaultRouter

from testing.api import views

router = DefaultRouter()
router.register("test-cases", views.CaseViewSet, basename="case")
router.register("test-cycles", views.CycleViewSet, basename="cycle")
router.register("executions", views.ExecutionViewSet, basename="execution")
router.register("defects", views.DefectViewSet, basename="defect")
router.register("load-test-results", views.LoadTestResultViewSet, basename="load-test-result")
router.register("traceability", views.TraceabilityViewSet, basename="traceability")

urlpatterns = router.urls
