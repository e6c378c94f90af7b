"""Login lockouts in the admin: django-axes' attempts, whose deletion by a supervisor is recorded as an unlock,
and the record of lockouts and unlocks itself (read only)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from documents import lockout
from documents.models import SecurityEvent


class RecordingAccessAttemptAdmin(AccessAttemptAdmin):
    def delete_model(self, request, obj) -> None:
        before = lockout.locked_keys()
        super().delete_model(request, obj)
        lockout.unlocks_record(before=before, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        before = lockout.locked_keys()
        super().delete_queryset(request, queryset)
        lockout.unlocks_record(before=before, actor=request.user)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, RecordingAccessAttemptAdmin)
# DRF's own tokens: its serializer checks passwords for the token door, but its tokens are not ours (knox's are),
# so its admin page would only list tokens that open nothing.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip_address", "actor", "note"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
