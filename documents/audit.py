"""The security audit trail: logins, failed logins, lockouts, API tokens issued and ended, and API calls refused.

Each event is one line on the `ocrportal.audit` logger, a JSON object: what happened, to whom, by whom, from
which address, when (UTC). Never a password or a token: a token is named by the first 8 characters of its
digest, which cannot be turned back into it. Lockouts and unlocks are also kept as SecurityEvent rows, which
supervisors see in the admin.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from knox.models import AuthToken

from documents.lockout import client_ip
from documents.models import SecurityEvent, SecurityEventKind

logger = logging.getLogger("ocrportal.audit")

_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    """Lets events raised deep inside a request (a token deleted by a password change, say) name who and where."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        marker = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(marker)


def audit(event: str, *, request=None, user=None, username: str | None = None, **details) -> dict:
    """Log one audit event; `user` is whom it concerns (the actor, unless `actor` is given in details)."""
    request = request or _request.get()
    actor = getattr(request, "user", None) if request is not None else None
    record = {
        "event": event,
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "user": username if username is not None else (user.get_username() if user is not None else None),
        "actor": actor.get_username() if actor is not None and actor.is_authenticated else None,
        "ip": client_ip(request) if request is not None else None,
        "method": getattr(request, "method", None),
        "path": getattr(request, "path", None),
        **details,
    }
    logger.info(json.dumps(record, ensure_ascii=False, default=str), extra={"audit": record})
    return record


def _door(request) -> str:
    path = getattr(request, "path", "") or ""
    if path.startswith("/admin/"):
        return "admin"
    return "api" if path.startswith("/api/") else "web"


def _logged_in(sender, request, user, **kwargs) -> None:
    audit("login", request=request, user=user, door=_door(request))


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit("logout", request=request, user=user, door=_door(request))


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked anything secret in `credentials`; only the name is taken.
    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    audit("login_failed", request=request, username=username, door=_door(request), locked_out=locked)


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
        audit("locked_out", request=request, username=username or "", door=_door(request), locked=key,
              until=until.isoformat())  # fmt: skip


def locked_keys() -> tuple[set[str], set[str]]:
    """The usernames and addresses locked now: their failures within the cool-off reach the limit."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT

    def over(key: str) -> set[str]:
        rows = recent.values(key).annotate(failures=Sum("failures_since_start")).filter(failures__gte=limit)
        return {row[key] for row in rows if row[key]}

    return over("username"), over("ip_address")


def unlocks_record(*, before: tuple[set[str], set[str]], actor) -> None:
    """Record as unlocked, by `actor`, every username and address locked `before` and not any more."""
    usernames, addresses = locked_keys()
    for username in sorted(before[0] - usernames):
        SecurityEvent.objects.create(kind=SecurityEventKind.UNLOCK, username=username, actor=actor)
        audit("unlocked", username=username)
    for address in sorted(before[1] - addresses):
        SecurityEvent.objects.create(kind=SecurityEventKind.UNLOCK, ip_address=address, actor=actor)
        audit("unlocked", username="", unlocked_ip=address)


def _token_name(token: AuthToken) -> str:
    return token.digest[:8]


def _token_owner(token: AuthToken) -> str | None:
    try:
        return token.user.get_username()
    except token._meta.get_field("user").related_model.DoesNotExist:
        return None  # deleted with its user


def _token_saved(sender, instance: AuthToken, created: bool, **kwargs) -> None:
    if created:
        audit("token_issued", username=_token_owner(instance), token=_token_name(instance), expiry=instance.expiry)


def _token_deleted(sender, instance: AuthToken, **kwargs) -> None:
    expired = instance.expiry is not None and instance.expiry <= timezone.now()
    event = "token_expired" if expired else "token_revoked"
    audit(event, username=_token_owner(instance), token=_token_name(instance))


def api_refused(request, status: int, code: str) -> None:
    user = getattr(request, "user", None)
    audit("api_refused", request=request, user=user if user is not None and user.is_authenticated else None,
          status=status, code=code)  # fmt: skip


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")
    post_save.connect(_token_saved, sender=AuthToken, dispatch_uid="audit-token-issued")
    post_delete.connect(_token_deleted, sender=AuthToken, dispatch_uid="audit-token-ended")
