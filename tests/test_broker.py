"""The embedded broker under the threads of a Celery worker."""

import threading
from queue import Empty

from kombu import Connection

import ocrportal.celery  # noqa: F401  (registers the embedded broker's transport)


def test_a_requeue_from_the_pool_thread_while_the_consumer_polls_loses_nothing_and_breaks_nothing(tmp_path):
    # The consumer loop polls while the pool's supervisor thread puts back the message of a pool process
    # that died: both on one channel, one SQLAlchemy session. Unguarded, the session breaks within a few
    # hundred turns and the worker stops.
    channel = Connection(f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}").default_channel
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

    assert errors == []
    assert sorted(received) == list(range(300))
