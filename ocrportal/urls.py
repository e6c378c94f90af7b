from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from documents.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("documents.api.urls")),
    # The built-in CLOVA-compatible engine; the portal reaches it only over HTTP, like CLOVA.
    path("ocr/local/", include("ocrengine.urls")),
    path("", include("documents.urls")),
]

# A post with too many files is refused while the CSRF check reads it: the coded answer comes from here.
handler400 = "documents.uploads.bad_request"
