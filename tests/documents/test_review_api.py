"""Corrections with an audit trail and review outcomes, through the API (CONTRACT.md)."""

import pytest
from rest_framework.test import APIClient

from documents.models import DocumentStatus, EditAction, Field, FieldEdit
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(make_document, replay):
    replay.answer = lambda received: respond(received, [make.template_page()])
    return make_document(content=samples.png(1000, 1000), name="claim.png")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def field(document, name: str) -> Field:
    return Field.objects.get(page__document=document, name=name)


def test_a_correction_is_saved_versioned_and_audited(document, reviewer):
    name = field(document, "name")

    response = client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "김민준", "version": 1}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["value"], body["ocr_value"], body["version"]) == ("김민준", "김민수", 2)
    [edit] = FieldEdit.objects.filter(field=name)
    assert (edit.action, edit.old_value, edit.new_value, edit.user, edit.version) == (
        EditAction.TEXT, "김민수", "김민준", reviewer, 2
    )  # fmt: skip
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_REVIEW


def test_a_stale_version_gets_409_and_both_values_stay_in_the_history(document, reviewer, supervisor):
    name = field(document, "name")
    client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "first", "version": 1}, format="json")

    response = client_for(supervisor).patch(f"/api/fields/{name.pk}/", {"value": "second", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert response.json()["field"]["value"] == "first" and response.json()["field"]["version"] == 2
    assert field(document, "name").value == "first"
    history = list(FieldEdit.objects.filter(field=name).values_list("action", "new_value", "user__username"))
    assert history == [("text", "first", reviewer.username), ("conflict", "second", supervisor.username)]


def test_a_checkbox_is_toggled_with_checked(document, reviewer):
    box = field(document, "fax-checkbox")

    response = client_for(reviewer).patch(f"/api/fields/{box.pk}/", {"checked": False, "version": 1}, format="json")

    assert response.status_code == 200 and response.json()["checked"] is False
    assert response.json()["ocr_checked"] is True


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"version": 1}, "nothing_to_change"),
        ({"checked": True, "version": 1}, "not_a_checkbox"),
        ({"value": "x"}, "invalid"),
    ],
)
def test_bad_corrections_are_refused_with_a_code(document, reviewer, payload, code):
    name = field(document, "name")

    response = client_for(reviewer).patch(f"/api/fields/{name.pk}/", payload, format="json")

    assert response.status_code == 400 and response.json()["code"] == code
    assert field(document, "name").version == 1


def test_approve_and_reject(document, make_document, reviewer):
    client = client_for(reviewer)

    approved = client.post(f"/api/documents/{document.pk}/approve/")
    again = client.post(f"/api/documents/{document.pk}/approve/")
    other = make_document(name="b.png")
    no_reason = client.post(f"/api/documents/{other.pk}/reject/", {"reason": " "}, format="json")
    rejected = client.post(f"/api/documents/{other.pk}/reject/", {"reason": "Illegible scan"}, format="json")

    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert again.status_code == 409
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    assert rejected.json()["status"] == "rejected"
    other.refresh_from_db()
    assert (other.review_note, other.reviewed_by) == ("Illegible scan", reviewer)


def test_an_approved_document_cannot_be_edited(document, reviewer):
    client = client_for(reviewer)
    client.post(f"/api/documents/{document.pk}/approve/")
    name = field(document, "name")

    response = client.patch(f"/api/fields/{name.pk}/", {"value": "late", "version": 1}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "not_reviewable"


def test_outsiders_and_anonymous_cannot_correct_or_review(document, outsider):
    name = field(document, "name")

    assert (
        client_for(outsider).patch(f"/api/fields/{name.pk}/", {"value": "x", "version": 1}, format="json").status_code
        == 403
    )
    assert APIClient().post(f"/api/documents/{document.pk}/approve/").status_code == 401
    assert client_for(outsider).post(f"/api/documents/{document.pk}/approve/").status_code == 403
    assert field(document, "name").value == "김민수"


def test_a_missing_field_is_404(reviewer, db):
    assert (
        client_for(reviewer).patch("/api/fields/999999/", {"value": "x", "version": 1}, format="json").status_code
        == 404
    )
