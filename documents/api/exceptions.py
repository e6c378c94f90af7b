"""DRF's error answers, with every refusal (401, 403) written to the audit trail, and every error answer in the
portal's shape: `{"code": ..., "message": ...}` (plus DRF's `detail`, or `errors` per field), whether the
portal refused the call (PortalError, raised wherever in a call) or DRF did (a body that is no JSON, a media
type it does not read, a page that does not exist)."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from documents import audit
from documents.errors import PortalError


def exception_handler(exc, context):
    if isinstance(exc, PortalError):  # a refusal raised below a view (a body that is no object, say)
        return Response(exc.as_dict(), status=400)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    if response.status_code in (401, 403):
        request = context.get("request")
        audit.api_refused(request, response.status_code, codes if isinstance(codes, str) else "refused")
    response.data = _coded(response.data, codes)
    return response


def _coded(data, codes) -> dict:
    if isinstance(data, dict) and "code" in data:
        return data
    if isinstance(data, dict) and set(data) == {"detail"}:
        code = codes if isinstance(codes, str) else getattr(data["detail"], "code", None) or "invalid"
        return {"code": code, "message": str(data["detail"]), **data}
    # Field errors (a serializer's): the first one as the message, all of them under `errors`.
    return {"code": "invalid", "message": _first_message(data), "errors": data}


def _first_message(data) -> str:
    if isinstance(data, dict):
        for key, value in data.items():
            message = _first_message(value)
            return message if key == "non_field_errors" else f"{key}: {message}"
    if isinstance(data, list) and data:
        return _first_message(data[0])
    return str(data)
