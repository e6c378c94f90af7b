from django.urls import path

from ocrengine import views

app_name = "ocrengine"

urlpatterns = [
    path("infer", views.infer, name="infer"),
    path("general", views.general, name="general"),
]
