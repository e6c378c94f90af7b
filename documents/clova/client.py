"""The portal's one door to OCR: CLOVA OCR's Template OCR (/infer) and Text OCR (/general).

The same code talks to a real CLOVA API Gateway and to the built-in engine. The secret travels only
in the X-OCR-SECRET header; it is never logged, stored, or put in an error message.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from documents.clova.errors import (
    OcrConfigurationError,
    OcrError,
    OcrNetworkError,
    OcrProtocolError,
    OcrRetryableError,
    OcrTimeout,
    error_for,
)
from documents.clova.protocol import OcrResponse, parse_response

logger = logging.getLogger(__name__)

MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf", "tiff": "image/tiff"}
TEMPLATE_MAX_PAGES = 5
GENERAL_MAX_PAGES = 10


@dataclass(frozen=True)
class Domain:
    invoke_url: str
    secret: str = field(repr=False)

    def url(self, call: str) -> str:
        return f"{self.invoke_url.rstrip('/')}/{call}"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Full jitter over an exponentially growing, capped window; a server's Retry-After is a floor."""
        window = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        delay = random.uniform(0, window)  # noqa: S311 - jitter, not security
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_delay))
        return delay


@dataclass(frozen=True)
class OcrAnswer:
    response: OcrResponse
    raw: str
    request_id: str
    http_status: int
    duration_ms: int
    attempts: int


def max_pages(call: str) -> int:
    return TEMPLATE_MAX_PAGES if call == "infer" else GENERAL_MAX_PAGES


class ClovaClient:
    def __init__(
        self,
        *,
        template: Domain | None,
        general: Domain | None,
        encoding: str = "multipart",
        timeout: httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        template_timeout: float = 30.0,
    ) -> None:
        if encoding not in ("multipart", "json"):
            raise ValueError(f"encoding must be 'multipart' or 'json', not {encoding!r}")
        self.domains = {"infer": template, "general": general}
        self.encoding = encoding
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.template_timeout = template_timeout
        self.http = httpx.Client(
            timeout=timeout or httpx.Timeout(connect=5.0, read=120.0, write=60.0, pool=10.0),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    def template_call(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        """One of the built-in engine's template calls (`<template domain>/templates/<path>`; CLOVA has none: its
        console makes templates), on the same connections, timeouts and retries as OCR calls: a network
        failure or a busy answer (429, 502-504) is tried again. The answer, whatever its status, is the
        caller's to read; OcrNetworkError when the engine could not be reached at all.

        A person waits on these (a command, the builder's Save, Try and Deploy): each attempt may take
        `template_timeout` (not OCR's long read timeout), and there are at most two."""
        domain = self.domains["infer"]
        if domain is None or not domain.invoke_url:
            raise error_for("0001", server_message="no invoke URL is configured", http_status=None, raw="")
        url = f"{domain.invoke_url.rstrip('/')}/templates/{path}"
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.http.request(
                    method, url, json=body, headers={"X-OCR-SECRET": domain.secret}, timeout=self.template_timeout
                )
            except httpx.TransportError as exc:
                if attempt >= min(2, self.retry.attempts):
                    raise OcrNetworkError(f"The OCR engine could not be reached: {type(exc).__name__}.") from exc
            else:
                if response.status_code not in (429, 502, 503, 504) or attempt >= min(2, self.retry.attempts):
                    return response
            self.sleep(self.retry.delay(attempt))

    def infer(
        self,
        *,
        content: bytes,
        file_format: str,
        name: str,
        langs: list[str] | None = None,
        template_ids: list[int] | None = None,
        before_attempt: Callable[[], None] | None = None,
    ) -> OcrAnswer:
        """Template OCR: the fields of the template that matches (or of one of `template_ids`).

        `before_attempt` runs before each attempt is sent; what it raises ends the call unsent.
        """
        image: dict = {"format": file_format, "name": name}
        if template_ids:
            image["templateIds"] = list(template_ids)
        return self._call("infer", content, image, langs, extra={}, before_attempt=before_attempt)

    def general(
        self,
        *,
        content: bytes,
        file_format: str,
        name: str,
        langs: list[str] | None = None,
        table_detection: bool = False,
        before_attempt: Callable[[], None] | None = None,
    ) -> OcrAnswer:
        """Text OCR: every word on the page, and the tables when `table_detection` is on."""
        image = {"format": file_format, "name": name}
        if not table_detection:
            return self._call("general", content, image, langs, extra={}, before_attempt=before_attempt)
        try:
            return self._call(
                "general", content, image, langs, extra={"enableTableDetection": True}, before_attempt=before_attempt
            )
        except OcrConfigurationError as error:
            if error.code != "0028":
                raise
            # The domain has no table extractor: the words are still worth having.
            logger.warning("OCR domain has table detection switched off (0028); reading without tables")
            return self._call("general", content, image, langs, extra={}, before_attempt=before_attempt)

    # --- one call, with retries ---------------------------------------------------------------------

    def _call(
        self,
        call: str,
        content: bytes,
        image: dict,
        langs: list[str] | None,
        *,
        extra: dict,
        before_attempt: Callable[[], None] | None = None,
    ) -> OcrAnswer:
        domain = self.domains[call]
        if domain is None or not domain.invoke_url:
            raise error_for("0001", server_message="no invoke URL is configured", http_status=None, raw="")
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            if before_attempt is not None:
                before_attempt()
            message = {
                "version": "V2",
                "requestId": str(uuid.uuid4()),
                "timestamp": int(time.time() * 1000),
                **({"lang": ",".join(langs)} if langs else {}),
                "images": [dict(image)],
                **extra,
            }
            try:
                status, raw = self._send(domain, call, message, content, image["name"], image["format"])
                response = parse_response(raw)
            except OcrError as error:
                error.attempts = attempt
                if not error.retryable or attempt >= self.retry.attempts:
                    logger.warning("OCR %s call failed after %d attempt(s): %s", call, attempt, error)
                    raise
                delay = self.retry.delay(attempt, error.retry_after)
                logger.info("OCR %s call attempt %d failed (%s); retrying in %.1f s", call, attempt, error, delay)
                self.sleep(delay)
                continue
            return OcrAnswer(
                response=response,
                raw=raw,
                request_id=message["requestId"],
                http_status=status,
                duration_ms=int((time.monotonic() - started) * 1000),
                attempts=attempt,
            )

    def _send(
        self, domain: Domain, call: str, message: dict, content: bytes, name: str, file_format: str
    ) -> tuple[int, str]:
        headers = {"X-OCR-SECRET": domain.secret}
        try:
            if self.encoding == "multipart":
                response = self.http.post(
                    domain.url(call),
                    headers=headers,
                    data={"message": json.dumps(message, ensure_ascii=False)},
                    files={
                        "file": (
                            f"{name}.{file_format}",
                            content,
                            MIME_TYPES.get(file_format, "application/octet-stream"),
                        )
                    },
                )
            else:
                message["images"][0]["data"] = base64.b64encode(content).decode("ascii")
                response = self.http.post(domain.url(call), headers=headers, json=message)
        except httpx.TimeoutException as exc:
            raise OcrTimeout(f"The OCR service did not answer in time ({type(exc).__name__}).") from exc
        except httpx.TransportError as exc:
            raise OcrNetworkError(f"The OCR service could not be reached: {type(exc).__name__}.") from exc
        raw = response.text
        if response.status_code == 200:
            return response.status_code, raw
        raise _error_from(response, raw)


def _error_from(response: httpx.Response, raw: str) -> OcrError:
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and "code" in body:
        error = error_for(
            str(body.get("code", "")),
            server_message=str(body.get("message", "")),
            http_status=response.status_code,
            raw=raw,
        )
    elif response.status_code >= 500 or response.status_code == 429:
        error = OcrRetryableError(
            f"The OCR service answered HTTP {response.status_code} without a CLOVA error body.",
            http_status=response.status_code,
            raw=raw,
        )
    else:
        error = OcrProtocolError(
            f"The OCR service answered HTTP {response.status_code} without a CLOVA error body.",
            http_status=response.status_code,
            raw=raw,
        )
    retry_after = response.headers.get("Retry-After")
    if retry_after and retry_after.isdigit():
        error.retry_after = float(retry_after)
    return error
