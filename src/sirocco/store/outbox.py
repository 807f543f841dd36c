"""The outbox: what each audience is told, written in the transaction of what happened.

Streams read it in order; its ids are the Server-Sent Events ids. What a serialised transaction
writes is also kept with its connection, so that once it commits this process's streams can be
handed it without reading it back (``serialised`` hands it over).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sirocco.store.serials import insert_with_ids
from sirocco.store.signal import SERIALISED, WRITTEN, Written, announce
from sirocco.store.tables import event

_WRITE = event.insert()
_WRITE_RETURNING = event.insert().returning(
    event.c.id, event.c.type, event.c.payload, event.c.audience
)


def notify(
    connection: Connection,
    operation_id: int,
    audiences: Iterable[str],
    kind: str,
    payload: dict[str, Any],
    at: datetime,
) -> None:
    """Queue one event of ``kind`` with the same payload for each audience."""
    notify_each(connection, operation_id, ((a, kind, payload) for a in audiences), at)


def notify_each(
    connection: Connection,
    operation_id: int,
    messages: Iterable[tuple[str, str, dict[str, Any]]],
    at: datetime,
) -> None:
    """Queue events given as ``(audience, kind, payload)``, in that order, in one statement."""
    rows: list[dict[str, Any]] = [{"operation_id": operation_id, "audience": audience, "type": kind,
             "payload": payload, "created_at": at} for audience, kind, payload in messages]  # fmt: skip
    if not rows:
        return
    announce(connection)
    if not connection.info.get(SERIALISED):
        connection.execute(_WRITE, rows)
        return
    if connection.dialect.name == "postgresql":
        # Ids taken first (see store/serials.py), inside the operation's lock: they still grow
        # in the order of commits, as streams expect.
        insert_with_ids(connection, event, rows)
        connection.info.setdefault(WRITTEN, []).extend(
            Written(row["id"], row["type"], row["payload"], row["audience"], operation_id)
            for row in rows
        )
        return
    # Not in the order of the rows (on SQLite, asking for that order inserts them one by one):
    # each returned row says which event it is.
    written = connection.execute(_WRITE_RETURNING, rows).all()
    connection.info.setdefault(WRITTEN, []).extend(
        Written(pk, kind, payload, audience, operation_id)
        for pk, kind, payload, audience in sorted(written, key=lambda row: row[0])
    )
