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
        path = Path(document.file.path)
    except NotImplementedError:
        path = None
    if path is not None:
        if not path.is_file():
            raise FileNotFoundError(f"original of document {document.pk} is missing")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="ocrportal-original-") as folder:
        path = Path(folder) / f"original.{document.file_format}"
        with document.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        yield path


def document_render_pages(
    *,
    document: Document,
    fence: Callable[[], None] | None = None,
    on_page: Callable[[int, Page], None] | None = None,
) -> list[Page]:
    """Render every page not rendered yet; safe to call again after an interruption.

    `fence` is called first inside each page's transaction and raises to stop a run that no longer holds
    the document's job; `on_page` hears the number of pages rendered so far and the page, after each one.
    """
    # A page a supervisor removed is rendered already: it keeps its row, and is never rendered back.
    done = set(Page.all_objects.filter(document=document).values_list("index", flat=True))
    if len(done) < document.page_count:
        with local_original(document) as path:
            for rendered in render_pages(path, document.file_format, skip=done):
                page = _page_store(document=document, rendered=rendered, fence=fence)
                done.add(rendered.index)
                if on_page is not None:
                    on_page(len(done), page)
    return list(document.pages.order_by("index"))


@transaction.atomic
def _page_store(*, document: Document, rendered: RenderedPage, fence: Callable[[], None] | None = None) -> Page:
    if fence is not None:
        fence()
    page = Page(
        document=document,
        index=rendered.index,
        width=rendered.width,
        height=rendered.height,
        dpi=rendered.dpi,
        source_orientation=rendered.orientation,
    )
    storage = page.image.storage
    written = []
    try:
        files = (
            (page.image, rendered.image, f"page.{rendered.image_format}"),
            (page.thumbnail, rendered.thumbnail_jpeg, ""),
        )
        for field, content, filename in files:
            # A run cut short may have left the file without its row: replace it rather than suffix it.
            name = field.field.generate_filename(page, filename)
            storage.delete(name)
            written.append(name)  # before it is written: a disk that fills up leaves part of it behind
            field.save(name, ContentFile(content), save=False)
        page.save()
    except BaseException:
        for name in written:  # no half-written page: neither a file without its row nor an image alone
            storage.delete(name)
        raise
    return page


def page_image_replace(*, page: Page, rendered: RenderedPage, label: str) -> None:
    """Store a new image and thumbnail for the page under names of their own (`label` tells them apart: the
    rotation), and set them on the page, which the caller saves. The old files go once that is committed;
    if it is not, the new ones go and the old ones stay the page's."""
    storage = page.image.storage
    folder = f"pages/{page.document.uuid.hex[:2]}/{page.document.uuid.hex}"
    old = [name for name in (page.image.name, page.thumbnail.name) if name]
    names = [
        f"{folder}/{page.index:04d}-{label}.{rendered.image_format}",
        f"{folder}/{page.index:04d}-{label}-thumb.jpg",
    ]
    written: list[str] = []
    try:
        for position, content in enumerate((rendered.image, rendered.thumbnail_jpeg)):
            storage.delete(names[position])  # left behind by an earlier change that was not committed
            written.append(names[position])
            names[position] = storage.save(names[position], ContentFile(content))
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    page.image.name, page.thumbnail.name = names
    page.width, page.height = rendered.width, rendered.height

    def old_files_delete() -> None:
        for name in old:
            if name not in names:
                storage.delete(name)

    transaction.on_commit(old_files_delete)
