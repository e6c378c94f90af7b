"""The same intake, rendering and serving on S3-compatible object storage (moto's server on loopback)."""

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import httpx
import pytest
from botocore.config import Config

from documents.intake import IntakeError
from documents.models import Document
from documents.services import document_delete, document_upload
from tests import samples

pytestmark = pytest.mark.django_db
BUCKET = "ocrportal-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing-secret", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(endpoint, timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        region_name=CREDENTIALS["region_name"],
        config=Config(signature_version="s3v4"),
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "location": "ocrportal",
                "default_acl": "private",
                "file_overwrite": True,
                **CREDENTIALS,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_upload_and_its_pages_go_to_the_bucket(bucket, make_document, reviewer_client):
    content = samples.pdf(2)

    document = make_document(content=content, name="claim.pdf")

    stored = keys(bucket)
    assert f"ocrportal/{document.file.name}" in stored
    assert len([key for key in stored if key.startswith("ocrportal/pages/")]) == 4  # 2 images, 2 thumbnails
    original = bucket.get_object(Bucket=BUCKET, Key=f"ocrportal/{document.file.name}")["Body"].read()
    assert original == content
    response = reviewer_client.get(f"/documents/{document.pk}/pages/1/image")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert document.pages.get(index=1).width == 1653


def test_objects_are_private(bucket, make_document, s3_endpoint):
    document = make_document(name="a.png")

    response = httpx.get(f"{s3_endpoint}/{BUCKET}/ocrportal/{document.file.name}")

    assert response.status_code == 403


def test_a_refused_upload_leaves_nothing_in_the_bucket(bucket, reviewer):
    with pytest.raises(IntakeError):
        document_upload(file=io.BytesIO(samples.encrypted_pdf()), name="locked.pdf", uploaded_by=reviewer)

    assert Document.objects.count() == 0
    assert keys(bucket) == []


def test_deleting_a_document_empties_its_objects(bucket, make_document, django_capture_on_commit_callbacks):
    document = make_document(content=samples.pdf(1), name="claim.pdf")
    assert keys(bucket)

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document)

    assert keys(bucket) == []
