"""Building blocks every app's API uses: scoped viewsets, the capability permission,
and service-backed create/update/delete.

The queryset is scoped to the caller (``visible_to``) before DRF filters, paginates or
looks up an object, so another project's object answers 404 on every route, including
custom actions. Writes never touch models directly: they validate an input serializer
and call the app's service, which checks the capability itself.
"""

from contextlib import contextmanager
from datetime import UTC, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from erpimpl.errors import DomainError
from projects.api.related import attach_related_ids, related_id_sources
from projects.models import Project
from projects.roles import Capability, can


@contextmanager
def errors_named(**request_fields: str):
    """A service's refusal named after the request's field: ``with errors_named(bpmn_file="file"):``.

    A service names the field at fault after its own argument (the page form's field); where
    the API's request calls that field differently, the answer must name the request's one.
    """
    try:
        yield
    except DomainError as exc:
        exc.field = request_fields.get(exc.field, exc.field)
        raise
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {request_fields.get(name, name): errors for name, errors in exc.error_dict.items()}
        ) from exc


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
    #: What a list answers with, when lighter than the detail (``None``: ``serializer_class``).
    #: A page of 50 rows each building nested serializers cost more than its queries.
    list_serializer_class = None

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            attach_related_ids(page, related_id_sources(self.get_serializer_class()))
        return page

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


EARLIEST_MOMENT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
MOMENT_OUT_OF_RANGE = N_("Give a date and time between 1970 and 2999.")


class MomentField(serializers.DateTimeField):
    """A date and time a project can mean: between 1970 and 2999.

    Earlier ones would come back in the time zone's local mean time (``+07:06:30`` in
    Asia/Ho_Chi_Minh before 1906): an offset no client parses, so the answer would not be the
    RFC 3339 date-time the schema promises.
    """

    default_help_text = "A date and time between 1970 and 2999 (RFC 3339)."

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not EARLIEST_MOMENT <= moment <= LATEST_MOMENT:
            raise serializers.ValidationError(_(MOMENT_OUT_OF_RANGE))
        return moment


@extend_schema_field(OpenApiTypes.STR)
class ProjectCodeField(serializers.SlugRelatedField):
    """``project`` named by code, among projects the caller can see; anything else is 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Project code.")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Project.objects.all())  # the schema's hint; lookups are scoped
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return Project.objects.visible_to(self.context["request"].user)


def project_field(**kwargs) -> ProjectCodeField:
    return ProjectCodeField(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key among the rows of ``model`` the caller can see.

    Anything else, another project's row included, answers 400 "does not exist": no leak.
    The service still checks that the row belongs to the same project as the object.
    """

    def __init__(self, model=None, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model.objects.all())  # the schema's hint; lookups are scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


def scoped_pk(model, **kwargs) -> ScopedPrimaryKeyField:
    return ScopedPrimaryKeyField(model=model, **kwargs)


_ENUM_FIELDS: dict[str, type] = {}


def enum_field(choices, component: str, *, blank: bool = False, **kwargs):
    """A ChoiceField published in the schema as its own named enum component."""
    if component not in _ENUM_FIELDS:
        values = [c[0] if isinstance(c, tuple | list) else c for c in choices] + ([""] if blank else [])
        _ENUM_FIELDS[component] = extend_schema_field({"type": "string", "enum": values}, component_name=component)(
            type(f"{component}Field", (serializers.ChoiceField,), {})
        )
    if blank:
        kwargs.setdefault("allow_blank", True)
    return _ENUM_FIELDS[component](choices=choices, **kwargs)


INTERNAL_HELP = "Internal: present only for the consulting firm's roles (PM, consultant)."


class InternalFieldsMixin:
    """Drops ``Meta.internal_fields`` from the output for callers without ``VIEW_INTERNAL``
    on the object's project (client roles). Decided once per request, not per row."""

    def _shows_internal(self, project_id) -> bool:
        # Per project, from the role the request has already read (``RoleMemo``).
        cache = self.context.setdefault("_shows_internal", {})
        if project_id not in cache:
            request = self.context.get("request")
            cache[project_id] = request is not None and can(request.user, project_id, Capability.VIEW_INTERNAL)
        return cache[project_id]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        internal_fields = getattr(self.Meta, "internal_fields", ())
        if internal_fields and not self._shows_internal(project_of(instance).pk):
            for name in internal_fields:
                data.pop(name, None)
        return data


class ServiceCallsMixin:
    """A viewset declares its services instead of writing ``perform_service_*`` methods::

        write_services = {"create": services.case_create, "update": services.case_update,
                          "delete": services.case_delete}
        service_object = "case"  # the keyword under which update/delete get the instance

    ``create(by=, **data)``, ``update(<object>=, by=, version=, **data)``,
    ``delete(<object>=, by=)``. A viewset with an unusual call still overrides the method.
    """

    write_services: dict = {}
    service_object: str = ""

    def _service(self, name):
        try:
            return self.write_services[name]
        except KeyError:
            raise NotImplementedError(f"{type(self).__name__} declares no {name!r} service") from None

    def perform_service_create(self, data):
        return self._service("create")(by=self.request.user, **data)

    def perform_service_update(self, instance, version, data):
        return self._service("update")(**{self.service_object: instance}, by=self.request.user, version=version, **data)

    def perform_service_delete(self, instance):
        self._service("delete")(**{self.service_object: instance}, by=self.request.user)


class ServiceCreateMixin(ServiceCallsMixin):
    """POST: validate ``input_serializer_class``, call ``perform_service_create``, answer 201."""

    def get_input_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.input_serializer_class(*args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_service_create(serializer.validated_data)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)


READ_ONLY_FIELD = N_("This field cannot be changed here.")
UNKNOWN_FIELD = N_("Unknown field.")
CHANGED_BY_ACTION = N_("Only the “{action}” action changes this field: POST {url}.")


class ServiceUpdateMixin(ServiceCallsMixin):
    """PATCH: validate a partial input (``version`` required), call ``perform_service_update``.

    A body naming a field the update does not take (read-only, unknown, or changed only by
    an action: ``field_actions = {"status": "transition"}``) answers 400 listing each such
    field, and changes nothing: a field is never silently ignored.
    """

    field_actions: dict[str, str] = {}

    def get_update_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        serializer_class = getattr(self, "update_serializer_class", None) or self.input_serializer_class
        return serializer_class(*args, **kwargs)

    def refuse_fields_not_taken(self, request, serializer) -> None:
        if not hasattr(request.data, "keys"):
            return  # not an object: the serializer answers 400 for it
        taken = {name for name, field in serializer.fields.items() if not field.read_only}
        refused = sorted(set(request.data.keys()) - taken)
        if not refused:
            return
        shown = set(self.get_serializer().fields)
        errors = {}
        for name in refused:
            if name in self.field_actions:
                action = getattr(self, self.field_actions[name])
                url = f"{request.path}{action.url_path}/"
                errors[name] = [_(CHANGED_BY_ACTION).format(action=action.url_path, url=url)]
            else:
                errors[name] = [_(READ_ONLY_FIELD) if name in shown else _(UNKNOWN_FIELD)]
        raise serializers.ValidationError(errors)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_update_serializer(data=request.data, partial=True)
        self.refuse_fields_not_taken(request, serializer)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": ["This field is required."]})
        updated = self.perform_service_update(instance, version, data)
        return Response(self.get_serializer(updated).data)


class ServiceDestroyMixin(ServiceCallsMixin):
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
