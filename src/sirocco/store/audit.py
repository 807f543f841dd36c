"""The audit log: who read or wrote personal data, what, when — append-only and hash-chained.

Each entry's hash covers its content and the previous entry's hash, and a head row keeps the
chain's length and last hash; ``verify`` recomputes everything, so a changed, removed or
truncated entry is found. Entries are appended in the transaction of the action they record,
one writer at a time per operation.
"""

import hashlib
import json
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, bindparam, select, text

from sirocco.store.database import serialised
from sirocco.store.tables import audit, audit_head

GENESIS = "0" * 64
# Built once: appended with every report.
_HEAD = select(audit_head).where(audit_head.c.operation_id == bindparam("operation"))
_ENTRY = audit.insert()
_NEW_HEAD = audit_head.insert()
_MOVE_HEAD = (
    audit_head.update()
    .where(audit_head.c.operation_id == bindparam("operation"))
    .values(entries=bindparam("new_entries"), hash=bindparam("new_hash"))
)
# PostgreSQL, when the head is the one this process last wrote: the head moved and the entry
# added in one statement, which adds nothing if the head has moved since (another process).
_APPEND_AFTER = text(
    "WITH moved AS (UPDATE audit_head SET entries = :new_entries, hash = :new_hash"
    " WHERE operation_id = :operation AND entries = :entries AND hash = :previous"
    " RETURNING operation_id)"
    " INSERT INTO audit (operation_id, at, account, action, target, previous, hash)"
    " SELECT operation_id, :at, :account, :action, :target, :previous, :new_hash FROM moved"
)
# The head each engine's process last wrote, by operation: a guess, checked by _APPEND_AFTER.
_LAST_HEADS: weakref.WeakKeyDictionary[Engine, dict[int, tuple[int, str]]] = (
    weakref.WeakKeyDictionary()
)
_LAST_HEADS_LOCK = threading.Lock()


def _digest(previous: str, operation_id: int, at: datetime, account: str, action: str,
            target: str) -> str:  # fmt: skip
    content = json.dumps([previous, operation_id, at.isoformat(), account, action, target],
                         ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    return hashlib.sha256(content.encode()).hexdigest()


def record(engine: Engine, operation_id: int, account: str, action: str, target: str) -> None:
    """Add an entry in a transaction of its own (for reads)."""
    with serialised(engine, operation_id) as connection:
        append(connection, operation_id, account, action, target)


def append(
    connection: Connection, operation_id: int, account: str, action: str, target: str
) -> None:
    """Add an entry inside the caller's ``serialised`` transaction."""
    # Stored without microseconds' time zone ambiguity: the digest uses what is stored.
    at = datetime.now(UTC).replace(microsecond=0)
    target = target[:500]
    with _LAST_HEADS_LOCK:
        last = _LAST_HEADS.setdefault(connection.engine, {})
        guess = last.get(operation_id)
    if guess is not None and connection.dialect.name == "postgresql":
        entries, previous = guess
        digest = _digest(previous, operation_id, at, account, action, target)
        added = connection.execute(
            _APPEND_AFTER,
            {"operation": operation_id, "entries": entries, "previous": previous,
             "new_entries": entries + 1, "new_hash": digest, "at": at, "account": account,
             "action": action, "target": target},
        )  # fmt: skip
        if added.rowcount == 1:
            with _LAST_HEADS_LOCK:
                last[operation_id] = (entries + 1, digest)
            return
    head = connection.execute(_HEAD, {"operation": operation_id}).first()
    previous, entries = (head.hash, head.entries) if head else (GENESIS, 0)
    digest = _digest(previous, operation_id, at, account, action, target)
    connection.execute(_ENTRY, {"operation_id": operation_id, "at": at, "account": account,
                                "action": action, "target": target, "previous": previous,
                                "hash": digest})  # fmt: skip
    if head is None:
        connection.execute(_NEW_HEAD, {"operation_id": operation_id, "entries": 1, "hash": digest})
    else:
        connection.execute(
            _MOVE_HEAD, {"operation": operation_id, "new_entries": entries + 1, "new_hash": digest}
        )
    # Kept even if the transaction rolls back: the guess is then wrong, and found so.
    with _LAST_HEADS_LOCK:
        last[operation_id] = (entries + 1, digest)


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    problems: list[str]


def verify(connection: Connection) -> Verification:
    """Recompute every operation's chain; list what does not hold."""
    problems: list[str] = []
    count = 0
    heads = {row.operation_id: row for row in connection.execute(select(audit_head))}
    chains: dict[int, tuple[str, int]] = {}
    for row in connection.execute(select(audit).order_by(audit.c.id)):
        count += 1
        previous, length = chains.get(row.operation_id, (GENESIS, 0))
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        if row.previous != previous:
            problems.append(f"entry {row.id}: the entry before it was changed or removed")
        if (
            _digest(row.previous, row.operation_id, at, row.account, row.action, row.target)
            != row.hash
        ):
            problems.append(f"entry {row.id}: its content was changed")
        chains[row.operation_id] = (row.hash, length + 1)
    for operation_id in set(heads) | set(chains):
        last, length = chains.get(operation_id, (GENESIS, 0))
        head = heads.get(operation_id)
        if head is None or head.hash != last or head.entries != length:
            problems.append(
                f"operation {operation_id}: the log's last entries were removed or its head changed"
            )
    return Verification(count, problems)
