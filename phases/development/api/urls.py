from rest_framework.routers import DefaultRouter

from phases.development.api import views

router = DefaultRouter()
router.register("items", views.DevelopmentItemViewSet, basename="item")
router.register("environments", views.EnvironmentViewSet, basename="environment")
router.register("releases", views.ReleaseViewSet, basename="release")

urlpatterns = router.urls
