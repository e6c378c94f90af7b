import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadBatch(models.Model):
    """Files uploaded together, followed together on one page."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload batch")
        verbose_name_plural = _("upload batches")

    def __str__(self) -> str:
        return f"batch {self.uuid}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    HELD = "held", _("On hold")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobStep(models.TextChoices):
    WAITING = "", _("Waiting")
    RENDER = "render", _("Rendering pages")
    OCR = "ocr", _("Reading with OCR")
    CHECK = "check", _("Checking results")
    DONE = "done", _("Done")


class ProcessingJob(models.Model):
    """A document's way through the pipeline: what the progress bars and Retry read and write."""

    document = models.OneToOneField("documents.Document", on_delete=models.CASCADE, related_name="job")
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    step = models.CharField(max_length=16, choices=JobStep.choices, default=JobStep.WAITING, blank=True)
    pages_total = models.PositiveIntegerField(default=0)
    pages_rendered = models.PositiveIntegerField(default=0)
    pages_recognised = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0, help_text="Runs since the last Retry.")
    lease_until = models.DateTimeField(null=True, blank=True)
    # Which run holds the job: every write of a run is fenced by it, so a run whose lease was taken over
    # writes nothing more.
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per step of the last run.")
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = _("processing job")
        verbose_name_plural = _("processing jobs")

    def __str__(self) -> str:
        return f"job of {self.document} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.pages_total:
            return 0
        # Rendering is the first third of the way, OCR the rest.
        done = self.pages_rendered / self.pages_total / 3 + 2 * self.pages_recognised / self.pages_total / 3
        return min(99, round(done * 100))
