"""The security audit trail: logins, failed logins, lockouts, API tokens issued and ended, and API calls refused.

Each event is one line on the `ocrportal.audit` logger, a JSON object: what happened, to whom, by whom, from
which address, when (UTC). Never a password or a token: a token is named by the first 8 characters of its
digest, which cannot be turned back into it. Lockouts and unlocks are also kept as SecurityEvent rows, which
supervisors see in the admin (lockout.py).
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from knox.models import AuthToken

from documents.client_address import client_ip

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


def door(request) -> str:
    path = getattr(request, "path", "") or ""
    if path.startswith("/admin/"):
        return "admin"
    return "api" if path.startswith("/api/") else "web"


def _logged_in(sender, request, user, **kwargs) -> None:
    audit("login", request=request, user=user, door=door(request))


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit("logout", request=request, user=user, door=door(request))


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked anything secret in `credentials`; only the name is taken.
    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    audit("login_failed", request=request, username=username, door=door(request), locked_out=locked)


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
    post_save.connect(_token_saved, sender=AuthToken, dispatch_uid="audit-token-issued")
    post_delete.connect(_token_deleted, sender=AuthToken, dispatch_uid="audit-token-ended")
