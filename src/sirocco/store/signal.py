"""Waking the streams when something is committed, instead of making them poll.

Every commit on the engine fires the signal; each open stream waits on it (with a timeout, so
that events written by another process are still found by polling). On PostgreSQL, every
writer also sends ``NOTIFY sirocco_outbox`` in its transaction and each process listens, so a
commit by another server process wakes this one's streams too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, event, text

CHANNEL = "sirocco_outbox"
log = logging.getLogger(__name__)


class CommitSignal:
    """Fired after commits; awaited by streams."""

    def __init__(self) -> None:
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self._closed = threading.Event()
        self.generation = 0  # how many times it fired

    def attach(self, engine: Engine) -> None:
        # Fired once the connection is back in the pool, so that the commit is done by then.
        def committed(connection: Connection) -> None:
            connection.info["sirocco_committed"] = True

        def checked_in(_dbapi: Any, record: Any) -> None:
            if record is not None and record.info.pop("sirocco_committed", False):
                self.fire()

        event.listen(engine, "commit", committed)
        event.listen(engine.pool, "checkin", checked_in)
        if engine.dialect.name == "postgresql":
            self._listener = threading.Thread(
                target=self._listen, args=(engine,), name="sirocco-listen", daemon=True
            )
            self._listener.start()

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
                    while not self._closed.is_set():
                        for _ in connection.notifies(timeout=1.0):
                            self.fire()
            except psycopg.Error as error:  # the database went away: retry, streams still poll
                log.warning("LISTEN %s: %s; retrying", CHANNEL, error)
                time.sleep(1.0)


def announce(connection: Connection) -> None:
    """Within a write transaction: wake every process's streams when it commits."""
    if connection.dialect.name == "postgresql" and not connection.info.get("sirocco_tx_told"):
        connection.execute(text(f"NOTIFY {CHANNEL}"))  # once a transaction is enough
        connection.info["sirocco_tx_told"] = True
