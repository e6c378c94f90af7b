import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.models import Document
from tests import samples
from tests.conftest import multipart, stored_files
from tests.documents.bad_inputs import bad_inputs

pytestmark = pytest.mark.django_db
UPLOAD = "/upload/"


def test_the_upload_page_offers_files_mode_templates_and_languages(reviewer_client):
    page = reviewer_client.get(UPLOAD).content.decode()

    assert 'type="file" name="file" multiple' in page
    assert 'id="dropzone"' in page
    assert 'name="mode" value="template" checked' in page
    assert 'name="mode" value="general"' in page
    assert 'name="template_ids"' in page
    for code in ("ko", "ja", "zh-TW"):
        assert f'name="lang" value="{code}"' in page


def test_it_takes_several_files_at_once_and_reports_each(reviewer_client, django_capture_on_commit_callbacks):
    files = [
        SimpleUploadedFile("one.png", samples.png(), "image/png"),
        SimpleUploadedFile("two.pdf", samples.pdf(2), "application/pdf"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(UPLOAD, {"file": files, "mode": "general", "lang": ["ja", "zh-TW"]})

    one, two = Document.objects.order_by("id")
    assert one.batch == two.batch is not None
    assert response.status_code == 302 and response["Location"] == f"/batches/{one.batch.uuid}/"
    assert (one.display_name, two.display_name) == ("one.png", "two.pdf")
    assert (two.mode, two.lang, two.pages.count()) == ("general", "ja,zh-TW", 2)
    page = reviewer_client.get(response["Location"]).content.decode()
    assert f'href="/documents/{one.pk}/"' in page and f'href="/documents/{two.pk}/"' in page


def test_one_bad_file_does_not_stop_the_others(reviewer_client):
    files = [
        SimpleUploadedFile("good.png", samples.png(), "image/png"),
        SimpleUploadedFile("bad.png", samples.html_named_png(), "image/png"),
    ]
    response = reviewer_client.post(UPLOAD, {"file": files})

    assert response.status_code == 400
    assert list(Document.objects.values_list("display_name", flat=True)) == ["good.png"]
    assert "not a JPEG, PNG, PDF or TIFF" in response.content.decode()


def test_it_answers_json_per_file_for_the_upload_script(reviewer_client):
    response = reviewer_client.post(
        UPLOAD, {"file": SimpleUploadedFile("a.png", samples.png())}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 200
    [result] = response.json()["results"]
    document = Document.objects.get()
    assert response.json()["batch_url"] == f"/batches/{document.batch.uuid}/"
    assert result == {
        "name": "a.png",
        "ok": True,
        "id": document.pk,
        "url": f"/documents/{document.pk}/",
        "status": "uploaded",
        "pages": 1,
        "duplicate_of": None,
        "hazards": [],
    }


def test_it_links_a_repeated_upload_to_the_earlier_document(reviewer_client):
    content = samples.png()
    reviewer_client.post(UPLOAD, {"file": SimpleUploadedFile("a.png", content)})
    response = reviewer_client.post(
        UPLOAD, {"file": SimpleUploadedFile("b.png", content)}, headers={"Accept": "application/json"}
    )

    first, second = Document.objects.order_by("id")
    assert response.json()["results"][0]["duplicate_of"] == {"id": first.pk, "url": f"/documents/{first.pk}/"}
    listing = reviewer_client.get("/").content.decode()
    assert f"duplicate of #{first.pk}" in listing
    detail = reviewer_client.get(f"/documents/{second.pk}/").content.decode()
    assert f'href="/documents/{first.pk}/"' in detail


@bad_inputs
def test_bad_input_gets_a_clear_message_and_leaves_nothing(reviewer_client, file_storage, name, make_content, code):
    body, content_type = multipart([(name, make_content())])
    response = reviewer_client.post(UPLOAD, body, content_type=content_type)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="failed"' in page
    assert "<img src=x" not in page, "the file name must be shown escaped"
    assert Document.objects.count() == 0
    assert stored_files(file_storage) == []


@bad_inputs
def test_bad_input_gets_its_code_in_the_json_answer(reviewer_client, name, make_content, code):
    body, content_type = multipart([(name, make_content())])
    response = reviewer_client.post(UPLOAD, body, content_type=content_type, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert response.json()["results"][0]["code"] == code


def test_posting_without_a_file_says_so(reviewer_client):
    response = reviewer_client.post(UPLOAD, {"mode": "template"})

    assert response.status_code == 400
    assert "Choose at least one file" in response.content.decode()


def test_upload_requires_a_csrf_token(reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)

    refused = client.post(UPLOAD, {"file": SimpleUploadedFile("a.png", samples.png())})

    assert refused.status_code == 403
    assert Document.objects.count() == 0
    client.get(UPLOAD)
    token = client.cookies["csrftoken"].value
    accepted = client.post(UPLOAD, {"file": SimpleUploadedFile("a.png", samples.png()), "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert Document.objects.count() == 1


def test_the_upload_page_names_the_size_limits(reviewer_client, settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 10 * 1024 * 1024

    assert "up to 10 MB per image, 50 MB per PDF or TIFF" in reviewer_client.get(UPLOAD).content.decode()


def test_the_list_and_the_document_page_show_the_document(reviewer_client, make_document):
    document = make_document(content=samples.pdf(2), name="claim <2026>.pdf".replace("<", "(").replace(">", ")"))

    listing = reviewer_client.get(reverse("documents:list")).content.decode()
    detail = reviewer_client.get(reverse("documents:detail", args=[document.pk])).content.decode()

    assert "claim (2026).pdf" in listing
    assert f"/documents/{document.pk}/pages/0/thumbnail" in listing
    assert "claim (2026).pdf" in detail
    assert f"/documents/{document.pk}/pages/0/image" in detail
    assert f"/documents/{document.pk}/pages/1/image" in detail


def test_the_list_filters_by_status_and_searches_names(reviewer_client, make_document):
    make_document(name="alpha.png")
    failed = make_document(name="beta.png")
    Document.objects.filter(pk=failed.pk).update(status="failed")

    by_status = reviewer_client.get("/?status=failed").content.decode()
    by_name = reviewer_client.get("/?q=ALP").content.decode()

    assert "beta.png" in by_status and "alpha.png" not in by_status
    assert "alpha.png" in by_name and "beta.png" not in by_name


@pytest.mark.parametrize(
    ("checked", "debug"),
    [(False, False), (True, False), (True, True)],
    ids=["csrf-exempt client", "csrf checked, as browsers are", "csrf checked, in development"],
)
def test_too_many_files_in_one_post_get_a_coded_400_and_leave_nothing(reviewer, settings, file_storage, checked, debug):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=checked)
    client.force_login(reviewer)
    client.get(UPLOAD)  # the CSRF cookie, as the page hands it out
    files = [SimpleUploadedFile(f"f{n}.png", samples.png()) for n in range(4)]
    body = {"file": files, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}

    response = client.post(UPLOAD, body, headers={"Accept": "application/json"})

    assert response.status_code == 400 and response.json()["code"] == "too_many_files"
    assert "At most 3 files" in response.json()["message"]
    assert not Document.objects.exists() and stored_files(file_storage) == []
    page = client.post(UPLOAD, body)
    assert page.status_code == 400 and "At most 3 files" in page.content.decode()


@pytest.mark.parametrize(
    "name", ["O'Brien claim.png", "claim..v2.png", "claim [copy] (2).png", "청구서.png", "申込書.png"]
)
def test_ordinary_names_pass(name, reviewer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(UPLOAD, {"file": [SimpleUploadedFile(name, samples.png())]})

    assert response.status_code == 302
    assert Document.objects.get().display_name == name


def test_a_pdf_behind_an_html_page_is_not_a_pdf(reviewer_client):
    content = b"<html><body>hello</body></html>\n" + samples.pdf(1)

    response = reviewer_client.post(
        UPLOAD, {"file": [SimpleUploadedFile("a.pdf", content)]}, headers={"Accept": "application/json"}
    )

    assert response.json()["results"][0]["code"] == "unsupported_format"


def test_a_pdf_with_a_newline_before_its_header_is_still_a_pdf(reviewer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(UPLOAD, {"file": [SimpleUploadedFile("a.pdf", b"\r\n" + samples.pdf(1))]})

    assert response.status_code == 302 and Document.objects.get().file_format == "pdf"


def test_a_refused_upload_leaves_no_batch_and_offers_no_link_to_one(reviewer_client, file_storage):
    from documents.models import UploadBatch

    response = reviewer_client.post(
        UPLOAD, {"file": [SimpleUploadedFile("a.png", b"not an image")]}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400 and response.json()["batch_url"] is None
    assert not UploadBatch.objects.exists() and not Document.objects.exists()
    assert stored_files(file_storage) == []
