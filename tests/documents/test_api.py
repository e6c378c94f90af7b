import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import Document
from tests import samples
from tests.conftest import multipart, stored_files
from tests.documents.bad_inputs import bad_inputs

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(reviewer, password) -> APIClient:
    client = APIClient()
    token = client.post("/api/auth/token/", {"username": reviewer.username, "password": password}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_issued_for_a_username_and_password(reviewer, password):
    response = APIClient().post(
        "/api/auth/token/", {"username": reviewer.username, "password": password}, format="json"
    )

    assert response.status_code == 200
    assert len(response.json()["token"]) == 64 and response.json()["expiry"]


def test_no_token_for_a_wrong_password(reviewer):
    response = APIClient().post("/api/auth/token/", {"username": reviewer.username, "password": "nope"})

    assert response.status_code == 400
    assert "token" not in response.json()


def test_it_uploads_a_document_with_a_token(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/documents/",
            {"file": SimpleUploadedFile("claim.pdf", samples.pdf(2)), "template_ids": "390,391", "lang": "ko,ja"},
            format="multipart",
        )

    assert response.status_code == 201
    body = response.json()
    document = Document.objects.get()
    assert body["id"] == document.pk
    assert body["status"] == "uploaded"
    assert body["error"] is None
    assert body["name"] == "claim.pdf"
    assert body["format"] == "pdf"
    assert body["mode"] == "template"
    assert body["template_ids"] == [390, 391]
    assert body["lang"] == ["ko", "ja"]
    pages = api.get(f"/api/documents/{document.pk}/").json()["pages"]
    assert [page["index"] for page in pages] == [0, 1]
    assert pages[0]["width"] == 1653
    assert pages[0]["image_url"].endswith(f"/documents/{document.pk}/pages/0/image")


def test_text_ocr_is_chosen_by_mode_general(api):
    response = api.post(
        "/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png()), "mode": "general"}, format="multipart"
    )

    assert response.json()["mode"] == "general"


def test_it_reports_a_repeated_upload(api):
    content = samples.png()
    first = api.post("/api/documents/", {"file": SimpleUploadedFile("a.png", content)}, format="multipart").json()
    second = api.post("/api/documents/", {"file": SimpleUploadedFile("b.png", content)}, format="multipart").json()

    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["id"]


@bad_inputs
def test_bad_input_gets_a_400_with_a_code_and_leaves_nothing(api, file_storage, name, make_content, code):
    body, content_type = multipart([(name, make_content())])
    response = api.generic("POST", "/api/documents/", body, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert Document.objects.count() == 0
    assert stored_files(file_storage) == []


def test_a_file_over_the_default_image_limit_gets_a_400(api, file_storage):
    oversized = samples.jpeg()[:-2] + b"\0" * (20 * 1024 * 1024) + b"\xff\xd9"

    response = api.post("/api/documents/", {"file": SimpleUploadedFile("big.jpg", oversized)}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert stored_files(file_storage) == []


def test_a_request_without_a_file_gets_a_400(api):
    response = api.post("/api/documents/", {"mode": "template"}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "no_file"


def test_bad_options_get_a_400_with_a_code(api):
    response = api.post(
        "/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png()), "lang": "fr"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_lang"


def test_the_api_and_the_web_form_read_the_options_alike(api, reviewer_client):
    """One upload path: the same options, sent the ways each door takes them, give the same answer."""
    for lang in (["ko,ja"], ["ko", "ja"]):
        api_answer = api.post(
            "/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png()), "lang": lang}, format="multipart"
        )
        web_answer = reviewer_client.post(
            "/upload/", {"file": SimpleUploadedFile("a.png", samples.png()), "lang": lang},
            headers={"Accept": "application/json"},
        )  # fmt: skip
        assert api_answer.status_code == 201, api_answer.content
        assert web_answer.json()["results"][0]["ok"], web_answer.content
        web_document = Document.objects.get(pk=web_answer.json()["results"][0]["id"])
        assert api_answer.json()["lang"] == web_document.lang.split(",") == ["ko", "ja"]
    refused = [
        api.post("/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png()), "lang": ["xx", "ko"]},
                 format="multipart"),
        reviewer_client.post("/upload/", {"file": SimpleUploadedFile("a.png", samples.png()), "lang": ["xx", "ko"]},
                             headers={"Accept": "application/json"}),
    ]  # fmt: skip
    assert refused[0].json()["code"] == "invalid_lang"
    assert refused[1].json()["results"][0]["code"] == "invalid_lang"


def test_an_upload_call_with_no_body_at_all_is_a_coded_400(api):
    response = api.post("/api/documents/")
    assert (response.status_code, response.json()["code"]) == (400, "no_file")


def test_error_answers_carry_a_code_that_says_what_went_wrong(api, reviewer):
    missing = api.get("/api/documents/999999/")
    wrong_password = APIClient().post("/api/auth/token/", {"username": reviewer.username, "password": "nope"})
    default_page = api.get("/api/documents/?page_size=")

    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (wrong_password.status_code, wrong_password.json()["code"]) == (400, "invalid")
    assert wrong_password.json()["message"]
    assert default_page.status_code == 200


def test_two_files_in_one_api_call_are_refused_not_one_dropped(api, file_storage):
    files = [SimpleUploadedFile("a.png", samples.png()), SimpleUploadedFile("b.png", samples.png(300, 200))]

    response = api.post("/api/documents/", {"file": files}, format="multipart")

    assert (response.status_code, response.json()["code"]) == (400, "too_many_files")
    assert Document.objects.count() == 0 and stored_files(file_storage) == []


def test_the_list_is_paginated_and_filters_by_status(api, make_document):
    documents = [make_document(name=f"d{n}.png") for n in range(3)]
    Document.objects.filter(pk=documents[0].pk).update(status="failed")

    first_page = api.get("/api/documents/?page_size=2").json()
    failed = api.get("/api/documents/?status=failed").json()

    assert first_page["count"] == 3
    assert len(first_page["results"]) == 2
    assert first_page["next"] and first_page["previous"] is None
    assert [item["id"] for item in failed["results"]] == [documents[0].pk]


def test_the_detail_shows_the_pages(api, make_document):
    document = make_document(content=samples.tiff(2), name="fax.tiff")

    body = api.get(f"/api/documents/{document.pk}/").json()

    assert body["id"] == document.pk
    assert [(page["index"], page["width"], page["height"]) for page in body["pages"]] == [(0, 300, 400), (1, 300, 400)]


def test_the_openapi_schema_names_the_document_calls(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].endswith("json") else response.content.decode()
    assert "/api/documents/" in paths and "/api/documents/{id}/" in paths


def test_session_authenticated_api_writes_need_csrf(reviewer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.post("/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png())}, format="multipart")

    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_the_detail_carries_each_page_s_ocr_outcome_and_fields(api, make_document, replay):
    from tests import clova_fixtures as make
    from tests.clova_replay import respond

    replay.answer = lambda received: respond(received, [make.template_page("INVALID", "6 digits")])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")

    body = api.get(f"/api/documents/{document.pk}/").json()

    assert body["status"] == "needs_review"
    [page] = body["pages"]
    assert page["infer_result"] == "SUCCESS"
    assert page["matched_template"] == {"id": 390, "name": "보험금 청구서"}
    assert page["validation_result"] == {"result": "INVALID", "message": "6 digits"}
    assert page["combine_result"] == {"name": "summary", "text": "김민수 / 102831"}
    assert page["title"]["name"] == "title"
    names = [field["name"] for field in page["fields"]]
    assert names == ["id", "name", "address", "fax-checkbox", "mail-checkbox"]
    multibox = page["fields"][0]
    assert set(multibox) >= {
        "id",
        "name",
        "type",
        "value",
        "ocr_value",
        "confidence",
        "checked",
        "poly",
        "subfields",
        "version",
    }
    assert (multibox["type"], multibox["value"], multibox["ocr_value"], multibox["version"]) == (
        "MULTI_BOX",
        "102831",
        "102831",
        1,
    )
    assert [sub["value"] for sub in multibox["subfields"]] == list("102831")
    assert multibox["poly"][0] == [488.0, 284.0]
    assert page["fields"][3]["checked"] is True


def test_a_failed_document_says_why(api, make_document, settings):
    settings.OCR_TEMPLATE_SECRET = "wrong"

    document = make_document(content=samples.png(), name="a.png")

    body = api.get(f"/api/documents/{document.pk}/").json()
    assert body["status"] == "failed"
    assert "secret key was refused" in body["error"]


def test_the_list_filters_by_matched_template(api, make_document, replay):
    from tests import clova_fixtures as make
    from tests.clova_replay import respond

    claim = make_document(name="claim.png")  # the vendor example matches template 390
    replay.answer = lambda received: respond(
        received, [make.image([], matchedTemplate={"id": 77, "name": "receipt"}, validationResult={"result": "VALID"})]
    )
    receipt = make_document(name="receipt.png")

    by_390 = api.get("/api/documents/?template=390").json()
    by_77 = api.get("/api/documents/?template=77").json()

    assert [item["id"] for item in by_390["results"]] == [claim.pk]
    assert [item["id"] for item in by_77["results"]] == [receipt.pk]
    assert api.get("/api/documents/?template=5").json()["count"] == 0


def test_supervisors_retry_a_failed_document_through_the_api(
    make_document, settings, replay, supervisor, password, api, django_capture_on_commit_callbacks
):
    settings.OCR_TEMPLATE_SECRET = "wrong"
    document = make_document(name="a.png")
    settings.OCR_TEMPLATE_SECRET = replay.secret
    client = APIClient()
    token = client.post("/api/auth/token/", {"username": supervisor.username, "password": password}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.post(f"/api/documents/{document.pk}/retry/").status_code == 403  # a reviewer
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/documents/{document.pk}/retry/")

    assert response.status_code == 202
    assert api.get(f"/api/documents/{document.pk}/").json()["status"] == "needs_review"
    assert client.post(f"/api/documents/{document.pk}/retry/").json()["code"] == "not_retryable"
