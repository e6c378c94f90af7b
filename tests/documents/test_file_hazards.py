"""A file that carries more than its pages (data after its end, PDF scripts, launch actions, attachments) is
kept verbatim, says so to reviewers and API clients, and is never served as it is except as a download."""

import io

import pytest
from hypothesis import assume, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from documents import file_hazards
from documents.models import Document
from documents.rendering import render_pages
from documents.services.upload import document_upload
from tests import samples
from tests.conftest import multipart

HAZARDOUS = [
    ("jpeg then html", "scan.jpg", samples.jpeg_then_html, ["trailing_data"]),
    ("png then html", "scan.png", samples.png_then_html, ["trailing_data"]),
    ("pdf then html", "scan.pdf", samples.pdf_then_html, ["trailing_data"]),
    ("pdf with javascript", "form.pdf", lambda: samples.active_pdf("javascript"), ["pdf_javascript"]),
    ("pdf with a launch action", "form.pdf", lambda: samples.active_pdf("launch"), ["pdf_launch"]),
    ("pdf with an attached file", "form.pdf", lambda: samples.active_pdf("embedded"), ["pdf_embedded_files"]),
    ("pdf with an escaped /JavaScript", "form.pdf", samples.javascript_pdf_with_escaped_name, ["pdf_javascript"]),
]

ORDINARY = [
    ("jpeg", "scan.jpg", samples.jpeg),
    ("jpeg padded with zero bytes", "scan.jpg", samples.padded_jpeg),
    ("camera mpo", "photo.jpg", samples.mpo_jpeg),
    ("png", "scan.png", samples.png),
    ("pdf", "scan.pdf", samples.pdf),
    ("pdf encrypted for permissions only", "statement.pdf", samples.owner_only_encrypted_pdf),
    ("tiff", "fax.tiff", samples.tiff),
]


@pytest.mark.parametrize(("name", "make", "codes"), [pytest.param(*case[1:], id=case[0]) for case in HAZARDOUS])
def test_a_hazardous_file_is_kept_verbatim_and_its_hazards_recorded(reviewer, file_storage, name, make, codes):
    content = make()
    document = document_upload(file=io.BytesIO(content), name=name, uploaded_by=reviewer).document
    document.refresh_from_db()
    assert [hazard["code"] for hazard in document.hazards] == codes
    with document.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(("name", "make"), [pytest.param(*case[1:], id=case[0]) for case in ORDINARY])
def test_an_ordinary_file_has_no_hazards(reviewer, name, make):
    document = document_upload(file=io.BytesIO(make()), name=name, uploaded_by=reviewer).document
    assert document.hazards == []


def test_trailing_data_is_counted_in_bytes_and_described(tmp_path):
    path = tmp_path / "scan.jpg"
    path.write_bytes(samples.jpeg() + b"<html>" * 1000)
    [hazard] = file_hazards.hazards_find(path, "jpg")
    assert hazard.bytes == 6000
    assert file_hazards.describe(hazard.as_dict()) == (
        "The file has 6,000 bytes of other data besides its image or PDF (after its end, or between its parts)."
    )


@pytest.mark.parametrize("format_", ["jpg", "png"])
def test_an_image_with_data_after_its_end_is_redrawn_not_served_as_it_is(tmp_path, format_):
    content = samples.jpeg_then_html() if format_ == "jpg" else samples.png_then_html()
    path = tmp_path / f"original.{format_}"
    path.write_bytes(content)
    [page] = list(render_pages(path, format_))
    assert samples.HTML_PAYLOAD.strip() not in page.image
    with Image.open(io.BytesIO(page.image)) as image:
        assert image.size == Image.open(path).size


@pytest.mark.parametrize("format_", ["jpg", "png"])
def test_an_ordinary_image_is_still_its_own_page_image(tmp_path, format_):
    content = samples.jpeg() if format_ == "jpg" else samples.png()
    path = tmp_path / f"original.{format_}"
    path.write_bytes(content)
    [page] = list(render_pages(path, format_))
    assert page.image == content


def test_reviewers_see_the_hazards_and_the_original_stays_a_download(reviewer, reviewer_client):
    content = samples.active_pdf("launch")
    document = document_upload(file=io.BytesIO(content), name="form.pdf", uploaded_by=reviewer).document

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()
    assert "This file carries more than its pages." in page
    assert "The PDF contains an action that starts a program or opens another file." in page
    listing = reviewer_client.get("/").content.decode()
    assert "more than pages" in listing

    original = reviewer_client.get(f"/documents/{document.pk}/original")
    assert original["Content-Disposition"].startswith("attachment;")
    assert original["Content-Type"] == "application/octet-stream"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert b"".join(original.streaming_content) == content


def test_the_api_and_the_upload_page_tell_the_uploader(reviewer_client):
    body, content_type = multipart([("scan.jpg", samples.jpeg_then_html())])
    answer = reviewer_client.post("/upload/", body, content_type=content_type, HTTP_ACCEPT="application/json")
    [outcome] = answer.json()["results"]
    assert outcome["ok"] is True
    assert outcome["hazards"] == [
        "The file has 80 bytes of other data besides its image or PDF (after its end, or between its parts)."
    ]

    detail = reviewer_client.get(f"/api/documents/{outcome['id']}/").json()
    assert detail["hazards"] == [
        {
            "code": "trailing_data",
            "bytes": 80,
            "message": "The file has 80 bytes of other data besides its image or PDF "
            "(after its end, or between its parts).",
        }
    ]
    assert Document.objects.get(pk=outcome["id"]).hazards == [{"code": "trailing_data", "bytes": 80}]


@st.composite
def _jpegs(draw):
    width, height = draw(st.integers(8, 300)), draw(st.integers(8, 300))
    image = Image.new(draw(st.sampled_from(["L", "RGB", "CMYK"])), (width, height), "white")
    painter = ImageDraw.Draw(image)
    for _ in range(draw(st.integers(0, 12))):
        x, y = draw(st.integers(0, width - 1)), draw(st.integers(0, height - 1))
        painter.rectangle([x, y, x + draw(st.integers(1, 60)), y + draw(st.integers(1, 60))], fill="black")
    buffer = io.BytesIO()
    image.save(
        buffer,
        format="JPEG",
        quality=draw(st.integers(5, 100)),
        progressive=draw(st.booleans()),
        optimize=draw(st.booleans()),
        restart_marker_blocks=draw(st.sampled_from([0, 1, 7])),
    )
    return buffer.getvalue()


@seed(20261130)
@hypothesis_settings(max_examples=60, deadline=None, derandomize=True)
@given(jpeg=_jpegs(), extra=st.binary(max_size=300))
def test_the_end_of_any_jpeg_is_found_and_only_real_data_after_it_counts(jpeg, extra):
    assume(not extra.startswith(b"\xff\xd8\xff"))  # another JPEG right behind is a camera's second picture
    assert file_hazards.jpeg_end(jpeg) == len(jpeg)
    assert file_hazards.trailing_bytes(jpeg + extra, "jpg") == len(extra.rstrip(b"\x00\t\n\r\f "))


PAGES = [b"<</Type/Pages/Kids[3 0 R]/Count 1>>", b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]


def _tiny_pdf() -> tuple[bytes, int]:
    """A hand-made one-page PDF and the offset of its cross-reference table."""
    pdf = samples.hand_made_pdf([b"<</Type/Catalog/Pages 2 0 R>>", *PAGES])
    return pdf, pdf.rindex(b"xref\n")


def _incremental_update(pdf: bytes, table: int) -> bytes:
    """What a viewer appends when it saves a change: a new object, its table, a trailer pointing back."""
    out = bytearray(pdf)
    offset = len(out)
    out += b"4 0 obj<</Producer(an update)>>endobj\n"
    new_table = len(out)
    out += b"xref\n4 1\n%010d 00000 n \ntrailer<</Size 5/Root 1 0 R/Prev %d>>\n" % (offset, table)
    out += b"startxref\n%d\n%%%%EOF\n" % new_table
    return bytes(out)


def _pdf_with(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _deep_javascript_chain() -> bytes:
    import pikepdf

    document = pikepdf.open(io.BytesIO(samples.pdf(1)))
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
    for _ in range(60):
        action = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=[0, pikepdf.Name.Fit], Next=action)
    document.Root.OpenAction = action
    return _pdf_with(document)


def _javascript_only_in_a_string() -> bytes:
    import pikepdf

    document = pikepdf.open(io.BytesIO(samples.pdf(1)))
    document.Root.Note = pikepdf.String("a note about /JS, /JavaScript and /S /Launch (not an action)")
    return _pdf_with(document)


HTML = samples.HTML_PAYLOAD
BYPASSES = [
    ("jpeg then a picture that never ends", "jpg", samples.jpeg() + b"\xff\xd8\xff" + HTML, True),
    ("jpeg then a whole second jpeg, not a camera's", "jpg", samples.jpeg() + samples.jpeg(), True),
    ("camera mpo", "jpg", samples.mpo_jpeg(), False),
    ("png without its IEND", "png", samples.png()[:-12] + HTML, True),
    ("png whose IEND is too long", "png", samples.png()[:-12] + b"\x7f\xff\xff\xf0IEND" + HTML, True),
    ("pdf then html then a trailer of its own", "pdf", None, True),
    ("pdf then html then a trailer pointing nowhere", "pdf", samples.pdf(1) + HTML + b"startxref\n1\n%%EOF\n", True),
    ("pdf with an incremental update", "pdf", None, False),
]


@pytest.mark.parametrize(("format_", "content", "flagged"), [pytest.param(*case[1:], id=case[0]) for case in BYPASSES])
def test_data_behind_an_end_is_found_however_it_is_dressed(tmp_path, format_, content, flagged, request):
    if content is None:
        pdf, table = _tiny_pdf()
        if "update" in request.node.callspec.id:
            content = _incremental_update(pdf, table)
        else:
            content = bytes(pdf) + HTML + b"startxref\n%d\n%%%%EOF\n" % table
    path = tmp_path / f"file.{format_}"
    path.write_bytes(content)

    found = [hazard.code for hazard in file_hazards.hazards_find(path, format_)]

    assert found == (["trailing_data"] if flagged else [])


@pytest.mark.parametrize(
    ("make", "codes"),
    [
        pytest.param(_deep_javascript_chain, ["pdf_javascript"], id="javascript at the end of 60 chained actions"),
        pytest.param(_javascript_only_in_a_string, [], id="the words only inside a string"),
    ],
)
def test_active_content_is_found_at_any_depth_and_only_as_pdf_syntax(tmp_path, make, codes):
    path = tmp_path / "file.pdf"
    path.write_bytes(make())
    assert file_hazards.pdf_active_content(path) == codes


def test_a_pdf_that_cannot_be_checked_in_time_says_so(tmp_path, settings):
    settings.PDF_INSPECT_TIMEOUT = 0.001
    path = tmp_path / "file.pdf"
    path.write_bytes(samples.pdf(1))
    assert file_hazards.pdf_active_content(path) == ["pdf_unchecked"]


def test_an_upload_without_the_script_shows_the_hazard_too(reviewer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("poly.jpg", samples.jpeg_then_html()), SimpleUploadedFile("empty.png", b"")]
    page = reviewer_client.post("/upload/", {"file": files}, follow=True).content.decode()

    assert "The file has 80 bytes of other data besides its image or PDF (after its end, or between its parts)." in page

    batch = Document.objects.get().batch
    listing = reviewer_client.get(f"/batches/{batch.uuid}/").content.decode()
    assert "more than pages" in listing


def _scanned(tmp_path, content: bytes) -> list[str]:
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    return file_hazards.pdf_active_content(path)


def test_a_root_written_into_the_trailer_is_searched_too(tmp_path):
    content = samples.hand_made_pdf(
        [b"<</Type/Catalog/Pages 2 0 R>>", *PAGES],
        trailer=b"/Root<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>",
    )
    assert _scanned(tmp_path, content) == ["pdf_javascript"]


def test_a_launch_whose_type_is_an_object_of_its_own_is_found(tmp_path):
    content = samples.hand_made_pdf(
        [b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", *PAGES, b"<</S 5 0 R/F(calc.exe)>>", b"/Launch"]
    )
    assert _scanned(tmp_path, content) == ["pdf_launch"]


def test_numbers_kept_as_objects_of_their_own_are_ordinary(tmp_path):
    """Cairo (Firefox's and GTK's printing) writes stream lengths as objects of their own."""
    content = samples.hand_made_pdf(
        [b"<</Type/Catalog/Pages 2 0 R>>", *PAGES, b"<</Length 5 0 R>>\nstream\nBT ET\nendstream", b"5", b"null"]
    )
    assert _scanned(tmp_path, content) == []


def test_a_pdf_qpdf_refuses_is_unchecked_not_clean(tmp_path):
    content = samples.hand_made_pdf([b"<</Type/Catalog/Pages 2 0 R>>", *PAGES], trailer=b"/Root 1 0 R/Encrypt 7")
    assert _scanned(tmp_path, content) == ["pdf_unchecked"]


def test_a_fake_trailer_pointing_back_at_the_original_table_ends_nothing(tmp_path):
    pdf, table = _tiny_pdf()
    content = bytes(pdf) + b"9 0 obj\n" + HTML + b"startxref\n%d\n%%%%EOF\n" % table
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    assert [hazard.code for hazard in file_hazards.hazards_find(path, "pdf")] == ["trailing_data"]


def test_thousands_of_fake_trailers_in_a_sea_of_spaces_are_read_in_one_pass():
    """Each trailer pointing into 200,000 spaces: with the spaces scanned again per trailer, this took seconds
    per thousand; bounded, it is one pass."""
    head = b"%PDF-1.4\n1 0 obj\n<</Length 200000>>\nstream\n"
    data = head + b" " * 200_000 + b"\nendstream\nendobj\n" + b"startxref\n%d\n%%%%EOF\n" % (len(head) + 10) * 3000

    assert file_hazards.pdf_end(data) == len(data) - 1  # none leads to a table: the end is the last %%EOF


def test_a_trailer_offset_of_thousands_of_digits_is_no_error():
    data = samples.pdf(1) + b"startxref\n" + b"9" * 5000 + b"\n%%EOF\n"
    assert file_hazards.trailing_bytes(data, "pdf") > 0


def test_stray_bytes_inside_a_jpeg_do_not_hide_what_follows_it():
    jpeg = samples.jpeg()
    app0_end = 2 + 2 + int.from_bytes(jpeg[4:6], "big")
    doctored = jpeg[:app0_end] + b"\x00" + jpeg[app0_end:] + HTML
    assert file_hazards.trailing_bytes(doctored, "jpg") == 1 + len(HTML.rstrip())
