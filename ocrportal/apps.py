from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "ocrportal.admin_site.PortalAdminSite"
