"""SQLite: a serving process's commits leave the write-ahead log to a thread of its own."""

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from sirocco.store import checkpoints
from sirocco.store.checkpoints import Checkpointer
from sirocco.store.database import open_database, serialised


def _autocheckpoint(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())


def _write(engine: object, rows: int) -> None:
    with engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(text("CREATE TABLE IF NOT EXISTS t (x TEXT)"))
        connection.execute(text("INSERT INTO t VALUES (:x)"), [{"x": "x" * 3000}] * rows)


def test_commits_leave_the_log_to_the_checkpointer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sirocco.db"
    engine = open_database(f"sqlite:///{path}")
    assert _autocheckpoint(engine) == 1000  # SQLite's default, before the server starts
    checkpointer = Checkpointer(engine, every_seconds=0.5)
    checkpointer.start()
    try:
        assert _autocheckpoint(engine) == 0
        _write(engine, 2000)  # about 2,000 pages: past where a commit would checkpoint
        # The commit left its pages in the log: the database file itself has not grown...
        assert path.stat().st_size < 1_000_000
        for _ in range(100):  # ... until the thread moves them
            if path.stat().st_size > 5_000_000:
                break
            time.sleep(0.05)
        assert path.stat().st_size > 5_000_000
        # A log the thread cannot keep small: commits checkpoint themselves again.
        monkeypatch.setattr(checkpoints, "LIMIT", -1)
        time.sleep(1.2)  # the thread's next round finds it
        engine.pool.dispose()
        assert _autocheckpoint(engine) == 1000
    finally:
        checkpointer.stop()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 2000
    engine.dispose()


def test_it_does_nothing_on_postgresql_or_in_memory() -> None:
    engine = open_database("sqlite://")
    assert not Checkpointer(engine).applies
    engine.dispose()


def test_a_log_written_to_all_the_time_is_still_started_over(tmp_path: Path) -> None:
    path = tmp_path / "sirocco.db"
    engine = open_database(f"sqlite:///{path}")
    _write(engine, 1)
    checkpointer = Checkpointer(engine, every_seconds=0.05, restart_pages=1_000)
    checkpointer.start()
    try:
        for _ in range(300):  # about 6,000 pages, a transaction every few milliseconds
            with serialised(engine, 1) as connection:
                connection.execute(text("INSERT INTO t VALUES (:x)"), [{"x": "x" * 3000}] * 20)
            time.sleep(0.002)
    finally:
        checkpointer.stop()
    # Without starting over, the log would hold every page written: about 25 MB.
    assert Path(f"{path}-wal").stat().st_size < 8_000_000
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 6001
    engine.dispose()


class _CountingLock:
    def __init__(self) -> None:
        self.taken = 0

    def __enter__(self) -> None:
        self.taken += 1

    def __exit__(self, *_: object) -> None:
        pass


def test_writers_are_held_back_only_to_start_a_long_log_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sirocco.db"
    engine = open_database(f"sqlite:///{path}")
    lock = _CountingLock()
    monkeypatch.setattr(checkpoints, "local_writer", lambda _engine: lock)
    checkpointer = Checkpointer(engine, every_seconds=0.05, restart_pages=1_000)
    checkpointer.start()
    try:
        _write(engine, 100)  # a short log: moved beside the writers, round after round
        time.sleep(0.5)
        assert lock.taken == 0
        _write(engine, 2_000)  # a long one: started over, the writers held back for it
        for _ in range(100):
            if lock.taken:
                break
            time.sleep(0.05)
        assert lock.taken >= 1
    finally:
        checkpointer.stop()
    engine.dispose()


def test_lifespans_that_overlap_share_one_thread(tmp_path: Path) -> None:
    """Several lifespans of one app (a test client per thread) start and stop it; it runs until
    the last has stopped, and checkouts in other threads meanwhile never see its listener
    change (a listener added or removed during a checkout failed it)."""
    engine = open_database(f"sqlite:///{tmp_path / 'sirocco.db'}")
    checkpointer = Checkpointer(engine, every_seconds=0.05)
    stop_checkouts = threading.Event()
    failures: list[BaseException] = []

    def check_out() -> None:
        while not stop_checkouts.is_set():
            try:
                _autocheckpoint(engine)
            except BaseException as error:  # noqa: BLE001 - collected, asserted below
                failures.append(error)

    threads = [threading.Thread(target=check_out) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(20):
            checkpointer.start()
            checkpointer.start()
            checkpointer.stop()
            engine.pool.dispose()
            assert _autocheckpoint(engine) == 0  # one lifespan still holds it
            checkpointer.stop()
            engine.pool.dispose()
            assert _autocheckpoint(engine) == 1000  # none: commits checkpoint themselves
    finally:
        stop_checkouts.set()
        for thread in threads:
            thread.join()
    assert not failures
    engine.dispose()
