"""The engine under parallel load: threads in one process, and several worker processes (gunicorn)."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.ocrengine.conftest import DEMO, ENGINE_SECRET, message

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, content: bytes, file_format: str) -> httpx.Response:
    import json

    return httpx.post(
        url,
        headers={"X-OCR-SECRET": ENGINE_SECRET},
        data={"message": json.dumps(message(file_format))},
        files={"file": (f"scan.{file_format}", content)},
        timeout=120,
    )


@pytest.fixture(scope="module")
def gunicorn_engine(tmp_path_factory):
    """The app in two gunicorn worker processes of two threads each, on its own database and DATA_DIR."""
    data_dir = tmp_path_factory.mktemp("engine-data")
    environ = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "DJANGO_", "OCR_"))
    }
    environ.update(DATA_DIR=str(data_dir), OCR_ENGINE_SECRET=ENGINE_SECRET, DJANGO_SETTINGS_MODULE="ocrportal.settings")
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=environ, check=True, capture_output=True)
    port = free_port()
    environ["PORT"] = str(port)  # the built-in engine's address, where import_template deploys
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "ocrportal.wsgi:application"],
        cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")
        time.sleep(0.3)
    templates = sorted(map(str, DEMO.glob("*.json")))
    subprocess.run([python, "manage.py", "import_template", *templates], cwd=ROOT, env=environ, check=True,
                   capture_output=True)  # fmt: skip
    yield f"{url}/ocr/local/infer", server
    server.terminate()
    server.wait(timeout=30)


def test_parallel_requests_across_worker_processes_all_succeed(gunicorn_engine, demo_samples):
    url, server = gunicorn_engine
    work = [(sample.content, sample.file_format, sample.template_id) for sample in demo_samples[:8]] * 2

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda item: call(url, item[0], item[1]), work))

    assert [response.status_code for response in responses] == [200] * len(work)
    matched = [response.json()["images"][0]["matchedTemplate"]["id"] for response in responses]
    assert matched == [template_id for _, _, template_id in work]
    first, second = responses[0].json()["images"][0], responses[8].json()["images"][0]
    assert [f["inferText"] for f in first["fields"]] == [f["inferText"] for f in second["fields"]]
    assert server.poll() is None


def test_bad_files_in_the_crowd_do_not_take_the_server_down(gunicorn_engine, demo_samples):
    from tests import samples

    url, server = gunicorn_engine
    bad = [(b"%PDF-1.4 nothing", "pdf"), (samples.decompression_bomb_png(), "png"), (b"\xff\xd8\xff garbage", "jpg")]
    good = (demo_samples[0].content, demo_samples[0].file_format)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda item: call(url, *item), bad * 2 + [good] * 2))

    assert [response.status_code for response in responses[:6]] == [400] * 6
    assert all(response.json()["code"] == "0011" for response in responses[:6])
    assert [response.json()["images"][0]["inferResult"] for response in responses[6:]] == ["SUCCESS", "SUCCESS"]
    assert server.poll() is None
