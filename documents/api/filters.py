import django_filters
from django.db.models import QuerySet

from documents.models import Document, DocumentStatus, Page, ValidationResult


class DocumentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    # Bounded: an id past the database's integer range is a bad request, not a server error.
    template = django_filters.NumberFilter(
        method="by_template", label="Template id a page matched", min_value=0, max_value=2**31 - 1
    )
    validation = django_filters.ChoiceFilter(
        choices=ValidationResult.choices, method="by_validation", label="validationResult of a page"
    )
    q = django_filters.CharFilter(field_name="display_name", lookup_expr="icontains", label="File name contains")
    uploader = django_filters.CharFilter(field_name="uploaded_by__username", label="Uploaded by (username)")
    uploaded_after = django_filters.DateFilter(field_name="uploaded_at", lookup_expr="date__gte")
    uploaded_before = django_filters.DateFilter(field_name="uploaded_at", lookup_expr="date__lte")
    low_confidence = django_filters.BooleanFilter(field_name="has_low_confidence", label="Has low-confidence fields")
    ordering = django_filters.OrderingFilter(
        fields=(("uploaded_at", "uploaded_at"), ("id", "id"), ("display_name", "name"), ("status", "status"))
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def by_template(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(pk__in=Page.objects.filter(matched_template_id=value).values("document"))

    def by_validation(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(pk__in=Page.objects.filter(validation_result=value).values("document"))
