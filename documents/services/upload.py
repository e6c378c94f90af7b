import logging
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from documents import intake
from documents.errors import PortalError
from documents.models import Document, ProcessingJob, UploadBatch
from documents.services.jobs import document_enqueue
from documents.storage import is_storage_fault, storage_message
from documents.uploads import submitted_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadOutcome:
    document: Document
    duplicate_of: Document | None


@dataclass(frozen=True)
class FileOutcome:
    """One file of an upload: the document it became, or why it was refused."""

    name: str
    document: Document | None = None
    duplicate_of: Document | None = None
    error: PortalError | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


@dataclass(frozen=True)
class UploadReport:
    files: list[FileOutcome]
    batch: UploadBatch | None  # None when no file was kept (a refused upload leaves no batch)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.files)


def documents_upload(
    *,
    files: list,
    uploaded_by: AbstractBaseUser,
    mode: str | list | None = None,
    template_ids: str | list | None = None,
    langs: str | list | None = None,
    batch_id: str | None = None,
) -> UploadReport:
    """The one way files come in, from the upload page (with or without its script) and the API alike: each
    file taken or refused on its own, with the reason; `batch_id` groups them (an upload batch, created on first
    use, and removed again when no file was kept)."""
    if not files:
        return UploadReport(
            [FileOutcome("", error=intake.IntakeError("no_file", _("Choose at least one file.")))], None
        )
    batch = batch_for(batch_id=batch_id, user=uploaded_by)
    outcomes = []
    for file in files:
        name = submitted_name(file)
        try:
            result = document_upload(file=file, name=name, uploaded_by=uploaded_by, mode=mode,
                                     template_ids=template_ids, langs=langs, batch=batch)  # fmt: skip
        except intake.IntakeError as error:
            outcomes.append(FileOutcome(name, error=error))
        except OSError as error:
            if not is_storage_fault(error):
                raise
            logger.error("upload of a file failed: the storage refused it", exc_info=error)
            outcomes.append(FileOutcome(name, error=PortalError("storage_unavailable", storage_message())))
        else:
            outcomes.append(FileOutcome(name, document=result.document, duplicate_of=result.duplicate_of))
    if batch is not None and not any(item.ok for item in outcomes):
        batch.delete()  # a refused upload leaves nothing behind, not even an empty batch
        batch = None
    return UploadReport(outcomes, batch)


def document_upload(
    *,
    file: BinaryIO,
    name: str,
    uploaded_by: AbstractBaseUser,
    mode: str | list | None = None,
    template_ids: str | list | None = None,
    langs: str | list | None = None,
    batch: UploadBatch | None = None,
) -> UploadOutcome:
    """Inspect a file completely, then keep it untouched as a new Document and start its processing.

    Raises IntakeError, leaving no row and no stored file, when the file or the options are refused.
    """
    display_name = intake.check_name(name)
    options = intake.check_options(mode=mode, template_ids=template_ids, langs=langs)
    intake.temp_sweep()
    with tempfile.TemporaryDirectory(prefix="intake-", dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
        spooled = intake.spool(file, folder)
        inspection = intake.inspect(spooled)
        with spooled.path.open("rb") as handle:
            document = _document_store(
                handle=handle,
                spooled=spooled,
                inspection=inspection,
                options=options,
                display_name=display_name,
                uploaded_by=uploaded_by,
                batch=batch,
            )
    logger.info("document %s uploaded (%s, %d pages)", document.pk, document.file_format, document.page_count)
    if document.hazards:
        logger.warning("document %s carries %s", document.pk, ", ".join(h["code"] for h in document.hazards))
    return UploadOutcome(document=document, duplicate_of=document.duplicate_of)


@transaction.atomic
def _document_store(*, handle, spooled, inspection, options, display_name, uploaded_by, batch) -> Document:
    earlier = Document.objects.filter(sha256=spooled.sha256).order_by("uploaded_at", "id").first()
    document = Document(
        display_name=display_name,
        sha256=spooled.sha256,
        size=spooled.size,
        file_format=inspection.file_format,
        page_count=inspection.page_count,
        hazards=[hazard.as_dict() for hazard in inspection.hazards],
        mode=options.mode,
        template_ids=options.template_ids,
        lang=options.lang,
        duplicate_of=earlier,
        uploaded_by=uploaded_by,
        batch=batch,
    )
    document.file.save(document.file_format, File(handle), save=False)
    stored_name = document.file.name
    assert stored_name is not None  # the storage named the file it saved
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(stored_name)
        raise
    ProcessingJob.objects.create(document=document, pages_total=document.page_count)
    document_enqueue(document.pk)
    return document


def batch_for(*, batch_id: str | None, user) -> UploadBatch | None:
    """The upload batch a client names (a UUID it made up for this set of files), created on first use."""
    if not batch_id:
        return None
    try:
        batch, _ = UploadBatch.objects.get_or_create(uuid=batch_id, defaults={"created_by": user})
    except (ValueError, ValidationError):
        return None
    return batch if batch.created_by_id == user.pk else None


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document with its rows, removing its files once the deletion is committed."""
    names = [document.file.name]
    for page in document.pages.all():
        names += [page.image.name, page.thumbnail.name]
    storage = document.file.storage
    document.delete()

    def files_remove() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(files_remove)
