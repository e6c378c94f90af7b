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
        "The file has 6,000 bytes of other data after the end of its image or PDF."
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
    assert outcome["hazards"] == ["The file has 80 bytes of other data after the end of its image or PDF."]

    detail = reviewer_client.get(f"/api/documents/{outcome['id']}/").json()
    assert detail["hazards"] == [
        {
            "code": "trailing_data",
            "bytes": 80,
            "message": "The file has 80 bytes of other data after the end of its image or PDF.",
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
