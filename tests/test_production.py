"""The production way, as `OCRPORTAL_ENV=production make run` starts it (scripts/run.sh): migrations and
collectstatic, gunicorn, a Celery worker and one beat, on PostgreSQL and Redis. A document goes from upload
to export over HTTP, static files are served, and no secret is printed.

Runs in the PostgreSQL pass of the suite, with REDIS_URL set (as CI does); it makes its own database.
"""

import io
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from django.db import connection
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "pr0d-" + uuid.uuid4().hex + "-K3y!x9$Kq7vR2mZ@pL4wE8nT#yB6cU1hJ5gF3dS0a"
ENGINE_SECRET = "engine-" + uuid.uuid4().hex
PASSWORD = "prod-" + uuid.uuid4().hex
HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of it says

pytestmark = [pytest.mark.django_db, pytest.mark.worker]


@pytest.fixture
def production(tmp_path):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    settings = connection.settings_dict
    name = f"ocrportal_prod_{uuid.uuid4().hex[:8]}"
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"]
    admin = f"host={host} port={port} user={user}"
    with psycopg.connect(f"{admin} dbname=postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    web_port = free_port()
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_", "OCR_"))}
    environ.update(
        OCRPORTAL_ENV="production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="ocr.example.com",
        OCR_ENGINE_SECRET=ENGINE_SECRET,
        DATABASE_URL=f"postgres://{user}@{host}:{port}/{name}",
        CELERY_BROKER_URL=os.environ["REDIS_URL"],
        CELERY_QUEUE=f"prod-{uuid.uuid4().hex[:8]}",
        DATA_DIR=str(tmp_path),
        PORT=str(web_port),
        WEB_CONCURRENCY="1",
        WORKER_CONCURRENCY="1",
        DJANGO_SUPERUSER_USERNAME="boss",
        DJANGO_SUPERUSER_EMAIL="boss@example.com",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    log = (tmp_path / "run.log").open("wb")
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"], cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_until_healthy(base, process, tmp_path)
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "createsuperuser", "--noinput"],
            cwd=ROOT, env=environ, check=True, capture_output=True,
        )  # fmt: skip
        yield base, tmp_path / "run.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        with psycopg.connect(f"{admin} dbname=postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def memo(text: str) -> bytes:
    image = Image.new("L", (1200, 400), 255)
    ImageDraw.Draw(image).text((80, 150), text, fill=0, font=ImageFont.load_default(size=64))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(base: str, process: subprocess.Popen, folder: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, (folder / "run.log").read_text(errors="replace")[-3000:]
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail("production set-up not healthy:\n" + (folder / "run.log").read_text(errors="replace")[-3000:])


def test_production_takes_a_document_from_upload_to_export_over_http(production):
    base, log = production
    client = httpx.Client(base_url=base, headers={**HTTPS, "Host": "ocr.example.com"}, timeout=60)

    login = client.get("/login/")
    assert login.status_code == 200
    stylesheets = [part.split('"')[0] for part in login.text.split('href="/static/')[1:]]
    assert stylesheets and all(client.get(f"/static/{path}").status_code == 200 for path in stylesheets)

    token = client.post("/api/auth/token/", data={"username": "boss", "password": PASSWORD}).json()["token"]
    client.headers["Authorization"] = f"Token {token}"
    upload = client.post(
        "/api/documents/", data={"mode": "general"}, files={"file": ("memo.png", memo("INVOICE 2026"))}
    )
    assert upload.status_code == 201, upload.text
    document = upload.json()["id"]
    deadline = time.monotonic() + 120
    while (status := client.get(f"/api/documents/{document}/").json()["status"]) not in ("needs_review", "failed"):
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        time.sleep(0.5)
    assert status == "needs_review", client.get(f"/api/documents/{document}/").json()

    assert client.post(f"/api/documents/{document}/approve/").status_code == 200
    exported = client.get("/api/exports/json/")
    assert exported.status_code == 200
    assert "INVOICE" in exported.text and "memo.png" in exported.text

    printed = log.read_text(errors="replace")
    assert "gunicorn" in printed.lower() and "beat" in printed.lower()
    for secret in (SECRET_KEY, ENGINE_SECRET, PASSWORD, token):
        assert secret not in printed
