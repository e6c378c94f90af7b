"""A multi-box's value is its boxes side by side, whichever way the API changes it: a `value` is spread over the
boxes, and one with more characters than boxes is refused rather than kept beside boxes that say otherwise."""

import pytest
from rest_framework.test import APIClient

from documents.models import EditAction, Field, FieldEdit
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(make_document, replay) -> Field:
    """The claim form's six-box id, read as 102831."""
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")
    return Field.objects.get(page__document=document, name="id")


def patch(user, box: Field, body: dict):
    client = APIClient()
    client.force_authenticate(user)
    return client.patch(f"/api/fields/{box.pk}/", body, format="json")


def cells_of(box: Field) -> list[str]:
    return list(box.subfields.order_by("position").values_list("value", flat=True))


def test_a_value_is_spread_over_the_boxes_one_character_each_and_the_rest_emptied(box, reviewer):
    response = patch(reviewer, box, {"value": "9 7", "version": 1})

    assert response.status_code == 200
    body = response.json()
    assert [cell["value"] for cell in body["subfields"]] == ["9", "", "7", "", "", ""]
    assert body["value"] == "97"
    assert cells_of(box) == ["9", "", "7", "", "", ""]
    assert Field.objects.get(pk=box.pk).value == "97"
    edits = FieldEdit.objects.filter(field=box).order_by("cell_index")
    assert [(edit.action, edit.cell_index, edit.old_value, edit.new_value) for edit in edits] == [
        (EditAction.CELL, 0, "1", "9"),
        (EditAction.CELL, 1, "0", ""),
        (EditAction.CELL, 2, "2", "7"),
        (EditAction.CELL, 3, "8", ""),
        (EditAction.CELL, 4, "3", ""),
        (EditAction.CELL, 5, "1", ""),
    ]


def test_a_value_that_fills_every_box_exactly_is_taken(box, reviewer):
    response = patch(reviewer, box, {"value": "한글자123", "version": 1})

    assert response.status_code == 200
    assert cells_of(box) == list("한글자123")
    assert Field.objects.get(pk=box.pk).value == "한글자123"


def test_a_value_longer_than_the_boxes_is_refused_and_nothing_changes(box, reviewer):
    response = patch(reviewer, box, {"value": "1234567", "version": 1})

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_characters"
    assert "6 boxes" in response.json()["message"]
    box.refresh_from_db()
    assert (box.value, box.version) == ("102831", 1)
    assert cells_of(box) == list("102831")
    assert not FieldEdit.objects.filter(field=box).exists()
