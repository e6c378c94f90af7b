import io

import pytest
from PIL import Image

from documents.intake import IntakeError
from documents.models import Document, DocumentStatus, FileFormat
from documents.services import document_upload
from tests import samples
from tests.conftest import stored_files
from tests.documents.bad_inputs import bad_inputs

pytestmark = pytest.mark.django_db


def upload(user, content: bytes, name: str, **options):
    return document_upload(file=io.BytesIO(content), name=name, uploaded_by=user, **options)


@pytest.mark.parametrize(
    ("content", "name", "file_format", "pages"),
    [
        pytest.param(samples.png(), "scan.png", FileFormat.PNG, 1, id="png"),
        pytest.param(samples.jpeg(orientation=6), "photo.jpg", FileFormat.JPG, 1, id="jpeg-exif"),
        pytest.param(samples.pdf(4), "claim.pdf", FileFormat.PDF, 4, id="pdf"),
        pytest.param(samples.tiff(3), "fax.tif", FileFormat.TIFF, 3, id="tiff"),
        pytest.param(samples.owner_only_encrypted_pdf(), "statement.pdf", FileFormat.PDF, 1, id="permissions-only-pdf"),
    ],
)
def test_it_accepts_every_supported_format(reviewer, file_storage, content, name, file_format, pages):
    document = upload(reviewer, content, name).document

    assert document.file_format == file_format
    assert document.page_count == pages
    assert document.size == len(content)
    assert document.status == DocumentStatus.UPLOADED
    assert document.display_name == name
    assert document.uploaded_by == reviewer
    with document.file.open("rb") as handle:
        assert handle.read() == content, "the original must be kept byte for byte"


def test_it_decides_the_type_by_the_bytes_not_the_name(reviewer):
    document = upload(reviewer, samples.jpeg(), "looks-like.png").document

    assert document.file_format == FileFormat.JPG


def test_it_stores_the_original_under_a_name_the_uploader_did_not_choose(reviewer):
    document = upload(reviewer, samples.png(), "Quarterly report.png").document

    assert "Quarterly" not in document.file.name
    assert document.file.name.startswith("originals/")
    assert document.file.name.endswith(f"{document.uuid.hex}.png")


def test_it_records_the_sha256_of_the_original(reviewer):
    import hashlib

    content = samples.png()
    document = upload(reviewer, content, "a.png").document

    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_it_flags_identical_bytes_uploaded_again_with_the_first_upload(reviewer, supervisor):
    content = samples.pdf(2)
    first = upload(reviewer, content, "a.pdf")
    second = upload(supervisor, content, "renamed.pdf")
    third = upload(reviewer, content, "again.pdf")

    assert first.duplicate_of is None
    assert second.duplicate_of == first.document
    assert third.duplicate_of == first.document
    assert Document.objects.count() == 3


def test_it_keeps_the_ocr_options(reviewer):
    document = upload(
        reviewer, samples.png(), "a.png", mode="template", template_ids="390, 391", langs="ko,ja"
    ).document

    assert document.mode == "template"
    assert document.template_ids == [390, 391]
    assert document.lang == "ko,ja"
    assert document.languages == ["ko", "ja"]


def test_it_defaults_to_template_ocr_in_the_language_ocr_decides(reviewer):
    document = upload(reviewer, samples.png(), "a.png").document

    # No language chosen: none is sent, and CLOVA uses its domain's setting (the engine, the template's).
    assert (document.mode, document.template_ids, document.lang, document.languages) == ("template", [], "", [])


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"mode": "handwriting"}, "invalid_mode"),
        ({"template_ids": "12,abc"}, "invalid_template_ids"),
        ({"template_ids": "-4"}, "invalid_template_ids"),
        ({"mode": "general", "template_ids": "12"}, "invalid_template_ids"),
        ({"langs": "ko,fr"}, "invalid_lang"),
        ({"template_ids": "9" * 40}, "invalid_template_ids"),  # the engine failed on it, five tries a document
        ({"template_ids": "3_90"}, "invalid_template_ids"),  # int() reads it as 390
        ({"template_ids": "３９０"}, "invalid_template_ids"),
        ({"template_ids": ["abc", "390"]}, "invalid_template_ids"),  # repeated: every value counts, not the last
        ({"mode": ["general", "template"]}, "invalid_mode"),
        ({"langs": ["xx", "ko"]}, "invalid_lang"),
    ],
)
def test_it_refuses_bad_options_and_keeps_nothing(reviewer, file_storage, options, code):
    with pytest.raises(IntakeError) as error:
        upload(reviewer, samples.png(), "a.png", **options)

    assert error.value.code == code
    assert Document.objects.count() == 0
    assert stored_files(file_storage) == []


@bad_inputs
def test_it_refuses_bad_input_and_keeps_nothing(reviewer, file_storage, name, make_content, code):
    with pytest.raises(IntakeError) as error:
        upload(reviewer, make_content(), name)

    assert error.value.code == code
    assert error.value.message
    assert Document.objects.count() == 0
    assert stored_files(file_storage) == []


def test_it_refuses_an_image_over_the_size_limit(reviewer, file_storage, settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 2_000
    content = samples.png(1000, 1000, text="x" * 50)
    assert len(content) > 2_000

    with pytest.raises(IntakeError) as error:
        upload(reviewer, content, "big.png")

    assert error.value.code == "file_too_large"
    assert stored_files(file_storage) == []


def test_it_allows_pdfs_more_than_images(reviewer, settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 1_000
    content = samples.pdf(3)
    assert len(content) > 1_000

    assert upload(reviewer, content, "form.pdf").document.page_count == 3


def test_it_refuses_a_pdf_over_its_size_limit(reviewer, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 1_000

    with pytest.raises(IntakeError) as error:
        upload(reviewer, samples.pdf(3), "form.pdf")

    assert error.value.code == "file_too_large"


def test_it_refuses_more_pages_than_the_setting_allows(reviewer, settings):
    settings.UPLOAD_MAX_PAGES = 2

    with pytest.raises(IntakeError) as error:
        upload(reviewer, samples.tiff(3), "fax.tiff")

    assert error.value.code == "too_many_pages"


def test_a_cameras_multi_picture_jpeg_is_one_page_its_first_picture(reviewer, make_document):
    document = make_document(content=samples.mpo_jpeg(), name="camera.jpg")

    assert document.page_count == 1 and document.pages.count() == 1
    with document.pages.get().image.open("rb") as handle, Image.open(handle) as image:
        assert image.convert("L").getextrema() == (255, 255), "the photo, not the black second picture"
