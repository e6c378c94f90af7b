"""The audit trail: who logged in, failed, was locked out or unlocked, got or lost a token, or was refused by the
API, from where and when, as one JSON object per log line, and never a password or a token."""

import json
from datetime import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from documents.models import SecurityEvent, SecurityEventKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(caplog):
    caplog.set_level("INFO", logger="ocrportal.audit")

    def events(kind: str | None = None) -> list[dict]:
        records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "ocrportal.audit"]
        return [record for record in records if kind is None or record["event"] == kind]

    events.text = lambda: caplog.text
    return events


def test_a_login_and_a_failed_one_are_recorded_with_who_where_and_when(reviewer, password, trail):
    client = Client()
    client.post("/login/", {"username": reviewer.username, "password": "not-it"}, REMOTE_ADDR="10.1.2.3")
    client.post("/login/", {"username": reviewer.username, "password": password}, REMOTE_ADDR="10.1.2.4")

    [failed] = trail("login_failed")
    [login] = trail("login")
    assert (failed["user"], failed["ip"], failed["door"], failed["path"]) == (
        reviewer.username,
        "10.1.2.3",
        "web",
        "/login/",
    )
    assert (login["user"], login["ip"], login["door"]) == (reviewer.username, "10.1.2.4", "web")
    assert datetime.fromisoformat(login["at"]).utcoffset().total_seconds() == 0
    assert password not in trail.text() and "not-it" not in trail.text()


def test_a_lockout_is_recorded_once_and_a_supervisors_unlock_with_who_did_it(
    reviewer, password, supervisor, supervisor_client, settings, trail
):
    settings.AXES_FAILURE_LIMIT = 3
    for number in range(5):  # two more after the lockout: still one lockout
        Client().post("/login/", {"username": reviewer.username, "password": "x"}, REMOTE_ADDR=f"10.0.0.{number}")
    [lockout] = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKOUT)
    assert lockout.username == reviewer.username and "after 3 failed logins" in lockout.note
    assert len(trail("locked_out")) == 1

    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    answer = supervisor_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert answer.status_code == 302
    unlocks = SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCK)
    assert [(event.username, event.actor) for event in unlocks if event.username] == [(reviewer.username, supervisor)]
    assert trail("unlocked")[0]["actor"] == supervisor.username
    assert Client().post("/login/", {"username": reviewer.username, "password": password}).status_code == 302
    listing = supervisor_client.get("/admin/documents/securityevent/")
    assert listing.status_code == 200 and reviewer.username in listing.content.decode()
    assert supervisor_client.get(f"/admin/documents/securityevent/{lockout.pk}/delete/").status_code == 403


def test_deleting_an_attempt_that_locked_nothing_records_no_unlock(reviewer, supervisor_client):
    Client().post("/login/", {"username": reviewer.username, "password": "x"})
    [attempt] = AccessAttempt.objects.all()

    supervisor_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCK).exists()


def test_tokens_issued_and_ended_are_recorded_by_a_name_that_is_not_the_token(reviewer, password, trail):
    client = Client()
    token = client.post("/api/auth/token/", {"username": reviewer.username, "password": password}).json()["token"]
    client.post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}")

    [issued] = trail("token_issued")
    [revoked] = trail("token_revoked")
    assert issued["user"] == revoked["user"] == reviewer.username
    assert issued["token"] == revoked["token"] and len(issued["token"]) == 8
    assert revoked["actor"] == reviewer.username
    assert token not in trail.text() and token[:8] not in trail.text() and password not in trail.text()


def test_a_password_change_ending_tokens_is_recorded(reviewer, password, supervisor_client, trail):
    Client().post("/api/auth/token/", {"username": reviewer.username, "password": password})
    reviewer.set_password("a-new-long-password-1")
    reviewer.save()

    [revoked] = trail("token_revoked")
    assert revoked["user"] == reviewer.username


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("nobody", 401, "not_authenticated"), ("outsider", 403, "permission_denied")],
)
def test_refused_api_calls_are_recorded(who, status, code, outsider, password, trail):
    headers = {}
    if who == "outsider":
        token = Client().post("/api/auth/token/", {"username": outsider.username, "password": password})
        headers["HTTP_AUTHORIZATION"] = f"Token {token.json()['token']}"

    answer = Client().get("/api/documents/", REMOTE_ADDR="10.7.7.7", **headers)

    assert answer.status_code == status
    [refused] = trail("api_refused")
    assert (refused["status"], refused["code"], refused["ip"], refused["path"]) == (
        status,
        code,
        "10.7.7.7",
        "/api/documents/",
    )
    assert refused["user"] == (outsider.username if who == "outsider" else None)


def test_a_new_lockout_after_an_unlock_is_recorded_again(reviewer, supervisor_client, settings):
    settings.AXES_FAILURE_LIMIT = 2

    def lock() -> None:
        for number in range(2):
            Client().post("/login/", {"username": reviewer.username, "password": "x"}, REMOTE_ADDR=f"10.3.{number}.1")

    lock()
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    supervisor_client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": attempts, "post": "yes"}
    )
    lock()

    kinds = SecurityEvent.objects.filter(username=reviewer.username).order_by("at", "id").values_list("kind", flat=True)
    assert list(kinds) == ["lockout", "unlock", "lockout"]


def test_tries_at_a_locked_api_door_are_recorded(reviewer, password, settings, trail):
    settings.AXES_FAILURE_LIMIT = 2
    for number in range(3):
        Client().post("/api/auth/token/", {"username": reviewer.username, "password": f"wrong-{number}"})

    assert [event["locked_out"] for event in trail("login_failed")] == [False, True, True]


def test_an_address_a_login_unlocks_is_recorded_and_its_next_lockout_too(reviewer, password, settings):
    """An address locked by failures partly at one account is unlocked when that account logs in elsewhere
    (its failures are forgotten): recorded, so that the address's next lockout is a new one."""
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("ghost", "ghost", reviewer.username):
        Client().post("/login/", {"username": name, "password": "x"}, REMOTE_ADDR="10.8.8.8")
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKOUT, ip_address="10.8.8.8").count() == 1

    Client().post("/login/", {"username": reviewer.username, "password": password}, REMOTE_ADDR="10.9.9.9")
    Client().post("/login/", {"username": "ghost", "password": "x"}, REMOTE_ADDR="10.8.8.8")

    events = SecurityEvent.objects.filter(ip_address="10.8.8.8").order_by("at", "id")
    assert [(event.kind, event.note) for event in events] == [
        ("lockout", events[0].note),
        ("unlock", f"{reviewer.username} logged in"),
        ("lockout", events[2].note),
    ]
