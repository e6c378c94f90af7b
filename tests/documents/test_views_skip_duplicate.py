"""Skipping a document without deciding, and exact copies of a decided document."""

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Document, DocumentStatus, ReviewEvent
from tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(make_document):
    """Three waiting documents, oldest first."""
    documents = [
        make_document(name=f"{name}.png", content=samples.png(text=name)) for name in ("first", "second", "third")
    ]
    for age, document in zip((3, 2, 1), documents, strict=True):
        Document.objects.filter(pk=document.pk).update(uploaded_at=timezone.now() - timedelta(hours=age))
    return documents


def test_skip_moves_on_without_deciding_and_the_skipped_one_comes_last(queue, reviewer_client):
    first, second, third = queue
    reviewer_client.post("/documents/next")

    skipped = reviewer_client.post(f"/documents/{first.pk}/skip")
    first.refresh_from_db()
    after_second = reviewer_client.post(f"/documents/{second.pk}/approve")
    after_third = reviewer_client.post(f"/documents/{third.pk}/approve")
    again = reviewer_client.post("/documents/next", follow=True)

    assert skipped["Location"] == f"/documents/{second.pk}/"
    assert (first.status, first.claimed_by) == (DocumentStatus.NEEDS_REVIEW, None)  # undecided, free for others
    assert after_second["Location"] == f"/documents/{third.pk}/"
    assert after_third["Location"] == "/", "a skipped document is not served right back"
    assert again.redirect_chain[-1][0] == f"/documents/{first.pk}/"
    assert "Only documents you skipped are left" in again.content.decode()


def test_a_skipped_document_is_still_served_to_other_reviewers(queue, reviewer_client, supervisor_client):
    first = queue[0]
    reviewer_client.post("/documents/next")
    reviewer_client.post(f"/documents/{first.pk}/skip")

    assert supervisor_client.post("/documents/next")["Location"] == f"/documents/{first.pk}/"


def test_a_copy_of_a_decided_document_comes_after_documents_that_need_reading(queue, reviewer_client):
    first, second, third = queue
    Document.objects.filter(pk=first.pk).update(status=DocumentStatus.APPROVED)
    Document.objects.filter(pk=second.pk).update(duplicate_of=first)  # the older upload, but a copy

    assert reviewer_client.post("/documents/next")["Location"] == f"/documents/{third.pk}/"


def test_a_copy_is_rejected_as_a_duplicate_in_one_step_naming_its_twin(queue, reviewer_client):
    first, second, _third = queue
    Document.objects.filter(pk=first.pk).update(status=DocumentStatus.APPROVED)
    Document.objects.filter(pk=second.pk).update(duplicate_of=first)
    reviewer_client.post(f"/documents/{second.pk}/claim")

    page = reviewer_client.get(f"/documents/{second.pk}/").content.decode()
    reviewer_client.post(f"/documents/{second.pk}/reject-duplicate")

    assert "Reject as a duplicate" in page
    second.refresh_from_db()
    assert second.status == DocumentStatus.REJECTED
    assert second.review_note == f"Duplicate of #{first.pk} first.png."
    assert ReviewEvent.objects.filter(document=second, action="reject").exists()


def test_a_document_that_is_no_copy_cannot_be_rejected_as_one(queue, reviewer_client):
    first = queue[0]
    reviewer_client.post(f"/documents/{first.pk}/claim")

    response = reviewer_client.post(f"/documents/{first.pk}/reject-duplicate", follow=True)

    assert "not a copy of an earlier upload" in response.content.decode()
    first.refresh_from_db()
    assert first.status == DocumentStatus.NEEDS_REVIEW


@pytest.mark.parametrize("action", ["skip", "reject-duplicate"])
def test_skip_and_duplicate_need_a_role_and_a_post(queue, outsider_client, reviewer_client, action):
    url = f"/documents/{queue[0].pk}/{action}"

    assert outsider_client.post(url).status_code == 403
    assert reviewer_client.get(url).status_code == 405
