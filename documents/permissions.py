from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from documents.roles import is_reviewer, is_supervisor


def reviewer_required(view):
    """Anonymous users go to the login page; signed-in users without a role get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_reviewer(request.user):
            raise PermissionDenied(_("Your account has no role in ocrportal. Ask a supervisor for access."))
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_supervisor(request.user):
            raise PermissionDenied(_("Only supervisors may do this."))
        return view(request, *args, **kwargs)

    return wrapper


class IsReviewer(BasePermission):
    message = gettext_lazy("Your account has no role in ocrportal. Ask a supervisor for access.")

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)


class IsSupervisor(BasePermission):
    message = gettext_lazy("Only supervisors may do this.")

    def has_permission(self, request, view) -> bool:
        return is_supervisor(request.user)
