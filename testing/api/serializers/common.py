"""Shared pieces of the testing API's serializers: brief references to linked objects."""

from rest_framework import serializers


class TestingRefSerializer(serializers.Serializer):
    """A linked object in brief: id, code and title."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class TestingEnvironmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
