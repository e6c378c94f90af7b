import pytest
from django.test import Client

from documents.models import Document, DocumentStatus, ProcessingJob
from tests import samples

pytestmark = pytest.mark.django_db


def test_progress_reports_each_document(reviewer_client, make_document):
    done = make_document(content=samples.pdf(2), name="a.pdf")
    waiting = make_document(name="b.png")
    Document.objects.filter(pk=waiting.pk).update(status=DocumentStatus.PROCESSING)
    ProcessingJob.objects.filter(document=waiting).update(
        status="running", step="ocr", pages_rendered=1, pages_recognised=0
    )

    body = reviewer_client.get(f"/documents/progress?ids={done.pk},{waiting.pk},x").json()

    by_id = {item["id"]: item for item in body["documents"]}
    assert by_id[done.pk]["status"] == "needs_review" and by_id[done.pk]["in_flight"] is False
    assert by_id[done.pk]["percent"] == 100
    assert by_id[waiting.pk]["in_flight"] is True
    assert by_id[waiting.pk]["step"] == "Reading with OCR"
    assert by_id[waiting.pk]["percent"] == 33


def test_the_list_shows_a_progress_bar_for_documents_in_flight(reviewer_client, make_document):
    waiting = make_document(name="b.png")
    Document.objects.filter(pk=waiting.pk).update(status=DocumentStatus.UPLOADED)

    page = reviewer_client.get("/").content.decode()

    assert f'data-progress-id="{waiting.pk}" data-in-flight="true"' in page
    assert "js/progress.js" in page


def test_a_batch_page_lists_its_files(reviewer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = reviewer_client.post(
        "/upload/",
        {"file": [SimpleUploadedFile("a.png", samples.png()), SimpleUploadedFile("b.png", samples.png(text="b"))]},
    )
    page = reviewer_client.get(response["Location"]).content.decode()

    assert "a.png" in page and "b.png" in page and "2 files" in page


def test_only_supervisors_may_retry(
    supervisor_client,
    reviewer_client,
    outsider_client,
    make_document,
    settings,
    replay,
    django_capture_on_commit_callbacks,
):
    settings.OCR_TEMPLATE_SECRET = "wrong"
    document = make_document(name="a.png")
    settings.OCR_TEMPLATE_SECRET = replay.secret
    url = f"/documents/{document.pk}/retry"

    assert reviewer_client.post(url).status_code == 403
    assert outsider_client.post(url).status_code == 403
    assert Client().post(url).status_code == 302
    detail = supervisor_client.get(f"/documents/{document.pk}/").content.decode()
    assert f'action="/documents/{document.pk}/retry"' in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(url, follow=True)

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW


def test_retry_needs_a_csrf_token(supervisor, make_document, settings):
    settings.OCR_TEMPLATE_SECRET = "wrong"
    document = make_document(name="a.png")
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)

    assert client.post(f"/documents/{document.pk}/retry").status_code == 403


@pytest.mark.parametrize("url", ["/documents/progress?ids=1", "/batches/00000000-0000-0000-0000-000000000000/"])
def test_progress_and_batches_need_a_role(outsider_client, anonymous_client, url):
    assert outsider_client.get(url).status_code == 403
    assert anonymous_client.get(url).status_code == 302


def test_healthz_says_when_the_broker_is_down(anonymous_client):
    from ocrportal.celery import app

    changed = {"task_always_eager": False, "broker_url": "redis://127.0.0.1:1/0"}
    previous = {key: app.conf[key] for key in changed}
    app.conf.update(changed)
    try:
        response = anonymous_client.get("/healthz")
    finally:
        app.conf.update(previous)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "app": True, "database": True, "broker": False, "storage": True}
