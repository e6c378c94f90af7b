"""One set of document filters behind the queue, the API and exports: each filter narrows on every surface, and a
value that cannot be read is the same coded refusal everywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from documents.filters import API_PARAMETERS, DocumentFilters, filters_from
from documents.models import Document, DocumentStatus, Field, SubField
from documents.params import ParameterError, parse_bool
from tests import clova_fixtures as make
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_document, replay, supervisor):
    """invalid.png (template 390, INVALID), unsure.png (a field at 0.3, by the supervisor, three days old),
    cells.png (sure fields, one multi-box cell at 0.2)."""
    replay.answer = lambda received: respond(received, [make.template_page("INVALID")])
    invalid = make_document(name="invalid.png")
    replay.answer = lambda received: respond(
        received, [make.image([make.field("name", "x", (1, 1, 5, 5), confidence=0.3)])]
    )
    unsure = make_document(name="unsure.png", uploaded_by=supervisor)
    Document.objects.filter(pk=unsure.pk).update(uploaded_at=timezone.now() - timedelta(days=3))
    replay.answer = lambda received: respond(received, [make.template_page()])
    cells = make_document(name="cells.png")
    Field.objects.filter(page__document=cells).update(confidence=0.99)
    SubField.objects.filter(field__page__document=cells).update(confidence=0.99)
    cell = SubField.objects.filter(field__page__document=cells).first()
    cell.confidence = 0.2
    cell.save()
    Document.objects.filter(pk=cells.pk).update(status=DocumentStatus.APPROVED)
    return {"invalid": invalid, "unsure": unsure, "cells": cells}


def api_names(client: APIClient, query: str) -> list[str]:
    response = client.get(f"/api/documents/?{query}")
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["results"])


def test_every_api_filter_narrows(three, reviewer, supervisor):
    client = APIClient()
    client.force_authenticate(reviewer)
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()

    assert api_names(client, "template=390") == ["cells.png", "invalid.png"]
    assert api_names(client, "validation=INVALID") == ["invalid.png"]
    assert api_names(client, "low_confidence=1") == ["cells.png", "unsure.png"]  # a red cell counts
    assert api_names(client, "low_confidence=true") == ["cells.png", "unsure.png"]
    assert api_names(client, "low_confidence=no") == ["invalid.png"]
    assert api_names(client, f"uploader={supervisor.username}") == ["unsure.png"]
    assert api_names(client, f"uploaded_after={yesterday}") == ["cells.png", "invalid.png"]
    assert api_names(client, f"uploaded_before={yesterday}") == ["unsure.png"]
    assert api_names(client, "q=UNS") == ["unsure.png"]
    assert api_names(client, "status=approved") == ["cells.png"]
    Document.objects.filter(pk=three["unsure"].pk).update(status=DocumentStatus.FAILED)
    assert (
        api_names(client, "status=approved,needs_review&status=failed")
        == sorted(d.display_name for d in Document.objects.filter(status__in=["approved", "needs_review", "failed"]))
        == ["cells.png", "invalid.png", "unsure.png"]
    )
    ordered = client.get("/api/documents/?ordering=uploaded_at").json()["results"]
    assert ordered[0]["name"] == "unsure.png"


def test_a_low_word_of_a_sure_text_field_is_not_a_low_field(three, reviewer):
    """A text field's subfields are its words: the review page flags the field by its own confidence, so the
    filters do too (a multi-box's cells are values of their own, and count)."""
    client = APIClient()
    client.force_authenticate(reviewer)
    word = SubField.objects.filter(field__page__document=three["invalid"], field__field_type="NORMAL").first()
    assert word is not None
    word.confidence = 0.1
    word.save()
    assert api_names(client, "low_confidence=1") == ["cells.png", "unsure.png"]


def test_the_queue_counts_a_red_cell_as_low_confidence(three, reviewer_client):
    page = reviewer_client.get("/?low=1").content.decode()
    assert "cells.png" in page and "unsure.png" in page and "invalid.png" not in page


BAD = [
    ("template", "abc", "invalid_template"),
    ("template", "²", "invalid_template"),  # str.isdigit says yes, int() says no: it was a 500
    ("template", "３９０", "invalid_template"),  # full-width digits were read as 390
    ("template", "3_90", "invalid_template"),
    ("status", ",", "invalid_status"),  # names no status; exports read it as every status
    ("template", "99999999999", "invalid_template"),
    ("status", "approved,nonsense", "invalid_status"),
    ("validation", "MAYBE", "invalid_validation"),
]


@pytest.mark.parametrize(("name", "value", "code"), BAD)
def test_a_bad_value_is_the_same_refusal_on_every_surface(name, value, code, supervisor, supervisor_client):
    client = APIClient()
    client.force_authenticate(supervisor)

    listed = client.get(f"/api/documents/?{name}={value}")
    exported = client.get(f"/api/exports/csv/?{name}={value}")
    queue = supervisor_client.get(f"/?{name}={value}")

    assert (listed.status_code, listed.json()["code"]) == (400, code)
    assert (exported.status_code, exported.json()["code"]) == (400, code)
    assert listed.json()["message"] == exported.json()["message"]
    assert queue.status_code == 400
    assert listed.json()["message"].replace("'", "&#x27;") in queue.content.decode()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("uploaded_after=yesterday", "invalid_date"),
        ("uploaded_after=20260101", "invalid_date"),  # date.fromisoformat takes it; the message says YYYY-MM-DD
        ("uploaded_before=2026-W01-1", "invalid_date"),
        ("page_size=abc", "invalid_page_size"),
        ("page=abc", "invalid_page"),
        ("low_confidence=maybe", "invalid_boolean"),
        ("ordering=random", "invalid_ordering"),
        # PostgreSQL refuses a NUL in text it is sent: it was a 500 there
        ("q=a%00b", "invalid_text"),
        ("uploader=a%00b", "invalid_text"),
        ("assigned_to=a%00b", "invalid_text"),
    ],
)
def test_the_api_refuses_what_it_cannot_read(query, code, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get(f"/api/documents/?{query}")
    assert (response.status_code, response.json()["code"]) == (400, code)


def test_exports_refuse_a_bad_new_flag_instead_of_reading_it_as_no(supervisor):
    client = APIClient()
    client.force_authenticate(supervisor)
    response = client.get("/api/exports/json/?new=perhaps")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_boolean")


@seed(20261130)
@hypothesis_settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(max_size=8))
def test_booleans_read_the_same_everywhere(text):
    """One parser: the documented spellings, any case and spacing; nothing else passes for false."""
    normal = text.strip().lower()
    if normal in ("1", "true", "yes", "on"):
        assert parse_bool(text) is True
    elif normal in ("0", "false", "no", "off"):
        assert parse_bool(text) is False
    elif normal == "":
        assert parse_bool(text, default=True) is True
    else:
        with pytest.raises(ParameterError):
            parse_bool(text)


def test_no_parameters_is_no_filter():
    filters = filters_from({}, API_PARAMETERS)
    assert filters == DocumentFilters() and not filters.active
