"""Opening a database and bringing its schema up to date with Alembic."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sirocco.store.signal import CHANNEL, SERIALISED, TOLD, WRITTEN, hand_over, sender

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_URL = "sqlite:///sirocco.db"


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _to_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def open_database(url: str = DEFAULT_URL) -> Engine:
    # JSON columns (reports, answers, events' payloads) through orjson: the standard library's
    # encoder was the largest single cost of storing a report after matching it.
    engine = create_engine(
        normalise_url(url), json_serializer=_to_json, json_deserializer=orjson.loads
    )
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cursor.execute("PRAGMA synchronous=FULL")  # acknowledged means on disk
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def dialect_insert(dialect: str) -> Any:
    """The ``insert`` of a database kind's SQLAlchemy dialect (it knows ON CONFLICT)."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def local_writer(engine: Engine) -> threading.Lock:
    """The lock this process's SQLite writers queue on (held for a whole write transaction)."""
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(engine, threading.Lock())


_LOCK = text("SELECT pg_advisory_xact_lock(:id)")
_LOCK_AND_ANNOUNCE = text("SELECT pg_advisory_xact_lock(:id), pg_notify(:channel, :sender)")


@contextmanager
def serialised(engine: Engine, operation_id: int, announcing: bool = False) -> Iterator[Connection]:
    """A write transaction that no other writer of the operation runs beside.

    SQLite: BEGIN IMMEDIATE (one writer at a time, no deadlock on upgrade); PostgreSQL: a
    transaction-scoped advisory lock on the operation. Commits on success, rolls back on error.
    ``announcing``: the transaction will write events; on PostgreSQL, the notification that
    wakes other processes' streams is sent with the lock (one statement less).
    """
    # On SQLite, the writers of this process queue on a lock of their own: waiting in SQLite's
    # busy handler means sleeping in growing steps, which made the tail of a busy minute long.
    local = local_writer(engine) if engine.dialect.name == "sqlite" else nullcontext()
    with local, engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.begin()
            if announcing:
                connection.execute(_LOCK_AND_ANNOUNCE, {"id": operation_id, "channel": CHANNEL,
                                                        "sender": sender(engine)})  # fmt: skip
                connection.info[TOLD] = True
            else:
                connection.execute(_LOCK, {"id": operation_id})
        connection.info[SERIALISED] = True
        try:
            yield connection
            connection.commit()
            hand_over(connection, connection.info.get(WRITTEN, ()))
        except BaseException:
            connection.rollback()
            raise
        finally:  # what a transaction remembered must not outlive it (rolled-back keys recur)
            for key in [k for k in connection.info if str(k).startswith("sirocco_tx_")]:
                del connection.info[key]
