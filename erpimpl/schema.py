"""OpenAPI generation: input serializers for request bodies, the error answers, and the
shapes the API really answers.

Every operation documents its error responses (401, 403, 404, 400, 409, 413) with the shape
``erpimpl.errors`` produces, and write operations take their ``input_serializer_class``:

- a list with pagination answers 404 for a page past the last one;
- a DELETE answers 400 when a business rule refuses it and 409 when other rows refer to it;
- a body carrying ``version`` answers 409 when it is stale (PATCH and the actions alike);
- a body carrying a file answers 413 when the file is over its size limit.

Response fields are nullable when they can answer ``null``: a read-only field whose source
crosses a nullable model field (``owner``, ``approval.decided_by``) or whose default is
``None``. Fields a client role does not receive (``Meta.internal_fields``, see
``projects.api.base.InternalFieldsMixin``) are not required. A string with a format that
may be blank (``url``, ``email``) documents the empty string too.

Downloads name their format with ``file_format`` (``FILE_FORMAT``); DRF's ``?format=``
override is switched off (``URL_FORMAT_OVERRIDE = None``), so no parameter name is a trap.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


class FieldErrorsSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    field_name = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="One list of messages per invalid field."
    )


# --- shared pieces of the views' annotations -------------------------------------------------

#: ``?file_format=csv|xlsx``: the one name of a download's format, on every export.
FILE_FORMAT = OpenApiParameter(
    "file_format", str, enum=["csv", "xlsx"], description="The file to download: csv (the default) or xlsx."
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The responses of a CSV/XLSX download.
SPREADSHEET_DOWNLOAD = {(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY}
#: The response of a stored file: it keeps the content type it was uploaded with.
FILE_DOWNLOAD = {(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, "The file, with its own content type.")}
PROJECT_NOT_FOUND = OpenApiResponse(ErrorSerializer, "No project with this code among the projects you can see.")


def project_parameter(**kwargs) -> OpenApiParameter:
    """``?project=CODE`` of an operation that works on one project."""
    kwargs.setdefault("required", True)
    kwargs.setdefault("description", "Project code (a project you belong to).")
    return OpenApiParameter("project", str, **kwargs)


# --- the generator ----------------------------------------------------------------------------


def _source_model_fields(field):
    """The model fields a serializer field's ``source`` crosses, as far as they are model fields."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*" or isinstance(field, serializers.SerializerMethodField):
        return
    for name in field.source_attrs:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return  # a property or a method: its own annotation decides
        yield model_field
        if model_field.one_to_many or model_field.many_to_many:
            return  # a collection: a list, never null
        model = model_field.related_model
        if model is None:
            return


def may_answer_null(field) -> bool:
    """Whether a read-only serializer field can answer ``null`` without saying so itself."""
    if field.allow_null or not field.read_only or isinstance(field, serializers.ListSerializer):
        return False
    if field.default is None:
        return True
    return any(
        model_field.null and not (model_field.one_to_many or model_field.many_to_many)
        for model_field in _source_model_fields(field)
    )


def may_answer_blank(field) -> bool:
    """Whether a read-only text field answers ``""`` for a blank model field (``url``, ``email``)."""
    if not field.read_only or not isinstance(field, serializers.CharField):
        return False
    crossed = list(_source_model_fields(field))
    return bool(crossed) and crossed[-1].blank and len(crossed) == len(field.source_attrs)


def _request_serializers(request) -> list:
    if isinstance(request, dict):
        return [serializer for serializer in request.values() if serializer is not None]
    return [request] if request is not None else []


class ErpimplAutoSchema(AutoSchema):
    def get_request_serializer(self):
        view = self.view
        if self.method == "PATCH" and getattr(view, "update_serializer_class", None):
            return view.update_serializer_class
        if self.method in ("POST", "PATCH", "PUT") and getattr(view, "input_serializer_class", None):
            action_inputs = getattr(view, "action_input_serializers", {})
            return action_inputs.get(getattr(view, "action", None), view.input_serializer_class)
        return super().get_request_serializer()

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and isinstance(field, serializers.Field) and may_answer_null(field):
            meta["nullable"] = True
        return meta

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if schema.get("type") == "string" and "format" in schema and may_answer_blank(field):
            outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {key: schema.pop(key) for key in list(schema) if key not in outer}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        internal = getattr(getattr(serializer, "Meta", None), "internal_fields", ())
        if direction == "response" and internal and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in internal]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _request_field_names(self) -> set[str]:
        if self.method not in ("POST", "PATCH", "PUT"):
            return set()
        names = set()
        for serializer in _request_serializers(self.get_request_serializer()):
            instance = serializer() if isinstance(serializer, type) else serializer
            if isinstance(instance, serializers.Serializer):
                names |= {name for name, f in instance.fields.items() if not f.read_only}
                names |= {"<file>" for f in instance.fields.values() if isinstance(f, serializers.FileField)}
        return names

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        request_fields = self._request_field_names()
        errors = {"401": OpenApiResponse(ErrorSerializer, "Not authenticated.")}
        if "{" in self.path:
            errors["404"] = OpenApiResponse(ErrorSerializer, "No such object among the projects you can see.")
        elif self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            errors["404"] = OpenApiResponse(ErrorSerializer, "Invalid page: past the last one.")
        if self.method != "GET":
            errors["403"] = OpenApiResponse(ErrorSerializer, "Your role on the project does not allow this.")
        if self.method in ("POST", "PATCH", "PUT"):
            errors["400"] = OpenApiResponse(FieldErrorsSerializer, "Invalid input, with field-level messages.")
        if self.method == "DELETE":
            errors["400"] = OpenApiResponse(
                ErrorSerializer, "A business rule refuses the deletion (the message says which)."
            )
            errors["409"] = OpenApiResponse(ErrorSerializer, "Other rows still refer to it (the message names them).")
        if self.method in ("PATCH", "PUT") or "version" in request_fields:
            errors["409"] = OpenApiResponse(ErrorSerializer, "Stale version: the record changed since you read it.")
        if "<file>" in request_fields:
            errors["413"] = OpenApiResponse(FieldErrorsSerializer, "The file is over its size limit.")
        if self.method == "GET" and any(p["in"] == "query" for p in self._get_parameters()):
            errors["400"] = OpenApiResponse(FieldErrorsSerializer, "An invalid query parameter (a filter value).")
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        for code, response in responses.items():
            content = response.get("content", {})
            if code.startswith("4") and "application/json" in content:
                # Errors are JSON whatever the endpoint renders (erpimpl.errors), downloads included.
                response["content"] = {"application/json": content["application/json"]}
        return responses
