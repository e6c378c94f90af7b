"""Field entry rules on the server: one character a multi-box cell, confirming a low value, and approval that
waits for every low value to be confirmed or corrected when the template says so."""

import json

import pytest
from rest_framework.test import APIClient

from documents.models import DocumentStatus, EditAction, Field, FieldEdit, SubField, Template
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


def make_low(item: Field) -> Field:
    Field.objects.filter(pk=item.pk).update(confidence=0.2)
    item.refresh_from_db()
    return item


def test_a_multibox_cell_of_two_characters_is_refused_and_nothing_changes(document, reviewer):
    box = field(document, "id")
    first = box.subfields.order_by("position").first()

    response = client_for(reviewer).patch(
        f"/api/fields/{box.pk}/", {"cells": [{"id": first.pk, "value": "84"}], "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "cell_too_long"
    assert "one character" in response.json()["message"]
    box.refresh_from_db()
    assert (box.value, box.version) == ("102831", 1)
    assert SubField.objects.get(pk=first.pk).value == "1"
    assert not FieldEdit.objects.filter(field=box).exists()


def test_a_multibox_cell_takes_one_character_or_none(document, reviewer):
    box = field(document, "id")
    first, second = box.subfields.order_by("position")[:2]

    response = client_for(reviewer).patch(
        f"/api/fields/{box.pk}/",
        {"cells": [{"id": first.pk, "value": "7"}, {"id": second.pk, "value": ""}], "version": 1},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["value"] == "72831"


def test_a_confirmation_is_recorded_like_an_edit_and_shown_in_history_and_exports(
    document, reviewer, reviewer_client, supervisor
):
    name = make_low(field(document, "name"))

    response = client_for(reviewer).post(f"/api/fields/{name.pk}/confirm/", {"version": 1}, format="json")

    assert response.status_code == 200
    assert (response.json()["confirmed"], response.json()["value"], response.json()["version"]) == (True, "김민수", 2)
    [edit] = FieldEdit.objects.filter(field=name)
    assert (edit.action, edit.old_value, edit.new_value, edit.user, edit.version) == (
        EditAction.CONFIRM, "김민수", "김민수", reviewer, 2
    )  # fmt: skip
    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()
    assert "Confirmed as read" in page
    assert 'class="field level-low low confirmed"' in page
    response = client_for(supervisor).get("/api/exports/json/", {"status": "in_review"})
    exported = json.loads(b"".join(response.streaming_content))
    assert [c["action"] for c in exported["documents"][0]["corrections"]] == ["confirm"]


def test_a_confirmation_with_a_stale_version_is_refused(document, reviewer):
    name = make_low(field(document, "name"))
    client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "김민준", "version": 1}, format="json")

    response = client_for(reviewer).post(f"/api/fields/{name.pk}/confirm/", {"version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert field(document, "name").confirmed is False


def test_changing_a_confirmed_value_clears_the_confirmation(document, reviewer):
    name = make_low(field(document, "name"))
    client_for(reviewer).post(f"/api/fields/{name.pk}/confirm/", {"version": 1}, format="json")

    response = client_for(reviewer).patch(f"/api/fields/{name.pk}/", {"value": "김민준", "version": 2}, format="json")

    assert response.json()["confirmed"] is False
    assert field(document, "name").confirmed is False


def require_confirmation() -> None:
    Template.objects.filter(pk=390).update(require_confirmation=True)


def test_approval_is_refused_naming_every_low_field_neither_confirmed_nor_corrected(document, reviewer):
    make_low(field(document, "name"))
    SubField.objects.filter(field=field(document, "id"), position=2).update(confidence=0.1)
    require_confirmation()

    response = client_for(reviewer).post(f"/api/documents/{document.pk}/approve/", {}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "unconfirmed_fields"
    assert body["unconfirmed"] == ["Id", "Name"]
    assert "Id, Name" in body["message"]
    document.refresh_from_db()
    assert document.status != DocumentStatus.APPROVED


def test_approval_goes_through_once_each_low_value_is_confirmed_or_corrected(document, reviewer):
    name = make_low(field(document, "name"))
    box = field(document, "id")
    low_cell = SubField.objects.get(field=box, position=2)
    SubField.objects.filter(pk=low_cell.pk).update(confidence=0.1)
    require_confirmation()
    api = client_for(reviewer)

    api.post(f"/api/fields/{name.pk}/confirm/", {"version": 1}, format="json")
    other_cell = SubField.objects.get(field=box, position=0)
    api.patch(f"/api/fields/{box.pk}/", {"cells": [{"id": other_cell.pk, "value": "9"}], "version": 1}, format="json")
    still = api.post(f"/api/documents/{document.pk}/approve/", {}, format="json")
    api.patch(f"/api/fields/{box.pk}/", {"cells": [{"id": low_cell.pk, "value": "3"}], "version": 2}, format="json")
    approved = api.post(f"/api/documents/{document.pk}/approve/", {}, format="json")

    assert still.status_code == 409 and still.json()["unconfirmed"] == ["Id"]  # a box that was not the low one
    assert approved.status_code == 200
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED


def test_without_the_template_setting_low_fields_do_not_hold_approval(document, reviewer):
    make_low(field(document, "name"))

    response = client_for(reviewer).post(f"/api/documents/{document.pk}/approve/", {}, format="json")

    assert response.status_code == 200


def test_a_supervisor_turns_the_setting_on_on_the_template_fields_page(document, supervisor_client):
    page = supervisor_client.get("/templates/390/fields/").content.decode()
    rows = [name for name in ("name", "id") if f'value="{name}"' in page]
    form = {f"r{index}-name": name for index, name in enumerate(rows)} | {"require_confirmation": "on"}

    supervisor_client.post("/templates/390/fields/", form)

    assert 'name="require_confirmation"' in page
    assert Template.objects.get(pk=390).require_confirmation is True
    supervisor_client.post("/templates/390/fields/", {f"r{index}-name": name for index, name in enumerate(rows)})
    assert Template.objects.get(pk=390).require_confirmation is False


def test_a_low_multibox_cell_flags_its_field_and_counts_on_the_page(document, reviewer_client):
    box = field(document, "id")
    SubField.objects.filter(field=box, position=3).update(confidence=0.1)

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert f'class="field level-medium low" id="field-{box.pk}"' in page  # the field's own 90%, and flagged
    assert '<span class="low-count">1 low-confidence</span>' in page


def test_the_words_ocr_was_unsure_of_are_marked_beside_a_text_field(document, reviewer_client):
    address = field(document, "address")
    SubField.objects.filter(field=address, position=1).update(confidence=0.2)

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert '<span class="word level-high">서울시 강남구</span>' in page
    assert '<span class="word level-low" title="OCR is unsure of this word">테헤란로 1</span>' in page
