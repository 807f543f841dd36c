from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import delete, event, func, select, update

from sirocco.api import create_app
from sirocco.cli import main
from sirocco.store.audit import append, record
from sirocco.store.database import open_database, serialised, upgrade
from sirocco.store.operations import create_operation
from sirocco.store.tables import audit


def _busy_operation(url: str) -> Any:
    engine = open_database(url)
    upgrade(engine)
    tokens = create_operation(engine, "op", ["HU", "AT"])
    with TestClient(create_app(engine)) as client:
        for n in range(3):
            client.post("/api/v1/reports", headers={"Authorization": f"Bearer {tokens['HU']}"},
                        json={"id": f"r{n}", "entities": [{"id": f"e{n}", "schema": "Person",
                                                           "properties": {"name": ["Ion Popescu"]}}]})  # fmt: skip
        client.get("/api/v1/hits", headers={"Authorization": f"Bearer {tokens['OC']}"})
        client.get("/api/v1/reports/r0", headers={"Authorization": f"Bearer {tokens['HU']}"})
    return engine


def verify(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", "--db", url])
    return result.exit_code, result.output


def test_every_access_is_recorded_and_the_chain_verifies(database_url: str) -> None:
    engine = _busy_operation(database_url)
    with engine.connect() as connection:
        actions = list(
            connection.execute(select(audit.c.account, audit.c.action).order_by(audit.c.id))
        )
    assert [tuple(a) for a in actions] == [
        ("HU", "report.submit"), ("HU", "report.submit"), ("HU", "report.submit"),
        ("OC", "hits.read"), ("HU", "report.read")]  # fmt: skip
    assert verify(database_url) == (0, "audit log intact: 5 entries verified\n")


def test_a_changed_entry_is_detected(database_url: str) -> None:
    engine = _busy_operation(database_url)
    with engine.begin() as connection:
        connection.execute(update(audit).where(audit.c.id == 2).values(account="AT"))
    code, output = verify(database_url)
    assert code == 1 and "entry 2: its content was changed" in output


def test_a_removed_entry_is_detected(database_url: str) -> None:
    engine = _busy_operation(database_url)
    with engine.begin() as connection:
        connection.execute(delete(audit).where(audit.c.id == 3))
    code, output = verify(database_url)
    assert code == 1 and "entry 4: the entry before it was changed or removed" in output


def test_a_removed_last_entry_is_detected(database_url: str) -> None:
    engine = _busy_operation(database_url)
    with engine.begin() as connection:
        last = connection.execute(select(func.max(audit.c.id))).scalar()
        connection.execute(delete(audit).where(audit.c.id == last))
    code, output = verify(database_url)
    assert code == 1 and "last entries were removed" in output


def test_two_processes_and_a_rolled_back_entry_keep_one_chain(database_url: str) -> None:
    """Two engines on one database, as two server processes have, append in turn; one
    append is rolled back. Each process's guess of the head goes stale and is found so."""
    first, second = open_database(database_url), open_database(database_url)
    upgrade(first)
    create_operation(first, "op", ["HU", "AT"])
    record(first, 1, "HU", "report.read", "a")
    record(first, 1, "HU", "report.read", "b")
    record(second, 1, "AT", "report.read", "c")
    record(first, 1, "HU", "report.read", "d")  # its guess is two entries old
    with pytest.raises(RuntimeError), serialised(second, 1) as connection:
        append(connection, 1, "AT", "report.read", "rolled back")
        raise RuntimeError
    record(second, 1, "AT", "report.read", "e")  # its guess was never committed
    record(second, 1, "AT", "report.read", "f")
    with first.connect() as connection:
        targets = connection.execute(select(audit.c.target).order_by(audit.c.id)).scalars()
        assert list(targets) == ["a", "b", "c", "d", "e", "f"]
    assert verify(database_url) == (0, "audit log intact: 6 entries verified\n")
    first.dispose()
    second.dispose()


def test_an_entry_after_this_process_own_last_is_one_statement_on_postgresql(
    database_url: str,
) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "op", ["HU", "AT"])
    record(engine, 1, "HU", "report.read", "a")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    record(engine, 1, "HU", "report.read", "b")
    audit_statements = [s for s in statements if "audit" in s]
    assert len(audit_statements) == (1 if engine.dialect.name == "postgresql" else 3)
    assert verify(database_url) == (0, "audit log intact: 2 entries verified\n")
    engine.dispose()
