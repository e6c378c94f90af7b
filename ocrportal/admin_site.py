from django.contrib import admin
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from documents.roles import is_supervisor


class PortalAdminSite(admin.AdminSite):
    site_header = _("ocrportal administration")
    site_title = _("ocrportal admin")
    index_title = _("Administration")
    site_url = "/"

    def has_permission(self, request) -> bool:
        return request.user.is_active and (request.user.is_staff or is_supervisor(request.user))

    def get_urls(self):
        from documents.admin_extra import ocr_settings_view

        return [path("ocr-settings/", self.admin_view(ocr_settings_view), name="ocr-settings"), *super().get_urls()]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is None and is_supervisor(request.user):
            apps.append(
                {
                    "name": _("Configuration"),
                    "app_label": "configuration",
                    "app_url": reverse("admin:ocr-settings"),
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": _("OCR settings"),
                            "object_name": "ocrsettings",
                            "admin_url": reverse("admin:ocr-settings"),
                            "view_only": True,
                            "perms": {"view": True},
                        }
                    ],
                }
            )
        return apps
