"""People in the portal: supervisors add reviewers, turn accounts off and on, change roles and assign documents.

Nobody is ever deleted: edits, decisions and exports keep naming their user. The rules of who may change whom
live here, so the People page, the admin and any later door refuse the same things:
- only a supervisor manages people; only a superuser makes or changes a supervisor;
- superusers are managed in the admin only, and nobody turns themselves off or changes their own role.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from documents.audit import audit
from documents.errors import PortalError
from documents.models import Document, ReviewAction, ReviewEvent
from documents.roles import REVIEWER, ROLE_GROUPS, SUPERVISOR, is_reviewer, is_supervisor

ROLES = (REVIEWER, SUPERVISOR)


class PeopleRefused(PortalError):
    pass


def role_of(user: User) -> str:
    """Supervisor, Reviewer, or "" (no role); superusers count as supervisors."""
    if user.is_superuser or user.groups.filter(name=SUPERVISOR).exists():
        return SUPERVISOR
    return REVIEWER if user.groups.filter(name=REVIEWER).exists() else ""


def _check_actor(actor: User) -> None:
    if not is_supervisor(actor):
        raise PeopleRefused("not_supervisor", _("Only supervisors may manage people."))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise PeopleRefused("invalid_role", _("Choose a role: Reviewer or Supervisor."))


def _check_may_change(actor: User, person: User) -> None:
    _check_actor(actor)
    if person.is_superuser:
        raise PeopleRefused("superuser", _("Superusers are managed in the admin, by a superuser."))
    if person.pk == actor.pk:
        raise PeopleRefused("self", _("You cannot change your own account here; ask another supervisor."))
    if role_of(person) == SUPERVISOR and not actor.is_superuser:
        raise PeopleRefused("supervisor", _("Only a superuser may change a supervisor."))


def _role_set(person: User, role: str) -> None:
    person.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS))
    person.groups.add(Group.objects.get_or_create(name=role)[0])
    # roles.py caches a user's groups on the object.
    person.__dict__.pop("_ocrportal_groups", None)


@transaction.atomic
def person_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A new account with a role. Raises ValidationError for a bad username or email (by field) or a password
    the site's validators refuse."""
    _check_actor(actor)
    _check_role(role)
    if role == SUPERVISOR and not actor.is_superuser:
        raise PeopleRefused("supervisor", _("Only a superuser may create a supervisor."))
    username = User.normalize_username(username.strip())
    if not username:
        raise PeopleRefused("invalid_username", _("Enter a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise PeopleRefused("username_taken", _("The username %(username)s is taken.") % {"username": username})
    person = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email.strip())
    person.full_clean(exclude=["password"])  # the username's characters and the email's form
    validate_password(password, user=person)
    person.set_password(password)
    # Never staff: supervisors reach the admin through their role, and staff would open it to anyone made so.
    person.is_staff = False
    person.is_superuser = False
    person.save()
    _role_set(person, role)
    audit("person_created", user=person, role=role)
    return person


@transaction.atomic
def person_activate(*, actor: User, person: User, active: bool) -> User:
    """Turn an account off (it can no longer sign in or use its API tokens) or on again."""
    _check_may_change(actor, person)
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        # Knox refuses an inactive user's tokens anyway; ending them too leaves nothing to turn back on.
        for token in AuthToken.objects.filter(user=person):
            token.delete()
        # Their assigned documents go back to everyone, or they would wait for someone who is not coming.
        for document in Document.objects.filter(assigned_to=person):
            _assign(actor=actor, document=document, assignee=None)
        Document.objects.filter(claimed_by=person).update(claimed_by=None, claimed_at=None)
    audit("person_activated" if active else "person_deactivated", user=person)
    return person


@transaction.atomic
def person_role_set(*, actor: User, person: User, role: str) -> User:
    _check_may_change(actor, person)
    _check_role(role)
    if role == SUPERVISOR and not actor.is_superuser:
        raise PeopleRefused("supervisor", _("Only a superuser may make someone a supervisor."))
    before = role_of(person)
    if before != role:
        _role_set(person, role)
        audit("person_role_changed", user=person, role=role, role_before=before)
    return person


def _assign(*, actor: User, document: Document, assignee: User | None) -> bool:
    if document.assigned_to_id == (assignee.pk if assignee else None):
        return False
    Document.objects.filter(pk=document.pk).update(assigned_to=assignee)
    document.assigned_to = assignee
    ReviewEvent.objects.create(
        document=document,
        action=ReviewAction.ASSIGN,
        user=actor,
        # History shows the note after "Assigned": a name, or (as free text, like every note) "nobody".
        note=assignee.get_username() if assignee else _("nobody"),
    )
    audit("document_assigned", user=assignee, document=document.pk)
    return True


def _check_assignee(assignee: User | None) -> None:
    if assignee is not None and not is_reviewer(assignee):
        raise PeopleRefused(
            "invalid_assignee",
            _("%(username)s cannot review: the account is off or has no role.") % {"username": assignee.get_username()},
        )


@transaction.atomic
def document_assign(*, actor: User, document: Document, assignee: User | None) -> Document:
    """Assign a document to a reviewer (None: to nobody). Review next serves it to them and to no one else."""
    _check_actor(actor)
    _check_assignee(assignee)
    _assign(actor=actor, document=document, assignee=assignee)
    return document


@transaction.atomic
def documents_assign(*, actor: User, documents: Iterable[Document], assignee: User | None) -> int:
    """Assign several documents at once (an upload batch, say); returns how many changed hands."""
    _check_actor(actor)
    _check_assignee(assignee)
    return sum(_assign(actor=actor, document=document, assignee=assignee) for document in documents)
