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
    from documents.client_address import client_ip

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="10.0.0.2")

    assert client_ip(request) == "203.0.113.7", "not what the client wrote in the header"
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"


@pytest.mark.parametrize("door", DOORS)
def test_another_accounts_login_from_the_same_address_does_not_forget_the_failures(
    door, supervisor, reviewer, password, settings
):
    """axes' own reset-on-success forgot every failure from the address: a guesser with an account of their
    own could log in between guesses and never be locked."""
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for round_ in range(2):
        attempt(client, door, reviewer.username, f"wrong-{round_}", "10.5.5.5")
        assert succeeded(door, attempt(Client(), door, supervisor.username, password, "10.5.5.5"))
    attempt(client, door, reviewer.username, "wrong-2", "10.5.5.6")

    assert attempt(Client(), door, reviewer.username, password, "10.5.5.7").status_code == 429


@pytest.mark.parametrize("door", DOORS)
def test_a_successful_login_forgets_that_accounts_own_failures(door, supervisor, password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for number in range(2):
        attempt(Client(), door, supervisor.username, f"wrong-{number}")
    assert succeeded(door, attempt(Client(), door, supervisor.username, password))
    for number in range(2):
        attempt(Client(), door, supervisor.username, f"wrong-again-{number}")

    assert succeeded(door, attempt(Client(), door, supervisor.username, password))


def test_the_api_door_trims_the_name_as_the_login_does_and_stays_locked(supervisor, password, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for number in range(2):
        attempt(Client(), "api", supervisor.username, f"wrong-{number}")

    locked = Client().post("/api/auth/token/", {"username": f" {supervisor.username} ", "password": password})

    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"


@pytest.mark.parametrize("forwarded", ["unknown", "1.2.3.4:5678", "<script>", "1.2.3.4.5"])
def test_a_forwarded_address_that_is_not_an_address_is_not_taken(rf, settings, forwarded, supervisor, password):
    from documents.client_address import client_ip

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
    answer = Client().post(
        "/api/auth/token/",
        {"username": supervisor.username, "password": "wrong"},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR="10.0.0.3",
    )
    assert answer.status_code == 400


def test_an_ipv6_zone_is_not_an_address(rf, settings):
    from documents.client_address import client_ip

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="fe80::1%" + "a" * 60, REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
