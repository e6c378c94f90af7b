"""The embedded broker under the threads of a Celery worker."""

import os
import signal
import threading
import time
from queue import Empty

import pytest
from kombu import Connection

import ocrportal.celery  # noqa: F401  (registers the embedded broker's transport)
from ocrportal import broker


def test_a_requeue_from_the_pool_thread_while_the_consumer_polls_loses_nothing_and_breaks_nothing(tmp_path):
    # The consumer loop polls while the pool's supervisor thread puts back the message of a pool process
    # that died: both on one channel, one SQLAlchemy session. Unguarded, the session breaks within a few
    # hundred turns and the worker stops.
    connection = Connection(f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}")
    channel = connection.default_channel
    assert isinstance(channel, broker.Channel)
    errors: list[Exception] = []
    received: list[int] = []

    def requeue() -> None:
        try:
            for number in range(300):
                channel._put("jobs", {"body": number})
        except Exception as error:  # the test reports what broke
            errors.append(error)

    def poll() -> None:
        try:
            while len(received) < 300 and not errors:
                try:
                    received.append(channel._get("jobs")["body"])
                except Empty:
                    pass
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=requeue), threading.Thread(target=poll)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    connection.close()
    assert errors == []
    assert sorted(received) == list(range(300))


def test_a_forked_pool_process_opens_its_own_broker_connections(tmp_path):
    # Kombu keeps its engines on the channel class: without a reset at fork, the pool process a worker forks
    # would publish over the very SQLite connection its parent polls with.
    connection = Connection(f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}")
    channel = connection.default_channel
    channel._put("jobs", {"body": 1})
    channel.session.close()  # the connection back in the engine's pool, as between polls
    engine = channel.session.get_bind()
    assert engine.pool.checkedin() == 1

    child = os.fork()
    if child == 0:  # the child reports how many connections its engine's pool holds; nothing more, quickly
        os._exit(10 + engine.pool.checkedin())
    deadline = time.monotonic() + 60
    while (done := os.waitpid(child, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        pytest.fail("the forked process did not finish")
    status = done[1]

    connection.close()
    assert os.waitstatus_to_exitcode(status) == 10
