"""Every URL that shows or takes documents, for every kind of user."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests import samples

pytestmark = pytest.mark.django_db

GET_URLS = [
    ("list", "/"),
    ("upload page", "/upload/"),
    ("detail", "/documents/{id}/"),
    ("original", "/documents/{id}/original"),
    ("page image", "/documents/{id}/pages/0/image"),
    ("thumbnail", "/documents/{id}/pages/0/thumbnail"),
    ("api list", "/api/documents/"),
    ("api detail", "/api/documents/{id}/"),
    ("api schema", "/api/schema/"),
]
ROLE_EXPECTATIONS = {"supervisor": 200, "reviewer": 200, "outsider": 403}


@pytest.fixture
def document(make_document):
    return make_document(content=samples.png(), name="claim.png")


@pytest.fixture
def clients(supervisor_client, reviewer_client, outsider_client, anonymous_client):
    return {
        "supervisor": supervisor_client,
        "reviewer": reviewer_client,
        "outsider": outsider_client,
        "anonymous": anonymous_client,
    }


@pytest.mark.parametrize(("label", "url"), GET_URLS, ids=[label for label, _ in GET_URLS])
@pytest.mark.parametrize("role", ["supervisor", "reviewer", "outsider"])
def test_signed_in_users_see_what_their_role_allows(clients, document, role, label, url):
    response = clients[role].get(url.format(id=document.pk))

    assert response.status_code == ROLE_EXPECTATIONS[role]


@pytest.mark.parametrize(("label", "url"), GET_URLS, ids=[label for label, _ in GET_URLS])
def test_anonymous_users_are_sent_to_log_in(anonymous_client, document, label, url):
    response = anonymous_client.get(url.format(id=document.pk))

    if url.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(
    "url",
    [
        "/documents/999999/",
        "/documents/999999/original",
        "/documents/999999/pages/0/image",
        "/documents/{id}/pages/7/image",
        "/documents/{id}/pages/7/thumbnail",
        "/api/documents/999999/",
    ],
)
def test_a_reviewer_gets_404_for_what_does_not_exist(reviewer_client, document, url):
    assert reviewer_client.get(url.format(id=document.pk)).status_code == 404


def test_an_outsider_gets_403_not_404_for_missing_documents(outsider_client):
    # Nothing about which ids exist leaks to users without a role.
    assert outsider_client.get("/documents/999999/pages/0/image").status_code == 403


def test_an_outsider_cannot_upload(outsider_client, outsider, password):
    web = outsider_client.post("/upload/", {"file": SimpleUploadedFile("a.png", samples.png())})
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": outsider.username, "password": password}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    by_token = api.post("/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png())}, format="multipart")

    assert (web.status_code, by_token.status_code) == (403, 403)


def test_anonymous_users_cannot_upload_through_the_api(anonymous_client):
    response = anonymous_client.post("/api/documents/", {"file": SimpleUploadedFile("a.png", samples.png())})

    assert response.status_code == 401


def test_a_deactivated_reviewer_loses_access(reviewer, reviewer_client):
    reviewer.is_active = False
    reviewer.save()

    assert reviewer_client.get("/").status_code == 302


def test_only_supervisors_reach_the_admin(supervisor_client, reviewer_client, outsider_client):
    assert supervisor_client.get("/admin/").status_code == 200
    assert reviewer_client.get("/admin/").status_code == 302
    assert outsider_client.get("/admin/").status_code == 302


SECURITY_ADMIN_PAGES = [
    "/admin/axes/accessattempt/",
    "/admin/axes/accessfailurelog/",
    "/admin/axes/accesslog/",
    "/admin/knox/authtoken/",
    "/admin/documents/securityevent/",
]


@pytest.mark.parametrize("url", SECURITY_ADMIN_PAGES)
def test_only_supervisors_see_logins_lockouts_and_tokens(url, supervisor_client, reviewer_client, anonymous_client):
    assert supervisor_client.get(url).status_code == 200
    assert reviewer_client.get(url).status_code == 302
    assert anonymous_client.get(url).status_code == 302


def test_healthz_is_public_and_says_nothing_private(anonymous_client):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "app": True, "database": True, "broker": True, "storage": True}
