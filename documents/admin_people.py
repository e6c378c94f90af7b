"""The admin's user pages, where only a superuser adds or edits accounts.

Supervisors manage people on the People page instead: Django's user form would let whoever may add users
also tick "staff" or "superuser", or give themselves any group, so it stays a superuser's tool and a
supervisor who opens it is sent to the page that only does what supervisors may.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from documents.roles import is_supervisor

User = get_user_model()


class PortalUserAdmin(UserAdmin):
    def has_add_permission(self, request) -> bool:
        # The Add button shows for supervisors too; it leads them to the People page.
        return request.user.is_superuser or is_supervisor(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        if not request.user.is_superuser:
            messages.info(request, _("Supervisors add, turn off and change people on the People page."))
            return redirect("documents:people")
        return super().add_view(request, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if not request.user.is_superuser:
            messages.info(request, _("Supervisors add, turn off and change people on the People page."))
        return super().changelist_view(request, extra_context)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
