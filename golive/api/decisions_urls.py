"""Registers the go/no-go decision API on the go-live router (``golive.api.urls``)."""

from golive.api.decisions_views import DecisionViewSet


def register(router) -> None:
    router.register("decisions", DecisionViewSet, basename="decision")
