from django.db import transaction

from documents.models import Template


@transaction.atomic
def template_register(*, template_id: int, name: str) -> Template:
    """Make a template known to the portal by its OCR id and name (new, or renamed)."""
    template, _ = Template.objects.update_or_create(id=template_id, defaults={"name": name})
    return template
