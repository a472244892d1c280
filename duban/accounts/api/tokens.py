"""API tokens (django-rest-knox): created with the user's password (and the authenticator's code where
the user has one), stored hashed, shown once, expiring, revocable one by one or all at once."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from duban.core.errors import Invalid

from .. import services


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(label=_("密码"), max_length=4096, style={"input_type": "password"})
    otp = serializers.CharField(
        label=_("验证码"),
        max_length=10,
        required=False,
        allow_blank=True,
        help_text=_("绑定了手机验证器的用户必填。"),
    )


TOKEN_ANSWER = inline_serializer(
    "TokenAnswer", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)


class TokenCreateView(APIView):
    """A new API token for the user; its key is in this answer only."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TOKEN_ANSWER})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise Invalid(_("用户名或密码不正确。"), code="authentication_failed")
        if user.needs_second_factor or services.second_factor_device(user) is not None:
            services.second_factor_verify(user=user, code=data.validated_data.get("otp", ""))
        if services.password_expired(user):
            raise Invalid(
                _("请先在网页上修改密码（首次登录或密码已超过使用期限）。"), code="password_expired"
            )
        instance, key = services.api_token_create(user=user)
        return Response({"token": key, "expiry": instance.expiry}, status=status.HTTP_200_OK)


class TokenRevokeView(APIView):
    """Revoke the token this call is made with."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        request._auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeAllView(APIView):
    """Revoke every token of the user."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.revoke_api_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
