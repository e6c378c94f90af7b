"""Validation by rules and by a template's validation server, as CLOVA's "External validation" does."""

import json
import random
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from ocrengine.demo.forms import claim_form
from ocrengine.demo.samples import claim_values
from ocrengine.template_files import template_import
from tests.ocrengine.conftest import DEMO, message, post_multipart
from tests.ocrengine.test_recognition import png, scan

pytestmark = pytest.mark.django_db


class Validator:
    """A customer's validation server on loopback: answers what the test scripts, records what it got."""

    def __init__(self) -> None:
        self.answer: tuple[int, bytes, float] = (200, b'{"result": "VALID"}', 0.0)
        self.received: list[dict] = []
        validator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                validator.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                status, body, delay = validator.answer
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/validate"


@pytest.fixture
def validator():
    server = Validator()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def template_with_validator(validator, tmp_path, settings):
    settings.OCR_ENGINE_VALIDATION_TIMEOUT = 0.5
    data = json.loads((DEMO / "claim-form.json").read_text())
    data["validation"] = {"url": validator.url}
    shutil.copy(DEMO / "claim-form.png", tmp_path / "claim-form.png")
    (tmp_path / "claim-form.json").write_text(json.dumps(data, ensure_ascii=False))
    return template_import(tmp_path / "claim-form.json")[0]


def validation_of(content: bytes) -> dict:
    return post_multipart(Client(), content, message("png")).json()["images"][0]["validationResult"]


@pytest.fixture(scope="module")
def form_png() -> bytes:
    return png(scan(claim_values(random.Random(30))))


def test_no_validation_configured_is_no_requested(db, tmp_path, form_png):
    data = json.loads((DEMO / "claim-form.json").read_text())
    data.pop("validation")
    shutil.copy(DEMO / "claim-form.png", tmp_path / "claim-form.png")
    (tmp_path / "t.json").write_text(json.dumps(data, ensure_ascii=False))
    template_import(tmp_path / "t.json")

    assert validation_of(form_png) == {"result": "NO_REQUESTED"}


def test_the_validation_server_gets_the_result_and_its_verdict_is_reported(
    template_with_validator, validator, form_png
):
    validator.answer = (200, json.dumps({"result": "INVALID", "message": "계좌 확인 필요"}).encode(), 0.0)

    assert validation_of(form_png) == {"result": "INVALID", "message": "계좌 확인 필요"}
    [posted] = validator.received
    assert posted["image"]["validationResult"] == {"result": "UNCHECKED"}
    assert posted["image"]["matchedTemplate"]["id"] == claim_form().template_id
    assert {field["name"] for field in posted["image"]["fields"]} >= {"name", "id", "fax-checkbox"}


def test_a_valid_verdict(template_with_validator, validator, form_png):
    validator.answer = (200, b'{"result": "VALID"}', 0.0)

    assert validation_of(form_png) == {"result": "VALID"}


def test_a_validation_server_that_times_out_leaves_the_page_unchecked(template_with_validator, validator, form_png):
    validator.answer = (200, b'{"result": "VALID"}', 1.5)

    assert validation_of(form_png)["result"] == "UNCHECKED"


def test_a_failing_validation_server_is_an_error(template_with_validator, validator, form_png):
    validator.answer = (500, b"oops", 0.0)

    assert validation_of(form_png)["result"] == "ERROR"


def test_an_answer_without_a_verdict_is_unchecked(template_with_validator, validator, form_png):
    validator.answer = (200, b'{"fine": true}', 0.0)

    assert validation_of(form_png)["result"] == "UNCHECKED"


def test_a_templates_pattern_weighs_in_confidence_without_ever_backtracking():
    """The confidence model asks whether a value fits the template's pattern, on RE2 like validation: a pattern
    that backtracks exponentially in Python's `re` (here for hours on 60 characters) answers at once."""
    from ocrengine.recognition import confidence

    def features(text: str, pattern: str) -> dict:
        return confidence.text_features(
            glyphs=[], text=text, second=None, space_doubt=0.0, routes=["latin"], uncovered=0.0,
            ink_width=100.0, height=20.0, lang="ko", numeric=False, pattern=pattern,
        )  # fmt: skip

    hostile = r"([\w.]+)*@[\w.]+"
    assert features("hong.gildong.example.co.kr" * 2 + "abcdefgh", hostile)["pattern_fails"] == 1.0
    assert features("hong@example.co.kr", hostile)["pattern_fits"] == 1.0
    unusable = features("0000", r"(\d)\1{3}")  # RE2 cannot run it: neither for nor against
    assert (unusable["pattern_fails"], unusable["pattern_fits"]) == (0.0, 0.0)
