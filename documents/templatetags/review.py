from django import template

from documents.services.claims import claim_holder

register = template.Library()


@register.filter
def claimant(document):
    """Who is reviewing the document now; None once the claim has lapsed."""
    return claim_holder(document)
