from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, **kwargs) -> None:
    from documents.roles import roles_ensure

    roles_ensure()


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # Permissions exist only after migrate, so the groups are set up then, not in a migration.
        post_migrate.connect(_ensure_roles, sender=self)
        # Registers the Celery tasks in every process, so services can queue them by name (jobs.py).
        from django.conf import settings

        from documents import audit, lockout, tasks, tokens  # noqa: F401
        from ocrportal.celery import embedded_broker_prepare

        embedded_broker_prepare(settings.CELERY_BROKER_URL)
        tokens.connect()
        audit.connect()
        lockout.connect()
