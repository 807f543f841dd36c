"""SQLite: moving the write-ahead log into the database beside the writers, not in their way.

By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that one
report waits while four megabytes are written to random places of the database and synced,
which on a large database made the slowest reports of a busy server. A serving process
therefore turns that off for its own connections and checkpoints from a thread of its own,
``PASSIVE`` (never waiting for, nor blocking, a reader or the writer), every so often.

SQLite starts the log over only once all of it has been moved; a log written to all the time
never is, and grows. Once the log is longer than ``RESTART_PAGES``, a round therefore moves
what came during its first pass with this process's writers held back for that moment (a few
reports' pages, and a sync of the database), so that the next write starts the log over. Only
then: holding the writers back at every round put that moment in the way of two reports a
second.

Durability does not depend on checkpoints: a commit is on disk once the log is synced.
Should the log still hold more than ``LIMIT`` pages (a checkpoint that cannot catch up),
commits go back to checkpointing themselves until it is small again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

from sirocco.store.database import local_writer

EVERY_SECONDS = 0.5
LIMIT = 50_000  # pages of log beyond which commits checkpoint themselves again (200 MB)
RESTART_PAGES = 4_096  # pages of log (16 MB) beyond which a round also starts it over
log = logging.getLogger(__name__)


class Checkpointer:
    def __init__(
        self,
        engine: Engine,
        every_seconds: float = EVERY_SECONDS,
        restart_pages: int = RESTART_PAGES,
    ) -> None:
        self.engine = engine
        self.every_seconds = every_seconds
        self.restart_pages = restart_pages
        self.path = engine.url.database
        self._stop = threading.Event()  # the running thread's own: a new thread gets a new one
        self._thread: threading.Thread | None = None
        self._commits_checkpoint = False  # the fallback: the log grew past LIMIT
        self._lock = threading.Lock()
        self._users = 0  # lifespans that started it and have not stopped it
        if self.applies:
            # Listened to from now on, never added or removed later: a connection checked out
            # in another thread walks the listeners, and must not find them changing.
            event.listen(self.engine, "checkout", self._checked_out)

    @property
    def applies(self) -> bool:
        return self.engine.dialect.name == "sqlite" and self.path not in (None, "", ":memory:")

    def start(self) -> None:
        """Start the thread; started again (another lifespan of the same app), it counts."""
        if not self.applies:
            return
        with self._lock:
            self._users += 1
            if self._thread is not None:
                return
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop,), name="sirocco-checkpoint", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop the thread once every start has been matched by a stop."""
        with self._lock:
            self._users = max(self._users - 1, 0)
            thread = self._thread
            if thread is None or self._users:
                return
            self._thread = None
            self._stop.set()
        thread.join()

    def _checked_out(self, dbapi: Any, record: Any, _proxy: Any) -> None:
        # While the thread does not run, commits checkpoint themselves (SQLite's default).
        wanted = 1000 if self._thread is None or self._commits_checkpoint else 0
        if record.info.get("sirocco_autocheckpoint") != wanted:
            dbapi.execute(f"PRAGMA wal_autocheckpoint={wanted}")
            record.info["sirocco_autocheckpoint"] = wanted

    def _run(self, stop: threading.Event) -> None:
        connection = sqlite3.connect(str(self.path), timeout=0, check_same_thread=False)
        try:
            while not stop.wait(self.every_seconds):
                self._checkpoint(connection)
            self._checkpoint(connection)  # what is left, so that the log does not wait for a start
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            # Most of the log is moved beside the writers. A log that is written to all the
            # time is never wholly moved, though, and SQLite only starts it over when it is:
            # once it is long, what came meanwhile (a few reports' pages) is moved with this
            # process's writers held back, so that the next write starts the log over.
            _busy, pages, done = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if pages > self.restart_pages:
                with local_writer(self.engine):
                    checkpoint = connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    _busy, pages, done = checkpoint.fetchone()
            self._commits_checkpoint = pages - done > LIMIT
        except sqlite3.Error as error:  # busy or gone: the next round tries again
            log.debug("checkpoint: %s", error)
