"""Taking a table's next primary keys before inserting rows (PostgreSQL).

Rows inserted with their keys already known go as one statement sent once per row: psycopg
parses it once, PostgreSQL prepares it, and the rows travel pipelined. Inserted with RETURNING,
they go as one long statement, different for every number of rows, parsed again each time, and
what they return is read back. Keys are taken in the caller's transaction.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Insert, Table, TextClause, text


@lru_cache(maxsize=16)
def _take(table: str) -> TextClause:
    return text(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)"
    )


def take_ids(connection: Connection, table: str, n: int) -> list[int]:
    """``n`` new primary keys of ``table``, in increasing order (PostgreSQL only)."""
    if n <= 0:
        return []
    return sorted(int(pk) for pk in connection.execute(_take(table), {"n": n}).scalars())


def insert_with_ids(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table`` with keys taken first (PostgreSQL only); each row is given
    its ``id``, and the keys are returned in the order of the rows."""
    ids = take_ids(connection, table.name, len(rows))
    for row, pk in zip(rows, ids, strict=True):
        row["id"] = pk
    connection.execute(_insert(table), rows)
    return ids


@lru_cache(maxsize=16)
def _insert(table: Table) -> Insert:
    return table.insert()  # built once: building costs more than running it
