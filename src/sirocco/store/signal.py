"""Waking the streams when something is committed, instead of making them poll.

Every commit on the engine fires the signal; each open stream waits on it (with a timeout, so
that events written by another process are still found by polling). On PostgreSQL, every
writer also sends ``NOTIFY sirocco_outbox`` in its transaction and each process listens, so a
commit by another server process wakes this one's streams too.

A serialised transaction of this process does better: once it has committed, the events it
wrote are handed over as they are (``hand_over``) to whoever receives them (the fan-out), which
need not read them back; its commit then wakes nobody.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import psycopg
from sqlalchemy import Connection, Engine, event, text

CHANNEL = "sirocco_outbox"
WRITTEN = "sirocco_tx_events"  # connection info: the events the transaction wrote
SERIALISED = "sirocco_tx_serialised"  # connection info: the transaction is a serialised one
HANDED = "sirocco_handed"  # connection info: its commit's events were handed over
TOLD = "sirocco_tx_told"  # connection info: the transaction has sent its notification
log = logging.getLogger(__name__)


class Written(NamedTuple):
    """An event as its transaction wrote it: the fields a stream reads from the outbox."""

    id: int
    type: str
    payload: dict[str, Any]
    audience: str
    operation_id: int


Receiver = Callable[[Sequence[Written]], None]
_SIGNALS: weakref.WeakKeyDictionary[Engine, weakref.WeakSet[CommitSignal]] = (
    weakref.WeakKeyDictionary()
)
_SIGNALS_LOCK = threading.Lock()


def hand_over(connection: Connection, written: Sequence[Written]) -> None:
    """After a commit: hand what the transaction wrote to the receivers of its engine's
    signals. Without a receiver, the commit wakes the streams as any other does."""
    if not written:
        return
    with _SIGNALS_LOCK:
        signals = list(_SIGNALS.get(connection.engine, ()))
    if any([signal.hand_over(written) for signal in signals]):
        connection.info[HANDED] = True


class CommitSignal:
    """Fired after commits; awaited by streams."""

    def __init__(self) -> None:
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self._closed = threading.Event()
        self._receivers: list[tuple[asyncio.AbstractEventLoop, Receiver]] = []
        self.generation = 0  # how many times it fired

    def attach(self, engine: Engine) -> None:
        # Fired once the connection is back in the pool, so that the commit is done by then.
        def committed(connection: Connection) -> None:
            connection.info["sirocco_committed"] = True

        def checked_in(_dbapi: Any, record: Any) -> None:
            if record is None:
                return
            handed = record.info.pop(HANDED, False)
            if record.info.pop("sirocco_committed", False) and not handed:
                self.fire()

        with _SIGNALS_LOCK:
            _SIGNALS.setdefault(engine, weakref.WeakSet()).add(self)

        event.listen(engine, "commit", committed)
        event.listen(engine.pool, "checkin", checked_in)
        if engine.dialect.name == "postgresql":
            self._listener = threading.Thread(
                target=self._listen, args=(engine,), name="sirocco-listen", daemon=True
            )
            self._listener.start()

    def receive(self, receiver: Receiver) -> None:
        """Have ``receiver`` called, on the running loop, with what each serialised
        transaction of this process wrote, once it has committed."""
        with self._lock:
            self._receivers.append((asyncio.get_running_loop(), receiver))

    def hand_over(self, written: Sequence[Written]) -> bool:
        """True if someone received it."""
        with self._lock:
            receivers = [r for r in self._receivers if not r[0].is_closed()]
            self._receivers = receivers
        handed = False
        for loop, receiver in receivers:
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                loop.call_soon_threadsafe(receiver, list(written))
                handed = True
        return handed

    def fire(self) -> None:
        with self._lock:
            self.generation += 1
            waiters = list(self._waiters)
        for loop, flag in waiters:
            with contextlib.suppress(RuntimeError):  # a closed loop: its stream is gone
                loop.call_soon_threadsafe(flag.set)

    async def wait(self, timeout: float, seen: int | None = None) -> None:
        """Until the next commit, or ``timeout`` seconds. With ``seen`` (the generation the
        caller read before looking at the database), at once if it fired since: a commit that
        came while the caller was reading is not slept through."""
        flag = asyncio.Event()
        waiter = (asyncio.get_running_loop(), flag)
        with self._lock:
            if seen is not None and self.generation != seen:
                return
            self._waiters.add(waiter)
        try:
            await asyncio.wait_for(flag.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    def close(self) -> None:
        self._closed.set()

    def _listen(self, engine: Engine) -> None:
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._closed.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    own = sender(engine)  # its commits were handed over or fired already
                    while not self._closed.is_set():
                        for note in connection.notifies(timeout=1.0):
                            if note.payload != own:
                                self.fire()
            except psycopg.Error as error:  # the database went away: retry, streams still poll
                log.warning("LISTEN %s: %s; retrying", CHANNEL, error)
                time.sleep(1.0)


_NOTIFY = text("SELECT pg_notify(:channel, :sender)")
_SENDERS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def sender(engine: Engine) -> str:
    """What this engine's notifications carry, so that its own listener can pass them over."""
    with _SIGNALS_LOCK:
        return _SENDERS.setdefault(engine, f"{os.getpid()}-{uuid.uuid4().hex}")


def announce(connection: Connection) -> None:
    """Within a write transaction: wake every process's streams when it commits."""
    if connection.dialect.name == "postgresql" and not connection.info.get(TOLD):
        # Once a transaction is enough.
        connection.execute(_NOTIFY, {"channel": CHANNEL, "sender": sender(connection.engine)})
        connection.info[TOLD] = True
