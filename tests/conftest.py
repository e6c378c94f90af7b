import os
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tests.clova_replay import ClovaReplay
from tests.factories import PASSWORD, DocumentFactory, ReviewerFactory, SupervisorFactory, UserFactory


@pytest.fixture(autouse=True)
def default_language():
    """A request in Korean switches the thread's language, and Django's LocaleMiddleware never switches it back:
    each test starts, and leaves, in the default language, whatever ran before it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def file_storage(settings, tmp_path) -> Path:
    """Each test stores its files in its own folder, so a test can see exactly what was left behind."""
    root = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def multipart(files: list[tuple[str, bytes]], **fields: str) -> tuple[bytes, str]:
    """A multipart body with file names exactly as given; Django's test client would strip folders."""
    boundary = "----ocrportal-test-boundary"
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files:
        escaped = name.replace('"', "%22")
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{escaped}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="session")
def replay_server():
    """One CLOVA replay on a loopback port for the whole run; `replay` resets it for each test."""
    replay = ClovaReplay()
    url, stop = replay.serve()
    yield replay, url
    stop()


@pytest.fixture(autouse=True)
def replay(replay_server, settings) -> ClovaReplay:
    """Every test's OCR domain is the replay: no test ever reaches the network."""
    replay, url = replay_server
    replay.reset()
    settings.OCR_TEMPLATE_INVOKE_URL = url
    settings.OCR_GENERAL_INVOKE_URL = url
    settings.OCR_TEMPLATE_SECRET = replay.secret
    settings.OCR_GENERAL_SECRET = replay.secret
    settings.OCR_RETRY_BASE_DELAY = 0.01
    settings.OCR_RETRY_MAX_DELAY = 0.05
    settings.OCR_READ_TIMEOUT = 2.0
    return replay


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def supervisor(db):
    return SupervisorFactory(username="sally-supervisor")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="rita-reviewer")


@pytest.fixture
def outsider(db):
    return UserFactory(username="oscar-outsider")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    return _client_for(reviewer)


@pytest.fixture
def supervisor_client(supervisor) -> Client:
    return _client_for(supervisor)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def make_document(db, reviewer, django_capture_on_commit_callbacks):
    """Upload a document and run what follows the commit (page rendering)."""

    def make(**kwargs):
        kwargs.setdefault("uploaded_by", reviewer)
        with django_capture_on_commit_callbacks(execute=True):
            return DocumentFactory(**kwargs)

    return make


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    # Assertions wait as long as a tab's own actions do (20 s): on a machine busy with other work a save and
    # the approval that waits for it took longer than expect's own 5 s, and a page that was right failed.
    expect.set_options(timeout=20_000)

    # Playwright's sync API keeps an event loop in this thread; the ORM calls tests make are still
    # plain synchronous code, so Django's async-context guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_tab(browser, live_server):
    """Opens a tab in a browser context of its own (its own cookies) on the live server.

    At the end every context is closed, then the test waits for the server to finish what the tabs
    had sent: a request still running holds row locks while the database is flushed for the next test."""
    from tests.browser import RequestsInFlight

    with RequestsInFlight() as requests:
        contexts = []

        def open_tab(**options):  # options of the browser context: has_touch=True for a touch screen
            context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options)
            contexts.append(context)
            tab = context.new_page()
            tab.set_default_timeout(20_000)
            return tab

        try:
            yield open_tab
        finally:
            failures = []
            for context in contexts:
                try:
                    context.close()
                except Exception as exc:  # the others are still closed, and waited for
                    failures.append(exc)
            requests.wait_until_quiet()
            if failures:
                raise failures[0]


@pytest.fixture
def page(new_tab):
    return new_tab()


@pytest.fixture
def engine_domain(live_server, settings):
    """The built-in engine, with the demo templates deployed, as the portal's OCR domain over HTTP."""
    from ocrengine.template_files import template_import
    from tests.ocrengine.conftest import DEMO, ENGINE_SECRET

    for path in sorted(DEMO.glob("*.json")):
        template_import(path)
    settings.OCR_ENGINE_SECRET = ENGINE_SECRET
    url = f"{live_server.url}/ocr/local"
    settings.OCR_TEMPLATE_INVOKE_URL = settings.OCR_GENERAL_INVOKE_URL = url
    settings.OCR_TEMPLATE_SECRET = settings.OCR_GENERAL_SECRET = ENGINE_SECRET
    settings.OCR_READ_TIMEOUT = 60.0  # real recognition, models loaded on the first call (not the replay's 2 s)
    return url
