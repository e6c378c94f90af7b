import pytest

from documents.models import Field
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import error_reply, respond

pytestmark = pytest.mark.django_db


def test_the_document_page_shows_each_page_s_ocr_results(reviewer_client, make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page("INVALID", "id must be 6 digits")])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert "보험금 청구서 (390)" in page
    assert "INVALID</span> A validation rule of the template failed" in page
    assert "<q>id must be 6 digits</q>" in page
    assert "김민수 / 102831" in page
    assert ">서울시 강남구\n테헤란로 1</textarea>" in page
    fax, mail = (Field.objects.get(page__document=document, name=name).pk for name in ("fax-checkbox", "mail-checkbox"))
    assert f'id="input-{fax}" checked' in page and f'id="input-{mail}"  >' in page
    assert "Needs review" in page


def test_ocr_text_is_always_escaped(reviewer_client, make_document, replay):
    hostile = '<img src=x onerror="alert(1)">'
    replay.answer = lambda received: respond(received, [make.image([make.field("name", hostile, (1, 1, 5, 5))])])
    document = make_document(content=samples.png(), name="a.png")

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert hostile not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_a_failed_document_shows_why(reviewer_client, make_document, replay):
    replay.script.append(error_reply("1021", "no deploy information"))
    document = make_document(content=samples.png(), name="a.png")

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert "OCR is not set up correctly" in page and "Deploy (release) a template" in page


def test_a_held_document_shows_when_it_is_tried_again(reviewer_client, make_document, replay):
    replay.script.append(error_reply("0023"))
    document = make_document(content=samples.png(), name="a.png")

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert "quota" in page and "Next try after" in page


def test_supervisors_see_every_ocr_call_with_its_raw_answer(supervisor_client, make_document, replay):
    document = make_document(content=samples.png(), name="a.png")
    call = document.ocr_calls.get()

    listing = supervisor_client.get("/admin/documents/ocrcall/").content.decode()
    detail = supervisor_client.get(f"/admin/documents/ocrcall/{call.pk}/change/").content.decode()
    templates = supervisor_client.get("/admin/documents/template/").content.decode()

    assert f"#{document.pk} a.png" in listing
    assert "matchedTemplate" in detail
    assert "390" in templates
