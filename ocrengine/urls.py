from django.urls import path

from ocrengine import template_api, views

app_name = "ocrengine"

urlpatterns = [
    path("infer", views.infer, name="infer"),
    path("general", views.general, name="general"),
    path("templates/try", template_api.template_try, name="template-try"),
    path("templates/<int:template_id>", template_api.template, name="template"),
]
