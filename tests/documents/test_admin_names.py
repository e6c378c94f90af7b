"""The admin speaks the user's language: every model, every field and every column of the portal's admin pages
is marked for translation, so the Korean admin can be wholly Korean once the catalogue has the words."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.utils.functional import Promise

from documents.models import FieldEdit

pytestmark = pytest.mark.django_db


def is_marked(text) -> bool:
    return isinstance(text, Promise)


def test_every_model_and_field_of_the_portal_has_a_translatable_name():
    documents = apps.get_app_config("documents")
    unmarked = [
        f"{model.__name__}.{name}"
        for model in documents.get_models()
        for name, text in [
            ("verbose_name", model._meta.verbose_name),
            ("verbose_name_plural", model._meta.verbose_name_plural),
        ]
        if not is_marked(text)
    ]
    unmarked += [
        f"{model.__name__}.{field.name}"
        for model in documents.get_models()
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and not is_marked(field.verbose_name)
        and model in admin.site._registry  # the pages a supervisor reads
    ]  # fmt: skip
    assert is_marked(documents.verbose_name)
    assert unmarked == []


def test_every_column_and_filter_of_the_portal_admin_is_translatable():
    unmarked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "documents":
            continue
        for name in [*model_admin.list_display, *model_admin.list_filter]:
            if not isinstance(name, str) or name == "id":
                continue  # "ID" is Django's own, translated there
            label = label_for_field(name, model, model_admin)
            if not is_marked(label) and not is_marked(
                getattr(getattr(model_admin, name, None), "short_description", "")
            ):
                unmarked.append(f"{model.__name__}.{name}")
    assert unmarked == []


def test_the_korean_admin_names_the_app_and_the_columns_the_catalogue_has_in_korean(supervisor_client, make_document):
    FieldEdit.objects.create(document=make_document(name="a.png"), field_name="name", action="text", version=2)
    index = supervisor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    edits = supervisor_client.get("/admin/documents/fieldedit/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert 'class="section">문서</a>' in index  # the app; its models' plurals are new words for the catalogue
    assert '<th scope="col" class="column-document_link">' in edits
    assert "문서" in edits.split('class="column-document_link"')[1].split("</th>")[0]
