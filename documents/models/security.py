from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    LOCKOUT = "lockout", _("Locked out")
    UNLOCK = "unlock", _("Unlocked")


class SecurityEvent(models.Model):
    """Lockouts and unlocks of logins, kept for supervisors (django-axes keeps only the current attempts)."""

    kind = models.CharField(_("event"), max_length=16, choices=SecurityEventKind.choices)
    username = models.CharField(_("username"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who unlocked it; empty for a lockout."),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("login lockout or unlock")
        verbose_name_plural = _("login lockouts and unlocks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username or self.ip_address}"
