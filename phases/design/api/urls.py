from rest_framework.routers import DefaultRouter

from phases.design.api import views

router = DefaultRouter()
router.register("process-designs", views.ProcessDesignViewSet, basename="processdesign")
router.register("process-design-versions", views.ProcessDesignVersionViewSet, basename="processdesignversion")
router.register("function-descriptions", views.FunctionDescriptionViewSet, basename="functiondescription")
router.register("technical-requirements", views.TechnicalRequirementViewSet, basename="technicalrequirement")
router.register("coverage", views.CoverageViewSet, basename="coverage")

urlpatterns = router.urls
