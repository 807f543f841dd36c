from sqlalchemy import inspect

from sirocco.store.database import open_database, upgrade


def test_migrations_create_the_schema_and_are_idempotent(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"operation", "account", "report", "entity", "match_key", "hit", "event"} <= tables
    engine.dispose()


def test_migrations_match_the_tables(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from sirocco.store.tables import metadata

    engine = open_database(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == [], "tables.py changed without a migration"
    engine.dispose()
