"""Deploying templates to the built-in engine over HTTP, as the portal's template builder does; not part of
CLOVA's protocol (CLOVA's templates are made in its console). Same X-OCR-SECRET as the OCR calls."""

import base64
import binascii
import itertools
import json
import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ocrengine import engine
from ocrengine.models import EngineTemplate
from ocrengine.protocol import ProtocolError, check_secret
from ocrengine.template_files import TemplateFileError, template_check, template_deploy, template_document

logger = logging.getLogger(__name__)
MAX_BODY = 60 * 1024 * 1024


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def _body(request) -> dict:
    # Read the stream directly, as the OCR calls do: a reference page in base64 is bigger than Django's
    # in-memory limit for request bodies.
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise TemplateFileError("the request is too large")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise TemplateFileError("the body is not JSON") from exc
    if not isinstance(body, dict):
        raise TemplateFileError("the body is a JSON object")
    return body


def _bytes(value, where: str) -> bytes:
    try:
        return base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TemplateFileError(f"{where}: not base64") from exc


def _template_from(body: dict) -> tuple[dict, bytes]:
    template = body.get("template")
    if not isinstance(template, dict):
        raise TemplateFileError("template: the template file's JSON, with imageData (base64 PNG)")
    return template, _bytes(template.get("imageData"), "template.imageData")


# Machine-to-machine, authenticated by X-OCR-SECRET rather than cookies: a CSRF token protects nothing here.
@csrf_exempt
@require_http_methods(["GET", "PUT", "DELETE"])
def template(request, template_id: int):
    try:
        check_secret(request)
    except ProtocolError as error:
        return _refuse(401, error.code, error.message)
    if request.method == "PUT":
        try:
            data, image = _template_from(_body(request))
            if data.get("id") != template_id:
                raise TemplateFileError(f"id: the template's id must be {template_id}, as in the URL")
            deployed, created = template_deploy(data, image, str(data.get("image") or f"template-{template_id}.png"))
        except TemplateFileError as error:
            return _refuse(400, "invalid_template", str(error))
        return JsonResponse(
            {"id": deployed.id, "name": deployed.name, "deployed": True, "created": created},
            status=201 if created else 200,
        )
    found = EngineTemplate.objects.filter(pk=template_id).first()
    if found is None:
        return _refuse(404, "not_found", f"No template {template_id} in the engine.")
    if request.method == "DELETE":
        EngineTemplate.objects.filter(pk=template_id).update(deployed=False)
        return JsonResponse({"id": template_id, "deployed": False})
    document = template_document(found, f"template-{found.id}.png")
    document["imageData"] = base64.b64encode(bytes(found.image)).decode()
    return JsonResponse({"template": document, "deployed": found.deployed}, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def template_try(request):
    """Read one page with a template that is not deployed: the answer CLOVA's /infer would give with it."""
    try:
        check_secret(request)
    except ProtocolError as error:
        return _refuse(401, error.code, error.message)
    try:
        body = _body(request)
        data, image = _template_from(body)
        definition, png, _size = template_check(data, image)
        page = body.get("page") or {}
        content, file_format = _bytes(page.get("data"), "page.data"), str(page.get("format", "png")).lower()
        index = int(page.get("pageIndex", 0))
        count = engine.page_count(content, file_format)
        if not 0 <= index < count:
            raise TemplateFileError(f"page.pageIndex: the file has {count} page(s)")
        chosen = next(itertools.islice(engine.pages(content, file_format), index, None))
    except (TemplateFileError, engine.UnreadableFile, ValueError) as error:
        return _refuse(400, "invalid_request", str(error))
    lang = data.get("lang") or body.get("lang") or "ko"  # the draft is read in its own language
    draft = engine.prepared_draft(data["id"], data["name"].strip(), str(lang), definition, png)
    try:
        result = engine.infer_page(chosen, [draft])
    except Exception:
        logger.exception("Trying a draft template failed")
        return _refuse(500, "0500", "Unknown service error.")
    if result["inferResult"] == "FAILURE":  # the engine's message speaks of deployed templates
        result["message"] = "The page does not match this template."
    return JsonResponse({"image": result}, json_dumps_params={"ensure_ascii": False})
