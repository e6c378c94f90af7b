import logging
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from documents.models import Document, Page
from documents.rendering import RenderedPage, render_pages

logger = logging.getLogger(__name__)


@contextmanager
def local_original(document: Document):
    """A local path to the original: the file itself on disk storage, a temporary copy otherwise."""
    try:
        yield Path(document.file.path)
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory(prefix="ocrportal-original-") as folder:
        path = Path(folder) / f"original.{document.file_format}"
        with document.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        yield path


def document_render_pages(*, document: Document, on_page: Callable[[int], None] | None = None) -> list[Page]:
    """Render every page not rendered yet; safe to call again after an interruption.

    `on_page` hears the number of pages rendered so far, after each one.
    """
    done = set(document.pages.values_list("index", flat=True))
    if len(done) < document.page_count:
        with local_original(document) as path:
            for rendered in render_pages(path, document.file_format, skip=done):
                _page_store(document=document, rendered=rendered)
                done.add(rendered.index)
                if on_page is not None:
                    on_page(len(done))
    return list(document.pages.order_by("index"))


@transaction.atomic
def _page_store(*, document: Document, rendered: RenderedPage) -> Page:
    page = Page(
        document=document,
        index=rendered.index,
        width=rendered.width,
        height=rendered.height,
        dpi=rendered.dpi,
        source_orientation=rendered.orientation,
    )
    storage = page.image.storage
    for field, content in ((page.image, rendered.png), (page.thumbnail, rendered.thumbnail_jpeg)):
        # A run cut short may have left the file without its row: replace it rather than suffix it.
        name = field.field.generate_filename(page, "")
        storage.delete(name)
        field.save(name, ContentFile(content), save=False)
    page.save()
    return page
