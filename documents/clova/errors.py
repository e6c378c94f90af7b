"""One exception family for everything an OCR call can end in, keyed by CLOVA's error codes.

Each class says what the portal does about it: retry soon, hold for much later, stop for an
administrator, or fail the document.
"""

from documents.errors import PortalError


class OcrError(PortalError):
    """Base of all OCR call failures. `code` is CLOVA's error code where there is one."""

    retryable = False
    retry_after: float | None = None  # seconds, when the server's Retry-After said so

    def __init__(
        self, message: str, *, code: str = "", http_status: int | None = None, raw: str = "", attempts: int = 1
    ) -> None:
        super().__init__(code, message)
        self.http_status = http_status
        self.raw = raw
        self.attempts = attempts

    def __str__(self) -> str:
        code = f" (code {self.code})" if self.code else ""
        status = f" [HTTP {self.http_status}]" if self.http_status else ""
        return f"{self.message}{code}{status}"


class OcrConfigurationError(OcrError):
    """The domain's set-up is wrong: nothing sent again will help until an administrator acts."""


class OcrRequestError(OcrError):
    """CLOVA refused this request or file (0011): the document fails with CLOVA's message."""


class OcrQuotaError(OcrError):
    """The domain's call quota is used up (0023): hold the work and try again much later."""


class OcrRetryableError(OcrError):
    """Rate limits, server errors, timeouts and network failures: worth trying again soon."""

    retryable = True


class OcrTimeout(OcrRetryableError):
    pass


class OcrNetworkError(OcrRetryableError):
    pass


class OcrProtocolError(OcrError):
    """The answer is not CLOVA's protocol (not JSON, or JSON of another shape)."""


# What each code means, and what an administrator or the user should do about it.
ERROR_CODES: dict[str, tuple[type[OcrError], str]] = {
    "0001": (OcrConfigurationError, "The OCR invoke URL is invalid. Check OCR_*_INVOKE_URL."),
    "0002": (OcrConfigurationError, "The OCR secret key was refused. Check OCR_*_SECRET for this domain."),
    "0011": (OcrRequestError, "The OCR service refused the request or the file"),
    "0021": (OcrConfigurationError, "The OCR domain does not support protocol version V2."),
    "0022": (OcrConfigurationError, "The OCR request domain is invalid. Check OCR_*_INVOKE_URL."),
    "0023": (OcrQuotaError, "The OCR domain's call quota is used up; the work waits and is tried again later."),
    "0025": (OcrRetryableError, "The OCR domain's rate limit was exceeded."),
    "0028": (
        OcrConfigurationError,
        "Table detection is switched off for this OCR domain. Turn it on in CLOVA or set OCR_TABLE_DETECTION=false.",
    ),
    "0500": (OcrRetryableError, "The OCR service had an unknown error."),
    "0501": (OcrRetryableError, "The OCR service had an internal OCR error."),
    "1021": (
        OcrConfigurationError,
        "No template is deployed to the OCR domain. Deploy (release) a template in CLOVA, or import one.",
    ),
}


def error_for(code: str, *, server_message: str, http_status: int | None, raw: str) -> OcrError:
    known = ERROR_CODES.get(code)
    kind: type[OcrError]
    if known is None:
        kind = OcrRetryableError if (http_status or 0) >= 500 else OcrRequestError
        text = f"The OCR service answered with error code {code or 'none'}"
    else:
        kind, text = known
    if server_message and kind in (OcrRequestError, OcrRetryableError, OcrConfigurationError):
        text = f"{text.rstrip('.')}: {server_message}"
    return kind(text, code=code, http_status=http_status, raw=raw)
