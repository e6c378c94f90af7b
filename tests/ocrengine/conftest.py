import base64
import json
import time
import uuid
from pathlib import Path

import pytest
from django.test import Client

from ocrengine.demo.samples import Sample, generate
from ocrengine.template_files import template_import

DEMO = Path(__file__).resolve().parents[2] / "ocrengine" / "demo" / "templates"
ENGINE_SECRET = "engine-secret-for-tests"


@pytest.fixture(autouse=True)
def engine_secret(settings) -> str:
    settings.OCR_ENGINE_SECRET = ENGINE_SECRET
    return ENGINE_SECRET


@pytest.fixture
def demo_templates(db):
    return [template_import(path)[0] for path in sorted(DEMO.glob("*.json"))]


@pytest.fixture(scope="session")
def demo_samples() -> list[Sample]:
    """Ten filled demo forms: eight Korean claims, two Japanese applications, in every format."""
    return generate(10, seed=21)


def sample_of(samples: list[Sample], file_format: str, template_id: int = 390) -> Sample:
    return next(s for s in samples if s.file_format == file_format and s.template_id == template_id)


def message(file_format: str = "png", version: str = "V2", **extra) -> dict:
    image = {"format": file_format, "name": "demo", **extra.pop("image", {})}
    return {
        "version": version,
        "requestId": str(uuid.uuid4()),
        "timestamp": int(time.time() * 1000),
        "images": [image],
        **extra,
    }


def post_multipart(client: Client, content: bytes, body: dict, call: str = "infer", secret: str = ENGINE_SECRET):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"demo.{body['images'][0]['format']}", content)
    return client.post(
        f"/ocr/local/{call}", {"message": json.dumps(body), "file": upload}, headers={"X-OCR-SECRET": secret}
    )


def post_json(client: Client, content: bytes | None, body: dict, call: str = "infer", secret: str = ENGINE_SECRET):
    if content is not None:
        body["images"][0]["data"] = base64.b64encode(content).decode()
    return client.post(
        f"/ocr/local/{call}", json.dumps(body), content_type="application/json", headers={"X-OCR-SECRET": secret}
    )
