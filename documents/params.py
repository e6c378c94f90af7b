"""Reading request parameters the same way everywhere: query strings, form fields and JSON bodies."""

from django.utils.translation import gettext as _

from documents.errors import PortalError

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


class ParameterError(PortalError):
    pass


def parse_bool(value, *, name: str = "value", default: bool = False) -> bool:
    """`1`/`true`/`yes`/`on` and `0`/`false`/`no`/`off` (any case), JSON's true and false; missing (None) is
    `default`. Anything else is refused, never silently read as false."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False if text else default
    raise ParameterError(
        "invalid_boolean",
        _("%(name)s must be true or false (1/0, yes/no); got %(value)s.") % {"name": name, "value": repr(value)},
    )


MAX_ID = 2**31 - 1  # the largest id a database row may have (PostgreSQL's integer)


def whole_number(value, *, maximum: int = MAX_ID) -> int | None:
    """A whole number 0..maximum written in ASCII digits, else None. `str.isdigit` takes `²` and `３` (which
    `int()` then refuses, or reads as 3) and `int()` takes `3_90`: neither is a number a user typed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= maximum else None
    text = str(value).strip()
    if not text or len(text) > 12 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= maximum else None


def text(data, key: str) -> str:
    """A text parameter; missing or null is empty, and anything but text (a number, a list) is refused rather
    than stored as Python would print it."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ParameterError("invalid_text", _("%(name)s must be text.") % {"name": key})
    return value


def request_body(request) -> dict:
    """The body of an API call as a mapping (JSON object or form); a JSON array, string or number is refused."""
    data = request.data
    if not hasattr(data, "get"):
        raise ParameterError("invalid_request", _("Send a JSON object (or form fields), not %(kind)s.") % {
            "kind": type(data).__name__
        })  # fmt: skip
    return data
