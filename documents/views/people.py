"""The People page and document assignment: forms in, services do the work, messages out."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from documents.models import Document, DocumentStatus, UploadBatch
from documents.params import whole_number
from documents.permissions import supervisor_required
from documents.roles import REVIEWER, SUPERVISOR
from documents.services.claims import REVIEWABLE
from documents.services.people import (
    PeopleRefused,
    document_assign,
    documents_assign,
    person_activate,
    person_create,
    person_role_set,
    role_of,
)

DECIDED = (DocumentStatus.APPROVED, DocumentStatus.REJECTED)
ROLE_CHOICES = [(REVIEWER, gettext_lazy("Reviewer")), (SUPERVISOR, gettext_lazy("Supervisor"))]


class PersonForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    password = forms.CharField(
        label=gettext_lazy("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Give it to them in person; they can change it after signing in."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLE_CHOICES, initial=REVIEWER)

    def __init__(self, *args, supervisors: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not supervisors:  # the service refuses it too; the menu need not offer it
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)
            role.choices = ROLE_CHOICES[:1]


def _people_page(request, form: PersonForm, status: int = 200):
    people = (
        get_user_model()
        .objects.prefetch_related("groups")
        .annotate(assigned=Count("assigned_documents", filter=Q(assigned_documents__status__in=REVIEWABLE)))
        .order_by("-is_active", "username")
    )
    rows = [{"person": person, "role": role_of(person)} for person in people]
    return render(
        request,
        "documents/people.html",
        {"rows": rows, "form": form, "roles": ROLE_CHOICES, "may_make_supervisors": request.user.is_superuser},
        status=status,
    )


@require_GET
@supervisor_required
def people(request):
    return _people_page(request, PersonForm(supervisors=request.user.is_superuser))


@require_POST
@supervisor_required
def person_add(request):
    form = PersonForm(request.POST, supervisors=request.user.is_superuser)
    if form.is_valid():
        try:
            person = person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:  # the model's own checks (by field), or the password validators
            form.add_error(None if hasattr(error, "error_dict") else "password", error)
        except PeopleRefused as error:
            form.add_error("role" if error.code == "supervisor" else "username", error.message)
        else:
            messages.success(
                request, _("%(username)s can now sign in as %(role)s.") % {
                    "username": person.get_username(), "role": dict(ROLE_CHOICES)[form.cleaned_data["role"]]
                }
            )  # fmt: skip
            return redirect("documents:people")
    return _people_page(request, form, status=400)


def _person_change(request, person_id: int, change) -> None:
    person = get_object_or_404(get_user_model(), pk=person_id)
    try:
        change(person)
    except PeopleRefused as error:
        messages.error(request, error.message)


@require_POST
@supervisor_required
def person_active(request, person_id: int):
    active = request.POST.get("active") == "1"

    def change(person):
        person_activate(actor=request.user, person=person, active=active)
        done = _("%(username)s can sign in again.") if active else _("%(username)s can no longer sign in.")
        messages.success(request, done % {"username": person.get_username()})

    _person_change(request, person_id, change)
    return redirect("documents:people")


@require_POST
@supervisor_required
def person_role(request, person_id: int):
    def change(person):
        person_role_set(actor=request.user, person=person, role=request.POST.get("role", ""))
        messages.success(request, _("%(username)s's role is saved.") % {"username": person.get_username()})

    _person_change(request, person_id, change)
    return redirect("documents:people")


def _assignee(request):
    """The chosen reviewer, or None for "nobody"; an unknown id is a refusal, not "nobody"."""
    raw = request.POST.get("assignee", "")
    if not raw:
        return None
    # whole_number, not str.isdigit: "²" passes isdigit and then breaks int(), an id past the column's range
    # breaks PostgreSQL's query.
    pk = whole_number(raw)
    if pk is None:
        raise PeopleRefused("invalid_assignee", _("Choose a reviewer from the list."))
    assignee = get_user_model().objects.filter(pk=pk).first()
    if assignee is None:
        raise PeopleRefused("invalid_assignee", _("Choose a reviewer from the list."))
    return assignee


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@require_POST
@supervisor_required
def assign(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    try:
        assignee = _assignee(request)
        document_assign(actor=request.user, document=document, assignee=assignee)
    except PeopleRefused as error:
        messages.error(request, error.message)
    else:
        if assignee is None:
            messages.success(request, _("%(name)s is assigned to nobody.") % {"name": document.display_name})
        else:
            messages.success(request, _("%(name)s is assigned to %(username)s.") % {
                "name": document.display_name, "username": assignee.get_username()
            })  # fmt: skip
    return _back(request, reverse("documents:detail", args=[document.pk]))


@require_POST
@supervisor_required
def batch_assign(request, batch_uuid):
    batch = get_object_or_404(UploadBatch, uuid=batch_uuid)
    try:
        assignee = _assignee(request)
        # Decided documents keep who they were for: only those still to review change hands.
        count = documents_assign(
            actor=request.user, documents=batch.documents.exclude(status__in=DECIDED), assignee=assignee
        )
    except PeopleRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)d document(s) assigned.") % {"count": count})
    return _back(request, "documents:list")
