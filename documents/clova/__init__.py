"""The CLOVA OCR client, configured from settings. `ocr_client()` hands out the one shared instance."""

import threading

import httpx
from django.conf import settings
from django.core.signals import setting_changed

from documents.clova.client import ClovaClient, Domain, OcrAnswer, RetryPolicy
from documents.clova.errors import (
    OcrConfigurationError,
    OcrError,
    OcrProtocolError,
    OcrQuotaError,
    OcrRequestError,
    OcrRetryableError,
)

__all__ = [
    "ClovaClient",
    "Domain",
    "OcrAnswer",
    "OcrConfigurationError",
    "OcrError",
    "OcrProtocolError",
    "OcrQuotaError",
    "OcrRequestError",
    "OcrRetryableError",
    "RetryPolicy",
    "ocr_client",
]

_lock = threading.Lock()
_client: ClovaClient | None = None


def client_from_settings(**overrides) -> ClovaClient:
    options = {
        "template": Domain(settings.OCR_TEMPLATE_INVOKE_URL, settings.OCR_TEMPLATE_SECRET),
        "general": Domain(settings.OCR_GENERAL_INVOKE_URL, settings.OCR_GENERAL_SECRET),
        "encoding": settings.OCR_ENCODING,
        "timeout": httpx.Timeout(
            connect=settings.OCR_CONNECT_TIMEOUT,
            read=settings.OCR_READ_TIMEOUT,
            write=settings.OCR_WRITE_TIMEOUT,
            pool=settings.OCR_POOL_TIMEOUT,
        ),
        "template_timeout": settings.ENGINE_TEMPLATE_TIMEOUT,
        "retry": RetryPolicy(
            attempts=settings.OCR_RETRY_ATTEMPTS,
            base_delay=settings.OCR_RETRY_BASE_DELAY,
            max_delay=settings.OCR_RETRY_MAX_DELAY,
        ),
    }
    return ClovaClient(**{**options, **overrides})


def ocr_client() -> ClovaClient:
    global _client
    with _lock:
        if _client is None:
            _client = client_from_settings()
        return _client


def _forget_client(*, setting: str, **kwargs) -> None:
    global _client
    if setting.startswith("OCR_"):
        with _lock:
            if _client is not None:
                _client.close()
            _client = None


setting_changed.connect(_forget_client)
