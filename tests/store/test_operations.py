from typing import Any

from sqlalchemy import delete, event

from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import SignedIn, create_operation
from sirocco.store.tables import account


def test_a_token_is_read_once_in_its_time_and_an_unknown_one_every_time(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "op", ["HU", "AT"])
    statements: list[Any] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    signed_in = SignedIn(engine, seconds=60)
    first = signed_in.account(tokens["HU"])
    assert first is not None and (first.agency, first.role) == ("HU", "officer")
    read = len(statements)
    assert signed_in.account(tokens["HU"]) == first
    assert len(statements) == read  # not read again
    assert signed_in.account("not a token") is None
    assert signed_in.account("not a token") is None
    assert len(statements) == read + 2  # an unknown token is asked about every time
    with engine.begin() as connection:
        connection.execute(delete(account).where(account.c.name == "HU"))
    assert signed_in.account(tokens["HU"]) == first  # within its time
    assert SignedIn(engine, seconds=0).account(tokens["HU"]) is None
    engine.dispose()
