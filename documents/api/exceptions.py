"""DRF's error answers, with every refusal (401, 403) written to the audit trail."""

from rest_framework.views import exception_handler as drf_exception_handler

from documents import audit


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code in (401, 403):
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        request = context.get("request")
        audit.api_refused(request, response.status_code, codes if isinstance(codes, str) else "refused")
    return response
