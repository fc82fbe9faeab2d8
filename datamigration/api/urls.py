from rest_framework.routers import DefaultRouter

from datamigration.api import views

router = DefaultRouter()
router.register("objects", views.MasterDataObjectViewSet, basename="object")
router.register("uploads", views.UploadViewSet, basename="upload")
router.register("runs", views.MigrationRunViewSet, basename="run")
router.register("records", views.StagedRecordViewSet, basename="record")

urlpatterns = router.urls
