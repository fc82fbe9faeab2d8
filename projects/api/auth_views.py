"""Per-user API tokens (django-rest-knox): stored hashed, expiring, revocable one by one.

``POST /api/v1/auth/token/`` with a username and password (or from a signed-in session)
returns a new token once; ``GET`` lists your tokens (never their secret);
``DELETE /api/v1/auth/token/<token_key>/`` revokes one.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from erpimpl.schema import ErrorSerializer
from projects import selectors, services


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    username = serializers.CharField(required=False)
    password = serializers.CharField(required=False, style={"input_type": "password"}, write_only=True)
    expiry_days = serializers.IntegerField(required=False, min_value=1, max_value=365)


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once. Send it as 'Authorization: Token <token>'.")
    token_key = serializers.CharField()
    expiry = serializers.DateTimeField()


INVALID_LOGIN = "Unable to sign in with these credentials."


class TokenListCreateView(generics.ListCreateAPIView):
    serializer_class = TokenSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return selectors.token_list(user=self.request.user)

    @extend_schema(
        description=(
            "A new token, from a username and password or from the signed-in session. Failed sign-ins are "
            "limited per account and per client address, together with the login page: past the limit the "
            "answer is 429 with Retry-After."
        ),
        request=TokenCreateSerializer,
        responses={
            201: NewTokenSerializer,
            429: OpenApiResponse(
                ErrorSerializer, "Too many failed sign-ins for this account or from this address (see Retry-After)."
            ),
        },
    )
    def post(self, request):
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user if request.user.is_authenticated else None
        if data.get("username"):
            try:
                user = services.login_attempt(request, username=data["username"], password=data.get("password", ""))
            except services.LoginLocked as locked:
                return Response(
                    {"detail": locked.message},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(locked.seconds)},
                )
            if user is None:
                return Response({"detail": INVALID_LOGIN}, status=status.HTTP_400_BAD_REQUEST)
        if user is None:
            return Response({"detail": INVALID_LOGIN}, status=status.HTTP_400_BAD_REQUEST)
        instance, token = services.token_create(user=user, expiry_days=data.get("expiry_days"))
        return Response(
            {"token": token, "token_key": instance.token_key, "expiry": instance.expiry},
            status=status.HTTP_201_CREATED,
        )


class TokenRevokeView(generics.DestroyAPIView):
    serializer_class = TokenSerializer
    lookup_field = "token_key"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return selectors.token_list(user=self.request.user)

    def perform_destroy(self, instance):
        services.token_revoke(user=self.request.user, token_key=instance.token_key)
