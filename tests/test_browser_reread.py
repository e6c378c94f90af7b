"""A supervisor reads a document again with another template from the review page, in real Chromium."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from documents.models import Document, DocumentStatus, ReviewAction, ReviewEvent, Template
from documents.services import document_upload
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import page_sizes, respond, with_page_info
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent.parent / "var" / "screenshots"


def by_template(received):
    """The replay reads a name that says which template it was asked for."""
    ids = received.image.get("templateIds")
    template = {"id": ids[0], "name": "청구서 B"} if ids else {"id": 390, "name": "보험금 청구서"}
    value = "김민수 (B)" if ids else "김민수"
    images = [
        with_page_info(
            received,
            make.image([make.field("name", value, (100, 100, 300, 60))], matchedTemplate=template),
            index,
            size,
        )
        for index, size in enumerate(page_sizes(received))
    ]
    return respond(received, images)


@pytest.fixture
def form(replay, reviewer) -> Document:
    replay.answer = by_template
    Template.objects.create(id=390, name="보험금 청구서")
    Template.objects.create(id=391, name="청구서 B")
    document = document_upload(
        file=io.BytesIO(samples.png(text="claim")), name="claim.png", uploaded_by=reviewer
    ).document
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    return document


def test_a_supervisor_reads_a_document_again_with_another_template_and_sees_the_new_values(
    page, supervisor, password, form, replay
):
    log_in(page, supervisor, password)
    page.goto(f"/documents/{form.pk}/")
    page.locator(".review.ready").wait_for()
    expect(page.locator(".fields-panel textarea.value").first).to_have_value("김민수")

    panel = page.locator("details#reread")
    panel.locator("summary").click()
    expect(panel).to_contain_text("replaces the values of the pages read")
    reread = panel.locator("form").filter(has=page.get_by_role("button", name="Read again", exact=True))
    reread.locator("select[name=template_ids]").select_option("391")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / "reread-panel.png"))
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    reread.get_by_role("button", name="Read again", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("The document is being read again")
    page.locator(".review.ready").wait_for()
    expect(page.locator(".fields-panel textarea.value").first).to_have_value("김민수 (B)")
    expect(page.locator(".checks")).to_contain_text("청구서 B (391)")
    assert questions and "replaces the values" in questions[0]
    assert replay.received[-1].image["templateIds"] == [391]
    assert ReviewEvent.objects.filter(document=form, action=ReviewAction.REREAD, user=supervisor).exists()
    page.screenshot(path=str(SCREENSHOTS / "reread-after.png"), full_page=True)


def test_a_supervisor_who_cancels_the_question_reads_nothing_again(page, supervisor, password, form, replay):
    log_in(page, supervisor, password)
    page.goto(f"/documents/{form.pk}/")
    page.locator(".review.ready").wait_for()
    calls = len(replay.received)

    page.locator("details#reread summary").click()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Read again", exact=True).click()

    expect(page.locator(".fields-panel textarea.value").first).to_have_value("김민수")
    assert len(replay.received) == calls
    assert not ReviewEvent.objects.filter(document=form, action=ReviewAction.REREAD).exists()
