"""Who may do what. Reviewers work the queue; supervisors also administer; everyone else sees nothing."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser

REVIEWER = "Reviewer"
SUPERVISOR = "Supervisor"
ROLE_GROUPS = (REVIEWER, SUPERVISOR)


def _groups(user) -> set[str]:
    # Cached on the user object: a page asks several times per request.
    if not hasattr(user, "_ocrportal_groups"):
        user._ocrportal_groups = set(user.groups.values_list("name", flat=True))
    return user._ocrportal_groups


def is_supervisor(user: "AbstractUser | AnonymousUser") -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or SUPERVISOR in _groups(user)


def is_reviewer(user: "AbstractUser | AnonymousUser") -> bool:
    """Reviewers, and supervisors, who can do all a reviewer can."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(_groups(user) & set(ROLE_GROUPS))


# Model permissions each group holds, so the admin shows supervisors what they may manage.
GROUP_PERMISSIONS = {
    REVIEWER: ["documents.view_document", "documents.review_document", "documents.view_page"],
    SUPERVISOR: [
        "documents.view_document",
        "documents.change_document",
        "documents.delete_document",
        "documents.review_document",
        "documents.view_page",
        "documents.view_ocrcall",
        "documents.view_template",
        "documents.change_template",
        "documents.view_templatefield",
        "documents.add_templatefield",
        "documents.change_templatefield",
        "documents.delete_templatefield",
        "documents.view_fieldedit",
        "documents.view_reviewevent",
        "documents.view_exportbatch",
        "auth.view_user",
        "auth.view_group",
        # Login throttling (django-axes): failed logins and lockouts to see; deleting a lockout unlocks.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
        "documents.view_securityevent",
        # API tokens (django-rest-knox): seen by user, created and expiry; deleting one revokes it.
        "knox.view_authtoken",
        "knox.delete_authtoken",
    ],
}


def roles_ensure() -> None:
    """Create the role groups with their permissions; run after every migrate, idempotent."""
    from django.contrib.auth.models import Group, Permission

    for group_name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted: list[Permission] = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted += Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*wanted)
