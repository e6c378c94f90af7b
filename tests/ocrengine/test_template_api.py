"""Deploying, exporting, undeploying and trying templates on the engine over HTTP (the builder's calls)."""

import base64
import json

import pytest

from ocrengine.models import EngineTemplate
from tests.ocrengine.conftest import DEMO, ENGINE_SECRET, message, post_multipart, sample_of

pytestmark = pytest.mark.django_db


def claim_file() -> dict:
    data = json.loads((DEMO / "claim-form.json").read_text())
    data["imageData"] = base64.b64encode((DEMO / "claim-form.png").read_bytes()).decode()
    return data


def send(client, method: str, url: str, body=None, secret: str = ENGINE_SECRET):
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json",
        headers={"X-OCR-SECRET": secret},
    )  # fmt: skip


def test_a_template_is_deployed_exported_and_undeployed(client):
    data = {**claim_file(), "id": 777, "name": "사본"}

    created = send(client, "put", "/ocr/local/templates/777", {"template": data})
    again = send(client, "put", "/ocr/local/templates/777", {"template": data})
    exported = send(client, "get", "/ocr/local/templates/777").json()
    undeployed = send(client, "delete", "/ocr/local/templates/777")

    assert (created.status_code, again.status_code) == (201, 200)
    assert (
        exported["deployed"] is True
        and exported["template"]["fields"] == json.loads((DEMO / "claim-form.json").read_text())["fields"]
    )
    assert base64.b64decode(exported["template"]["imageData"]).startswith(b"\x89PNG")
    assert undeployed.json() == {"id": 777, "deployed": False}
    assert EngineTemplate.objects.get(pk=777).deployed is False


def test_a_bad_template_is_refused_with_what_is_wrong(client):
    data = claim_file()
    data["id"] = 5
    data["fields"][0]["box"] = [1600, 2300, 500, 500]

    refused = send(client, "put", "/ocr/local/templates/5", {"template": data})
    mismatch = send(client, "put", "/ocr/local/templates/6", {"template": data})
    secret = send(client, "put", "/ocr/local/templates/5", {"template": data}, secret="wrong")

    assert refused.status_code == 400 and "lies outside" in refused.json()["message"]
    assert mismatch.status_code == 400 and "as in the URL" in mismatch.json()["message"]
    assert secret.status_code == 401
    assert not EngineTemplate.objects.filter(pk__in=[5, 6]).exists()


def test_a_draft_is_tried_on_a_page_without_deploying_it(client, demo_samples):
    sample = sample_of(demo_samples, "png")
    draft = {**claim_file(), "id": 4242, "name": "draft"}
    draft["fields"] = [field for field in draft["fields"] if field["name"] in ("name", "id", "fax-checkbox")]
    draft.pop("validation", None), draft.pop("combine", None)  # they name fields this draft leaves out

    response = send(
        client, "post", "/ocr/local/templates/try",
        {"template": draft, "page": {"format": "png", "data": base64.b64encode(sample.content).decode()}},
    )  # fmt: skip

    image = response.json()["image"]
    assert image["inferResult"] == "SUCCESS" and image["matchedTemplate"] == {"id": 4242, "name": "draft"}
    fields = {field["name"]: field for field in image["fields"]}
    assert set(fields) == {"name", "id", "fax-checkbox"}
    assert fields["id"]["inferText"] == sample.truth["id"]
    assert not EngineTemplate.objects.filter(pk=4242).exists()
    not_deployed = post_multipart(client, sample.content, message("png", templateIds=[4242]))
    assert not_deployed.json()["code"] == "1021"


def test_a_draft_tried_on_another_form_says_the_page_does_not_match_it(client, demo_samples):
    japanese = next(sample for sample in demo_samples if sample.template_id == 391)

    response = send(
        client, "post", "/ocr/local/templates/try",
        {"template": {**claim_file(), "id": 4243},
         "page": {"format": japanese.file_format, "data": base64.b64encode(japanese.content).decode()}},
    )  # fmt: skip

    image = response.json()["image"]
    assert response.status_code == 200 and image["inferResult"] == "FAILURE"
    assert "does not match this template" in image["message"] and "deployed" not in image["message"]


def test_trying_with_a_broken_page_is_a_clear_400(client):
    response = send(
        client, "post", "/ocr/local/templates/try",
        {"template": claim_file(), "page": {"format": "png", "data": base64.b64encode(b"not an image").decode()}},
    )  # fmt: skip

    assert response.status_code == 400 and response.json()["code"] == "invalid_request"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
def test_a_box_of_numbers_that_are_no_numbers_is_refused(client, number):
    """Python's JSON reader takes NaN, Infinity and 1e400 (infinite); a box drawn with them was a 500."""
    data = {**claim_file(), "id": 5}
    data["fields"][0]["box"] = [-12345, *data["fields"][0]["box"][1:]]
    raw = json.dumps({"template": data}).replace("-12345", number, 1)

    refused = client.put(
        "/ocr/local/templates/5", raw, content_type="application/json", headers={"X-OCR-SECRET": ENGINE_SECRET}
    )

    assert refused.status_code == 400 and "box must be" in refused.json()["message"]
    assert not EngineTemplate.objects.filter(pk=5).exists()
