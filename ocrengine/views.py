import logging
import time
from collections.abc import Iterator

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ocrengine import engine
from ocrengine.protocol import MAX_PAGES, ProtocolError, check_secret, error_response, parse, to_v1

logger = logging.getLogger(__name__)


# The engine is a machine-to-machine API authenticated by X-OCR-SECRET, not by cookies, so a CSRF token
# has nothing to protect here, and CLOVA's clients never send one.
@csrf_exempt
@require_POST
def infer(request):
    return _answer(request, "infer")


@csrf_exempt
@require_POST
def general(request):
    return _answer(request, "general")


def _answer(request, call: str):
    path = f"/{call}"
    try:
        check_secret(request)
        ocr_request = parse(request, call)
        pages = _pages(ocr_request, call)
        if call == "infer":
            images = _infer(ocr_request, pages)
        else:
            images = _general(ocr_request, pages)
    except ProtocolError as error:
        return error_response(error.code, error.message, path)
    except engine.UnreadableFile as exc:
        return error_response("0011", f"Request invalid: {exc}", path)
    except Exception:
        # A bad file must never take the server down: log it, answer CLOVA's "unknown error".
        logger.exception("OCR engine failed on a %s request", call)
        return error_response("0500", "Unknown service error.", path)
    if ocr_request.version == "V1":
        images = [to_v1(image) for image in images]
    body = {
        "version": ocr_request.version,
        "requestId": ocr_request.request_id,
        "timestamp": int(time.time() * 1000),
        "images": images,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _pages(ocr_request, call: str) -> Iterator[engine.PageImage]:
    """The request's pages, decoded one at a time as they are read (never all of them in memory)."""
    count = engine.page_count(ocr_request.content, ocr_request.file_format)
    if count > MAX_PAGES[call]:
        raise ProtocolError(
            "0011", f"Request invalid: at most {MAX_PAGES[call]} pages per request; this file has {count}."
        )
    return engine.pages(ocr_request.content, ocr_request.file_format)


def _infer(ocr_request, pages: Iterator[engine.PageImage]) -> list[dict]:
    templates = engine.prepared_templates(ocr_request.template_ids)
    if not templates:
        wanted = f" among templateIds {ocr_request.template_ids}" if ocr_request.template_ids else ""
        raise ProtocolError("1021", f"No deploy information: no template is deployed{wanted}.")
    images = []
    for page in pages:
        result = engine.infer_page(page, templates)
        images.append(_with_identity(result, ocr_request, page))
    return images


def _general(ocr_request, pages: Iterator[engine.PageImage]) -> list[dict]:
    from ocrengine import text_ocr

    return [
        _with_identity(
            text_ocr.read_page(page, ocr_request.lang, detect_tables=ocr_request.table_detection), ocr_request, page
        )
        for page in pages
    ]


def _with_identity(result: dict, ocr_request, page: engine.PageImage) -> dict:
    image = {"uid": engine.new_uid(), "name": ocr_request.name, **engine.to_sent_pixels(result, page)}
    if page.converted is not None:
        image["convertedImageInfo"] = page.converted
    return image
