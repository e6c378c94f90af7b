"""Two review pages open on one document in real Chromium: what happens on one reaches the other without reload.

Each test prints how long a change took to reach the other page (run with -s to see it); nothing asserts on it.
"""

import time

import pytest
from playwright.sync_api import expect

from documents.models import Document, DocumentStatus, Field
from documents.services.claims import review_claim
from documents.services.reread import ReadOptions, document_reread
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond
from tests.factories import ReviewerFactory
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def claim_form(make_document, replay) -> Document:
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    return document


@pytest.fixture
def colleague(db):
    return ReviewerFactory(username="rob-reviewer")


@pytest.fixture
def window(new_tab, password, claim_form):
    """A review page of the document in a browser context of its own (its own cookies and tabs)."""

    def open_as(user):
        tab = new_tab()
        log_in(tab, user, password)
        tab.goto(f"/documents/{claim_form.pk}/")
        tab.locator(".review.ready").wait_for()
        return tab

    return open_as


def measured(what: str, started: float) -> None:
    """From the click on one page to the change seen on the other, that page's own reload included."""
    print(f"live: {what} reached the other page {time.monotonic() - started:.2f} s after the click")


def name_input(page, document):
    return page.locator(f"#input-{Field.objects.get(page__document=document, name='name').pk}")


def test_a_claim_and_a_take_over_reach_the_other_page_before_anyone_types(window, reviewer, colleague, claim_form):
    mine, theirs = window(reviewer), window(colleague)
    expect(theirs.locator(".claim-banner")).to_contain_text("Nobody is reviewing")

    started = time.monotonic()
    mine.locator(".claim-banner").get_by_role("button", name="Start reviewing").click()
    expect(mine.locator(".claim-banner")).to_contain_text("You are reviewing this document")
    expect(theirs.locator(".claim-banner")).to_contain_text("rita-reviewer is reviewing this document")
    measured("a claim", started)
    expect(name_input(theirs, claim_form)).to_be_disabled()

    started = time.monotonic()
    theirs.locator(".claim-banner").get_by_role("button", name="Take over").click()
    expect(theirs.locator(".claim-banner")).to_contain_text("You are reviewing this document")
    banner = mine.locator(".claim-banner.lost")
    expect(banner).to_contain_text("rob-reviewer took over this document")
    measured("a take-over", started)
    expect(banner).to_contain_text("This page is read-only now")
    expect(banner.get_by_role("button", name="Take over")).to_be_visible()
    expect(name_input(mine, claim_form)).to_be_disabled()
    expect(mine.locator("#approve")).to_be_hidden()


def test_a_save_on_one_page_appears_on_the_other_with_the_history(window, reviewer, colleague, claim_form):
    mine, theirs = window(reviewer), window(colleague)
    history = theirs.locator("details.history summary")
    expect(history).to_have_text("History (0 entries)")

    name_input(mine, claim_form).fill("김철수")
    started = time.monotonic()
    name_input(mine, claim_form).press("Enter")
    expect(mine.locator(".field .save-state", has_text="Saved")).to_have_count(1)
    expect(name_input(theirs, claim_form)).to_have_value("김철수")
    measured("a saved value", started)
    expect(theirs.locator(".save-state", has_text="Saved by rita-reviewer")).to_be_visible()
    expect(history).to_have_text("History (2 entries)")
    theirs.locator("details.history summary").click()
    expect(theirs.locator("details.history li").first).to_contain_text("김민수 → 김철수")


def test_a_decision_on_one_page_turns_the_other_read_only_and_says_who(window, reviewer, colleague, claim_form):
    theirs = window(colleague)
    mine = window(reviewer)

    started = time.monotonic()
    mine.locator("#approve").get_by_role("button", name="Approve").click()
    mine.wait_for_url("**/")
    banner = theirs.locator(".claim-banner.decided")
    expect(banner).to_contain_text("Approved by rita-reviewer at")
    measured("an approval", started)
    expect(theirs.locator(".status-box .status")).to_have_text("Approved")
    expect(name_input(theirs, claim_form)).to_be_disabled()
    expect(theirs.locator("#approve")).to_be_hidden()


def test_the_same_reviewers_other_window_is_not_someone_else(window, reviewer, claim_form):
    first, second = window(reviewer), window(reviewer)

    first.locator(".claim-banner").get_by_role("button", name="Start reviewing").click()
    expect(first.locator(".claim-banner")).to_contain_text("You are reviewing this document (since")
    expect(second.locator(".claim-banner")).to_contain_text("You are reviewing this in another window")
    expect(first.locator(".claim-banner")).to_contain_text("You are reviewing this document (since")
    expect(name_input(second, claim_form)).to_be_enabled()


def test_a_value_typed_before_a_take_over_is_kept_until_it_is_saved(window, reviewer, colleague, claim_form):
    mine = window(reviewer)
    mine.locator(".claim-banner").get_by_role("button", name="Start reviewing").click()
    expect(mine.locator(".claim-banner")).to_contain_text("You are reviewing this document")
    name_input(mine, claim_form).fill("이영희")

    review_claim(document=claim_form, user=colleague, take_over=True)

    expect(mine.locator(".claim-banner.lost")).to_contain_text("rob-reviewer took over this document")
    name = mine.locator(".field", has=name_input(mine, claim_form))
    expect(name_input(mine, claim_form)).to_have_value("이영희")
    expect(name.locator(".save-state")).to_contain_text("Not saved: someone else took over this document")
    mine.reload()
    expect(name_input(mine, claim_form)).to_have_value("이영희")
    expect(name.locator(".save-state")).to_contain_text("Not saved: someone else took over this document")

    mine.locator(".claim-banner").get_by_role("button", name="Take over").click()
    expect(name_input(mine, claim_form)).to_have_value("이영희")
    expect(name.locator(".save-state")).to_contain_text("Not saved yet")
    expect(name.get_by_role("button", name="Discard")).to_be_visible()
    name_input(mine, claim_form).press("Enter")
    expect(name.locator(".save-state")).to_have_text("Saved")
    expect(name.get_by_role("button", name="Discard")).to_have_count(0)
    assert Field.objects.get(page__document=claim_form, name="name").value == "이영희"


def test_a_window_opened_from_the_page_is_another_window_though_it_copies_the_tabs_storage(
    window, reviewer, claim_form
):
    first = window(reviewer)
    with first.context.expect_page() as opened:
        first.evaluate("window.open(location.href)")
    second = opened.value
    second.locator(".review.ready").wait_for()
    assert second.evaluate("sessionStorage.getItem('ocrportal.tab')") is not None

    first.locator(".claim-banner").get_by_role("button", name="Start reviewing").click()
    expect(first.locator(".claim-banner")).to_contain_text("You are reviewing this document (since")
    expect(second.locator(".claim-banner")).to_contain_text("You are reviewing this in another window")
    expect(first.locator(".claim-banner")).to_contain_text("You are reviewing this document (since")


def test_a_save_updates_the_checks_combined_text_on_this_page_and_the_other(window, reviewer, colleague, claim_form):
    mine, theirs = window(reviewer), window(colleague)
    combined = ".checks dd.combined .combined-now"
    expect(theirs.locator(combined)).to_have_text("김민수 / 102831")

    name_input(mine, claim_form).fill("김철수")
    name_input(mine, claim_form).press("Enter")

    for page in (mine, theirs):
        expect(page.locator(combined)).to_have_text("김철수 / 102831")
        expect(page.locator(".checks dd.combined .combined-ocr")).to_contain_text("OCR read: 김민수 / 102831")


def test_a_document_read_again_locks_the_open_page_and_keeps_what_was_typed(window, reviewer, supervisor, claim_form):
    mine = window(reviewer)
    mine.locator(".claim-banner").get_by_role("button", name="Start reviewing").click()
    expect(mine.locator(".claim-banner")).to_contain_text("You are reviewing this document")
    typed = name_input(mine, claim_form)  # its field is gone once the page is read again
    typed.fill("이영희")

    document_reread(document=claim_form, user=supervisor, options=ReadOptions())

    banner = mine.locator(".claim-banner.decided")
    expect(banner).to_contain_text("This document was read again (asked by sally-supervisor at")
    expect(banner).to_contain_text("what you typed here and did not save is kept in this tab")
    expect(banner.get_by_role("button", name="Reload the page")).to_be_visible()
    expect(typed).to_be_disabled()
    expect(typed).to_have_value("이영희")
    name = mine.locator(".field", has=typed)
    expect(name.locator(".save-state")).to_contain_text("Not saved: the pages changed under this value")
    assert "이영희" in mine.evaluate("JSON.stringify(sessionStorage)")


def test_a_reviewer_turned_off_meanwhile_is_told_they_are_signed_out_and_keeps_what_they_typed(
    window, reviewer, claim_form
):
    mine = window(reviewer)
    name_input(mine, claim_form).fill("이영희")

    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])

    banner = mine.locator(".claim-banner.lost")
    expect(banner).to_contain_text("You are signed out. Sign in again (in another tab) to go on")
    expect(banner.get_by_role("button", name="Reload the page")).to_be_visible()
    expect(name_input(mine, claim_form)).to_be_disabled()
    expect(name_input(mine, claim_form)).to_have_value("이영희")
    name = mine.locator(".field", has=name_input(mine, claim_form))
    expect(name.locator(".save-state")).to_have_text("Not saved: you are signed out. Your value is kept in this tab.")
    assert "Authentication credentials" not in mine.locator(".panel").inner_text()
