"""A page's validationResult: the template's own rules, or the verdict of the template's validation server."""

import logging
import re
from functools import lru_cache

import httpx
import re2
from django.conf import settings

logger = logging.getLogger(__name__)


def validate(image_result: dict, values: dict[str, str], definition: dict) -> dict:
    validation = definition.get("validation") or {}
    if validation.get("url"):
        return _external(image_result, validation["url"])
    rules = validation.get("rules") or []
    if not rules:
        return {"result": "NO_REQUESTED"}
    problems = []
    for rule in rules:
        value = values.get(rule["field"], "")
        failed = (
            (rule.get("required") and not value.strip())
            or (rule.get("numeric") and value and not value.replace(",", "").isdigit())
            or ("pattern" in rule and value and not pattern_matches(rule["pattern"], value))
            or ("pattern" in rule and not value and rule.get("required"))
        )
        if failed:
            problems.append(f"{rule['field']}: {rule.get('message') or 'does not match its rule'}")
    if problems:
        return {"result": "INVALID", "message": "; ".join(problems)}
    return {"result": "VALID"}


def _external(image_result: dict, url: str) -> dict:
    """CLOVA posts {"image": ImageResult} with UNCHECKED and takes the server's verdict."""
    payload = {"image": {**image_result, "validationResult": {"result": "UNCHECKED"}}}
    try:
        timeout = settings.OCR_ENGINE_VALIDATION_TIMEOUT
        response = httpx.post(url, json=payload, timeout=httpx.Timeout(timeout, connect=min(3.0, timeout)))
    except httpx.TimeoutException:
        return {"result": "UNCHECKED", "message": "The validation server did not answer in time."}
    except httpx.HTTPError as exc:
        logger.warning("validation server %s failed: %s", url, type(exc).__name__)
        return {"result": "ERROR", "message": "The validation server could not be reached."}
    if response.status_code != 200:
        return {"result": "ERROR", "message": f"The validation server answered HTTP {response.status_code}."}
    try:
        verdict = response.json()
    except ValueError:
        return {"result": "UNCHECKED", "message": "The validation server's answer is not JSON."}
    if isinstance(verdict, dict) and isinstance(verdict.get("validationResult"), dict):
        verdict = verdict["validationResult"]
    result = verdict.get("result") if isinstance(verdict, dict) else None
    if result not in ("VALID", "INVALID"):
        return {"result": "UNCHECKED", "message": "The validation server gave no accepted answer."}
    message = verdict.get("message")
    return {"result": result, **({"message": str(message)} if message else {})}


def combine(definition: dict, values: dict[str, str]) -> dict | None:
    spec = definition.get("combine")
    if not spec:
        return None
    text = re.sub(r"\{([^{}]+)\}", lambda match: values.get(match[1], ""), spec["text"])
    return {"name": spec["name"], "text": text}


@lru_cache(maxsize=256)
def compiled(pattern: str):
    """On RE2: linear in the value whatever the pattern (a template's pattern must not stall the engine)."""
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options)


def pattern_matches(pattern: str, value: str) -> bool:
    try:
        return compiled(pattern).fullmatch(value) is not None
    except re2.error:
        return False  # refused when the template is deployed; one stored before is failed, not run
