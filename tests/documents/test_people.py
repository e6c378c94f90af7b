"""People in the portal: supervisors add reviewers, turn accounts off and on and change roles, within limits;
the admin's user pages stay a superuser's tool."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from documents.roles import REVIEWER, SUPERVISOR, is_reviewer, is_supervisor
from documents.services.people import PeopleRefused, person_activate, person_create, person_role_set
from tests.factories import PASSWORD, SupervisorFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-long-new-password-77"


@pytest.fixture
def superuser(db):
    return UserFactory(username="susan-superuser", is_superuser=True, is_staff=True)


@pytest.fixture
def superuser_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def trail(caplog):
    caplog.set_level("INFO", logger="ocrportal.audit")
    return lambda kind: [
        record
        for record in (json.loads(r.getMessage()) for r in caplog.records if r.name == "ocrportal.audit")
        if record["event"] == kind
    ]


def add(client, role=REVIEWER, username="nina-new", password=NEW_PASSWORD):
    return client.post(
        "/people/add",
        {"username": username, "first_name": "Nina", "last_name": "Park", "email": "nina@example.com",
         "password": password, "role": role},
    )  # fmt: skip


def can_sign_in(username: str, password: str) -> bool:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def token_answer(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/documents/").status_code


def token_for(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_reviewers_outsiders_and_strangers_cannot_open_or_use_the_people_page(
    reviewer_client, outsider_client, anonymous_client, supervisor
):
    for client in (reviewer_client, outsider_client):
        assert client.get("/people/").status_code == 403
        assert add(client).status_code == 403
        assert client.post(f"/people/{supervisor.pk}/active", {"active": "0"}).status_code == 403
        assert client.post(f"/people/{supervisor.pk}/role", {"role": REVIEWER}).status_code == 403
    assert anonymous_client.get("/people/")["Location"].startswith("/login/")
    assert not User.objects.filter(username="nina-new").exists()
    supervisor.refresh_from_db()
    assert supervisor.is_active and is_supervisor(supervisor)


def test_the_people_link_is_in_the_navigation_for_supervisors_only(supervisor_client, reviewer_client):
    assert 'href="/people/"' in supervisor_client.get("/").content.decode()
    assert 'href="/people/"' not in reviewer_client.get("/").content.decode()


def test_a_supervisor_adds_a_reviewer_who_can_then_sign_in(supervisor_client, trail):
    response = add(supervisor_client)

    assert response.status_code == 302 and response["Location"] == "/people/"
    person = User.objects.get(username="nina-new")
    assert (person.first_name, person.last_name, person.email) == ("Nina", "Park", "nina@example.com")
    assert is_reviewer(person) and not is_supervisor(person)
    assert not person.is_staff and not person.is_superuser
    assert can_sign_in("nina-new", NEW_PASSWORD)
    [event] = trail("person_created")
    assert (event["user"], event["actor"], event["role"]) == ("nina-new", "sally-supervisor", REVIEWER)
    page = supervisor_client.get("/people/").content.decode()
    assert 'data-username="nina-new"' in page


def test_a_weak_or_taken_password_or_name_is_refused_with_the_reason(supervisor_client, reviewer):
    weak = add(supervisor_client, password="12345678")
    taken = add(supervisor_client, username=reviewer.username.upper())
    spaced = add(supervisor_client, username="nina new")

    assert weak.status_code == 400 and "This password is too common." in weak.content.decode()
    assert spaced.status_code == 400 and "Enter a valid username." in spaced.content.decode()
    assert taken.status_code == 400 and "is taken" in taken.content.decode()
    assert not User.objects.filter(username="nina-new").exists()


def test_a_supervisor_cannot_create_a_supervisor_but_a_superuser_can(supervisor_client, superuser_client):
    refused = add(supervisor_client, role=SUPERVISOR, username="sam")
    made = add(superuser_client, role=SUPERVISOR, username="sam")

    assert refused.status_code == 400
    assert made.status_code == 302
    sam = User.objects.get(username="sam")
    assert is_supervisor(sam) and not sam.is_staff and not sam.is_superuser
    offered = supervisor_client.get("/people/").context["form"].fields["role"].choices
    assert [value for value, _label in offered] == [REVIEWER]


def test_a_supervisor_cannot_turn_off_themselves_a_superuser_or_another_supervisor(
    supervisor, supervisor_client, superuser
):
    other = SupervisorFactory(username="stan-supervisor")
    for person, why in (
        (supervisor, "You cannot change your own account here"),
        (superuser, "Superusers are managed in the admin"),
        (other, "Only a superuser may change a supervisor"),
    ):
        response = supervisor_client.post(f"/people/{person.pk}/active", {"active": "0"}, follow=True)
        assert response.status_code == 200
        [message] = response.context["messages"]
        assert message.level_tag == "error" and why in message.message
        person.refresh_from_db()
        assert person.is_active
    assert supervisor_client.post(f"/people/{other.pk}/role", {"role": REVIEWER}).status_code == 302
    assert is_supervisor(User.objects.get(pk=other.pk)), "a supervisor cannot demote another supervisor either"


def test_the_rules_hold_in_the_service_whatever_door_calls_it(supervisor, superuser, reviewer):
    """The People page's menus offer only what is allowed; the service refuses the rest by itself."""
    with pytest.raises(PeopleRefused, match="Only a superuser may create a supervisor"):
        person_create(actor=supervisor, username="sam", password=NEW_PASSWORD, role=SUPERVISOR)
    with pytest.raises(PeopleRefused, match="Only a superuser may make someone a supervisor"):
        person_role_set(actor=supervisor, person=reviewer, role=SUPERVISOR)
    with pytest.raises(PeopleRefused, match="Only supervisors may manage people"):
        person_activate(actor=reviewer, person=supervisor, active=False)
    other = UserFactory(username="root2", is_superuser=True)
    with pytest.raises(PeopleRefused, match="Superusers are managed in the admin"):
        person_activate(actor=superuser, person=other, active=False)
    assert not User.objects.filter(username="sam").exists() and not is_supervisor(reviewer)


def test_a_supervisor_changes_a_reviewers_role_only_within_their_own_rights(
    supervisor_client, superuser_client, reviewer, trail
):
    supervisor_client.post(f"/people/{reviewer.pk}/role", {"role": SUPERVISOR})
    assert not is_supervisor(User.objects.get(pk=reviewer.pk))

    superuser_client.post(f"/people/{reviewer.pk}/role", {"role": SUPERVISOR})
    assert is_supervisor(User.objects.get(pk=reviewer.pk))
    [event] = trail("person_role_changed")
    assert (event["user"], event["role"], event["role_before"]) == (reviewer.username, SUPERVISOR, REVIEWER)


def test_a_turned_off_account_cannot_sign_in_or_use_its_tokens_and_can_be_turned_on_again(
    supervisor_client, reviewer, password, trail
):
    token = token_for(reviewer.username)
    assert token_answer(token) == 200

    supervisor_client.post(f"/people/{reviewer.pk}/active", {"active": "0"})

    reviewer.refresh_from_db()
    assert not reviewer.is_active and User.objects.filter(pk=reviewer.pk).exists()
    assert not can_sign_in(reviewer.username, password)
    assert token_answer(token) == 401
    assert APIClient().post("/api/auth/token/", {"username": reviewer.username, "password": password}).status_code in (
        400,
        401,
        403,
    )
    assert trail("person_deactivated")[0]["user"] == reviewer.username

    supervisor_client.post(f"/people/{reviewer.pk}/active", {"active": "1"})
    assert can_sign_in(reviewer.username, password)


def test_knox_refuses_the_token_of_an_account_turned_off_anywhere(reviewer):
    """Turned off in the admin or the shell, where no token is ended: the token itself must stop working."""
    token = token_for(reviewer.username)
    User.objects.filter(pk=reviewer.pk).update(is_active=False)

    assert AuthToken.objects.filter(user=reviewer).exists()
    assert token_answer(token) == 401


def test_a_signed_in_session_ends_when_the_account_is_turned_off(supervisor_client, reviewer_client, reviewer):
    assert reviewer_client.get("/").status_code == 200

    supervisor_client.post(f"/people/{reviewer.pk}/active", {"active": "0"})

    assert reviewer_client.get("/")["Location"].startswith("/login/")


def test_the_people_forms_refuse_a_post_without_the_csrf_token(supervisor, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)

    assert add(client).status_code == 403
    assert client.post(f"/people/{reviewer.pk}/active", {"active": "0"}).status_code == 403
    assert client.get("/people/active").status_code in (404, 405)
    reviewer.refresh_from_db()
    assert reviewer.is_active and not User.objects.filter(username="nina-new").exists()


def test_the_admins_add_user_sends_a_supervisor_to_the_people_page_and_stays_a_superusers_form(
    supervisor_client, superuser_client, reviewer
):
    sent = supervisor_client.get("/admin/auth/user/add/")
    forged = supervisor_client.post(
        "/admin/auth/user/add/",
        {"username": "mallory", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    edit = supervisor_client.post(
        f"/admin/auth/user/{reviewer.pk}/change/", {"username": reviewer.username, "is_superuser": "on"}
    )

    assert sent.status_code == 302 and sent["Location"] == "/people/"
    assert forged.status_code == 302 and forged["Location"] == "/people/"
    assert edit.status_code == 403
    assert not User.objects.filter(username="mallory").exists()
    reviewer.refresh_from_db()
    assert not reviewer.is_superuser
    assert superuser_client.get("/admin/auth/user/add/").status_code == 200
    assert 'href="/admin/auth/user/add/"' in supervisor_client.get("/admin/auth/user/").content.decode()
