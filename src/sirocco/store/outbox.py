"""The outbox: what each audience is told, written in the transaction of what happened.

Streams read it in order; its ids are the Server-Sent Events ids.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sirocco.store.signal import announce
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
    rows = [{"operation_id": operation_id, "audience": audience, "type": kind,
             "payload": payload, "created_at": at} for audience, kind, payload in messages]  # fmt: skip
    if rows:
        announce(connection)
        connection.execute(event.insert(), rows)
