"""The queue's filters, "Review next", and the review page's actions, as posted by the browser."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from documents.models import Document, DocumentStatus, Field, ReviewEvent, Template, TemplateField
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import page_sizes, respond, with_page_info

pytestmark = pytest.mark.django_db

POST_URLS = ["approve", "reject", "send-back", "claim", "release"]


@pytest.fixture
def claim_form(make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])
    return make_document(content=samples.png(1000, 1000), name="claim.png")


def names(response) -> list[str]:
    return [document.display_name for document in response.context["page_obj"]]


def test_the_queue_filters_by_template_validation_confidence_uploader_and_date(
    reviewer_client, make_document, replay, supervisor
):
    replay.answer = lambda received: respond(received, [make.template_page("INVALID")])
    make_document(name="invalid.png")
    replay.answer = lambda received: respond(
        received, [make.image([make.field("name", "x", (1, 1, 5, 5), confidence=0.3)])]
    )
    unsure = make_document(name="unsure.png", uploaded_by=supervisor)
    Document.objects.filter(pk=unsure.pk).update(uploaded_at=timezone.now() - timedelta(days=3))

    assert names(reviewer_client.get("/?template=390")) == ["invalid.png"]
    assert names(reviewer_client.get("/?validation=INVALID")) == ["invalid.png"]
    assert names(reviewer_client.get("/?validation=VALID")) == []
    assert names(reviewer_client.get("/?low=1")) == ["unsure.png"]
    assert names(reviewer_client.get(f"/?uploader={supervisor.username}")) == ["unsure.png"]
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert names(reviewer_client.get(f"/?from={yesterday}")) == ["invalid.png"]
    assert names(reviewer_client.get(f"/?to={yesterday}")) == ["unsure.png"]
    assert names(reviewer_client.get("/?sort=oldest")) == ["unsure.png", "invalid.png"]
    assert names(reviewer_client.get("/?sort=name")) == ["invalid.png", "unsure.png"]
    assert names(reviewer_client.get("/?q=UNS")) == ["unsure.png"]
    refused = reviewer_client.get("/?from=not-a-date")
    assert refused.status_code == 400 and names(refused) == []
    assert "Dates are written YYYY-MM-DD (from: &#x27;not-a-date&#x27;)." in refused.content.decode()
    assert "Unknown order: nonsense" in reviewer_client.get("/?sort=nonsense").content.decode()


def test_pagination_keeps_the_filters(reviewer_client, make_document):
    for number in range(27):
        make_document(name=f"scan-{number:02d}.png")

    first = reviewer_client.get("/?q=scan&sort=name").content.decode()
    second = reviewer_client.get("/?q=scan&sort=name&page=2")

    assert "?q=scan&amp;sort=name&amp;page=2" in first
    assert names(second) == ["scan-25.png", "scan-26.png"]


def test_review_next_claims_the_oldest_waiting_document_nobody_else_has(
    reviewer_client, reviewer, supervisor_client, make_document
):
    oldest, middle, newest = (make_document(name=f"{name}.png") for name in ("oldest", "middle", "newest"))
    for age, document in ((3, oldest), (2, middle), (1, newest)):
        Document.objects.filter(pk=document.pk).update(uploaded_at=timezone.now() - timedelta(hours=age))

    mine = reviewer_client.post("/documents/next")
    theirs = supervisor_client.post("/documents/next")
    again = reviewer_client.post("/documents/next")

    assert mine["Location"] == f"/documents/{oldest.pk}/"
    assert theirs["Location"] == f"/documents/{middle.pk}/"
    assert again["Location"] == f"/documents/{oldest.pk}/", "my own claim is where I left off"
    oldest.refresh_from_db()
    assert oldest.claimed_by == reviewer
    assert ReviewEvent.objects.filter(document=oldest, action="claim").count() == 1


def test_review_next_with_nothing_waiting_says_so(reviewer_client):
    response = reviewer_client.post("/documents/next", follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Nothing is waiting for review." in response.content.decode()


def test_the_page_shows_who_is_reviewing_and_locks_it_for_others(claim_form, reviewer_client, supervisor_client):
    reviewer_client.post(f"/documents/{claim_form.pk}/claim")

    page = supervisor_client.get(f"/documents/{claim_form.pk}/")

    body = page.content.decode()
    assert "is reviewing this document (since" in body and "Take over" in body
    assert page.context["editable"] is False
    assert "disabled" in body.split('class="value"')[1].split(">")[0]
    supervisor_client.post(f"/documents/{claim_form.pk}/claim", {"take_over": "1"})
    assert supervisor_client.get(f"/documents/{claim_form.pk}/").context["editable"] is True
    assert reviewer_client.get(f"/documents/{claim_form.pk}/").context["held_by_other"] is True


def test_approving_moves_on_to_the_next_waiting_document(claim_form, reviewer_client, make_document):
    waiting = make_document(name="next.png")

    response = reviewer_client.post(f"/documents/{claim_form.pk}/approve")

    assert response["Location"] == f"/documents/{waiting.pk}/"
    claim_form.refresh_from_db()
    assert claim_form.status == DocumentStatus.APPROVED and claim_form.claimed_by is None


def test_approving_past_a_failing_rule_asks_for_a_reason(claim_form, reviewer_client):
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="name", min_length=5, label="성명")

    page = reviewer_client.get(f"/documents/{claim_form.pk}/").content.decode()
    refused = reviewer_client.post(f"/documents/{claim_form.pk}/approve", follow=True)
    approved = reviewer_client.post(f"/documents/{claim_form.pk}/approve", {"override_reason": "Short names exist"})

    assert "성명: At least 5 characters." in page
    assert "break a review rule" in refused.content.decode()
    claim_form.refresh_from_db()
    assert approved.status_code == 302 and claim_form.status == DocumentStatus.APPROVED
    assert ReviewEvent.objects.get(document=claim_form, action="approve_override").note == "Short names exist"


def test_reject_needs_a_reason_and_send_back_returns_to_the_queue(claim_form, reviewer_client, supervisor_client):
    no_reason = reviewer_client.post(f"/documents/{claim_form.pk}/reject", {"reason": ""}, follow=True)
    reviewer_client.post(f"/documents/{claim_form.pk}/reject", {"reason": "Torn page"})
    claim_form.refresh_from_db()
    rejected = claim_form.status
    supervisor_client.post(f"/documents/{claim_form.pk}/send-back", {"reason": "Readable after all"})
    claim_form.refresh_from_db()

    assert "Say why the document is rejected." in no_reason.content.decode()
    assert rejected == DocumentStatus.REJECTED
    assert (claim_form.status, claim_form.review_note) == (DocumentStatus.NEEDS_REVIEW, "Readable after all")
    assert "Note from the last review:" in reviewer_client.get(f"/documents/{claim_form.pk}/").content.decode()


@pytest.mark.parametrize("action", POST_URLS)
def test_review_actions_need_a_role_and_a_csrf_token(claim_form, outsider_client, anonymous_client, reviewer, action):
    url = f"/documents/{claim_form.pk}/{action}"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)

    assert outsider_client.post(url, {"reason": "x"}).status_code == 403
    assert anonymous_client.post(url, {"reason": "x"})["Location"].startswith("/login/")
    assert strict.post(url, {"reason": "x"}).status_code == 403
    assert reviewer_client_get(reviewer, url) == 405
    claim_form.refresh_from_db()
    assert claim_form.status == DocumentStatus.NEEDS_REVIEW


def reviewer_client_get(user, url) -> int:
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


def test_the_review_page_query_count_does_not_grow_with_fields(
    reviewer_client, make_document, replay, django_assert_max_num_queries
):
    def page_with(count):
        return make.image([make.field(f"f{number}", f"value {number}", (10, 10 + number * 20, 80, 15))
                           for number in range(count)], matchedTemplate={"id": 390, "name": "claim"})  # fmt: skip

    replay.answer = lambda received: respond(
        received,
        [with_page_info(received, page_with(40), index, size) for index, size in enumerate(page_sizes(received))],
    )
    document = make_document(content=samples.pdf(5), name="five.pdf")
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="f3", required=True)
    assert Field.objects.filter(page__document=document).count() == 200

    # A fixed number (issue 6: at most 12): sign-in (three), the document with its pages, fields and subfields
    # (four), rules, the template's box order (two per template), the history (two) and whether it was uploaded
    # again; never one per field.
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(f"/documents/{document.pk}/")

    assert response.status_code == 200
    assert response.content.decode().count('class="field ') == 200


def test_pages_send_a_content_security_policy_without_inline_script(reviewer_client, claim_form):
    policy = reviewer_client.get(f"/documents/{claim_form.pk}/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_a_text_ocr_document_shows_its_words_in_lines(reviewer_client, make_document, replay):
    line = [("안녕하세요", False), ("반갑습니다", True), ("두번째", False), ("줄", True)]
    words = [make.field("", text, (10 + n * 90, 10, 80, 20), lineBreak=brk) for n, (text, brk) in enumerate(line)]
    replay.answer = lambda received: respond(received, [make.image(words)])
    document = make_document(name="letter.png", mode="general")

    body = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    first = Field.objects.filter(page__document=document).order_by("position").first()
    assert f'data-word-id="{first.pk}">안녕하세요</span>' in body
    assert body.count('<p class="text-line">') == 2
    assert ">반갑습니다</span></p>" in body


def test_a_checkbox_in_the_history_reads_checked_and_not_checked(claim_form, reviewer, reviewer_client):
    from documents.services.review import field_correct

    box = Field.objects.get(page__document=claim_form, name="fax-checkbox")
    assert box.checked is True
    field_correct(field_id=box.pk, user=reviewer, version=box.version, checked=False)

    page = reviewer_client.get(f"/documents/{claim_form.pk}/").content.decode()

    assert '<span class="old">checked</span> → <span class="new">not checked</span>' in page
    assert "False" not in page.split('class="history"')[1]


def test_a_decided_page_shows_no_keyboard_hints_and_no_empty_decision_card(claim_form, reviewer, reviewer_client):
    from documents.services.review import review_approve

    open_page = reviewer_client.get(f"/documents/{claim_form.pk}/").content.decode()
    review_approve(document=claim_form, user=reviewer, override_reason="checked by hand")
    decided = reviewer_client.get(f"/documents/{claim_form.pk}/").content.decode()

    assert 'class="hint keys"' in open_page and 'class="decide"' in open_page
    assert 'class="hint keys"' not in decided and 'class="decide"' not in decided
