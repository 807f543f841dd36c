"""How many stored records hold each value (name parts, dates, phones, plates): the counts that
frequency-aware matching weighs agreements by, read and added to in the database."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, select

from sirocco.store.database import dialect_insert
from sirocco.store.tables import value_count

_COUNT = select(value_count.c.count).where(
    value_count.c.operation_id == bindparam("operation"), value_count.c.key == bindparam("key")
)


def stored_count(connection: Connection, operation_id: int, key: str) -> int:
    found = connection.execute(_COUNT, {"operation": operation_id, "key": key}).scalar()
    return int(found or 0)


@lru_cache(maxsize=4)
def _upsert(dialect: str) -> Any:
    """Add to a value's count, or start it (built once per database kind)."""
    statement = dialect_insert(dialect)(value_count)
    return statement.on_conflict_do_update(
        index_elements=["operation_id", "key"],
        set_={"count": value_count.c.count + statement.excluded.count},
    )


def add_counts(connection: Connection, operation_id: int, added: Counter[str]) -> None:
    """Add to the stored counts of values, in one statement."""
    if not added:
        return
    connection.execute(
        _upsert(connection.dialect.name),
        [{"operation_id": operation_id, "key": k, "count": n} for k, n in added.items()],
    )
