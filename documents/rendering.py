"""Turns an original file into page images: PDF through poppler (pdf2image), images through Pillow.

Pages are produced one at a time so a long document never sits in memory whole.
"""

import io
import logging
import math
import subprocess
from collections import deque
from collections.abc import Iterator, Set
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.conf import settings
from pdf2image import pdfinfo_from_path
from pdf2image.exceptions import PDFPageCountError, PDFPopplerTimeoutError
from PIL import Image, ImageOps

from documents import file_hazards
from documents.intake import PDF_POINTS_PER_INCH
from documents.models import FileFormat

logger = logging.getLogger(__name__)

EXIF_ORIENTATION = 0x0112
# `make bench`: on scanned pages level 6 saves ~1% of the size of level 3 and costs ~10% of the speed.
PNG_COMPRESS_LEVEL = 3
# Above this, a page's eighth compresses like a photograph (scans: 0.8; drawn pages: 0.03 to 0.1).
PHOTO_BYTES_PER_PIXEL = 0.3
JPEG_QUALITY = 90


class RenderError(Exception):
    pass


@dataclass(frozen=True)
class RenderedPage:
    index: int
    image: bytes
    image_format: str  # "png", or "jpg" when a JPEG original is the page image itself
    thumbnail_jpeg: bytes
    width: int
    height: int
    dpi: int | None
    orientation: int = 1


def render_pages(path: Path, file_format: str, *, skip: Set[int] = frozenset()) -> Iterator[RenderedPage]:
    if file_format == FileFormat.PDF:
        yield from _render_pdf(path, skip)
    else:
        # A JPEG's extra pictures (a camera's MPO preview) are not pages; only a TIFF holds several.
        yield from _render_image(path, skip, file_format)


def pdf_dpi_for(width_pt: float, height_pt: float) -> int:
    """The configured resolution, lowered for pages that would otherwise exceed the pixel cap."""
    fitting = PDF_POINTS_PER_INCH * math.sqrt(settings.UPLOAD_MAX_PAGE_PIXELS / (width_pt * height_pt))
    return max(1, min(settings.RENDER_DPI, math.floor(fitting)))


def _pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    try:
        info = pdfinfo_from_path(
            str(path), first_page=1, last_page=settings.UPLOAD_MAX_PAGES, timeout=settings.RENDER_PAGE_TIMEOUT
        )
    except (PDFPageCountError, PDFPopplerTimeoutError) as exc:
        # poppler's own words name the file's path on the server: they go to the log, not to reviewers.
        logger.warning("pdfinfo failed on %s: %s", path.name, exc)
        raise RenderError("The PDF can no longer be read.") from exc
    sizes = []
    for number in range(1, info["Pages"] + 1):
        raw = info.get(f"Page {number:4d} size") or info.get("Page size", "")
        width, _, rest = raw.partition(" x ")
        sizes.append((float(width), float(rest.split()[0])))
    return sizes


def _render_pdf(path: Path, skip: Set[int]) -> Iterator[RenderedPage]:
    """Pages in order, rendered RENDER_PARALLEL_PAGES at a time (each by its own poppler process); one at a
    time when their pages are large, so that memory stays within one page's pixel budget per render."""
    sizes = _pdf_page_sizes(path)
    wanted = [index for index in range(len(sizes)) if index not in skip]
    for index in wanted:
        width_pt, height_pt = sizes[index]
        if not (width_pt > 0 and height_pt > 0):  # intake refuses these; a file stored before it did is not
            raise RenderError(f"Page {index + 1} has no size ({width_pt:g} × {height_pt:g} pt).")
    parallel = settings.RENDER_PARALLEL_PAGES
    largest = max((_pixels(*sizes[index]) for index in wanted), default=0)
    if largest * parallel > settings.UPLOAD_MAX_PAGE_PIXELS:
        parallel = 1
    with _opened(path) as pdf, ThreadPoolExecutor(parallel) as pool:
        ahead: deque[Future] = deque()
        for index in wanted:
            scan = _scanned_page(pdf, index) if pdf is not None else None
            if scan is not None:
                ahead.append(_done(scan))
            else:
                ahead.append(pool.submit(_render_pdf_page, path, index, sizes[index]))
            if len(ahead) >= parallel:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


@contextmanager
def _opened(path: Path):
    """The PDF through pikepdf, or None when pikepdf cannot open it (poppler may still render it)."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError:
        yield None
        return
    with pdf:
        yield pdf


def _done(page: RenderedPage) -> Future:
    future: Future = Future()
    future.set_result(page)
    return future


MAX_SCAN_CONTENT_BYTES = 512  # a scanned page's drawing is "q w 0 0 h 0 0 cm /Im0 Do Q"; nothing long is parsed


def _scanned_page(pdf: pikepdf.Pdf, index: int) -> RenderedPage | None:
    """A scanned page is one JPEG drawn over the whole page and nothing else: that JPEG, as it is in the file,
    is the page image (nothing rendered, nothing encoded; scanners write 200-300 dpi). None for any page that is
    more than that (annotations, a crop, optional content, decode parameters, a picture whose own size or
    orientation differs from what the PDF says), or whose picture is larger than the pixel budget."""
    try:
        page = pdf.pages[index]
        if int(page.obj.get("/Rotate", 0)) % 360 or int(page.obj.get("/UserUnit", 1)) != 1 or "/Annots" in page.obj:
            return None
        if list(page.cropbox) != list(page.mediabox):
            return None
        contents = page.obj.get("/Contents")
        if not isinstance(contents, pikepdf.Stream) or int(contents.get("/Length", 0)) > MAX_SCAN_CONTENT_BYTES:
            return None  # checked before parsing: a short stream cannot inflate to much
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is None or len(xobjects) != 1:
            return None
        [(name, image)] = list(xobjects.items())
        if not _plain_jpeg(image):
            return None
        left, bottom, right, top = (float(value) for value in page.mediabox)
        drawn = [(drawing.operator, drawing.operands) for drawing in pikepdf.parse_content_stream(page)]
        if [str(operator) for operator, _ in drawn] != ["q", "cm", "Do", "Q"] or drawn[2][1][0] != name:
            return None
        a, b, c, d, e, f = (float(value) for value in drawn[1][1])
        page_box = (right - left, top - bottom, left, bottom)
        if (b, c) != (0, 0) or any(abs(x - y) > 1 for x, y in zip((a, d, e, f), page_box, strict=True)):
            return None
        width, height = int(image.Width), int(image.Height)
        if width * height > settings.UPLOAD_MAX_PAGE_PIXELS:
            return None
        jpeg = image.read_raw_bytes()
        if file_hazards.trailing_bytes(jpeg, FileFormat.JPG):
            return None
        with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as picture:
            mode = "L" if image.get("/ColorSpace") == "/DeviceGray" else "RGB"
            orientation = picture.getexif().get(EXIF_ORIENTATION, 1)
            if picture.size != (width, height) or picture.mode != mode or orientation != 1:
                return None
            wanted = max(width // 8, settings.THUMBNAIL_WIDTH)
            picture.draft("RGB", (wanted, max(1, round(height * wanted / width))))
            thumbnail = _thumbnail(picture.convert("RGB"))
    except (pikepdf.PdfError, OSError, ValueError, TypeError, AttributeError, KeyError, Image.DecompressionBombError):
        return None
    dpi = round(width / ((right - left) / PDF_POINTS_PER_INCH))
    return RenderedPage(
        index=index, image=jpeg, image_format="jpg", thumbnail_jpeg=thumbnail, width=width, height=height, dpi=dpi
    )


def _plain_jpeg(image) -> bool:
    """A JPEG a browser and the OCR engine show exactly as the PDF does: grey or RGB, no mask, no decode map."""
    return (
        image.get("/Subtype") == "/Image"
        and image.get("/Filter") == "/DCTDecode"
        and image.get("/ColorSpace") in ("/DeviceGray", "/DeviceRGB")
        and int(image.get("/BitsPerComponent", 8)) == 8
        and not any(key in image for key in ("/SMask", "/Mask", "/Decode", "/DecodeParms", "/ImageMask", "/OC"))
    )


def _pixels(width_pt: float, height_pt: float) -> float:
    dpi = pdf_dpi_for(width_pt, height_pt)
    return width_pt * height_pt * (dpi / PDF_POINTS_PER_INCH) ** 2


def _render_pdf_page(path: Path, index: int, size: tuple[float, float]) -> RenderedPage:
    """poppler renders the page to JPEG itself (C, and a 2 MB pipe instead of 26 MB of raw pixels); an eighth
    of it, decoded alone, tells a scan from a drawn page and gives the thumbnail. A drawn page is rendered
    again, as PNG, which keeps its text sharp (drawn pages render in a few tens of milliseconds)."""
    dpi = pdf_dpi_for(*size)
    jpeg = _pdftoppm(path, index, dpi, "-jpeg", "-jpegopt", f"quality={JPEG_QUALITY}")
    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            width, height = image.size
            wanted = max(width // 8, settings.THUMBNAIL_WIDTH)  # 1/8 of the page, or more for a sharp thumbnail
            image.draft("RGB", (wanted, max(1, round(height * wanted / width))))
            small = image.convert("RGB")
        if _looks_scanned(small):
            return RenderedPage(
                index=index, image=jpeg, image_format="jpg", thumbnail_jpeg=_thumbnail(small), width=width,
                height=height, dpi=dpi,
            )  # fmt: skip
        with Image.open(io.BytesIO(_pdftoppm(path, index, dpi))) as image:
            return _page(image, index, dpi=dpi)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise RenderError(f"Page {index + 1} could not be rendered.") from exc


def _pdftoppm(path: Path, index: int, dpi: int, *options: str) -> bytes:
    """One page through poppler's pdftoppm, as PPM (or what `options` ask for)."""
    # The crop box, as viewers show the page and as pdfinfo (hence intake and the resolution) measures it.
    command = ["pdftoppm", "-cropbox", "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1), *options, str(path)]
    try:
        result = subprocess.run(command, capture_output=True, timeout=settings.RENDER_PAGE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"Page {index + 1} took longer than {settings.RENDER_PAGE_TIMEOUT} s to render.") from exc
    if result.returncode != 0 or not result.stdout:
        raise RenderError(f"Page {index + 1} could not be rendered.")
    return result.stdout


def _render_image(path: Path, skip: Set[int], file_format: str) -> Iterator[RenderedPage]:
    single = file_format != FileFormat.TIFF
    try:
        with Image.open(path) as image:
            index = 0
            while True:
                if index not in skip:
                    yield _image_page(image, index, (path, file_format) if single else None)
                index += 1
                if single:
                    return
                try:
                    image.seek(index)
                except EOFError:
                    return
    except FileNotFoundError:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        logger.warning("image %s cannot be read: %s", path.name, exc)
        raise RenderError("The image can no longer be read.") from exc


def _image_page(frame: Image.Image, index: int, original: tuple[Path, str] | None) -> RenderedPage:
    """`original`: the file and its format when it holds this one picture only (a JPEG or PNG)."""
    orientation = frame.getexif().get(EXIF_ORIENTATION, 1)
    orientation = orientation if orientation in range(1, 9) else 1
    if original is not None and orientation == 1 and frame.mode in ("1", "L", "RGB"):
        # Upright and in a mode every browser shows: the original is the page image, neither decoded to be
        # encoded again (a PNG of a photographed page costs ~130 ms and 2 MB) nor altered in any way.
        path, file_format = original
        content = path.read_bytes()
        # Unless something follows the picture: a file that is also a web page is never served as it is.
        if not file_hazards.trailing_bytes(content, file_format):
            return RenderedPage(
                index=index, image=content, image_format=file_format, thumbnail_jpeg=_thumbnail(frame),
                width=frame.width, height=frame.height, dpi=None,
            )  # fmt: skip
    upright = ImageOps.exif_transpose(frame) or frame
    return _page(_displayable(upright), index, dpi=None, orientation=orientation)


# Pillow's rotations are counter-clockwise; a supervisor turns a page clockwise.
CLOCKWISE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def page_turned(content: bytes, *, index: int, degrees: int, dpi: int | None, orientation: int) -> RenderedPage:
    """A stored page image turned clockwise by 90, 180 or 270 degrees, encoded as a rendered page is; the
    pixels are moved, never resampled."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            turned = image.transpose(CLOCKWISE[degrees])
    except (OSError, ValueError) as exc:
        raise RenderError("The page image cannot be read.") from exc
    return _page(_displayable(turned), index, dpi=dpi, orientation=orientation)


def _page(image: Image.Image, index: int, *, dpi: int | None, orientation: int = 1) -> RenderedPage:
    content, image_format = _encoded(image)
    return RenderedPage(
        index=index,
        image=content,
        image_format=image_format,
        thumbnail_jpeg=_thumbnail(image),
        width=image.width,
        height=image.height,
        dpi=dpi,
        orientation=orientation,
    )


def _looks_scanned(probe: Image.Image) -> bool:
    """How well an eighth of the page compresses tells a scan or photo from a drawn page."""
    buffer = io.BytesIO()
    probe.save(buffer, format="PNG", compress_level=1)
    return len(buffer.getvalue()) / (probe.width * probe.height) > PHOTO_BYTES_PER_PIXEL


def _encoded(image: Image.Image) -> tuple[bytes, str]:
    """PNG for drawn pages (sharp and small), JPEG for scanned and photographed ones: a scanned A4 page at
    200 dpi is 7 MB and 0.5 s as PNG, 1.9 MB and 19 ms as JPEG. A colour image of a grey page is kept grey."""
    probe = image.reduce(8) if min(image.size) >= 64 else image
    if image.mode == "RGB" and _grey(probe):
        image, probe = image.convert("L"), probe.convert("L")
    if image.mode in ("L", "RGB") and _looks_scanned(probe):
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        return buffer.getvalue(), "jpg"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue(), "png"


def _grey(image: Image.Image) -> bool:
    red, green, blue = image.split()
    return red.tobytes() == green.tobytes() == blue.tobytes()


def _displayable(image: Image.Image) -> Image.Image:
    """A mode every browser shows: bilevel and grey stay compact, the rest becomes RGB on white."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda value: value / 256).convert("L")
    if image.mode in ("LA", "RGBA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _thumbnail(image: Image.Image) -> bytes:
    width = settings.THUMBNAIL_WIDTH
    height = max(1, round(image.height * width / image.width))
    small = image.convert("L" if image.mode in ("1", "L") else "RGB")
    small = small.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
