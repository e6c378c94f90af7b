"""The vendor page's own sample clients, changed only in URL, secret and image, against the engine."""

import ast
import functools
import json
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from documents.clova.protocol import parse_response
from tests.ocrengine.conftest import ENGINE_SECRET, sample_of

pytestmark = pytest.mark.django_db(transaction=True)
VENDOR = Path(__file__).resolve().parents[1] / "fixtures" / "vendor"


@pytest.fixture
def image_server(tmp_path):
    """Serves tmp_path on loopback, for the examples that send an image URL."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def engine_url(live_server, demo_templates) -> str:
    return f"{live_server.url}/ocr/local/infer"


@pytest.fixture
def files(tmp_path, demo_samples):
    (tmp_path / "scan.jpg").write_bytes(sample_of(demo_samples, "jpg").content)
    (tmp_path / "image.png").write_bytes(sample_of(demo_samples, "png").content)
    return tmp_path


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_protocol_answer(body: str) -> dict:
    answer = json.loads(body)
    parse_response(body)
    assert answer["version"] == "V2"
    [image] = answer["images"]
    assert {"uid", "name", "inferResult", "message", "fields", "validationResult"} <= set(image)
    assert image["name"] == "demo"
    assert image["inferResult"] == "SUCCESS", image["message"]
    assert image["matchedTemplate"]["id"] == 390
    return image


def example(name: str, replacements: dict[str, str], folder: Path) -> Path:
    """The vendor's sample with its placeholders filled in, and nothing else changed."""
    code = (VENDOR / name).read_text()
    for placeholder, value in replacements.items():
        assert placeholder in code
        code = code.replace(placeholder, value)
    path = folder / name
    path.write_text(code)
    return path


def test_the_python_multipart_example(engine_url, files):
    script = example(
        "python_multipart.py",
        {"YOUR_API_URL": engine_url, "YOUR_SECRET_KEY": ENGINE_SECRET, "YOUR_IMAGE_FILE": str(files / "scan.jpg")},
        files,
    )

    printed = run([sys.executable, str(script)], files).strip()

    assert_protocol_answer(ast.literal_eval(printed).decode("utf8"))


def test_the_python_json_example_with_an_image_url(engine_url, files, image_server):
    script = example(
        "python_json.py",
        {"YOUR_API_URL": engine_url, "YOUR_SECRET_KEY": ENGINE_SECRET, "YOUR_IMAGE_URL": f"{image_server}/scan.jpg"},
        files,
    )

    assert_protocol_answer(run([sys.executable, str(script)], files))


def test_the_curl_multipart_example(engine_url, files):
    script = example(
        "curl_multipart.sh", {"your apigw invoke url": engine_url, "your secret key": ENGINE_SECRET}, files
    )

    image = assert_protocol_answer(run(["bash", str(script)], files))

    assert image["fields"][0]["name"] == "name"


def test_the_curl_json_example(engine_url, files, image_server):
    script = example(
        "curl_json.sh",
        {
            "your apigw invoke url": engine_url,
            "your secret key": ENGINE_SECRET,
            "your image url": f"{image_server}/scan.jpg",
        },
        files,
    )

    answer = run(["bash", str(script)], files)

    assert json.loads(answer)["requestId"] == "guide-json-demo"
    assert_protocol_answer(answer)
