from django.contrib import admin

from documents.roles import is_supervisor


class PortalAdminSite(admin.AdminSite):
    site_header = "ocrportal administration"
    site_title = "ocrportal admin"
    index_title = "Administration"
    site_url = "/"

    def has_permission(self, request) -> bool:
        return request.user.is_active and (request.user.is_staff or is_supervisor(request.user))
