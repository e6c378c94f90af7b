import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from documents.roles import REVIEWER, SUPERVISOR
from documents.services import document_upload
from tests import samples

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted or [])


class ReviewerFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted if extracted is not None else [REVIEWER])


class SupervisorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted if extracted is not None else [SUPERVISOR])


def _add_roles(user, names) -> None:
    for name in names:
        user.groups.add(Group.objects.get_or_create(name=name)[0])


class DocumentFactory(factory.Factory):
    """Documents are made the way users make them: through the upload service."""

    class Meta:
        model = dict  # replaced by _create

    content = factory.LazyFunction(lambda: samples.png(text="factory"))
    name = factory.Sequence(lambda n: f"scan-{n}.png")
    uploaded_by = factory.SubFactory(ReviewerFactory)
    mode = None
    template_ids = None
    langs = None

    @classmethod
    def _create(cls, model_class, *, content, name, **kwargs):
        return document_upload(file=io.BytesIO(content), name=name, **kwargs).document
