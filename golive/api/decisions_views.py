"""The go/no-go decision API (``/api/v1/golive/decisions/``): scoped reads, writes through
``golive.services.decisions`` (the override rule is the service's, whatever the door)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from golive.api import decisions_serializers as s
from golive.filters.decisions import DecisionFilterSet
from golive.models import GoNoGoDecision
from golive.selectors.decisions import decision_list
from golive.services.decisions import decision_create, decision_decide, decision_update
from projects.api.base import ScopedViewSet, ServiceCreateMixin, ServiceUpdateMixin
from projects.roles import Capability as C


class DecisionViewSet(
    ServiceCreateMixin, ServiceUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """Go/no-go decisions: the meeting, the readiness snapshot, the sponsor's and the PM's sign-offs."""

    queryset = GoNoGoDecision.objects.all()
    serializer_class = s.DecisionSerializer
    input_serializer_class = s.DecisionInputSerializer
    update_serializer_class = s.DecisionUpdateSerializer
    filterset_class = DecisionFilterSet
    ordering_fields = ["meeting_at", "outcome", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {"list": C.VIEW, "retrieve": C.VIEW, "partial_update": C.EDIT, "decide": C.APPROVE}
    write_services = {"create": decision_create, "update": decision_update}
    service_object = "decision"

    def get_queryset(self):
        return decision_list(user=self.request.user).prefetch_related("attendees")

    @extend_schema(request=s.DecisionDecideSerializer, responses={200: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Answer your sign-off: GO (with conditions; an override reason when a blocker failed) or NO-GO."""
        decision = self.get_object()
        data = s.DecisionDecideSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        decided = decision_decide(decision=decision, by=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=decided.pk)).data)
