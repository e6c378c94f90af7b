"""The built-in engine's template calls (deploy, export, undeploy, try), through the one OCR client
(documents/clova/client.py, `template_call`): over HTTP like every engine call, with its timeouts and retries.

They are not CLOVA's: with a CLOVA domain configured, templates are made in CLOVA's console and these fail
with a clear message.
"""

import base64
from typing import Any

from django.utils.translation import gettext as _

from documents.clova import OcrError, ocr_client
from documents.errors import PortalError


class EngineTemplateError(PortalError):
    def __init__(self, message: str, code: str = "engine_template_refused") -> None:
        super().__init__(code, message)


def _call(method: str, path: str, body: dict | None = None) -> dict:
    try:
        response = ocr_client().template_call(method, path, body)
    except OcrError as exc:
        raise EngineTemplateError(_("The OCR engine cannot be reached (%(error)s).") % {"error": exc.message}) from exc
    # CLOVA's gateway (or anything else that is not the engine) has no template calls: it answers without JSON.
    if response.status_code in (404, 405, 501) and "application/json" not in response.headers.get("content-type", ""):
        raise EngineTemplateError(
            _("The OCR domain in use is not the built-in engine; templates for CLOVA are made in CLOVA's console.")
        )
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):  # not the engine's answer (an HTML error page, a JSON list)
        raise EngineTemplateError(_("The OCR engine answered %(status)d, without its usual answer.") % {
            "status": response.status_code
        })  # fmt: skip
    if response.status_code >= 400:
        raise EngineTemplateError(data.get("message") or _("The OCR engine refused the template."))
    return data


def template_file(version) -> dict:
    """The version as a template file (docs/template-format.md), its image inline as base64."""
    with version.image.open("rb") as handle:
        image = handle.read()
    return {
        "id": version.template_id,
        "name": version.name,
        "lang": version.lang,
        "image": f"template-{version.template_id}.png",
        **version.definition,
        "imageData": base64.b64encode(image).decode(),
    }


def deploy(version) -> None:
    _call("PUT", str(version.template_id), {"template": template_file(version)})


def deploy_file(data: dict, image: bytes) -> dict:
    """A template file (its JSON and its reference image) deployed as it is: `{"id", "name", "deployed",
    "created"}`."""
    body = {"template": {**data, "imageData": base64.b64encode(image).decode()}}
    return _call("PUT", str(data.get("id")), body)


def undeploy(template_id: int) -> None:
    _call("DELETE", str(template_id))


def fetch(template_id: int) -> dict:
    """The deployed template file, as the engine keeps it."""
    answer = _call("GET", str(template_id))
    template = answer.get("template")
    if not isinstance(template, dict) or not {"id", "name", "lang", "imageData"} <= template.keys():
        raise EngineTemplateError(_("The OCR engine's answer holds no template."))
    return answer


def try_draft(template: dict, page_image: bytes, page_format: str, lang: str | None) -> dict:
    body: dict[str, Any] = {
        "template": template,
        "page": {"format": page_format, "data": base64.b64encode(page_image).decode()},
    }
    if lang:
        body["lang"] = lang
    return _call("POST", "try", body)["image"]
