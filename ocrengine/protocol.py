"""The engine's side of the CLOVA OCR protocol: reading requests, checking them, and CLOVA's error bodies."""

import base64
import binascii
import json
import secrets
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.http import JsonResponse

FORMATS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "pdf": "pdf", "tiff": "tiff", "tif": "tiff"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_PAGES = {"infer": 5, "general": 10}
STATUS = {"0001": 400, "0002": 401, "0011": 400, "0021": 400, "0022": 400, "0023": 400, "0025": 400, "0028": 400,
          "0500": 500, "0501": 500, "1021": 500}  # fmt: skip


class ProtocolError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class OcrRequest:
    call: str
    version: str
    request_id: str
    lang: list[str] | None
    name: str
    file_format: str
    content: bytes
    template_ids: list[int] | None
    table_detection: bool


def error_response(code: str, message: str, path: str) -> JsonResponse:
    body = {"code": code, "message": message, "path": path, "timestamp": int(time.time() * 1000)}
    return JsonResponse(body, status=STATUS.get(code, 400), json_dumps_params={"ensure_ascii": False})


def check_secret(request) -> None:
    given = request.headers.get("X-OCR-SECRET", "")
    expected = settings.OCR_ENGINE_SECRET
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ProtocolError("0002", "Secret key validation failed.")


def parse(request, call: str) -> OcrRequest:
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        message = _json(request.POST.get("message"), "the 'message' part")
        upload = request.FILES.get("file")
        if upload is None:
            raise ProtocolError("0011", "Request invalid: the 'file' part is missing.")
        image = _single_image(message)
        content = _read_limited(upload, image)
    else:
        # The vendor's own curl example sends JSON without a JSON content type, so any other body is JSON.
        body = request.read(MAX_DOCUMENT_BYTES * 4 // 3 + 65536)
        message = _json(body, "the request body")
        image = _single_image(message)
        content = _image_data(image)
    version = message.get("version")
    if version not in ("V1", "V2"):
        raise ProtocolError("0021", f"Protocol version {version!r} is not supported; use V1 or V2.")
    for key in ("requestId", "timestamp"):
        if key not in message:
            raise ProtocolError("0011", f"Request invalid: '{key}' is required.")
    file_format = FORMATS.get(str(image.get("format", "")).lower())
    if file_format is None:
        raise ProtocolError("0011", f"Request invalid: image format {image.get('format')!r} is not supported.")
    if not isinstance(image.get("name"), str) or not image["name"]:
        raise ProtocolError("0011", "Request invalid: images[0].name is required.")
    _check_size(content, file_format)
    return OcrRequest(
        call=call,
        version=version,
        request_id=str(message["requestId"]),
        lang=_langs(message.get("lang")),
        name=image["name"],
        file_format=file_format,
        content=content,
        template_ids=_template_ids(image.get("templateIds"), call),
        table_detection=_flag(message.get("enableTableDetection"), "enableTableDetection"),
    )


def _flag(value, where: str) -> bool:
    """A JSON boolean, absent being false: the string "false" is not a way to say false (bool() read it as
    true)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ProtocolError("0011", f"Request invalid: {where} must be true or false.")
    return value


def _json(raw, where: str) -> dict:
    try:
        value = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        value = None
    if not isinstance(value, dict):
        raise ProtocolError("0011", f"Request invalid: {where} is not a JSON object.")
    return value


def _single_image(message: dict) -> dict:
    images = message.get("images")
    if not isinstance(images, list) or not images:
        raise ProtocolError("0011", "Request invalid: 'images' must hold one image.")
    if len(images) > 1:
        raise ProtocolError("0011", "Request invalid: only one image per request is allowed.")
    if not isinstance(images[0], dict):
        raise ProtocolError("0011", "Request invalid: images[0] is not an object.")
    return images[0]


def _read_limited(upload, image: dict) -> bytes:
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ProtocolError("0011", "Request invalid: the file is larger than 50 MB.")
    return upload.read()


def _image_data(image: dict) -> bytes:
    if image.get("data"):
        try:
            return base64.b64decode(image["data"], validate=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ProtocolError("0011", "Request invalid: images[0].data is not base64.") from exc
    if image.get("url"):
        return _fetch(str(image["url"]))
    raise ProtocolError("0011", "Request invalid: images[0] needs 'data' or 'url'.")


def _fetch(url: str) -> bytes:
    """CLOVA reads images[0].url itself; so does the engine, within the size limit and a timeout."""
    if not url.startswith(("http://", "https://")):
        raise ProtocolError("0011", "Request invalid: images[0].url must be http or https.")
    try:
        with httpx.stream("GET", url, timeout=httpx.Timeout(20.0, connect=5.0), follow_redirects=True) as response:
            if response.status_code != 200:
                raise ProtocolError("0011", f"Request invalid: the image URL answered HTTP {response.status_code}.")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise ProtocolError("0011", "Request invalid: the image at the URL is larger than 50 MB.")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise ProtocolError("0011", "Request invalid: the image URL cannot be read.") from exc


def _check_size(content: bytes, file_format: str) -> None:
    if not content:
        raise ProtocolError("0011", "Request invalid: the image is empty.")
    if file_format in ("jpg", "png") and len(content) > MAX_IMAGE_BYTES:
        raise ProtocolError("0011", "Request invalid: image files may be at most 20 MB.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ProtocolError("0011", "Request invalid: pdf and tiff files may be at most 50 MB.")


def _langs(value) -> list[str] | None:
    if not value:
        return None
    langs = [part.strip() for part in str(value).split(",") if part.strip()]
    unknown = [lang for lang in langs if lang not in ("ko", "ja", "zh-TW")]
    if unknown:
        raise ProtocolError("0011", f"Request invalid: lang {', '.join(unknown)} is not ko, ja or zh-TW.")
    return langs


def _template_ids(value, call: str) -> list[int] | None:
    if value in (None, []):
        return None
    if not isinstance(value, list) or not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        raise ProtocolError("0011", "Request invalid: templateIds must be a list of integers.")
    if not all(0 < item < 2**31 for item in value):  # no template has such an id; the database cannot ask for it
        raise ProtocolError("0011", "Request invalid: templateIds must be template ids (1 to 2147483647).")
    return value


def to_v1(image: dict) -> dict:
    """V1's shape: `bounding` rectangles, and none of V2's later keys."""

    def field(item: dict) -> dict:
        xs = [vertex["x"] for vertex in item.get("boundingPoly", {}).get("vertices", [])] or [0]
        ys = [vertex["y"] for vertex in item.get("boundingPoly", {}).get("vertices", [])] or [0]
        return {
            "name": item.get("name", ""),
            "valueType": item.get("valueType", "ALL"),
            "inferText": item.get("inferText", ""),
            "inferConfidence": item.get("inferConfidence", 0.0),
            "bounding": {"top": min(ys), "left": min(xs), "width": max(xs) - min(xs), "height": max(ys) - min(ys)},
        }

    result = {key: image[key] for key in ("uid", "name", "inferResult", "message", "matchedTemplate") if key in image}
    if "title" in image:
        result["title"] = field(image["title"])
    result["fields"] = [field(item) for item in image.get("fields", [])]
    result["validationResult"] = image.get("validationResult", {"result": "NO_REQUESTED"})
    return result
