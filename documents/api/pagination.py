from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from documents.params import ParameterError, whole_number


class Pagination(PageNumberPagination):
    """Pages of the API's lists. A `page_size` or `page` that is not a number is refused with a code, like
    every other parameter (DRF would ignore the one and answer 404 to the other)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw and not whole_number(raw):  # empty: the default, as DRF reads it
            message = _("page_size must be a whole number, 1 or more (at most %(max)d are given).")
            raise ParameterError("invalid_page_size", message % {"max": self.max_page_size})
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw and raw not in self.last_page_strings and not whole_number(raw):
            raise ParameterError("invalid_page", _("page must be a page number (1 or more), or last."))
        return super().paginate_queryset(queryset, request, view)
