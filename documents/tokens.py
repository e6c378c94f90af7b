"""API tokens end with the password they were given for: a password change revokes all of the user's tokens."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from knox.models import AuthToken


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
