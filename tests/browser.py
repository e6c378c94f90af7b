"""Real Chromium (Debian's) driven by Playwright; Playwright's own browser downloads are not used."""

import shutil
import threading
import time

import pytest
from django.core.signals import request_finished, request_started

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is missing: `make setup` installs Debian's chromium package.")
    return path


class RequestsInFlight:
    """Counts the requests Django is serving, so a test can wait for the live server to go quiet.

    Closing the browser does not stop a request the server already took (a save the last keystroke
    sent): left running, it holds row locks while the test database is flushed, and PostgreSQL ends
    the flush as a deadlock."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __enter__(self) -> "RequestsInFlight":
        request_started.connect(self.started)
        request_finished.connect(self.finished)
        return self

    def __exit__(self, *exc) -> None:
        request_started.disconnect(self.started)
        request_finished.disconnect(self.finished)

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count -= 1

    def wait_until_quiet(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.count > 0:
            if time.monotonic() > deadline:
                pytest.fail(f"the live server still serves {self.count} request(s) {timeout:.0f} s after closing")
            time.sleep(0.02)
