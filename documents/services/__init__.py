from documents.services.pages import document_render_pages
from documents.services.upload import UploadOutcome, document_delete, document_upload

__all__ = ["UploadOutcome", "document_delete", "document_render_pages", "document_upload"]
