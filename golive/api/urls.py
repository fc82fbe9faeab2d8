"""The go-live API (``/api/v1/golive/``): each sub-domain registers its viewsets on one router
(``golive.api.<part>_urls.register(router)``, see ``golive.parts``)."""

from rest_framework.routers import DefaultRouter

from golive.parts import PARTS, optional

router = DefaultRouter()
for _part in PARTS:
    _module = optional(f"golive.api.{_part}_urls")
    if _module is not None:
        _module.register(router)

urlpatterns = router.urls
