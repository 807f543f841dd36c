"""The outbox: what each audience is told, written in the transaction of what happened.

Streams read it in order; its ids are the Server-Sent Events ids. What a serialised transaction
writes is also kept with its connection, so that once it commits this process's streams can be
handed it without reading it back (``serialised`` hands it over).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sirocco.store.signal import SERIALISED, WRITTEN, Written, announce
from sirocco.store.tables import event


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
        connection.execute(event.insert(), rows)
        return
    ids = connection.execute(
        event.insert().returning(event.c.id, sort_by_parameter_order=True), rows
    ).scalars()
    connection.info.setdefault(WRITTEN, []).extend(
        Written(pk, row["type"], row["payload"], row["audience"], operation_id)
        for pk, row in zip(ids, rows, strict=True)
    )
