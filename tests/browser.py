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
    """Knows when the live server has finished what the browser sent, so a test's end can wait for it.

    Closing the browser does not stop a request the server already took (a save the last keystroke
    sent): left running, it holds row locks while the test database is flushed, and PostgreSQL ends
    the flush as a deadlock. A request is tracked by the server thread that runs it; a thread that
    ended is done with its request even when Django's request_finished never came (a client that reset
    the connection mid-body). The server also counts as busy while any of its handler threads is
    alive, as a request can be read and not yet started; once no request runs and only idle kept-alive
    connections remain, that is quiet too."""

    HANDLER = "(process_request_thread)"  # socketserver's name for the thread of each connection
    SETTLE = 0.1  # seconds nothing may run, so a request still in the listen queue is accepted first
    IDLE = 2.0  # seconds after which handler threads with no request running are taken as kept-alive

    def __init__(self) -> None:
        self.running: set[threading.Thread] = set()
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
            self.running.add(threading.current_thread())

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.running.discard(threading.current_thread())

    def busy(self, waited: float) -> bool:
        with self.lock:
            running = [thread for thread in self.running if thread.is_alive()]
        if running:
            return True
        handlers = [thread for thread in threading.enumerate() if thread.name.endswith(self.HANDLER)]
        return bool(handlers) and waited < self.IDLE

    def wait_until_quiet(self, timeout: float = 30.0) -> None:
        started = time.monotonic()
        quiet_since = None
        while True:
            now = time.monotonic()
            if self.busy(now - started):
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= self.SETTLE:
                return
            if now - started > timeout:
                pytest.fail(f"the live server still serves a request {timeout:.0f} s after the browser closed")
            time.sleep(0.02)
