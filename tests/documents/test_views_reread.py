"""Who may read again, turn and remove pages, through the review page's forms and the API."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Document, DocumentStatus, Page, ReviewAction, ReviewEvent
from tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(make_document):
    return make_document(content=samples.pdf(2), name="two.pdf")


def web(name: str, document: Document) -> str:
    return reverse(f"documents:{name}", args=[document.pk])


FORMS = [
    ("reread", {"page": "1", "template_ids": "391", "mode": "template"}),
    ("rotate-page", {"page": "1", "degrees": "90"}),
    ("remove-page", {"page": "1"}),
]


@pytest.mark.parametrize(("name", "data"), FORMS)
def test_a_reviewer_may_not_read_again_turn_or_remove_pages(reviewer_client, document, name, data):
    response = reviewer_client.post(web(name, document), data)

    assert response.status_code == 403
    assert not ReviewEvent.objects.filter(document=document).exists()
    assert Page.all_objects.filter(document=document, rotation=0, removed_at=None).count() == 2


@pytest.mark.parametrize(("name", "data"), FORMS)
def test_an_anonymous_visitor_is_sent_to_log_in(anonymous_client, document, name, data):
    response = anonymous_client.post(web(name, document), data)

    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(("name", "data"), FORMS)
def test_the_forms_need_a_post_with_a_csrf_token(supervisor, document, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)

    assert client.get(web(name, document)).status_code == 405
    assert client.post(web(name, document), data).status_code == 403
    assert not ReviewEvent.objects.filter(document=document).exists()


def test_a_supervisor_reads_a_page_again_and_is_told_so(
    supervisor_client, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            web("reread", document), {"page": "1", "template_ids": "", "mode": "template"}, follow=True
        )

    assert "Page 2 is being read again" in response.content.decode()
    assert ReviewEvent.objects.get(document=document, action=ReviewAction.REREAD).note.startswith("page 2")


def test_a_refusal_is_said_on_the_review_page(supervisor_client, make_document):
    single = make_document(name="one.png")

    response = supervisor_client.post(web("remove-page", single), {"page": "0"}, follow=True)

    assert "The last page of a document cannot be removed." in response.content.decode()
    assert single.pages.count() == 1


def test_the_review_page_offers_the_panel_to_supervisors_only(supervisor_client, reviewer_client, document):
    url = web("detail", document)

    shown = supervisor_client.get(url).content.decode()
    assert 'id="reread"' in shown and "replaces the values of the pages read" in shown
    assert 'id="reread"' not in reviewer_client.get(url).content.decode()


def test_the_confirm_text_says_an_approved_document_goes_back_to_review(supervisor_client, document):
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.APPROVED)

    shown = supervisor_client.get(web("detail", document)).content.decode()

    assert "It goes back to review." in shown


def test_retry_says_what_it_does(supervisor_client, document):
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED, error="OCR recognised no page")

    response = supervisor_client.post(web("retry", document), follow=True)

    assert "pages OCR did not read are read again" in response.content.decode()


def test_retry_of_a_document_that_did_not_fail_says_so(supervisor_client, document):
    response = supervisor_client.post(web("retry", document), follow=True)

    assert "did not fail, so there is nothing to retry" in response.content.decode()


# --- the API ----------------------------------------------------------------------------------------


def api(path: str) -> str:
    return f"/api/{path}"


def test_the_api_reads_a_page_again_for_a_supervisor(
    supervisor_client, document, replay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            api(f"documents/{document.pk}/reread/"),
            {"page": 1, "template_id": 391, "lang": ["ja"]},
            content_type="application/json",
        )

    assert response.status_code == 202, response.content
    assert replay.received[-1].image["templateIds"] == [391] and replay.received[-1].message["lang"] == "ja"
    assert Page.objects.get(document=document, index=1).ocr_template_ids == [391]


def test_the_api_turns_and_removes_pages(supervisor_client, document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        turned = supervisor_client.post(
            api(f"documents/{document.pk}/pages/0/rotate/"), {"degrees": 270}, content_type="application/json"
        )
    removed = supervisor_client.delete(api(f"documents/{document.pk}/pages/1/"))

    assert (turned.status_code, removed.status_code) == (202, 200)
    assert [page["index"] for page in removed.json()["pages"]] == [0]
    assert Page.objects.get(document=document, index=0).rotation == 270


def test_the_api_refuses_the_last_page_and_a_missing_one(supervisor_client, make_document):
    single = make_document(name="one.png")

    last = supervisor_client.delete(api(f"documents/{single.pk}/pages/0/"))
    missing = supervisor_client.delete(api(f"documents/{single.pk}/pages/7/"))

    assert (last.status_code, last.json()["code"]) == (409, "last_page")
    assert (missing.status_code, missing.json()["code"]) == (404, "no_page")


def test_the_api_refuses_a_document_being_processed(supervisor_client, document):
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.PROCESSING)

    response = supervisor_client.post(api(f"documents/{document.pk}/reread/"), {}, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (409, "busy")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "documents/{pk}/reread/", {}),
        ("post", "documents/{pk}/pages/0/rotate/", {"degrees": 90}),
        ("delete", "documents/{pk}/pages/1/", None),
    ],
)
def test_the_api_refuses_reviewers(reviewer_client, document, method, path, body):
    response = getattr(reviewer_client, method)(api(path.format(pk=document.pk)), body, content_type="application/json")

    assert response.status_code == 403
    assert Page.objects.filter(document=document, rotation=0).count() == 2


def test_a_turned_page_image_is_fetched_again_not_taken_from_the_browsers_cache(
    supervisor_client, document, django_capture_on_commit_callbacks
):
    url = reverse("documents:page-image", args=[document.pk, 0])
    first = supervisor_client.get(url)
    tag = first["ETag"]
    assert "max-age" not in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert supervisor_client.get(url, headers={"If-None-Match": tag}).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        page_rotate_through_the_form = supervisor_client.post(
            web("rotate-page", document), {"page": "0", "degrees": "90"}
        )
    assert page_rotate_through_the_form.status_code == 302

    again = supervisor_client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 200 and again["ETag"] != tag


def test_the_api_shows_a_pages_rotation_and_its_own_options(
    supervisor_client, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        supervisor_client.post(
            api(f"documents/{document.pk}/reread/"), {"page": 0, "template_ids": [391]}, content_type="application/json"
        )
    with django_capture_on_commit_callbacks(execute=True):
        supervisor_client.post(
            api(f"documents/{document.pk}/pages/0/rotate/"), {"degrees": 180}, content_type="application/json"
        )

    first, second = supervisor_client.get(api(f"documents/{document.pk}/")).json()["pages"]
    assert (first["rotation"], first["ocr_template_ids"], first["ocr_lang"]) == (180, [391], None)
    assert (second["rotation"], second["ocr_template_ids"]) == (0, None)
