from sqlalchemy import inspect

from sirocco.store.database import open_database, upgrade


def test_migrations_create_the_schema_and_are_idempotent(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"operation", "account", "report", "entity", "match_key", "hit", "event"} <= tables
    engine.dispose()
