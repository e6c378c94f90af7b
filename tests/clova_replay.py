"""A CLOVA OCR stand-in for tests: checks every request against the protocol (docs/protocol.md) and answers as
CLOVA does.

Use it in-process through httpx.MockTransport (`transport()`), or over real HTTP on loopback
(`serve()`), which is how the portal reaches it when it runs the pipeline. Answers come from a script
of replies when one is queued, else from `answer` (by default, pages built from the vendor's examples).
"""

from __future__ import annotations

import base64
import copy
import email.parser
import email.policy
import io
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pikepdf
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures" / "clova"
SECRET = "replay-secret-0c1b9e"
FORMATS = {"jpg", "jpeg", "png", "pdf", "tiff"}
LANGS = {"ko", "ja", "zh-TW"}
REPLAY_PDF_DPI = 150  # CLOVA converts pdf pages at its own resolution; ours differs on purpose


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@dataclass
class Received:
    call: str
    encoding: str
    headers: httpx.Headers
    message: dict
    content: bytes

    @property
    def image(self) -> dict:
        return self.message["images"][0]

    @property
    def file_format(self) -> str:
        return self.image["format"]


@dataclass
class Reply:
    status: int = 200
    body: dict | str | bytes = field(default_factory=dict)
    timeout: bool = False
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (served over HTTP only)


def error_reply(code: str, message: str = "", status: int | None = None) -> Reply:
    statuses = {"0002": 401, "0500": 500, "0501": 500, "1021": 500}
    return Reply(
        status=status or statuses.get(code, 400),
        body={"code": code, "message": message or f"error {code}", "path": "/", "timestamp": int(time.time() * 1000)},
    )


class ClovaReplay:
    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.received: list[Received] = []
        self.violations: list[str] = []
        self.script: deque[Reply] = deque()
        self.answer: Callable[[Received], Reply] = default_answer
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.violations.clear()
            self.script.clear()
            self.answer = default_answer

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # --- the protocol ------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        reply = self.reply_to(request.method, request.url.path, request.headers, request.read())
        if reply.timeout:
            raise httpx.ReadTimeout("replay: no answer", request=request)
        return httpx.Response(reply.status, content=_body_bytes(reply.body), headers=reply.headers, request=request)

    def reply_to(self, method: str, path: str, headers, body: bytes) -> Reply:
        call = path.rstrip("/").rsplit("/", 1)[-1]
        if method != "POST" or call not in ("infer", "general"):
            return self._refuse("0001", f"{method} {path} is not an OCR call")
        if headers.get("X-OCR-SECRET") != self.secret:
            return error_reply("0002", "Secret key validation failed")
        try:
            received = self._parse(call, headers, body)
        except ValueError as problem:
            return self._refuse("0011", str(problem))
        if received.message.get("version") not in ("V1", "V2"):
            return self._refuse("0021", "protocol version not supported")
        with self.lock:
            self.received.append(received)
            scripted = self.script.popleft() if self.script else None
        return scripted if scripted is not None else self.answer(received)

    def _refuse(self, code: str, problem: str) -> Reply:
        with self.lock:
            self.violations.append(problem)
        return error_reply(code, problem)

    def _parse(self, call: str, headers, body: bytes) -> Received:
        content_type = headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            parts = _multipart(content_type, body)
            if set(parts) != {"message", "file"}:
                raise ValueError(f"multipart parts must be 'message' and 'file', got {sorted(parts)}")
            message = json.loads(parts["message"])
            image = _single_image(message)
            if "data" in image or "url" in image:
                raise ValueError("a multipart message must not carry data or url")
            encoding, content = "multipart", parts["file"]
        elif content_type.startswith("application/json"):
            message = json.loads(body)
            image = _single_image(message)
            if "data" not in image:
                raise ValueError("a JSON request needs images[0].data (url cannot be fetched here)")
            encoding, content = "json", base64.b64decode(image["data"], validate=True)
        else:
            raise ValueError(f"unsupported Content-Type {content_type!r}")
        _check_message(call, message)
        if _sniff(content) != _canonical(image["format"]):
            raise ValueError(f"format {image['format']!r} does not match the file's bytes")
        return Received(
            call=call, encoding=encoding, headers=httpx.Headers(dict(headers)), message=message, content=content
        )

    # --- serving over HTTP on loopback -----------------------------------------------------------------

    def serve(self) -> tuple[str, Callable[[], None]]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                reply = replay.reply_to("POST", self.path, self.headers, body)
                time.sleep(reply.delay)
                if reply.timeout:
                    time.sleep(3)  # longer than the read timeout tests give the client
                    return
                payload = _body_bytes(reply.body)
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()

        def stop() -> None:
            server.shutdown()
            server.server_close()

        return f"http://127.0.0.1:{server.server_address[1]}/custom/v1/42/abc", stop


# --- request checks --------------------------------------------------------------------------------


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    if not parsed.is_multipart():
        raise ValueError("the multipart body cannot be parsed")
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in parsed.iter_parts()
    }


def _single_image(message: dict) -> dict:
    images = message.get("images")
    if not isinstance(images, list) or len(images) != 1 or not isinstance(images[0], dict):
        raise ValueError("exactly one image per call")
    return images[0]


def _check_message(call: str, message: dict) -> None:
    for key in ("version", "requestId", "timestamp", "images"):
        if key not in message:
            raise ValueError(f"missing required field {key!r}")
    if not isinstance(message["requestId"], str) or not message["requestId"]:
        raise ValueError("requestId must be a non-empty string")
    uuid.UUID(message["requestId"])
    if not isinstance(message["timestamp"], int) or message["timestamp"] < 1_500_000_000_000:
        raise ValueError("timestamp must be epoch milliseconds")
    if "lang" in message and not set(message["lang"].split(",")) <= LANGS:
        raise ValueError(f"lang {message['lang']!r} is not among ko, ja, zh-TW")
    image = message["images"][0]
    if image.get("format") not in FORMATS:
        raise ValueError(f"format {image.get('format')!r} is not supported")
    if not isinstance(image.get("name"), str) or not image["name"]:
        raise ValueError("images[0].name is required")
    if "templateIds" in image:
        if call != "infer" or not all(isinstance(item, int) for item in image["templateIds"]):
            raise ValueError("templateIds must be integers, on Template OCR only")
    if "enableTableDetection" in message and call != "general":
        raise ValueError("enableTableDetection is for Text OCR only")


def _canonical(file_format: str) -> str:
    return "jpg" if file_format == "jpeg" else file_format


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG"):
        return "png"
    if content.startswith(b"%PDF"):
        return "pdf"
    if content[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def _body_bytes(body) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, ensure_ascii=False).encode()


# --- answers ---------------------------------------------------------------------------------------


def page_images(received: Received) -> list[Image.Image]:
    """The pages as CLOVA would see them: pdf pages rendered at its own resolution, tiff frames, images."""
    if received.file_format == "pdf":
        from pdf2image import convert_from_bytes

        return convert_from_bytes(received.content, dpi=REPLAY_PDF_DPI)
    image = Image.open(io.BytesIO(received.content))
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(image.copy())
    return frames


def page_count(received: Received) -> int:
    if received.file_format == "pdf":
        with pikepdf.open(io.BytesIO(received.content)) as pdf:
            return len(pdf.pages)
    return getattr(Image.open(io.BytesIO(received.content)), "n_frames", 1)


def page_sizes(received: Received) -> list[tuple[int, int]]:
    if received.file_format == "pdf":
        with pikepdf.open(io.BytesIO(received.content)) as pdf:
            sizes = []
            for page in pdf.pages:
                box = [float(value) for value in page.mediabox]
                sizes.append(
                    (round((box[2] - box[0]) * REPLAY_PDF_DPI / 72), round((box[3] - box[1]) * REPLAY_PDF_DPI / 72))
                )
            return sizes
    image = Image.open(io.BytesIO(received.content))
    sizes = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        sizes.append(image.size)
    return sizes


def respond(received: Received, images: list[dict]) -> Reply:
    return Reply(
        body={
            "version": "V2",
            "requestId": received.message["requestId"],
            "timestamp": int(time.time() * 1000),
            "images": images,
        }
    )


def with_page_info(received: Received, image: dict, index: int, size: tuple[int, int]) -> dict:
    image = {**image, "uid": uuid.uuid4().hex, "name": received.image["name"]}
    if received.file_format in ("pdf", "tiff"):
        image["convertedImageInfo"] = {"width": size[0], "height": size[1], "pageIndex": index}
    return image


def default_answer(received: Received) -> Reply:
    """Every page answered with the vendor's example for the call that was made."""
    example = fixture("template-response.json" if received.call == "infer" else "general-response.json")
    base = copy.deepcopy(example["images"][0])
    return respond(
        received, [with_page_info(received, base, index, size) for index, size in enumerate(page_sizes(received))]
    )
