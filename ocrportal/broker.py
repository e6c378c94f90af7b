"""The embedded broker: kombu's SQLAlchemy transport, made safe for the threads of a Celery worker.

Kombu's channel keeps one SQLAlchemy session. The worker's consumer loop polls through it, and when a pool
process dies, the pool's supervisor thread requeues that process's message (task_reject_on_worker_lost)
through the same session. Two threads in one session leave it half-committed, and the worker stops on
"This session is in 'prepared' state". One lock per channel takes them in turn.
"""

import functools
import os
import threading

from kombu import transport
from kombu.transport import sqlalchemy


def _locked(method):
    """The channel's method, run holding the channel's session lock."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._session_lock:
            return method(self, *args, **kwargs)

    return locked


class Channel(sqlalchemy.Channel):
    def __init__(self, *args, **kwargs) -> None:
        self._session_lock = threading.RLock()
        super().__init__(*args, **kwargs)

    # Every way in to the session: ack, reject and restore reach it through _put, delete through _purge.
    _new_queue = _locked(sqlalchemy.Channel._new_queue)
    _put = _locked(sqlalchemy.Channel._put)
    _get = _locked(sqlalchemy.Channel._get)
    _purge = _locked(sqlalchemy.Channel._purge)
    _size = _locked(sqlalchemy.Channel._size)


class Transport(sqlalchemy.Transport):
    Channel = Channel
    # Polled every 0.1 s rather than kombu's 1 s, or each document waits up to a second to be picked up (a
    # cheap query on a local file). A class attribute, as the transport hands every transport option to
    # create_engine, which refuses `polling_interval`.
    polling_interval = 0.1


def register() -> None:
    """sqla+sqlite:// URLs resolve to this transport, in every process that loads the Celery app (kombu caches
    what it resolved: a connection made before this would otherwise keep kombu's own)."""
    for alias in ("sqla", "sqlalchemy"):
        transport.TRANSPORT_ALIASES[alias] = "ocrportal.broker:Transport"
        transport._transport_cache.pop(alias, None)


def _forget_inherited_connections() -> None:
    # Kombu keeps its engines on the channel class, so a forked pool process inherits the parent's pooled
    # SQLite connections: two processes on one connection. The child drops them unclosed (they are the
    # parent's) and opens its own.
    for engine, _ in sqlalchemy.Channel._engines.values():
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)
