"""Taking a table's next primary keys before inserting rows (PostgreSQL).

Rows inserted with their keys already known go as one statement sent once per row: psycopg
parses it once, PostgreSQL prepares it, and the rows travel pipelined. Inserted with RETURNING,
they go as one long statement, different for every number of rows, parsed again each time, and
what they return is read back. Keys are taken in the caller's transaction.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, TextClause, text


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
