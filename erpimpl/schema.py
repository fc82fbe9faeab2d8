"""OpenAPI generation: input serializers for request bodies, and the error answers.

Every operation documents its error responses (401, 403, 404, 400, 409) with the shape
``erpimpl.errors`` produces, and write operations take their ``input_serializer_class``.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


class FieldErrorsSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    field_name = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="One list of messages per invalid field."
    )


class ErpimplAutoSchema(AutoSchema):
    def get_request_serializer(self):
        view = self.view
        if self.method == "PATCH" and getattr(view, "update_serializer_class", None):
            return view.update_serializer_class
        if self.method in ("POST", "PATCH", "PUT") and getattr(view, "input_serializer_class", None):
            action_inputs = getattr(view, "action_input_serializers", {})
            return action_inputs.get(getattr(view, "action", None), view.input_serializer_class)
        return super().get_request_serializer()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {"401": OpenApiResponse(ErrorSerializer, "Not authenticated.")}
        if "{" in self.path:
            errors["404"] = OpenApiResponse(ErrorSerializer, "No such object among the projects you can see.")
        if self.method != "GET":
            errors["403"] = OpenApiResponse(ErrorSerializer, "Your role on the project does not allow this.")
        if self.method in ("POST", "PATCH", "PUT"):
            errors["400"] = OpenApiResponse(FieldErrorsSerializer, "Invalid input, with field-level messages.")
        if self.method in ("PATCH", "PUT"):
            errors["409"] = OpenApiResponse(ErrorSerializer, "Stale version: the record changed since you read it.")
        if self.method == "GET" and "{" not in self.path:
            errors["400"] = OpenApiResponse(FieldErrorsSerializer, "An invalid filter value.")
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
