"""The API's login door: a token for a username and password, throttled like the other doors."""

from axes.handlers.proxy import AxesProxyHandler
from rest_framework.authtoken.views import ObtainAuthToken

from documents.lockout import lockout_response


class TokenView(ObtainAuthToken):
    # django-axes marks a lockout on the request it is given; DRF hands it its own Request wrapper, which the
    # middleware never sees: so the lockout is asked for here, before and after the password is checked.
    def post(self, request, *args, **kwargs):
        credentials = {"username": request.data.get("username", "")}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return lockout_response(request._request)
        return super().post(request, *args, **kwargs)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        credentials = {"username": self.request.data.get("username", "")}
        if AxesProxyHandler.is_locked(self.request._request, credentials):
            return lockout_response(self.request._request)
        return response
