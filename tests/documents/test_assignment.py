"""Documents assigned to a reviewer: Review next serves them to that reviewer first and to nobody else; the
queue and the API filter by assignee; supervisors assign one document or a whole upload."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus, ReviewEvent
from tests.factories import ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruth(db):
    return ReviewerFactory(username="ruth-reviewer")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def oldest_first(make_document, *names):
    documents = [make_document(name=f"{name}.png") for name in names]
    for age, document in enumerate(documents):
        Document.objects.filter(pk=document.pk).update(uploaded_at=timezone.now() - timedelta(hours=len(names) - age))
    return documents


def names(response) -> list[str]:
    return sorted(document.display_name for document in response.context["page_obj"])


def test_review_next_serves_my_assigned_documents_first_and_never_someone_elses(
    make_document, reviewer, reviewer_client, ruth
):
    oldest, theirs, mine, newest = oldest_first(make_document, "oldest", "theirs", "mine", "newest")
    Document.objects.filter(pk=mine.pk).update(assigned_to=reviewer)
    Document.objects.filter(pk=theirs.pk).update(assigned_to=ruth)

    served = []
    for _ in range(4):
        response = reviewer_client.post("/documents/next")
        served.append(response["Location"])
        Document.objects.filter(claimed_by=reviewer).update(status=DocumentStatus.APPROVED, claimed_by=None)

    assert served == [f"/documents/{mine.pk}/", f"/documents/{oldest.pk}/", f"/documents/{newest.pk}/", "/"]
    assert client_for(ruth).post("/documents/next")["Location"] == f"/documents/{theirs.pk}/"


def test_the_queue_and_the_api_filter_by_assignee(make_document, reviewer, reviewer_client, ruth):
    mine, theirs, _free = oldest_first(make_document, "mine", "theirs", "free")
    Document.objects.filter(pk=mine.pk).update(assigned_to=reviewer)
    Document.objects.filter(pk=theirs.pk).update(assigned_to=ruth)
    api = APIClient()
    api.force_authenticate(reviewer)

    def api_names(query: str) -> list[str]:
        response = api.get(f"/api/documents/?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["name"] for item in response.json()["results"])

    assert names(reviewer_client.get("/?assigned_to=me")) == ["mine.png"]
    assert names(reviewer_client.get(f"/?assigned_to={ruth.username}")) == ["theirs.png"]
    assert names(reviewer_client.get("/?assigned_to=none")) == ["free.png"]
    assert names(reviewer_client.get("/")) == ["free.png", "mine.png", "theirs.png"]
    assert api_names("assigned_to=me") == ["mine.png"]
    assert api_names(f"assigned_to={ruth.username}") == ["theirs.png"]
    assert api_names("assigned_to=none") == ["free.png"]
    listed = {item["name"]: item["assigned_to"] for item in api.get("/api/documents/").json()["results"]}
    assert listed == {"mine.png": reviewer.username, "theirs.png": ruth.username, "free.png": None}
    page = reviewer_client.get("/?assigned_to=me").content.decode()
    assert '<option value="me" selected>' in page


def test_a_supervisor_assigns_from_the_document_page_and_the_history_and_audit_log_say_so(
    make_document, supervisor, supervisor_client, reviewer_client, ruth, caplog
):
    caplog.set_level("INFO", logger="ocrportal.audit")

    def trail(kind: str) -> list[dict]:
        records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "ocrportal.audit"]
        return [record for record in records if record["event"] == kind]

    document = make_document(name="claim.png")
    page = supervisor_client.get(f"/documents/{document.pk}/").content.decode()
    assert f'action="/documents/{document.pk}/assign"' in page and f'value="{ruth.pk}"' in page

    refused = reviewer_client.post(f"/documents/{document.pk}/assign", {"assignee": ruth.pk})
    assigned = supervisor_client.post(
        f"/documents/{document.pk}/assign", {"assignee": ruth.pk, "next": f"/documents/{document.pk}/"}
    )

    assert refused.status_code == 403
    assert assigned.status_code == 302 and assigned["Location"] == f"/documents/{document.pk}/"
    document.refresh_from_db()
    assert document.assigned_to == ruth
    [event] = ReviewEvent.objects.filter(document=document, action="assign")
    assert (event.user, event.note) == (supervisor, ruth.username)
    assert "Assigned to ruth-reviewer" in reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    supervisor_client.post(f"/documents/{document.pk}/assign", {"assignee": ""})
    document.refresh_from_db()
    assert document.assigned_to is None
    history = supervisor_client.get(f"/documents/{document.pk}/").content.decode()
    assert "Assigned: ruth-reviewer" in history and "Assigned: nobody" in history
    assert [(event["user"], event["actor"], event["document"]) for event in trail("document_assigned")] == [
        (ruth.username, supervisor.username, document.pk),
        (None, supervisor.username, document.pk),
    ]


def test_assigning_needs_the_csrf_token_and_someone_who_can_review(make_document, supervisor, ruth):
    document = make_document(name="claim.png")
    outsider = UserFactory(username="oscar")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(supervisor)

    assert strict.post(f"/documents/{document.pk}/assign", {"assignee": ruth.pk}).status_code == 403
    response = client_for(supervisor).post(f"/documents/{document.pk}/assign", {"assignee": outsider.pk}, follow=True)
    [refusal] = [str(message) for message in response.context["messages"]]
    assert "cannot review" in refusal
    document.refresh_from_db()
    assert document.assigned_to is None


def test_a_whole_upload_is_assigned_at_once_leaving_decided_documents_alone(supervisor_client, ruth):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import samples

    uploaded = supervisor_client.post(
        "/upload/",
        {"file": [SimpleUploadedFile("a.png", samples.png()), SimpleUploadedFile("b.png", samples.png(text="b"))]},
    )
    batch_url = uploaded["Location"]
    _first, second = Document.objects.order_by("id")
    Document.objects.filter(pk=second.pk).update(status=DocumentStatus.APPROVED)
    assert "Assign every document still to review to" in supervisor_client.get(batch_url).content.decode()

    response = supervisor_client.post(f"{batch_url}assign", {"assignee": ruth.pk}, follow=True)

    assert "1 document(s) assigned." in [str(message) for message in response.context["messages"]]
    assert list(Document.objects.order_by("id").values_list("assigned_to", flat=True)) == [ruth.pk, None]


def test_turning_a_reviewer_off_gives_their_documents_back_to_everyone(make_document, supervisor_client, ruth):
    document = make_document(name="claim.png")
    Document.objects.filter(pk=document.pk).update(assigned_to=ruth, claimed_by=ruth, claimed_at=timezone.now())

    supervisor_client.post(f"/people/{ruth.pk}/active", {"active": "0"})

    document.refresh_from_db()
    assert (document.assigned_to, document.claimed_by) == (None, None)
    assert ReviewEvent.objects.filter(document=document, action="assign", note="nobody").exists()


def test_the_queue_counts_only_what_review_next_can_serve_me(make_document, reviewer, reviewer_client, ruth):
    mine, theirs, _free = oldest_first(make_document, "mine", "theirs", "free")
    Document.objects.filter(pk=mine.pk).update(assigned_to=reviewer)
    Document.objects.filter(pk=theirs.pk).update(assigned_to=ruth)

    assert reviewer_client.get("/").context["waiting"] == 2
    assert client_for(ruth).get("/").context["waiting"] == 2


@pytest.mark.parametrize("assignee", ["abc", "²", "99999999999999999999"])
def test_an_assignee_that_is_no_user_id_is_refused_saying_so(make_document, supervisor, assignee):
    document = make_document(name="claim.png")

    response = client_for(supervisor).post(f"/documents/{document.pk}/assign", {"assignee": assignee}, follow=True)

    assert response.status_code == 200
    [refusal] = [str(message) for message in response.context["messages"]]
    assert refusal == "Choose a reviewer from the list."
