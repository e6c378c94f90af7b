from documents.services.jobs import document_retry, jobs_sweep
from documents.services.pages import document_render_pages
from documents.services.upload import UploadOutcome, batch_for, document_delete, document_upload

__all__ = [
    "UploadOutcome",
    "batch_for",
    "document_delete",
    "document_render_pages",
    "document_retry",
    "document_upload",
    "jobs_sweep",
]
