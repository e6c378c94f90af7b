"""What a locked-out login gets (django-axes calls these): a 429 saying when to try again, as JSON for the API
and as a page for people, and the client address that throttling counts."""

import ipaddress
import math

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    seconds = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    message = _(
        "Too many failed logins for this account or from this address. Try again in %(minutes)d minutes, "
        "or ask a supervisor to unlock it."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "message": message}, status=429)
    else:
        response = render(request, "locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the outermost one of
    them saw (it appended it to X-Forwarded-For; what the client itself put there is not trusted). Anything
    there that is not an address (a port, a name, markup) is not taken: REMOTE_ADDR is."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if settings.TRUSTED_PROXIES and len(hops) >= settings.TRUSTED_PROXIES:
        candidate = hops[-settings.TRUSTED_PROXIES]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def failures_forget(username: str) -> None:
    """A successful login clears that account's failed attempts, and no one else's."""
    AccessAttempt.objects.filter(username=username).delete()


def _forget_on_login(sender, request, user, **kwargs) -> None:
    failures_forget(user.get_username())


def connect() -> None:
    user_logged_in.connect(_forget_on_login, dispatch_uid="lockout-forget-on-login")
