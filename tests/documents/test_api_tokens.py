"""API tokens have a life cycle: shown once, ending after their time, revoked by logout, by a password change
and by a supervisor; the browser's session keeps working."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def token_for(user, password) -> str:
    response = APIClient().post("/api/auth/token/", {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def documents_status(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/documents/").status_code


def test_a_token_is_new_each_time_shown_once_and_stored_as_a_digest(reviewer, password):
    first, second = token_for(reviewer, password), token_for(reviewer, password)

    assert first != second
    stored = AuthToken.objects.filter(user=reviewer)
    assert stored.count() == 2 and all(first not in token.digest and token.digest != first for token in stored)


def test_a_token_ends_after_its_time(reviewer, password, settings):
    token = token_for(reviewer, password)
    assert documents_status(token) == 200

    AuthToken.objects.filter(user=reviewer).update(expiry=timezone.now() - timedelta(seconds=1))

    assert documents_status(token) == 401


def test_logout_ends_this_token_and_logout_all_ends_every_one(reviewer, password):
    one, two, three = (token_for(reviewer, password) for _ in range(3))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {one}")

    assert client.post("/api/auth/logout/").status_code == 204
    assert (documents_status(one), documents_status(two)) == (401, 200)
    client.credentials(HTTP_AUTHORIZATION=f"Token {two}")
    assert client.post("/api/auth/logout-all/").status_code == 204
    assert (documents_status(two), documents_status(three)) == (401, 401)


def test_a_password_change_ends_every_token_of_the_user(reviewer, supervisor, password):
    mine, theirs = token_for(reviewer, password), token_for(supervisor, password)

    reviewer.set_password("a-new-long-password-42")
    reviewer.save()

    assert (documents_status(mine), documents_status(theirs)) == (401, 200)
    reviewer.first_name = "Renamed"
    reviewer.save()
    assert documents_status(token_for(reviewer, "a-new-long-password-42")) == 200, "other saves leave tokens be"


def test_a_supervisor_revokes_a_users_token_in_the_admin(reviewer, password, supervisor_client):
    token = token_for(reviewer, password)
    [stored] = AuthToken.objects.filter(user=reviewer)

    listing = supervisor_client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200 and reviewer.username in listing.content.decode()
    assert token not in listing.content.decode()
    response = supervisor_client.post(f"/admin/knox/authtoken/{stored.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302 and documents_status(token) == 401


def test_the_browser_session_still_works(reviewer_client):
    assert reviewer_client.get("/api/documents/").status_code == 200


@pytest.mark.parametrize("url", ["/api/auth/logout/", "/api/auth/logout-all/"])
def test_logout_needs_a_token_and_any_holder_may_end_theirs(url, outsider, password, reviewer_client):
    assert APIClient().post(url).status_code == 401
    assert reviewer_client.post(url).status_code in (401, 403), "a session is not a token"
    token = token_for(outsider, password)  # no role: it may still end its own token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post(url).status_code == 204


@pytest.mark.parametrize("body", ["[]", '"x"', '{"username": [1], "password": {}}'])
def test_a_malformed_login_gets_a_400(body):
    response = APIClient().post("/api/auth/token/", body, content_type="application/json")

    assert response.status_code == 400


def test_logging_in_again_and_again_keeps_only_the_newest_tokens(reviewer, password, settings):
    settings.API_TOKENS_PER_USER = 3
    tokens = [token_for(reviewer, password) for _ in range(5)]

    assert AuthToken.objects.filter(user=reviewer).count() == 3
    assert [documents_status(token) for token in tokens] == [401, 401, 200, 200, 200]


def test_the_admin_lists_only_tokens_that_work(db):
    from django.contrib import admin
    from rest_framework.authtoken.models import TokenProxy

    assert admin.site.is_registered(AuthToken) and not admin.site.is_registered(TokenProxy)
