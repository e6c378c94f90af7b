"""Corrections with an audit trail and review outcomes, through the API (README.md, API)."""

import json

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


def test_a_stale_version_gets_409_and_both_values_stay_in_the_history(document, reviewer):
    name = field(document, "name")
    # The same reviewer in two windows: both read version 1.
    client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "first", "version": 1}, format="json")

    response = client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "second", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert response.json()["field"]["value"] == "first" and response.json()["field"]["version"] == 2
    assert field(document, "name").value == "first"
    history = list(FieldEdit.objects.filter(field=name).values_list("action", "new_value", "user__username"))
    assert history == [("text", "first", reviewer.username), ("conflict", "second", reviewer.username)]


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

    assert response.status_code == 409 and response.json()["code"] == "not_reviewable"


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


def test_one_multibox_cell_is_corrected_and_the_joined_value_follows(document, reviewer):
    box = field(document, "id")
    cells = list(box.subfields.order_by("position"))

    response = client_for(reviewer).patch(
        f"/api/fields/{box.pk}/", {"cells": [{"id": cells[2].pk, "value": "9"}], "version": 1}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["value"], body["ocr_value"], body["version"]) == ("109831", "102831", 2)
    assert [cell["value"] for cell in body["subfields"]] == list("109831")
    [edit] = FieldEdit.objects.filter(field=box)
    assert (edit.action, edit.subfield_id, edit.old_value, edit.new_value) == (EditAction.CELL, cells[2].pk, "2", "9")


def test_a_cell_of_another_field_is_refused(document, reviewer):
    box = field(document, "id")
    stranger = field(document, "address").subfields.first()

    response = client_for(reviewer).patch(
        f"/api/fields/{box.pk}/", {"cells": [{"id": stranger.pk, "value": "9"}], "version": 1}, format="json"
    )

    assert response.status_code == 400 and response.json()["code"] == "unknown_cell"
    assert field(document, "id").value == "102831"


def test_revert_puts_back_the_ocr_value_and_is_audited(document, reviewer):
    client = client_for(reviewer)
    box = field(document, "id")
    cell = box.subfields.order_by("position").first()
    client.patch(f"/api/fields/{box.pk}/", {"cells": [{"id": cell.pk, "value": "7"}], "version": 1}, format="json")
    checkbox = field(document, "fax-checkbox")
    client.patch(f"/api/fields/{checkbox.pk}/", {"checked": False, "version": 1}, format="json")

    reverted_box = client.post(f"/api/fields/{box.pk}/revert/", {"version": 2}, format="json")
    reverted_checkbox = client.post(f"/api/fields/{checkbox.pk}/revert/", {"version": 2}, format="json")
    stale = client.post(f"/api/fields/{box.pk}/revert/", {"version": 2}, format="json")

    assert reverted_box.status_code == 200
    assert reverted_box.json()["value"] == "102831" and reverted_box.json()["version"] == 3
    assert [sub["value"] for sub in reverted_box.json()["subfields"]] == list("102831")
    assert reverted_checkbox.json()["checked"] is True
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    actions = list(FieldEdit.objects.filter(field=box).values_list("action", "old_value", "new_value"))
    assert actions[:2] == [("cell", "1", "7"), ("revert", "702831", "102831")]
    assert actions[2][0] == "conflict"


def test_a_document_claimed_by_another_reviewer_is_refused_until_taken_over(document, reviewer, supervisor):
    name = field(document, "name")
    client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "mine", "version": 1}, format="json")

    refused = client_for(supervisor).patch(f"/api/fields/{name.pk}/", {"value": "theirs", "version": 2}, format="json")
    shown = client_for(supervisor).get(f"/api/documents/{document.pk}/").json()
    taken = client_for(supervisor).post(f"/api/documents/{document.pk}/claim/", {"take_over": True}, format="json")
    now_refused = client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "again", "version": 2}, format="json")

    assert refused.status_code == 409 and refused.json()["code"] == "claimed"
    assert reviewer.username in refused.json()["message"]
    assert shown["claimed_by"] == reviewer.username
    assert taken.status_code == 200 and taken.json()["claimed_by"] == supervisor.username
    assert now_refused.status_code == 409 and now_refused.json()["code"] == "claimed"
    assert field(document, "name").value == "mine"


def test_a_lapsed_claim_blocks_nobody(document, reviewer, supervisor, settings):
    from datetime import timedelta

    from django.utils import timezone

    from documents.models import Document

    name = field(document, "name")
    client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "mine", "version": 1}, format="json")
    Document.objects.filter(pk=document.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=settings.REVIEW_CLAIM_MINUTES + 1)
    )

    response = client_for(supervisor).patch(f"/api/fields/{name.pk}/", {"value": "theirs", "version": 2}, format="json")

    assert response.status_code == 200
    assert client_for(supervisor).get(f"/api/documents/{document.pk}/").json()["claimed_by"] == supervisor.username


def test_approving_past_a_failing_rule_needs_a_reason_which_is_recorded(document, reviewer):
    from documents.models import ReviewEvent, Template, TemplateField

    TemplateField.objects.create(template=Template.objects.get(pk=390), name="name", pattern="[A-Z][a-z]+")
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="mail-checkbox", required=True)
    client = client_for(reviewer)

    refused = client.post(f"/api/documents/{document.pk}/approve/")
    approved = client.post(f"/api/documents/{document.pk}/approve/", {"override_reason": "Name is Korean"})

    assert refused.status_code == 409 and refused.json()["code"] == "rules_failing"
    assert [(failure["field"], failure["page"]) for failure in refused.json()["failures"]] == [
        ("name", 1), ("mail-checkbox", 1)
    ]  # fmt: skip
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    event = ReviewEvent.objects.get(document=document, action="approve_override")
    assert event.note == "Name is Korean" and len(event.failed_rules) == 2


def test_correcting_the_value_makes_the_rule_pass(document, reviewer):
    from documents.models import Template, TemplateField

    TemplateField.objects.create(template=Template.objects.get(pk=390), name="id", numeric=True, min_length=6)
    client = client_for(reviewer)
    box = field(document, "id")
    cell = box.subfields.order_by("position").first()
    client.patch(f"/api/fields/{box.pk}/", {"cells": [{"id": cell.pk, "value": "O"}], "version": 1}, format="json")

    refused = client.post(f"/api/documents/{document.pk}/approve/")
    client.patch(f"/api/fields/{box.pk}/", {"cells": [{"id": cell.pk, "value": "1"}], "version": 2}, format="json")
    approved = client.post(f"/api/documents/{document.pk}/approve/")

    assert refused.json()["failures"][0]["messages"] == ["Digits only."]
    assert approved.status_code == 200


def test_send_back_returns_a_document_to_the_queue(document, reviewer, supervisor):
    client_for(reviewer).post(f"/api/documents/{document.pk}/approve/")

    by_reviewer = client_for(reviewer).post(f"/api/documents/{document.pk}/send-back/", {"reason": "oops"})
    by_supervisor = client_for(supervisor).post(f"/api/documents/{document.pk}/send-back/", {"reason": "Check id"})

    assert by_reviewer.status_code == 409
    assert by_supervisor.status_code == 200 and by_supervisor.json()["status"] == "needs_review"
    assert by_supervisor.json()["review_note"] == "Check id" and by_supervisor.json()["reviewed_by"] is None


@pytest.mark.parametrize(
    "payload",
    [{"value": "x", "version": 2**63}, {"cells": [{"id": 2**63, "value": "1"}], "version": 1}],
)
def test_numbers_past_the_database_range_are_a_bad_request(document, reviewer, payload):
    name = field(document, "id")

    response = client_for(reviewer).patch(f"/api/fields/{name.pk}/", payload, format="json")

    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_releasing_a_claim_lets_another_reviewer_in_without_taking_over(document, reviewer, supervisor):
    name = field(document, "name")
    client_for(reviewer).post(f"/api/documents/{document.pk}/claim/")
    refused = client_for(supervisor).patch(f"/api/fields/{name.pk}/", {"value": "x", "version": 1}, format="json")

    released = client_for(reviewer).delete(f"/api/documents/{document.pk}/claim/")
    allowed = client_for(supervisor).patch(f"/api/fields/{name.pk}/", {"value": "x", "version": 1}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (409, "claimed")
    assert released.status_code == 204
    assert allowed.status_code == 200
    document.refresh_from_db()
    assert document.claimed_by == supervisor


def test_a_claim_body_that_is_not_an_object_is_a_coded_400(document, reviewer):
    response = client_for(reviewer).post(f"/api/documents/{document.pk}/claim/", [1, 2], format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_request")


@pytest.mark.parametrize("cells", [{"a": 1}, "abc", [1], [{"id": "x"}]])
def test_malformed_cells_are_a_coded_400_not_a_server_error(document, reviewer, cells):
    name = field(document, "name")
    response = client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"cells": cells, "version": 1}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert response.json()["message"].startswith("cells")


BODIES = [
    pytest.param("[" * 10_000 + "]" * 10_000, "application/json", "parse_error", id="nested-too-deep"),
    pytest.param("{", "application/json", "parse_error", id="truncated"),
    pytest.param(b'{"value": "\xff", "version": 1}', "application/json", "parse_error", id="invalid-utf8"),
    pytest.param('{"value": "x", "version": NaN}', "application/json", "parse_error", id="nan"),
    pytest.param('{"value": "x", "version": 1}', "text/plain", "unsupported_media_type", id="text-plain"),
]


@pytest.mark.parametrize(("body", "content_type", "code"), BODIES)
def test_every_malformed_body_is_a_400_with_a_code(document, reviewer, body, content_type, code):
    """DRF's own refusals (a body it cannot parse, a type it does not read) come in the portal's shape too."""
    name = field(document, "name")
    client = client_for(reviewer)
    for url in (f"/api/fields/{name.pk}/", f"/api/documents/{document.pk}/claim/"):
        method = client.patch if url.startswith("/api/fields/") else client.post
        response = method(url, body, content_type=content_type)
        assert response.status_code in (400, 415), response.content
        assert response.json()["code"] == code and response.json()["message"]
    assert field(document, "name").version == 1


@pytest.mark.parametrize("checked", ["y", "t", "maybe", 2])
def test_checked_is_read_like_every_other_boolean(document, reviewer, checked):
    box = field(document, "fax-checkbox")
    response = client_for(reviewer).patch(f"/api/fields/{box.pk}/", {"checked": checked, "version": 1}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert response.json()["message"].startswith("checked")


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("send-back", {"reason": None}),  # was stored as the text 'None', past the reason check
        ("send-back", {"reason": ["x"]}),
        ("reject", {"reason": {"a": 1}}),
        ("approve", {"override_reason": [1]}),
    ],
)
def test_a_reason_that_is_not_text_is_refused_not_stored_as_python_prints_it(document, reviewer, action, body):
    from documents.models import ReviewEvent, Template, TemplateField

    TemplateField.objects.create(template=Template.objects.get(pk=390), name="name", pattern="[A-Z][a-z]+")
    response = client_for(reviewer).post(f"/api/documents/{document.pk}/{action}/", body, format="json")
    assert response.status_code in (400, 409) and response.json()["code"] in ("invalid_text", "reason_required")
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW or document.status == DocumentStatus.IN_REVIEW
    assert not ReviewEvent.objects.filter(document=document).exclude(note="").exists()


def test_a_title_the_ocr_missed_is_typed_in_on_the_review_page_and_exported(
    document, reviewer, supervisor, reviewer_client
):
    title = Field.objects.get(page__document=document, is_title=True)
    reviewer_client.post(f"/documents/{document.pk}/claim")

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()
    saved = client_for(reviewer).patch(
        f"/api/fields/{title.pk}/", {"value": "보험금 청구서", "version": 1}, format="json"
    )

    assert f'id="input-{title.pk}"' in page  # an input, even though OCR read nothing
    assert saved.status_code == 200
    response = client_for(supervisor).get("/api/exports/json/", {"status": "in_review"})
    exported = json.loads(b"".join(response.streaming_content))
    assert exported["documents"][0]["images"][0]["title"]["inferText"] == "보험금 청구서"


def test_the_history_names_fields_by_their_labels(document, reviewer, reviewer_client):
    from documents.models import TemplateField

    TemplateField.objects.create(template_id=390, name="name", label="성명")
    name, fax = field(document, "name"), field(document, "fax-checkbox")
    client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "김민준", "version": 1}, format="json")
    client_for(reviewer).patch(f"/api/fields/{fax.pk}/", {"checked": True, "version": 1}, format="json")

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert "· 성명" in page and "· Fax checkbox" in page
    assert "· name" not in page and "· fax-checkbox" not in page
