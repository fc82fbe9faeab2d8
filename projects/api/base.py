"""Building blocks every app's API uses: scoped viewsets, the capability permission,
and service-backed create/update/delete.

The queryset is scoped to the caller (``visible_to``) before DRF filters, paginates or
looks up an object, so another project's object answers 404 on every route, including
custom actions. Writes never touch models directly: they validate an input serializer
and call the app's service, which checks the capability itself.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from projects.models import Project
from projects.roles import Capability, can


def project_of(obj) -> Project:
    if isinstance(obj, Project):
        return obj
    for part in getattr(obj, "scope_path", "project").split("__"):
        obj = getattr(obj, part)
    return obj


class HasProjectCapability(permissions.BasePermission):
    """The action's capability (``view.capabilities[action]``) on the object's project.

    ``has_permission`` only requires an authenticated, active user: lists are scoped by
    the queryset and creates by the service, which checks the target project.
    """

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)

    def has_object_permission(self, request, view, obj):
        capability = view.capabilities.get(view.action)
        if capability is None:
            return False
        return can(request.user, project_of(obj), capability)


class ScopedViewSet(viewsets.GenericViewSet):
    """A viewset whose queryset is what the caller may see. Subclasses set ``capabilities``."""

    permission_classes = [HasProjectCapability]
    capabilities: dict[str, Capability] = {"list": Capability.VIEW, "retrieve": Capability.VIEW}

    def scoped_queryset(self):
        return self.queryset.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        base = self.scoped_queryset()
        related = getattr(self, "select_related", ())
        return base.select_related(*related) if related else base


class VersionField(serializers.IntegerField):
    """The ``version`` the client read; a stale one answers 409."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "The version you read. A stale version answers 409 and changes nothing.")
        super().__init__(**kwargs)


def project_field(**kwargs):
    """``project`` named by code, among projects the caller can see; anything else is 400."""

    @extend_schema_field(OpenApiTypes.STR)
    class VisibleProjectField(serializers.SlugRelatedField):
        def get_queryset(self):
            return Project.objects.visible_to(self.context["request"].user)

    return VisibleProjectField(slug_field="code", **kwargs)


class ServiceCreateMixin:
    """POST: validate ``input_serializer_class``, call ``perform_service_create``, answer 201."""

    def get_input_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.input_serializer_class(*args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_service_create(serializer.validated_data)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)


class ServiceUpdateMixin:
    """PATCH: validate a partial input (``version`` required), call ``perform_service_update``."""

    def get_update_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        serializer_class = getattr(self, "update_serializer_class", None) or self.input_serializer_class
        return serializer_class(*args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_update_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": ["This field is required."]})
        updated = self.perform_service_update(instance, version, data)
        return Response(self.get_serializer(updated).data)


class ServiceDestroyMixin:
    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.perform_service_delete(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class ServiceModelViewSet(
    ServiceCreateMixin,
    ServiceUpdateMixin,
    ServiceDestroyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """List, retrieve, create, PATCH and delete, every write through a service."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
