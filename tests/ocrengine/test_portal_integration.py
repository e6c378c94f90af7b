"""The portal and the built-in engine, meeting only over HTTP, as the portal meets CLOVA."""

import io

import pytest

from documents.models import DocumentStatus
from documents.services import document_upload
from tests.ocrengine.conftest import ENGINE_SECRET, sample_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def engine_domain(live_server, settings, demo_templates, engine_secret):
    url = f"{live_server.url}/ocr/local"
    settings.OCR_TEMPLATE_INVOKE_URL = settings.OCR_GENERAL_INVOKE_URL = url
    settings.OCR_TEMPLATE_SECRET = settings.OCR_GENERAL_SECRET = ENGINE_SECRET
    settings.OCR_READ_TIMEOUT = 60.0  # real recognition, models loaded on the first call (not the replay's 2 s)
    return url


def upload(reviewer, sample, **options):
    return document_upload(file=io.BytesIO(sample.content), name=sample.name, uploaded_by=reviewer, **options).document


def test_an_uploaded_scan_is_read_by_the_built_in_engine(engine_domain, reviewer, demo_samples, replay):
    sample = sample_of(demo_samples, "pdf")

    document = upload(reviewer, sample)

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    assert replay.received == [], "the replay must not have been called"
    page = document.pages.get()
    assert (page.matched_template.id, page.matched_template.name) == (390, "보험금 청구서")
    assert page.validation_result in ("VALID", "INVALID")
    assert (page.converted_width, page.converted_height) == (1654, 2339)
    fields = {field.name: field for field in page.fields.all()}
    texts = [name for name, value in sample.truth.items() if not isinstance(value, bool)]
    right = sum(fields[name].value == sample.truth[name] for name in texts)
    assert right >= len(texts) - 1
    assert all(fields[name].checked == value for name, value in sample.truth.items() if isinstance(value, bool))
    for field in fields.values():
        assert all(0 <= x <= page.width and 0 <= y <= page.height for x, y in field.poly)


def test_text_ocr_documents_get_their_words(engine_domain, reviewer, demo_samples):
    document = upload(reviewer, sample_of(demo_samples, "png"), mode="general")

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    words = list(document.pages.get().fields.values_list("value", flat=True))
    assert "청구서" in " ".join(words)


def test_a_wrong_engine_secret_fails_the_document_with_the_reason(engine_domain, reviewer, demo_samples, settings):
    settings.OCR_TEMPLATE_SECRET = "not-it"

    document = upload(reviewer, sample_of(demo_samples, "png"))

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "secret key was refused" in document.error


def test_a_table_page_uploaded_for_text_ocr_keeps_its_table_structure(engine_domain, reviewer):
    from documents.models import Table
    from ocrengine.demo.text_samples import generate_tables

    sample = generate_tables(1, seed=8)[0]

    document = document_upload(
        file=io.BytesIO(sample.content), name=sample.name, uploaded_by=reviewer, mode="general", langs=sample.lang
    ).document

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    [table] = Table.objects.filter(page__document=document)
    stored = {(cell.row, cell.column, cell.row_span, cell.column_span) for cell in table.cells.all()}
    assert stored == {(cell.row, cell.column, cell.row_span, cell.column_span) for cell in sample.cells}
    assert table.cells.filter(text="").count() >= sum(not cell.text for cell in sample.cells)
