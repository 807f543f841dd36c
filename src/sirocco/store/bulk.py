"""Loading a reference list (known smugglers, vehicles of interest, earlier registrations) in bulk.

A reference list is stored like a report of the agency that provides it, in chunks, with its
records' match keys and value counts written in batches; its records are not matched against
each other on the way in (a sweep does that), but every later report is matched against them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, select

from sirocco.entities import Entity, Problem
from sirocco.match.frequencies import frequency_keys, new_plate_keys
from sirocco.match.keys import candidate_keys
from sirocco.match.links import linked
from sirocco.match.profile import build_profile
from sirocco.store.audit import append
from sirocco.store.counts import add_counts, stored_count
from sirocco.store.database import serialised
from sirocco.store.profiles import stored_form
from sirocco.store.tables import account, entity, match_key, report

CHUNK = 5_000


@dataclass(slots=True)
class Loaded:
    records: int = 0
    chunks: int = 0


def _chunks(items: Iterable[Entity], size: int) -> Iterator[list[Entity]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def load_reference(
    engine: Engine,
    operation_id: int,
    agency: str,
    name: str,
    entities: Iterable[Entity],
    release: dict[str, Any] | None = None,
    advance: Callable[[int], None] = lambda _: None,
    on_problem: Callable[[Problem], None] = lambda _: None,
) -> Loaded:
    """Store ``entities`` as the reference list ``name`` of ``agency``, chunk by chunk (each
    chunk one transaction)."""
    with engine.connect() as connection:
        officer = connection.execute(
            select(account.c.id).where(
                account.c.operation_id == operation_id,
                account.c.agency == agency,
                account.c.role == "officer",
            )
        ).scalar()
    if officer is None:
        raise ValueError(f"agency {agency!r} takes no part in this operation")
    loaded = Loaded()
    for number, chunk in enumerate(_chunks(entities, CHUNK)):
        with serialised(engine, operation_id) as connection:
            _load_chunk(connection, operation_id, agency, officer, f"{name}#{number}", chunk,
                        release or {}, on_problem)  # fmt: skip
            append(connection, operation_id, agency, "reference.load", f"{name}#{number}")
        loaded.records += len(chunk)
        loaded.chunks += 1
        advance(len(chunk))
    return loaded


def _load_chunk(
    connection: Connection,
    operation_id: int,
    agency: str,
    officer: int,
    client_id: str,
    chunk: list[Entity],
    release: dict[str, Any],
    on_problem: Callable[[Problem], None],
) -> None:
    body = {"id": client_id, "reference": client_id.split("#")[0], "entities": len(chunk)}
    report_pk = connection.execute(
        report.insert().values(operation_id=operation_id, agency=agency, client_id=client_id,
                               account_id=officer, received_at=datetime.now(UTC), body=body,
                               answer={"id": client_id, "entities": len(chunk), "hits": [],
                                       "alerts": []},
                               release={"handling_code": "H0", "distribution": "all", **release})
    ).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip
    built = []  # each record's profile, stored with it; its id is the row's key
    for item in chunk:
        profile, problems = build_profile(type(item)("", item.schema, item.properties, (agency,)))
        for problem in problems:  # named by the list's own id, not the store's key
            on_problem(Problem(item.id, problem.field, problem.message))
        built.append(profile)
    built = linked(chunk, built)  # what the chunk's records say of each other (a passport)
    rows = [
        {"operation_id": operation_id, "report_id": report_pk, "agency": agency,
         "entity_id": item.id, "schema": item.schema,
         "properties": {k: list(v) for k, v in item.properties.items()}, "category": None,
         "profile": stored_form(profile)}
        for item, profile in zip(chunk, built, strict=True)
    ]  # fmt: skip
    stored = connection.execute(
        entity.insert().returning(entity.c.id, sort_by_parameter_order=True), rows
    ).all()
    keys: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for (pk,), profile in zip(stored, built, strict=True):
        if profile is None:
            continue
        profile = replace(profile, id=str(pk))
        keys += [{"operation_id": operation_id, "key": k, "entity_pk": pk}
                 for k in sorted(candidate_keys(profile))]  # fmt: skip
        counts.update(frequency_keys(profile))
        for plate in profile.plates:
            plate_key = f"plate:{plate.folded}"
            if not counts[plate_key] and not stored_count(connection, operation_id, plate_key):
                counts.update(new_plate_keys(plate.folded))
            counts[plate_key] += 1
    if keys:
        connection.execute(match_key.insert(), keys)
    add_counts(connection, operation_id, counts)


def settle(engine: Engine) -> None:
    """After loading in bulk: on PostgreSQL, vacuum and analyse the tables a load fills, so
    that postings are read from the index alone (the vacuum marks the new pages all-visible)
    and the planner knows their sizes. Autovacuum would do it too, later. Nothing on SQLite."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("match_key", "entity", "value_count"):
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
