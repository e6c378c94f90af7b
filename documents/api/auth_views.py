"""The API's login door and its way out: a token for a username and password (throttled like the other doors,
shown once, ending after API_TOKEN_HOURS), revoked at logout; django-rest-knox keeps only its digest."""

from axes.handlers.proxy import AxesProxyHandler
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.views import LogoutAllView, LogoutView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import audit
from documents.lockout import failures_forget, lockout_response
from documents.tokens import token_issue


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}),
    )
    def post(self, request):
        # django-axes marks a lockout on the request it is given; DRF hands it its own Request wrapper, which
        # the middleware never sees: so the lockout is asked for here, before and after the password is checked.
        if not hasattr(request.data, "get"):  # a JSON array or string is not a login
            return Response({"code": "invalid_request", "message": "Send a username and a password."}, status=400)
        # The serializer trims the name before checking it; so does the lockout question.
        credentials = {"username": str(request.data.get("username", "")).strip()}
        if AxesProxyHandler.is_locked(request._request, credentials):
            audit.audit("login_failed", request=request._request, username=credentials["username"], door="api",
                        locked_out=True)  # fmt: skip
            return lockout_response(request._request)
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if AxesProxyHandler.is_locked(request._request, credentials):
                return lockout_response(request._request)
            raise ValidationError(serializer.errors)  # answered in the portal's shape (api/exceptions.py)
        user = serializer.validated_data["user"]
        failures_forget(user.get_username())
        instance, token = token_issue(user=user)
        return Response({"token": token, "expiry": timezone.localtime(instance.expiry).isoformat()})


class TokenLogoutView(LogoutView):
    """Ends the token the call is made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class TokenLogoutAllView(LogoutAllView):
    """Ends every token of the calling user."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)
