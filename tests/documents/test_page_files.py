import io

import pytest
from PIL import Image

from tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(make_document):
    return make_document(content=samples.pdf(2), name="claim.pdf")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_page_image_is_served_privately_and_never_sniffed(reviewer_client, document):
    response = reviewer_client.get(f"/documents/{document.pk}/pages/1/image")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert Image.open(io.BytesIO(body(response))).size == (1653, 2339)


def test_a_thumbnail_is_a_small_jpeg(reviewer_client, document, settings):
    response = reviewer_client.get(f"/documents/{document.pk}/pages/0/thumbnail")

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(body(response))).width == settings.THUMBNAIL_WIDTH


def test_the_original_downloads_untouched_as_an_attachment(reviewer_client, make_document):
    content = samples.pdf(1)
    document = make_document(content=content, name="report 2026.pdf")

    response = reviewer_client.get(f"/documents/{document.pk}/original")

    assert body(response) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert "report 2026.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "saved_as"),
    [
        ("invoice.html", samples.jpeg(), "invoice.html.jpg"),
        ("scan.JPEG", samples.jpeg(), "scan.JPEG"),
        ("page.svg", samples.png(), "page.svg.png"),
        ("fax.tif", samples.tiff(), "fax.tif"),
        ("contract", samples.pdf(1), "contract.pdf"),
    ],
)
def test_the_original_is_saved_under_the_extension_of_what_it_is(
    reviewer_client, make_document, name, content, saved_as
):
    document = make_document(content=content, name=name)

    response = reviewer_client.get(f"/documents/{document.pk}/original")

    assert response["Content-Disposition"] == f'attachment; filename="{saved_as}"'


def test_files_are_not_reachable_under_any_public_url(reviewer_client, document, settings):
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    assert reviewer_client.get(f"/media/{document.file.name}").status_code == 404
    assert reviewer_client.get(f"/static/../files/{document.file.name}").status_code == 404
