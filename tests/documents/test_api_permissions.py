"""Every API call, for every kind of user: anonymous 401, no role 403, reviewers all but the supervisors' calls."""

import pytest
from rest_framework.test import APIClient

from documents.models import Field, Template
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db

REVIEWER_CALLS = [
    ("get", "/api/documents/", None),
    ("post", "/api/documents/", {}),
    ("get", "/api/documents/{document}/", None),
    ("post", "/api/documents/{document}/claim/", {}),
    ("delete", "/api/documents/{document}/claim/", None),
    ("patch", "/api/fields/{field}/", {"value": "x", "version": 1}),
    ("post", "/api/fields/{field}/revert/", {"version": 2}),
    ("post", "/api/documents/{document}/send-back/", {"reason": "x"}),
    ("post", "/api/documents/{document}/reject/", {"reason": "x"}),
    ("post", "/api/documents/{document}/approve/", {}),
    ("get", "/api/templates/", None),
    ("get", "/api/templates/390/", None),
    ("get", "/api/schema/", None),
    ("get", "/api/docs/", None),
]
SUPERVISOR_CALLS = [
    ("post", "/api/documents/{document}/retry/", {}),
    ("get", "/api/exports/csv/", None),
    ("get", "/api/exports/json/", None),
    ("get", "/api/exports/", None),
    ("post", "/api/exports/", {"shape": "wide"}),
    ("get", "/api/exports/{batch}/", None),
    ("get", "/api/exports/{batch}/download/", None),
]
ALL_CALLS = REVIEWER_CALLS + SUPERVISOR_CALLS


@pytest.fixture
def ids(make_document, replay, supervisor):
    from documents.models import ExportBatch

    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="claim.png")
    assert Template.objects.filter(pk=390).exists()
    batch = ExportBatch.objects.create(created_by=supervisor)
    return {
        "document": document.pk,
        "field": Field.objects.get(page__document=document, name="name").pk,
        "batch": batch.pk,
    }


def call(user, method: str, url: str, data, ids: dict):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return getattr(client, method)(url.format(**ids), data, format="json" if data else None)


@pytest.mark.parametrize(("method", "url", "data"), ALL_CALLS, ids=[f"{m} {u}" for m, u, _ in ALL_CALLS])
def test_anonymous_gets_401(ids, method, url, data):
    assert call(None, method, url, data, ids).status_code == 401


@pytest.mark.parametrize(("method", "url", "data"), ALL_CALLS, ids=[f"{m} {u}" for m, u, _ in ALL_CALLS])
def test_a_user_without_a_role_gets_403(ids, outsider, method, url, data):
    assert call(outsider, method, url, data, ids).status_code == 403


@pytest.mark.parametrize(("method", "url", "data"), SUPERVISOR_CALLS, ids=[f"{m} {u}" for m, u, _ in SUPERVISOR_CALLS])
def test_reviewers_get_403_for_supervisors_calls(ids, reviewer, method, url, data):
    assert call(reviewer, method, url, data, ids).status_code == 403


def test_reviewers_and_supervisors_reach_their_calls(ids, reviewer, supervisor):
    # In order: the review calls change the document's state step by step, each one must be let through.
    for user, calls in ((reviewer, REVIEWER_CALLS), (supervisor, SUPERVISOR_CALLS)):
        for method, url, data in calls:
            status = call(user, method, url, data, ids).status_code
            assert status not in (401, 403, 404, 405), (user.username, method, url, status)
