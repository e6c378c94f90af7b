"""Password guessing is throttled on every login door, per account and per address (django-axes)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

DOORS = {
    "web": ("/login/", lambda user, password: {"username": user, "password": password}),
    "api": ("/api/auth/token/", lambda user, password: {"username": user, "password": password}),
    "admin": ("/admin/login/", lambda user, password: {"username": user, "password": password, "next": "/admin/"}),
}


def attempt(client: Client, door: str, username: str, password: str, address: str = "10.0.0.1"):
    url, body = DOORS[door]
    return client.post(url, body(username, password), REMOTE_ADDR=address)


def succeeded(door: str, response) -> bool:
    return response.status_code == 200 and "token" in response.json() if door == "api" else response.status_code == 302


@pytest.mark.parametrize("door", DOORS)
def test_an_account_is_locked_after_the_limit_and_released_after_the_cool_off(door, supervisor, password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for number in range(2):
        assert attempt(client, door, supervisor.username, f"wrong-{number}", f"10.0.0.{number}").status_code != 429
    assert attempt(client, door, supervisor.username, "wrong-2", "10.0.0.2").status_code == 429, "the third locks"

    locked = attempt(client, door, supervisor.username, password, "10.0.0.99")  # the right one, elsewhere

    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60
    text = locked.content.decode()
    assert "Too many failed logins" in text and "15 minutes" in text
    if door == "api":
        assert locked.json()["code"] == "locked_out"

    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert succeeded(door, attempt(client, door, supervisor.username, password, "10.0.0.99"))


def test_an_address_guessing_many_accounts_is_locked(supervisor, reviewer, password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for name in ("alice", "bob", "carol"):
        attempt(client, "web", name, "guess", "10.9.9.9")

    assert attempt(client, "web", reviewer.username, password, "10.9.9.9").status_code == 429
    assert succeeded("web", attempt(Client(), "web", reviewer.username, password, "10.1.1.1"))


def test_failures_and_lockouts_are_listed_for_supervisors(supervisor, supervisor_client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(Client(), "api", supervisor.username, "wrong")

    page = supervisor_client.get("/admin/axes/accessattempt/")

    assert page.status_code == 200 and supervisor.username in page.content.decode()


def test_behind_a_proxy_the_address_counted_is_the_one_the_proxy_saw(rf, settings):
    from documents.lockout import client_ip

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="10.0.0.2")

    assert client_ip(request) == "203.0.113.7", "not what the client wrote in the header"
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"
