"""A file storage that refuses writes (here a folder under /sys, which not even root may write): a coded
503 for the API, a clear message on the page, a failing health check, and nothing half-kept."""

import errno

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import Document
from documents.storage import StorageFaultMiddleware
from tests import samples

pytestmark = pytest.mark.django_db
UNWRITABLE = "/sys/fs/ocrportal-files"


@pytest.fixture
def unwritable(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": UNWRITABLE, "base_url": None},
        },
    }


def test_an_api_upload_gets_a_coded_503(unwritable, reviewer):
    api = APIClient()
    api.force_authenticate(reviewer)

    response = api.post("/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png())}, format="multipart")

    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response.json()["code"] == "storage_unavailable"
    assert "storage" in response.json()["message"] and "Traceback" not in response.content.decode()
    assert not Document.objects.exists()


def test_a_web_upload_says_so_for_each_file(unwritable, reviewer_client):
    files = [SimpleUploadedFile("a.png", samples.png()), SimpleUploadedFile("b.png", samples.png(text="b"))]

    response = reviewer_client.post("/upload/", {"file": files}, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert [item["code"] for item in response.json()["results"]] == ["storage_unavailable"] * 2
    assert not Document.objects.exists()


def test_the_upload_form_shows_the_message(unwritable, reviewer_client):
    response = reviewer_client.post("/upload/", {"file": [SimpleUploadedFile("a.png", samples.png())]})

    assert "file storage cannot be written" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), PermissionError(errno.EACCES, "Permission denied")],
)
def test_any_page_that_meets_a_storage_fault_answers_a_503_page_not_a_traceback(rf, reviewer, error):
    request = rf.get("/documents/1/")
    request.user = reviewer

    response = StorageFaultMiddleware(lambda r: None).process_exception(request, error)

    assert response.status_code == 503
    assert "Storage unavailable" in response.content.decode() and "Traceback" not in response.content.decode()


def test_other_errors_are_left_to_the_usual_handling(rf):
    assert StorageFaultMiddleware(lambda r: None).process_exception(rf.get("/"), ValueError("bug")) is None


def test_healthz_checks_the_storage(unwritable, anonymous_client):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["storage"] is False and response.json()["status"] == "unavailable"
