from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditAction(models.TextChoices):
    TEXT = "text", _("Text corrected")
    CHECKED = "checked", _("Checkbox set")
    CELL = "cell", _("Multi-box cell corrected")
    REVERT = "revert", _("Reverted to the OCR value")
    CONFIRM = "confirm", _("Confirmed as read")
    CONFLICT = "conflict", _("Refused: the field had changed meanwhile")
    TABLE_CELL = "table_cell", _("Table cell corrected")


class FieldEdit(models.Model):
    """One change to a field, kept forever: who changed what from what to what, and when.

    A save refused for a stale version is kept too, so neither of two competing values is lost.
    """

    # The record outlives the field: OCR run again replaces fields, never their history.
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        on_delete=models.CASCADE,
        related_name="field_edits",
    )
    field = models.ForeignKey(
        "documents.Field", verbose_name=_("field"), null=True, on_delete=models.SET_NULL, related_name="edits"
    )
    subfield = models.ForeignKey(
        "documents.SubField", verbose_name=_("cell"), null=True, blank=True, on_delete=models.SET_NULL
    )
    table_cell = models.ForeignKey(
        "documents.TableCell", verbose_name=_("table cell"), null=True, blank=True, on_delete=models.SET_NULL
    )
    field_name = models.CharField(_("field"), max_length=255, blank=True)
    page_index = models.PositiveIntegerField(_("page index"), default=0)
    cell_index = models.PositiveIntegerField(_("cell index"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=EditAction.choices)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    version = models.PositiveIntegerField(
        _("version"), help_text=_("The field's version after the edit (before, for conflicts).")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    is_field_edit = True  # tells it from a ReviewEvent in the merged history

    class Meta:
        ordering = ["document", "created_at", "id"]
        verbose_name = _("field edit")
        verbose_name_plural = _("field edits")

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.field_name or 'title'} (page {self.page_index + 1})"

    @property
    def old_shown(self) -> str:
        return self._shown(self.old_value)

    @property
    def new_shown(self) -> str:
        return self._shown(self.new_value)

    def _shown(self, value: str) -> str:
        """A checkbox's state as a reviewer says it (the stored `True`/`False` read as Python's words)."""
        if self.action == EditAction.CHECKED and value in ("True", "False"):
            return str(_("checked") if value == "True" else _("not checked"))
        return value


class ReviewAction(models.TextChoices):
    CLAIM = "claim", _("Started reviewing")
    TAKE_OVER = "take_over", _("Took over the review")
    RELEASE = "release", _("Stopped reviewing")
    APPROVE = "approve", _("Approved")
    APPROVE_OVERRIDE = "approve_override", _("Approved past failing rules")
    REJECT = "reject", _("Rejected")
    SEND_BACK = "send_back", _("Sent back to the queue")
    RERUN = "rerun", _("OCR run again")
    ASSIGN = "assign", _("Assigned")
    REREAD = "reread", _("Read again with OCR")
    ROTATE_PAGE = "rotate_page", _("Page turned and read again")
    REMOVE_PAGE = "remove_page", _("Page removed")
    RETRY = "retry", _("Retried after failing")


class ReviewEvent(models.Model):
    """What happened to a document in review, and why, for the audit trail."""

    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="review_events"
    )
    action = models.CharField(_("action"), max_length=24, choices=ReviewAction.choices)
    note = models.TextField(_("note"), blank=True)
    failed_rules = models.JSONField(
        _("failed rules"), default=list, blank=True, help_text=_("Rules that failed when approved anyway.")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["document", "created_at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.document}"
