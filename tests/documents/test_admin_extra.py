"""Admin actions (OCR again, export selected), export batches, the OCR settings page."""

import pytest

from documents.models import Document, DocumentStatus, ExportBatch, Field, FieldEdit, ReviewEvent
from documents.services.review import field_correct, review_approve
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_document, replay, reviewer):
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")
    name = Field.objects.get(page__document=document, name="name")
    field_correct(field_id=name.pk, user=reviewer, version=1, value="김민준")
    review_approve(document=document, user=reviewer)
    return document


def test_running_ocr_again_replaces_fields_and_keeps_their_history(
    approved, supervisor_client, replay, django_capture_on_commit_callbacks
):
    calls_before = len(replay.received)

    with django_capture_on_commit_callbacks(execute=True):
        supervisor_client.post(
            "/admin/documents/document/", {"action": "rerun_ocr", "_selected_action": [approved.pk]}, follow=True
        )

    approved.refresh_from_db()
    assert approved.status == DocumentStatus.NEEDS_REVIEW and approved.reviewed_by is None
    assert len(replay.received) == calls_before + 1
    assert Field.objects.get(page__document=approved, name="name").value == "김민수"
    [edit] = FieldEdit.objects.filter(document=approved)
    assert (edit.field_name, edit.new_value, edit.field) == ("name", "김민준", None)
    assert ReviewEvent.objects.filter(document=approved, action="rerun").count() == 1
    page = supervisor_client.get(f"/documents/{approved.pk}/").content.decode()
    assert "김민준" in page.split('class="history"')[1]


def test_a_document_being_processed_is_not_run_again(make_document, supervisor_client):
    document = make_document(name="a.png")
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING)

    response = supervisor_client.post(
        "/admin/documents/document/", {"action": "rerun_ocr", "_selected_action": [document.pk]}, follow=True
    )

    assert "were being processed and were left alone" in response.content.decode()


def test_export_selected_downloads_a_csv_and_records_the_batch(approved, supervisor_client, supervisor):
    response = supervisor_client.post(
        "/admin/documents/document/", {"action": "export_selected", "_selected_action": [approved.pk]}
    )

    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf") and "김민준".encode() in content
    batch = ExportBatch.objects.get()
    assert (batch.created_by, batch.document_count, batch.shape) == (supervisor, 1, "wide")
    assert "export batch" in supervisor_client.get("/admin/documents/exportbatch/").content.decode().lower()


def test_the_ocr_settings_page_masks_secrets_and_is_for_supervisors(supervisor_client, reviewer_client, settings):
    settings.OCR_TEMPLATE_SECRET = "super-secret-template-key-1234"
    settings.OCR_GENERAL_SECRET = ""

    page = supervisor_client.get("/admin/ocr-settings/").content.decode()
    index = supervisor_client.get("/admin/").content.decode()

    assert settings.OCR_TEMPLATE_INVOKE_URL in page
    assert "super-secret" not in page and "••••••••1234" in page and "not set" in page
    assert "/admin/ocr-settings/" in index
    assert reviewer_client.get("/admin/ocr-settings/").status_code == 302
