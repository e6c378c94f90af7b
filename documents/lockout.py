"""Login lockouts (django-axes counts the failures): what a locked-out login gets (a 429 saying when to try
again, as JSON for the API and as a page for people), a success forgetting only its own account's failures,
and every lockout and unlock kept as a SecurityEvent for supervisors."""

import math

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import audit
from documents.models import SecurityEvent, SecurityEventKind


def lockout_response(request, original_response=None, credentials=None):
    seconds = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    message = _(
        "Too many failed logins for this account or from this address. Try again in %(minutes)d minutes, "
        "or ask a supervisor to unlock it."
    ) % {"minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "message": message}, status=429)
    else:
        response = render(request, "locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def failures_forget(username: str) -> None:
    """A successful login clears that account's failed attempts, and no one else's. An address whose lockout
    that ends (its failures were partly this account's) is recorded as unlocked by that login."""
    attempts = AccessAttempt.objects.filter(username=username)
    if not attempts.exists():
        return
    before = locked_keys()
    attempts.delete()
    unlocks_record(before=before, actor=None, note=f"{username} logged in")


def _forget_on_login(sender, request, user, **kwargs) -> None:
    failures_forget(user.get_username())


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    """django-axes says so at the failure that reaches the limit and again at every try while locked: one record
    per account or address locked, for as long as it stays locked."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    usernames, addresses = locked_keys()
    locked = [("username", username)] if username in usernames else []
    locked += [("ip_address", ip_address)] if ip_address in addresses else []
    for key, value in locked:
        latest = SecurityEvent.objects.filter(at__gte=since, **{key: value}).order_by("-at", "-id").first()
        if latest is not None and latest.kind == SecurityEventKind.LOCKOUT:
            continue  # still the same lockout (an unlock since then makes the next one new)
        SecurityEvent.objects.create(
            kind=SecurityEventKind.LOCKOUT,
            note=f"after {settings.AXES_FAILURE_LIMIT} failed logins; until {until:%Y-%m-%d %H:%M %Z}",
            **{key: value},
        )
        audit.audit("locked_out", request=request, username=username or "", door=audit.door(request), locked=key,
              until=until.isoformat())  # fmt: skip


def locked_keys() -> tuple[set[str], set[str]]:
    """The usernames and addresses locked now: their failures within the cool-off reach the limit."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT

    def over(key: str) -> set[str]:
        rows = recent.values(key).annotate(failures=Sum("failures_since_start")).filter(failures__gte=limit)
        return {row[key] for row in rows if row[key]}

    return over("username"), over("ip_address")


def unlocks_record(*, before: tuple[set[str], set[str]], actor, note: str = "") -> None:
    """Record as unlocked, by `actor` (or what `note` says), every username and address locked `before` and
    not any more."""
    usernames, addresses = locked_keys()
    for username in sorted(before[0] - usernames):
        SecurityEvent.objects.create(kind=SecurityEventKind.UNLOCK, username=username, actor=actor, note=note)
        audit.audit("unlocked", username=username, note=note)
    for address in sorted(before[1] - addresses):
        SecurityEvent.objects.create(kind=SecurityEventKind.UNLOCK, ip_address=address, actor=actor, note=note)
        audit.audit("unlocked", username="", unlocked_ip=address, note=note)


def connect() -> None:
    user_logged_in.connect(_forget_on_login, dispatch_uid="lockout-forget-on-login")
    user_locked_out.connect(_locked_out, dispatch_uid="lockout-recorded")
