from documents.models.builder import TemplateVersion
from documents.models.document import (
    Document,
    DocumentStatus,
    FileFormat,
    OcrLanguage,
    OcrMode,
    Page,
    original_upload_to,
    page_image_upload_to,
    page_thumbnail_upload_to,
)
from documents.models.exports import ExportBatch, ExportShape
from documents.models.jobs import JobStatus, JobStep, ProcessingJob, UploadBatch
from documents.models.ocr import (
    CellLine,
    CellWord,
    Field,
    FieldType,
    InferResult,
    OcrCall,
    OcrCallKind,
    SubField,
    Table,
    TableCell,
    Template,
    ValidationResult,
)
from documents.models.review import EditAction, FieldEdit, ReviewAction, ReviewEvent
from documents.models.rules import TemplateField
from documents.models.security import SecurityEvent, SecurityEventKind

__all__ = [
    "CellLine",
    "CellWord",
    "Document",
    "DocumentStatus",
    "EditAction",
    "ExportBatch",
    "ExportShape",
    "Field",
    "FieldEdit",
    "FieldType",
    "FileFormat",
    "InferResult",
    "JobStatus",
    "JobStep",
    "OcrCall",
    "OcrCallKind",
    "OcrLanguage",
    "OcrMode",
    "Page",
    "ProcessingJob",
    "ReviewAction",
    "ReviewEvent",
    "SecurityEvent",
    "SecurityEventKind",
    "SubField",
    "Table",
    "TableCell",
    "Template",
    "TemplateField",
    "TemplateVersion",
    "UploadBatch",
    "ValidationResult",
    "original_upload_to",
    "page_image_upload_to",
    "page_thumbnail_upload_to",
]
