"""Fixtures built by code from sirocco.synth, never hand-typed blobs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from sirocco.synth.cases import iter_cases

# Property tests check what a function returns, not how fast: a first call that loads a
# transliteration table, on a busy machine, must not fail them (speed lives in benchmarks/).
settings.register_profile("sirocco", deadline=None)
settings.load_profile("sirocco")


def write_cases(path: Path, people: int, vehicles: int, seed: int) -> dict[str, str]:
    truth: dict[str, str] = {}
    with path.open("w", encoding="utf-8") as handle:
        for entity, identity in iter_cases(people, vehicles, seed=seed):
            truth[entity["id"]] = identity
            handle.write(json.dumps(entity, ensure_ascii=False) + "\n")
    return truth


@pytest.fixture(scope="session")
def action_day_cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """About 2,500 person and vehicle records from ten agencies, with ground truth."""
    path = tmp_path_factory.mktemp("cases") / "cases.jsonl"
    return path, write_cases(path, people=1000, vehicles=300, seed=7)


# Databases ------------------------------------------------------------------------------------
# Every database test runs on SQLite and on a real PostgreSQL. Outside CI, a machine without
# PostgreSQL skips the PostgreSQL half and says so at the end of the run; in CI it must be there.

POSTGRES_URL = os.environ.get(
    "SIROCCO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
POSTGRES_SKIPPED = (
    f"PostgreSQL not reachable at {POSTGRES_URL}: the PostgreSQL tests were skipped. To run them, "
    "start PostgreSQL there (trust auth, database 'test') or set SIROCCO_TEST_POSTGRES_URL."
)


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sirocco.db'}"
    if not _postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the PostgreSQL tests: {POSTGRES_SKIPPED}")
        pytest.skip(POSTGRES_SKIPPED)
    from sqlalchemy import create_engine, text

    from sirocco.store.database import normalise_url

    engine = create_engine(normalise_url(POSTGRES_URL))
    with engine.begin() as connection:  # a clean database for every test
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return POSTGRES_URL


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if any(POSTGRES_SKIPPED in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line(POSTGRES_SKIPPED, yellow=True, bold=True)
