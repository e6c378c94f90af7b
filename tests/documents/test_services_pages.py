import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from documents.models import Document, DocumentStatus, Page
from documents.rendering import pdf_dpi_for
from documents.services import document_render_pages
from tests import samples

pytestmark = pytest.mark.django_db


def image_of(field) -> Image.Image:
    with field.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read()))


def test_it_renders_each_pdf_page_at_200_dpi(make_document):
    document = make_document(content=samples.pdf(3), name="claim.pdf")

    pages = list(document.pages.order_by("index"))
    assert [page.index for page in pages] == [0, 1, 2]
    for page in pages:
        assert (page.width, page.height) == (1653, 2339)  # A4 (595 × 842 pt) at 200 dpi
        assert page.dpi == 200
        image = image_of(page.image)
        assert image.format == "PNG"
        assert image.size == (page.width, page.height)


def test_the_render_resolution_is_a_setting(make_document, settings):
    settings.RENDER_DPI = 100

    page = make_document(content=samples.pdf(1), name="claim.pdf").pages.get()

    assert (page.width, page.height, page.dpi) == (827, 1170, 100)


def test_it_renders_a_large_pdf_page_below_the_pixel_cap(make_document, settings):
    settings.UPLOAD_MAX_PAGE_PIXELS = 20_000_000

    page = make_document(content=samples.pdf(1, size=(2384, 3370)), name="a0.pdf").pages.get()  # A0

    assert page.width * page.height <= 20_000_000
    assert page.dpi == pdf_dpi_for(2384, 3370) < 200


def test_it_honours_the_exif_orientation_of_a_jpeg(make_document):
    # Stored 640 × 480 with orientation 6 ("rotate 90° clockwise to view"): upright it is 480 × 640.
    page = make_document(content=samples.jpeg(640, 480, orientation=6), name="phone.jpg").pages.get()

    assert (page.width, page.height) == (480, 640)
    assert page.source_orientation == 6
    image = image_of(page.image).convert("RGB")
    # The red block drawn at the stored image's top-left ends up at the upright image's top-right.
    assert image.getpixel((470, 10))[0] > 200 and image.getpixel((470, 10))[1] < 80
    assert image.getpixel((10, 10)) == (255, 255, 255)


def test_it_renders_every_frame_of_a_tiff(make_document):
    document = make_document(content=samples.tiff(3, size=(300, 400)), name="fax.tiff")

    pages = list(document.pages.order_by("index"))
    assert len(pages) == 3
    assert all((page.width, page.height) == (300, 400) for page in pages)
    shades = [image_of(page.image).getpixel((5, 5)) for page in pages]
    assert shades == [255, 235, 215], "each page must come from its own frame"


def test_it_keeps_a_png_at_its_own_pixel_size(make_document):
    page = make_document(content=samples.png(1234, 987), name="scan.png").pages.get()

    assert (page.width, page.height, page.dpi) == (1234, 987, None)


def test_every_page_gets_a_jpeg_thumbnail(make_document, settings):
    document = make_document(content=samples.pdf(2), name="claim.pdf")

    for page in document.pages.all():
        thumbnail = image_of(page.thumbnail)
        assert thumbnail.format == "JPEG"
        assert thumbnail.width == settings.THUMBNAIL_WIDTH
        assert abs(thumbnail.height / thumbnail.width - page.height / page.width) < 0.01


def test_rendering_again_adds_only_missing_pages(make_document, file_storage):
    document = make_document(content=samples.pdf(3), name="claim.pdf")
    first = {page.index: (page.pk, page.image.name) for page in document.pages.all()}
    Page.objects.filter(document=document, index=1).delete()  # as if a worker died after page 0

    document_render_pages(document=document)

    again = {page.index: (page.pk, page.image.name) for page in document.pages.all()}
    assert again[0] == first[0] and again[2] == first[2]
    assert again[1][1] == first[1][1], "the page file is replaced, not stored beside the old one"
    assert len([p for p in file_storage.rglob("*.png") if "pages" in p.parts]) == 3


def test_a_page_that_cannot_be_rendered_fails_the_document_and_keeps_the_original(make_document, settings):
    settings.RENDER_PAGE_TIMEOUT = 0  # poppler cannot finish in no time at all

    document = make_document(content=samples.pdf(1), name="claim.pdf")

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "render" in document.error
    assert document.file.storage.exists(document.file.name)


@pytest.mark.parametrize(
    ("make", "name", "kind"), [(samples.jpeg, "scan.jpg", "image/jpeg"), (samples.png, "scan.png", "image/png")]
)
def test_an_upright_jpeg_or_png_is_its_own_page_image_untouched(make, name, kind, make_document, reviewer_client):
    content = make()
    document = make_document(content=content, name=name)

    page = document.pages.get()
    with page.image.open("rb") as handle:
        assert handle.read() == content
    response = reviewer_client.get(f"/documents/{document.pk}/pages/{page.index}/image")
    assert response.status_code == 200 and response["Content-Type"] == kind


def test_a_rotated_jpeg_is_stored_upright_as_png(make_document):
    document = make_document(content=samples.jpeg(orientation=6), name="turned.jpg")

    assert document.pages.get().image.name.endswith(".png")


def scanned_pdf(pages: int = 2, rotate: int = 0) -> bytes:
    images = [Image.open(io.BytesIO(samples.jpeg(1654, 2339, color="#f4f4f4"))).convert("L") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200.0)
    if not rotate:
        return buffer.getvalue()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        for page in pdf.pages:
            page.Rotate = rotate
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_a_scanned_pdf_page_is_its_own_jpeg_taken_out_not_rendered(make_document):
    content = scanned_pdf()
    document = make_document(content=content, name="scan.pdf")

    with pikepdf.open(io.BytesIO(content)) as pdf:
        embedded = [next(iter(page.Resources.XObject.values())).read_raw_bytes() for page in pdf.pages]
    pages = list(document.pages.order_by("index"))
    assert [(page.image_format, page.width, page.height, page.dpi) for page in pages] == [("jpg", 1654, 2339, 200)] * 2
    for page, jpeg in zip(pages, embedded, strict=True):
        with page.image.open("rb") as handle:
            assert handle.read() == jpeg


def test_a_turned_scanned_page_is_rendered_upright(make_document):
    document = make_document(content=scanned_pdf(1, rotate=90), name="turned.pdf")

    page = document.pages.get()
    assert (page.width, page.height) == (2339, 1654)


def test_a_drawn_pdf_page_stays_a_sharp_png(make_document):
    document = make_document(content=samples.pdf(1), name="drawn.pdf")

    assert document.pages.get().image_format == "png"


def test_a_pdf_page_is_rendered_within_its_crop_box_as_viewers_show_it(make_document):
    content = samples.pdf(1, size=(2000, 2000))
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pdf.pages[0].obj.CropBox = [0, 0, 612, 792]
        out = io.BytesIO()
        pdf.save(out)

    page = make_document(content=out.getvalue(), name="cropped.pdf").pages.get()

    assert (page.width, page.height) == (1700, 2200)


def test_a_scanned_page_with_an_annotation_is_rendered_so_the_stamp_shows(make_document):
    with pikepdf.open(io.BytesIO(scanned_pdf(1))) as pdf:
        embedded = next(iter(pdf.pages[0].Resources.XObject.values())).read_raw_bytes()
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([]))
        out = io.BytesIO()
        pdf.save(out)

    page = make_document(content=out.getvalue(), name="stamped.pdf").pages.get()

    with page.image.open("rb") as handle:
        assert handle.read() != embedded


def test_a_scanned_page_whose_jpeg_carries_more_is_rendered_not_served_as_it_is(make_document):
    with pikepdf.open(io.BytesIO(scanned_pdf(1))) as pdf:
        image = next(iter(pdf.pages[0].Resources.XObject.values()))
        image.write(image.read_raw_bytes() + samples.HTML_PAYLOAD, filter=pikepdf.Name.DCTDecode)
        out = io.BytesIO()
        pdf.save(out)

    page = make_document(content=out.getvalue(), name="polyglot.pdf").pages.get()

    with page.image.open("rb") as handle:
        assert samples.HTML_PAYLOAD.strip() not in handle.read()


def test_a_missing_original_fails_saying_so_without_its_path(make_document, django_capture_on_commit_callbacks):
    from documents.services import document_retry

    document = make_document(content=samples.pdf(1), name="gone.pdf")
    document.pages.all().delete()
    Path(document.file.path).unlink()
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        document_retry(document=document)

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("The original file is missing from the file storage.")
    assert "/" not in document.error
