"""Cuts a document into what one OCR call may take: at most 5 pages for Template OCR and 10 for Text OCR,
and no more bytes than the call's limit. What cannot go as the original file goes as page images.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from PIL import Image

from documents.clova.client import max_pages
from documents.models import Document, FileFormat, Page

JPEG_FALLBACK_QUALITY = 92


@dataclass(frozen=True)
class Chunk:
    pages: list[Page]
    content: bytes
    file_format: str
    # Pixel size of each page as sent, when we sent an image; None when OCR's convertedImageInfo applies.
    sent_sizes: list[tuple[int, int]] | None

    @property
    def indexes(self) -> list[int]:
        return [page.index for page in self.pages]


def max_bytes(call: str, file_format: str) -> int:
    """Template OCR takes 20 MB per image file; pdf, tiff and Text OCR files go up to 50 MB."""
    if call == "infer" and file_format in (FileFormat.JPG, FileFormat.PNG):
        return settings.OCR_MAX_IMAGE_BYTES
    return settings.OCR_MAX_DOCUMENT_BYTES


def chunks_for(document: Document, pages: list[Page], call: str, original: bytes) -> Iterator[Chunk]:
    """Chunks covering `pages` (a subset of the document's pages, in order)."""
    if not pages:
        return
    if document.file_format in (FileFormat.JPG, FileFormat.PNG):
        # As its page image: the original itself when it is shown as it is, else the upright, flattened image
        # the reviewer sees (an EXIF-turned photo, a 16-bit or transparent PNG), so OCR reads what they see.
        yield page_image_chunk(pages[0], call)
        return
    everything = len(pages) == document.page_count
    if everything and len(pages) <= max_pages(call) and len(original) <= max_bytes(call, document.file_format):
        yield Chunk(pages=pages, content=original, file_format=document.file_format, sent_sizes=None)
        return
    for group in _groups(pages, max_pages(call)):
        content = file_subset(document.file_format, original, [page.index for page in group])
        if len(content) <= max_bytes(call, document.file_format):
            yield Chunk(pages=group, content=content, file_format=document.file_format, sent_sizes=None)
        else:
            for page in group:
                yield page_image_chunk(page, call)


def page_image_chunk(page: Page, call: str) -> Chunk:
    with page.image.open("rb") as handle:
        png = handle.read()
    if len(png) <= max_bytes(call, page.image_format):
        return Chunk(pages=[page], content=png, file_format=page.image_format, sent_sizes=[(page.width, page.height)])
    with Image.open(io.BytesIO(png)) as image:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_FALLBACK_QUALITY)
    return Chunk(
        pages=[page], content=buffer.getvalue(), file_format=FileFormat.JPG, sent_sizes=[(page.width, page.height)]
    )


def _groups(pages: list[Page], size: int) -> Iterator[list[Page]]:
    """Runs of consecutive pages, each at most `size` long."""
    group: list[Page] = []
    for page in pages:
        if group and (len(group) == size or page.index != group[-1].index + 1):
            yield group
            group = []
        group.append(page)
    if group:
        yield group


def file_subset(file_format: str, original: bytes, indexes: list[int]) -> bytes:
    """A PDF or TIFF holding only the pages at `indexes`, in that order."""
    buffer = io.BytesIO()
    if file_format == FileFormat.PDF:
        with pikepdf.open(io.BytesIO(original)) as source:
            target = pikepdf.new()
            for index in indexes:
                target.pages.append(source.pages[index])
            target.save(buffer)
        return buffer.getvalue()
    with Image.open(io.BytesIO(original)) as source:
        frames = []
        for index in indexes:
            source.seek(index)
            frames.append(source.copy())
    compression = "group4" if all(frame.mode == "1" for frame in frames) else "tiff_deflate"
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], compression=compression)
    return buffer.getvalue()
