"""Boxes from OCR land on the stored page image, whatever pixel space OCR answered in.

A black rectangle is drawn at known coordinates; the replay finds it in the file it received (rendering a
PDF at its own resolution, shrinking TIFF frames as a converter might) and answers with its polygon.
"""

import io

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageOps

from tests import clova_fixtures as make
from tests.clova_replay import REPLAY_PDF_DPI, respond

pytestmark = pytest.mark.django_db

RECT_PX = (300, 500, 500, 560)  # left, top, right, bottom on a 1000 × 1400 image
RECT_PT = (200, 300, 320, 340)  # the same idea on an A4 PDF page, in points from the top left
A4 = (595, 842)
TIFF_CONVERSION = 0.5


def page_with_rectangle() -> Image.Image:
    image = Image.new("L", (1000, 1400), 255)
    ImageDraw.Draw(image).rectangle([RECT_PX[0], RECT_PX[1], RECT_PX[2] - 1, RECT_PX[3] - 1], fill=0)
    return image


def png_file() -> bytes:
    buffer = io.BytesIO()
    page_with_rectangle().save(buffer, format="PNG")
    return buffer.getvalue()


def tiff_file() -> bytes:
    buffer = io.BytesIO()
    frames = [page_with_rectangle(), page_with_rectangle()]
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return buffer.getvalue()


def pdf_file() -> bytes:
    left, top, right, bottom = RECT_PT
    stream = f"0 g {left} {A4[1] - bottom} {right - left} {bottom - top} re f".encode()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=A4)
    pdf.pages[0].Contents = pdf.make_stream(stream)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def box_finder(received):
    """Answer each page with a field around its dark pixels, in the pixel space of the replay's own conversion."""
    if received.file_format == "pdf":
        from pdf2image import convert_from_bytes

        pages = convert_from_bytes(received.content, dpi=REPLAY_PDF_DPI)
    else:
        source = Image.open(io.BytesIO(received.content))
        pages = []
        for index in range(getattr(source, "n_frames", 1)):
            source.seek(index)
            frame = source.convert("L")
            if received.file_format == "tiff":
                size = (round(frame.width * TIFF_CONVERSION), round(frame.height * TIFF_CONVERSION))
                frame = frame.resize(size, Image.Resampling.BOX)
            pages.append(frame)
    images = []
    for index, page in enumerate(pages):
        ink = ImageOps.invert(page.convert("L")).point(lambda value: 255 if value >= 128 else 0)
        left, top, right, bottom = ink.getbbox()
        image = make.image([make.field("box", "", (left, top, right - left, bottom - top))])
        if received.file_format in ("pdf", "tiff"):
            image["convertedImageInfo"] = {"width": page.width, "height": page.height, "pageIndex": index}
        images.append(image)
    return respond(received, images)


def stored_box(document, index=0) -> tuple[float, float, float, float]:
    poly = document.pages.get(index=index).fields.get(name="box").poly
    xs, ys = [x for x, _ in poly], [y for _, y in poly]
    return min(xs), min(ys), max(xs), max(ys)


def assert_within(found, expected, tolerance=2.0):
    assert all(abs(a - b) <= tolerance for a, b in zip(found, expected, strict=True)), (found, expected)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_pdf_box_lands_on_the_rendered_page(make_document, replay, settings, dpi):
    settings.RENDER_DPI = dpi
    replay.answer = box_finder

    document = make_document(content=pdf_file(), name="rect.pdf")

    scale = dpi / 72
    assert document.pages.get().dpi == dpi
    assert_within(stored_box(document), tuple(value * scale for value in RECT_PT))


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_png_box_lands_on_the_page(make_document, replay, settings, dpi):
    settings.RENDER_DPI = dpi  # images keep their own pixels whatever the PDF resolution
    replay.answer = box_finder

    document = make_document(content=png_file(), name="rect.png")

    assert_within(stored_box(document), RECT_PX)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_tiff_box_lands_on_every_frame_despite_a_shrunken_conversion(make_document, replay, settings, dpi):
    settings.RENDER_DPI = dpi
    replay.answer = box_finder

    document = make_document(content=tiff_file(), name="rect.tiff")

    for index in (0, 1):
        assert_within(stored_box(document, index), RECT_PX)
