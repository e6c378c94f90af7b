"""Decides whether an uploaded file is a document we can take, by its bytes alone.

Nothing here touches the database or the storage: a file is inspected completely
before anything of it is kept, so a rejected upload leaves no trace.
"""

import hashlib
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from pdf2image import pdfinfo_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image, UnidentifiedImageError

from documents import file_hazards
from documents.errors import PortalError
from documents.models import FileFormat, OcrLanguage, OcrMode
from documents.params import whole_number

logger = logging.getLogger(__name__)

PDF_POINTS_PER_INCH = 72
# A receipt roll is about 1:25; nothing longer or thinner than this is a page anyone can read.
MAX_PAGE_ASPECT = 50
MAX_NAME_LENGTH = 255  # what file systems and Django's upload handling keep
_CHUNK = 1024 * 1024
_PIL_FORMATS: dict[str, str] = {FileFormat.JPG: "JPEG", FileFormat.PNG: "PNG", FileFormat.TIFF: "TIFF"}
# Folders and markup are refused; apostrophes, brackets, dots, and any script's letters are ordinary.
_UNSAFE_NAME = re.compile(r"[<>\"`\\/]|[\x00-\x1f\x7f]")


class IntakeError(PortalError):
    """An upload we refuse."""


@dataclass(frozen=True)
class SpooledUpload:
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class Inspection:
    file_format: str
    page_count: int
    hazards: list[file_hazards.Hazard] = field(default_factory=list)


@dataclass(frozen=True)
class OcrOptions:
    mode: str
    template_ids: list[int]
    langs: list[str]

    @property
    def lang(self) -> str:
        return ",".join(self.langs)


def size_limit(file_format: str | None) -> int:
    if file_format in (FileFormat.PDF, FileFormat.TIFF):
        return settings.UPLOAD_MAX_DOCUMENT_BYTES
    return settings.UPLOAD_MAX_IMAGE_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:g}"


def check_name(name: str) -> str:
    """The uploader's file name is display text only, but we still refuse names that try to be more."""
    name = name.strip()
    if not name:
        raise IntakeError("invalid_filename", _("The file has no name."))
    if len(name) > MAX_NAME_LENGTH:
        raise IntakeError(
            "filename_too_long",
            _("The file name has %(length)d characters; at most %(max)d are accepted. Shorten it and upload again.")
            % {"length": len(name), "max": MAX_NAME_LENGTH},
        )
    if _UNSAFE_NAME.search(name) or name in (".", ".."):
        raise IntakeError(
            "unsafe_filename",
            _(
                "The file name contains a folder path, markup or control characters "
                '(/ \\ < > " `). Rename the file and upload it again.'
            ),
        )
    return name


def _parts(values: str | list | None) -> list[str]:
    """A parameter's values however they came: one field `1,2`, repeated fields, or a JSON list."""
    if values is None:
        return []
    items = values if isinstance(values, list | tuple) else [values]
    return [part for item in items for part in re.split(r"[,\s]+", str(item)) if part]


def check_options(*, mode: str | list | None, template_ids: str | list | None, langs: str | list | None) -> OcrOptions:
    modes = set(_parts(mode)) or {OcrMode.TEMPLATE}
    if len(modes) > 1 or not modes <= set(OcrMode.values):
        raise IntakeError("invalid_mode", _("Mode must be one of: %(modes)s.") % {"modes": ", ".join(OcrMode.values)})
    [chosen_mode] = modes

    ids: list[int] = []
    for raw in _parts(template_ids):
        value = whole_number(raw)
        if not value:
            message = _("Template ids must be template numbers; got %(value)s.") % {"value": repr(raw)}
            raise IntakeError("invalid_template_ids", message)
        if value not in ids:
            ids.append(value)
    if ids and chosen_mode == OcrMode.GENERAL:
        raise IntakeError("invalid_template_ids", _("Template ids apply to Template OCR only, not Text OCR."))

    codes: list[str] = []
    for code in _parts(langs):  # none chosen: the OCR domain reads in its own language setting
        if code not in OcrLanguage.values:
            raise IntakeError(
                "invalid_lang",
                _("Language must be among %(langs)s; got %(value)s.")
                % {"langs": ", ".join(OcrLanguage.values), "value": repr(code)},
            )
        if code not in codes:
            codes.append(code)
    return OcrOptions(mode=chosen_mode, template_ids=ids, langs=codes)


def spool(source: BinaryIO, directory: str) -> SpooledUpload:
    """Copy the upload to a private temporary file, hashing it and stopping at the largest limit."""
    ceiling = max(settings.UPLOAD_MAX_IMAGE_BYTES, settings.UPLOAD_MAX_DOCUMENT_BYTES)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix="upload-") as target:
        if hasattr(source, "seek"):
            source.seek(0)
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > ceiling:
                raise IntakeError(
                    "file_too_large", _("The file is larger than %(limit)s.") % {"limit": _megabytes(ceiling)}
                )
            digest.update(chunk)
            target.write(chunk)
    return SpooledUpload(path=Path(target.name), size=size, sha256=digest.hexdigest())


def temp_sweep() -> int:
    """Remove what uploads cut off by a killed process left in the upload folder; how many entries went.

    An upload in progress writes continuously, so only entries untouched for UPLOAD_TEMP_MAX_AGE_MINUTES go."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    cutoff = time.time() - settings.UPLOAD_TEMP_MAX_AGE_MINUTES * 60
    removed = 0
    for entry in folder.iterdir():
        try:
            newest = max([entry.stat().st_mtime, *(part.stat().st_mtime for part in entry.rglob("*"))])
            if newest >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except FileNotFoundError:
            continue  # finished and removed by its own request meanwhile
    if removed:
        logger.warning("removed %d abandoned upload file(s) from %s", removed, folder)
    return removed


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return FileFormat.JPG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileFormat.PNG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return FileFormat.TIFF
    # A PDF starts with its header; whitespace before it is tolerated (some tools write a newline first),
    # anything else is not: an HTML page with a PDF behind it is not a PDF.
    if head.lstrip(b" \t\r\n\f").startswith(b"%PDF-"):
        return FileFormat.PDF
    return None


def inspect(upload: SpooledUpload) -> Inspection:
    if upload.size == 0:
        raise IntakeError("empty_file", _("The file is empty."))
    with upload.path.open("rb") as handle:
        head = handle.read(1024)
    file_format = sniff(head)
    if file_format is None:
        raise IntakeError(
            "unsupported_format",
            _("This is not a JPEG, PNG, PDF or TIFF file (the type is read from the file's contents, not its name)."),
        )
    limit = size_limit(file_format)
    if upload.size > limit:
        raise IntakeError(
            "file_too_large",
            _("The file is %(size)s; %(format)s files may be at most %(limit)s.")
            % {"size": _megabytes(upload.size), "format": FileFormat(file_format).label, "limit": _megabytes(limit)},
        )
    if file_format == FileFormat.PDF:
        page_count = _inspect_pdf(upload.path)
    else:
        page_count = _inspect_image(upload.path, file_format)
    hazards = file_hazards.hazards_find(upload.path, file_format)
    return Inspection(file_format=file_format, page_count=page_count, hazards=hazards)


def _too_many_pages(count: int | None) -> IntakeError:
    """None when the count is unknown: reading stopped once it passed the limit."""
    limit = settings.UPLOAD_MAX_PAGES
    if count is None:
        message = _("The document has more than %(max)d pages; at most %(max)d are accepted.") % {"max": limit}
    else:
        message = _("The document has %(count)d pages; at most %(max)d are accepted.") % {"count": count, "max": limit}
    return IntakeError("too_many_pages", message)


def check_page_shape(width: float, height: float, page_number: int, unit: str) -> None:
    """A page of no size, or a sliver, can never be rendered into something to read."""
    if not (width > 0 and height > 0):
        raise IntakeError(
            "invalid_page_size",
            _("Page %(page)d has no size (%(width)s × %(height)s %(unit)s); it cannot be shown or read.")
            % {"page": page_number, "width": f"{width:g}", "height": f"{height:g}", "unit": unit},
        )
    if max(width, height) / min(width, height) > MAX_PAGE_ASPECT:
        raise IntakeError(
            "invalid_page_size",
            _(
                "Page %(page)d is %(width)s × %(height)s %(unit)s, a sliver no page is shaped like "
                "(at most 1 : %(aspect)d); it cannot be shown or read."
            )
            % {
                "page": page_number,
                "width": f"{width:,.0f}",
                "height": f"{height:,.0f}",
                "unit": unit,
                "aspect": MAX_PAGE_ASPECT,
            },
        )


def _check_pixels(width: float, height: float, page_number: int) -> None:
    check_page_shape(width, height, page_number, _("pixels"))
    if width * height > settings.UPLOAD_MAX_PAGE_PIXELS:
        raise IntakeError(
            "page_too_large",
            _(
                "Page %(page)d is %(width)s × %(height)s pixels; "
                "at most %(megapixels)s megapixels per page are accepted."
            )
            % {
                "page": page_number,
                "width": f"{int(width):,}",
                "height": f"{int(height):,}",
                "megapixels": _megapixels(settings.UPLOAD_MAX_PAGE_PIXELS),
            },
        )


def _inspect_image(path: Path, file_format: str) -> int:
    corrupt = IntakeError(
        "corrupt_file",
        _("The %(format)s file is damaged and cannot be read.") % {"format": FileFormat(file_format).label},
    )
    try:
        # Our own pixel check below is stricter; Pillow's guard only needs to stay out of its way.
        with Image.open(path, formats=[_PIL_FORMATS[file_format]]) as image:
            frames = 0
            png_frames = getattr(image, "n_frames", 1)  # only animated images have it
            if file_format == FileFormat.PNG and png_frames > 1:
                # OCR takes a PNG as one image: the other frames of an animation would never be read.
                raise IntakeError(
                    "animated_image",
                    _(
                        "The PNG is animated (%(frames)d frames); OCR reads one image per PNG. "
                        "Upload each page as its own image, or all of them as a PDF or TIFF."
                    )
                    % {"frames": png_frames},
                )
            while True:
                frames += 1
                if frames > settings.UPLOAD_MAX_PAGES:
                    raise _too_many_pages(None)
                _check_pixels(*image.size, frames)
                image.load()
                if file_format == FileFormat.JPG:
                    break  # a camera's MPO file holds extra pictures (a preview, a depth map); the first is the page
                try:
                    image.seek(frames)
                except EOFError:
                    break
    except IntakeError:
        raise
    except Image.DecompressionBombError as exc:
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        values = {"megapixels": _megapixels(settings.UPLOAD_MAX_PAGE_PIXELS)}
        if pixels:
            values["pixels"] = f"{int(pixels[1]):,}"
            message = _(
                "The image is too large to open safely (%(pixels)s pixels); "
                "at most %(megapixels)s megapixels per page are accepted."
            )
        else:
            message = _(
                "The image is too large to open safely; at most %(megapixels)s megapixels per page are accepted."
            )
        raise IntakeError("page_too_large", message % values) from exc
    except (UnidentifiedImageError, SyntaxError, ValueError) as exc:
        raise corrupt from exc
    except OSError as exc:
        if "truncated" in str(exc):
            raise IntakeError("truncated_file", _("The file is cut short: only part of the image arrived.")) from exc
        raise corrupt from exc
    return frames


def _inspect_pdf(path: Path) -> int:
    cap = settings.UPLOAD_MAX_PAGES
    try:
        info = pdfinfo_from_path(
            str(path), first_page=1, last_page=cap + 1, timeout=settings.PDF_INSPECT_TIMEOUT, rawdates=True
        )
    except PDFPageCountError as exc:
        if "password" in str(exc).lower():
            raise IntakeError(
                "encrypted_pdf", _("The PDF is password-protected. Remove the password and upload it again.")
            ) from exc
        raise IntakeError("corrupt_file", _("The PDF is damaged and cannot be read.")) from exc
    except PDFPopplerTimeoutError as exc:
        raise IntakeError("corrupt_file", _("The PDF took too long to open; it may be damaged.")) from exc
    except PDFInfoNotInstalledError:
        raise
    pages = info.get("Pages", 0)
    if pages <= 0:
        raise IntakeError("corrupt_file", _("The PDF has no pages."))
    if pages > cap:
        raise _too_many_pages(pages)
    for number in range(1, pages + 1):
        size = info.get(f"Page {number:4d} size") or (info.get("Page size") if pages == 1 else None)
        match = re.match(r"([\d.]+) x ([\d.]+)", size or "")
        if not match:
            raise IntakeError("corrupt_file", _("The PDF's page %(page)d has no readable size.") % {"page": number})
        check_pdf_page_size(float(match[1]), float(match[2]), number)
    return pages


def check_pdf_page_size(width_pt: float, height_pt: float, page_number: int) -> None:
    """Large drawings are rendered at a lower resolution; only pages too big even at 72 dpi are refused."""
    check_page_shape(width_pt, height_pt, page_number, "pt")
    if width_pt * height_pt > settings.UPLOAD_MAX_PAGE_PIXELS:
        raise IntakeError(
            "page_too_large",
            _(
                "Page %(page)d measures %(width)s × %(height)s inches, "
                "too large to render within %(megapixels)s megapixels."
            )
            % {
                "page": page_number,
                "width": f"{width_pt / PDF_POINTS_PER_INCH:,.0f}",
                "height": f"{height_pt / PDF_POINTS_PER_INCH:,.0f}",
                "megapixels": _megapixels(settings.UPLOAD_MAX_PAGE_PIXELS),
            },
        )
