from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from documents.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("documents.api.urls")),
    path("", include("documents.urls")),
]
