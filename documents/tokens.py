"""API tokens end with the password they were given for: a password change revokes all of the user's tokens."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from knox.models import AuthToken


def token_issue(*, user) -> tuple[AuthToken, str]:
    """A new token for the user, living API_TOKEN_HOURS; the user's oldest go beyond API_TOKENS_PER_USER, so a
    script logging in in a loop cannot pile them up."""
    keep = settings.API_TOKENS_PER_USER - 1
    older = AuthToken.objects.filter(user=user).order_by("-created").values_list("pk", flat=True)[keep:]
    AuthToken.objects.filter(pk__in=list(older)).delete()
    return AuthToken.objects.create(user, settings.REST_KNOX["TOKEN_TTL"])


def tokens_revoke(*, user) -> int:
    """End every API token of the user; how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def _note_password_change(sender, instance, **kwargs) -> None:
    # set_password() keeps the new raw password in `_password` until the user is saved.
    instance._tokens_to_revoke = instance.pk is not None and getattr(instance, "_password", None) is not None


def _revoke_after_password_change(sender, instance, **kwargs) -> None:
    if getattr(instance, "_tokens_to_revoke", False):
        tokens_revoke(user=instance)
        instance._tokens_to_revoke = False


def connect() -> None:
    pre_save.connect(_note_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="tokens-note")
    post_save.connect(_revoke_after_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="tokens-revoke")
