import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.models.ocr import InferResult, ValidationResult


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PROCESSING = "processing", _("Processing")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class OcrMode(models.TextChoices):
    TEMPLATE = "template", _("Template OCR")
    GENERAL = "general", _("Text OCR")


class FileFormat(models.TextChoices):
    JPG = "jpg", _("JPEG")
    PNG = "png", _("PNG")
    PDF = "pdf", _("PDF")
    TIFF = "tiff", _("TIFF")


class OcrLanguage(models.TextChoices):
    KO = "ko", _("Korean")
    JA = "ja", _("Japanese")
    ZH_TW = "zh-TW", _("Chinese (traditional)")


def original_upload_to(document: "Document", filename: str) -> str:
    # The stored key never contains anything the uploader chose.
    return f"originals/{document.uuid.hex[:2]}/{document.uuid.hex}.{document.file_format}"


class Document(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=original_upload_to, max_length=255, editable=False)
    display_name = models.CharField(
        _("name"), max_length=255, help_text=_("The uploader's file name, shown as text only.")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    file_format = models.CharField(_("file format"), max_length=8, choices=FileFormat.choices, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), editable=False)

    mode = models.CharField(_("OCR mode"), max_length=16, choices=OcrMode.choices, default=OcrMode.TEMPLATE)
    template_ids = models.JSONField(_("template ids"), default=list, blank=True)
    lang = models.CharField(
        _("languages"), max_length=32, default="", blank=True,
        help_text=_("Comma-separated, as CLOVA takes it; empty: not sent, the OCR domain's own setting applies."),
    )  # fmt: skip

    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.UPLOADED, db_index=True
    )
    error = models.TextField(
        _("error"), blank=True, help_text=_("Why processing failed, in words an administrator can act on.")
    )
    notice = models.TextField(
        _("notice"), blank=True, help_text=_("Something to know while the document waits, e.g. a quota hold.")
    )
    hold_until = models.DateTimeField(
        _("held until"), null=True, blank=True, help_text=_("OCR is held until then (quota reached).")
    )
    hazards = models.JSONField(
        _("hazards"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("What the file carries besides its pages (data after its end, PDF scripts), found at upload."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    batch = models.ForeignKey(
        "documents.UploadBatch",
        verbose_name=_("upload batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_documents",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_documents",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("Why it was rejected, sent back or approved past a rule.")
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_documents",
    )
    claimed_at = models.DateTimeField(
        _("claimed at"), null=True, blank=True, help_text=_("Renewed by every save; expires.")
    )
    # The browser tab that claimed, so a reviewer's other window can be told apart from someone else's.
    claimed_tab = models.CharField(_("claimed in tab"), max_length=40, blank=True, default="")
    # Who should review it: Review next serves a reviewer their own first and never someone else's.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_documents",
    )
    exported_at = models.DateTimeField(
        _("exported at"), null=True, blank=True, db_index=True, help_text=_("Last included in an export.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        permissions = [("review_document", "Can review documents")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"#{self.pk} {self.display_name}"

    @property
    def in_flight(self) -> bool:
        """Queued or being processed right now (not held, not finished)."""
        return self.status in (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING) and self.hold_until is None

    @property
    def languages(self) -> list[str]:
        return [code for code in self.lang.split(",") if code]


def page_image_upload_to(page: "Page", filename: str) -> str:
    # The extension is the image's format: png, or jpg when a JPEG original is the page image itself.
    extension = filename.rsplit(".", 1)[-1] if filename.endswith((".png", ".jpg")) else "png"
    return f"pages/{page.document.uuid.hex[:2]}/{page.document.uuid.hex}/{page.index:04d}.{extension}"


def page_thumbnail_upload_to(page: "Page", filename: str) -> str:
    return f"pages/{page.document.uuid.hex[:2]}/{page.document.uuid.hex}/{page.index:04d}-thumb.jpg"


class LivePageManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(removed_at__isnull=True)


class Page(models.Model):
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="pages")
    index = models.PositiveIntegerField(_("index"), help_text=_("0-based, as CLOVA's pageIndex."))
    image = models.FileField(_("image"), upload_to=page_image_upload_to, max_length=255, editable=False)
    thumbnail = models.FileField(_("thumbnail"), upload_to=page_thumbnail_upload_to, max_length=255, editable=False)
    width = models.PositiveIntegerField(_("width"), help_text=_("Pixel width of the page image."))
    height = models.PositiveIntegerField(_("height"), help_text=_("Pixel height of the page image."))
    dpi = models.PositiveIntegerField(
        _("DPI"), null=True, blank=True, help_text=_("Resolution a PDF page was rendered at.")
    )
    source_orientation = models.PositiveSmallIntegerField(
        _("source orientation"),
        default=1,
        help_text=_("EXIF orientation of the original, already applied to the page image."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The page's OCR outcome; empty until OCR has answered for this page.
    ocr_call = models.ForeignKey("documents.OcrCall", null=True, blank=True, on_delete=models.SET_NULL)
    ocr_uid = models.CharField(max_length=64, blank=True)
    infer_result = models.CharField(max_length=16, blank=True, choices=InferResult.choices)
    infer_message = models.TextField(blank=True)
    matched_template = models.ForeignKey(
        "documents.Template", null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    validation_result = models.CharField(max_length=16, blank=True, choices=ValidationResult.choices)
    validation_message = models.TextField(blank=True)
    combine_name = models.CharField(max_length=255, blank=True)
    combine_text = models.TextField(blank=True)
    converted_width = models.PositiveIntegerField(null=True, blank=True)
    converted_height = models.PositiveIntegerField(null=True, blank=True)
    converted_page_index = models.PositiveIntegerField(null=True, blank=True)
    ocr_at = models.DateTimeField(null=True, blank=True)

    # What a supervisor changed from the review page (documents/services/reread.py).
    rotation = models.PositiveSmallIntegerField(
        _("rotation"), default=0, help_text=_("Degrees clockwise the page image is turned from the rendered original.")
    )
    ocr_template_ids = models.JSONField(
        _("page template ids"), null=True, blank=True, help_text=_("Templates for this page; empty: the document's.")
    )
    ocr_lang = models.CharField(
        _("page languages"), max_length=32, null=True, blank=True,
        help_text=_("Languages for this page; empty: the document's."),
    )  # fmt: skip
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("removed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    # Removed pages are out of review, exports and every count, wherever pages are read; the row, its image
    # and the raw OCR answer stay as the record (all_objects reaches them).
    objects = LivePageManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes the custom manager above for a field)

    class Meta:
        ordering = ["document", "index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="page_unique_index")]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return f"{self.document} page {self.index + 1}"

    @property
    def image_format(self) -> str:
        """png, or jpg when a JPEG original is the page image itself."""
        name = self.image.name
        assert name is not None  # a page is stored with its image
        return "jpg" if name.endswith(".jpg") else "png"

    @property
    def number(self) -> int:
        """The page's place among the document's pages still there (1..n), as people read it; a removed page
        leaves a gap in `index`, the stable name URLs and data keep. Lists of pages set `position` at once."""
        if "position" not in self.__dict__:
            earlier = Page.objects.filter(document_id=self.document_id, index__lt=self.index)
            self.__dict__["position"] = earlier.count() + 1
        return self.__dict__["position"]
