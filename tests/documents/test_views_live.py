"""The state an open review page polls: who may ask, what it answers when nothing changed, and what it tells."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from documents.models import DocumentStatus, Field, ReviewEvent, TableCell
from documents.services.claims import review_claim
from documents.services.reread import ReadOptions, document_reread, page_remove
from documents.services.review import field_correct, review_approve
from documents.services.table_cells import table_cell_correct
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import page_sizes, respond, with_page_info

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim_form(make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])
    return make_document(content=samples.png(1000, 1000), name="claim.png")


def marker_of(client: Client, document) -> str:
    """The marker the review page starts polling with, as it renders it."""
    return client.get(f"/documents/{document.pk}/").context["live"]["marker"]


def state(client: Client, document, since: str = "", tab: str = ""):
    return client.get(f"/documents/{document.pk}/state", {"since": since, "tab": tab})


def test_the_state_needs_a_login_and_a_reviewer_role(claim_form, anonymous_client, outsider_client, reviewer_client):
    assert state(anonymous_client, claim_form)["Location"].startswith("/login/")
    assert state(outsider_client, claim_form).status_code == 403
    assert reviewer_client.get("/documents/999999/state").status_code == 404
    assert state(reviewer_client, claim_form).status_code == 200


def test_nothing_changed_is_answered_with_an_empty_204(claim_form, reviewer_client):
    marker = marker_of(reviewer_client, claim_form)

    unchanged = state(reviewer_client, claim_form, since=marker)

    assert unchanged.status_code == 204 and unchanged.content == b""
    assert "no-store" in unchanged["Cache-Control"]


def test_a_claim_by_someone_else_reaches_the_page_with_their_name(claim_form, reviewer_client, supervisor):
    marker = marker_of(reviewer_client, claim_form)
    review_claim(document=claim_form, user=supervisor)

    answer = state(reviewer_client, claim_form, since=marker).json()

    assert answer["marker"] != marker
    assert answer["claim"]["kind"] == "other"
    assert answer["claim"]["text"].startswith("sally-supervisor is reviewing this document")
    assert answer["claim"]["lost"].startswith("sally-supervisor took over this document")


def test_a_value_saved_elsewhere_comes_with_who_saved_it_and_the_history(claim_form, reviewer_client, supervisor):
    marker = marker_of(reviewer_client, claim_form)
    name = Field.objects.get(page__document=claim_form, name="name")
    field_correct(field_id=name.pk, user=supervisor, version=name.version, value="김철수")

    answer = state(reviewer_client, claim_form, since=marker).json()

    [saved] = answer["fields"]
    assert (saved["id"], saved["value"], saved["version"]) == (name.pk, "김철수", name.version + 1)
    assert saved["byMe"] is False and saved["byText"] == "Saved by sally-supervisor"
    assert answer["history"]["title"] == "History (2 entries)"
    assert [entry["new"] for entry in answer["history"]["entries"] if "new" in entry] == ["김철수"]
    # Only what changed after the marker is sent again.
    assert state(reviewer_client, claim_form, since=answer["marker"]).status_code == 204


def test_the_reviewers_other_tab_is_told_apart_from_this_one(claim_form, reviewer_client):
    claimed = reviewer_client.post(
        f"/documents/{claim_form.pk}/claim", {"tab": "tab-a"}, headers={"accept": "application/json"}
    )
    assert claimed.status_code == 204

    assert state(reviewer_client, claim_form, tab="tab-a").json()["claim"]["kind"] == "here"
    elsewhere = state(reviewer_client, claim_form, tab="tab-b").json()["claim"]
    assert elsewhere["kind"] == "window"
    assert elsewhere["text"].startswith("You are reviewing this in another window")


def test_a_claim_from_the_page_script_held_by_someone_else_is_refused_as_json(claim_form, reviewer_client, supervisor):
    review_claim(document=claim_form, user=supervisor)

    refused = reviewer_client.post(
        f"/documents/{claim_form.pk}/claim", {"tab": "tab-a"}, headers={"accept": "application/json"}
    )

    assert refused.status_code == 409 and refused.json()["code"] == "claimed"


def test_a_decision_after_the_marker_is_told_with_who_made_it(claim_form, reviewer_client, supervisor):
    marker = marker_of(reviewer_client, claim_form)
    review_approve(document=claim_form, user=supervisor, override_reason="checked by phone")

    answer = state(reviewer_client, claim_form, since=marker).json()

    assert answer["reviewable"] is False and answer["claim"] is None
    assert (answer["status"], answer["statusLabel"]) == ("approved", "Approved")
    assert answer["decision"].startswith("Approved by sally-supervisor at ")
    assert answer["decision"].endswith("This page is read-only now.")


def test_a_table_cell_saved_elsewhere_comes_as_the_cell_save_answers_it(
    make_document, replay, reviewer_client, supervisor
):
    replay.answer = lambda received: respond(received, [make.table_page()])
    document = make_document(content=samples.png(400, 300), name="table.png", mode="general")
    marker = marker_of(reviewer_client, document)
    cell = TableCell.objects.get(table__page__document=document, text="pear")
    table_cell_correct(cell_id=cell.pk, user=supervisor, version=cell.version, text="plum")

    answer = state(reviewer_client, document, since=marker).json()

    assert answer["fields"] == []
    [saved] = answer["cells"]
    assert (saved["id"], saved["text"], saved["ocr_text"], saved["version"]) == (cell.pk, "plum", "pear", 2)
    assert saved["byText"] == "Saved by sally-supervisor"


def test_times_sent_live_read_as_the_page_renders_them_in_the_portals_time_zone(
    claim_form, reviewer_client, supervisor, settings
):
    settings.TIME_ZONE = "Asia/Seoul"
    marker = marker_of(reviewer_client, claim_form)
    review_claim(document=claim_form, user=supervisor)
    review_approve(document=claim_form, user=supervisor, override_reason="checked by phone")
    event = ReviewEvent.objects.filter(document=claim_form).latest("pk")
    seoul = timezone.localtime(event.created_at, ZoneInfo("Asia/Seoul"))

    answer = state(reviewer_client, claim_form, since=marker).json()

    assert answer["decision"].startswith(f"Approved by sally-supervisor at {seoul:%H:%M}.")
    newest = answer["history"]["entries"][0]
    assert (newest["time"], newest["datetime"]) == (f"{seoul:%Y-%m-%d %H:%M:%S}", seoul.isoformat())
    page = reviewer_client.get(f"/documents/{claim_form.pk}/").content.decode()
    assert f'<time datetime="{seoul.isoformat()}">{seoul:%Y-%m-%d %H:%M:%S}</time>' in page


def test_each_pages_combined_text_follows_a_save(claim_form, reviewer_client, supervisor):
    marker = marker_of(reviewer_client, claim_form)
    name = Field.objects.get(page__document=claim_form, name="name")
    field_correct(field_id=name.pk, user=supervisor, version=name.version, value="김철수")

    answer = state(reviewer_client, claim_form, since=marker).json()

    assert answer["combined"] == [{"page": 0, "text": "김철수 / 102831", "changed": True}]


def read_each_page(received):
    images = [
        with_page_info(received, make.image([make.field("name", f"p{index}", (10, 10, 200, 40))]), index, size)
        for index, size in enumerate(page_sizes(received))
    ]
    return respond(received, images)


@pytest.fixture
def three_pages(make_document, replay):
    replay.answer = read_each_page
    document = make_document(content=samples.pdf(3), name="three.pdf")
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    return document


def test_a_removed_page_is_told_to_the_open_page_and_the_pages_after_it_are_numbered_again(
    three_pages, reviewer_client, supervisor, supervisor_client
):
    marker = marker_of(reviewer_client, three_pages)
    page_remove(document=three_pages, user=supervisor, page_index=1)

    answer = state(reviewer_client, three_pages, since=marker).json()

    assert answer["reshaped"].startswith("Page 2 was removed by sally-supervisor at ")
    assert "what you typed here and did not save is kept in this tab" in answer["reshaped"]
    # The page as reloaded calls the last page "Page 2" wherever a person reads it; its index stays 2.
    page = supervisor_client.get(f"/documents/{three_pages.pk}/").content.decode()
    assert "Page 3" not in page
    assert 'data-show-page="2"' in page and '<option value="2">Page 2' in page


def test_a_page_read_again_is_told_to_the_open_page_while_it_is_read_and_after(
    three_pages, reviewer_client, supervisor, django_capture_on_commit_callbacks
):
    marker = marker_of(reviewer_client, three_pages)
    with django_capture_on_commit_callbacks(execute=True):
        document_reread(document=three_pages, user=supervisor, options=ReadOptions(), page_index=0)
    assert (
        state(reviewer_client, three_pages, since=marker)
        .json()["reshaped"]
        .startswith("Page 1 was read again (asked by sally-supervisor at ")
    )

    with django_capture_on_commit_callbacks(execute=False):
        document_reread(document=three_pages, user=supervisor, options=ReadOptions(), page_index=2)
    being_read = state(reviewer_client, three_pages, since=marker).json()["reshaped"]
    assert being_read.startswith("Page 3 is being read again (asked by sally-supervisor at ")
    # A page that has not said what it saw is not told of changes it never showed.
    assert state(reviewer_client, three_pages).json()["reshaped"] is None
