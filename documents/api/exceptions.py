"""DRF's error answers, with every refusal (401, 403) written to the audit trail, and the portal's own refusals
(PortalError) as a coded 400 wherever in a call they are raised."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from documents import audit
from documents.errors import PortalError


def exception_handler(exc, context):
    if isinstance(exc, PortalError):  # a refusal raised below a view (a body that is no object, say)
        return Response(exc.as_dict(), status=400)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code in (401, 403):
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        request = context.get("request")
        audit.api_refused(request, response.status_code, codes if isinstance(codes, str) else "refused")
    return response
