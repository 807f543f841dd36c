"""Receiving a report: validate, store, cross-match, notify — one transaction.

Acknowledged means durable: the report, its entities, their keys, the hits they raise and the
events that tell the data owners and the operational centre are committed together, or not at
all. Reports of one operation are matched one after another (an immediate transaction on SQLite,
an advisory lock on PostgreSQL), so of two reports sent at once the later always sees the earlier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select

from sirocco.access import (
    CATEGORIES,
    DISTRIBUTIONS,
    HANDLING_CODES,
    INFORMATION,
    SOURCES,
    Release,
    StoredEntity,
    may_see,
    withheld,
)
from sirocco.entities import parse_entity
from sirocco.figures import validate_incident
from sirocco.lookouts import meets, subject_profile
from sirocco.match.engine import Decision, Hit, Matcher
from sirocco.match.frequencies import PLATES, frequency_keys, new_plate_keys
from sirocco.match.links import linked
from sirocco.match.model import Model
from sirocco.match.profile import Profile, build_profile
from sirocco.store.audit import append
from sirocco.store.candidates import ProfileCache, StoreIndex, record_of_row
from sirocco.store.database import dialect_insert, serialised
from sirocco.store.operations import OPERATIONAL_CENTRE, Account, role_of
from sirocco.store.outbox import notify_each
from sirocco.store.profiles import stored_form
from sirocco.store.serials import insert_with_ids
from sirocco.store.tables import account as account_table
from sirocco.store.tables import alert, data_request, entity, hit, lookout, report

# The statements of a report's transaction, built once: building one costs several times
# running it on SQLite (about 160 us against 40).
_PARTICIPANTS = select(account_table.c.agency).where(
    account_table.c.operation_id == bindparam("operation"), account_table.c.role == "officer"
)
_EARLIER = select(report.c.answer).where(
    report.c.operation_id == bindparam("operation"),
    report.c.agency == bindparam("agency"),
    report.c.client_id == bindparam("client"),
)
_ANSWER = (
    report.update().where(report.c.id == bindparam("pk")).values(answer=bindparam("new_answer"))
)
_STORED_ENTITIES = (
    select(entity.c.id, entity.c.agency, entity.c.entity_id, entity.c.category, report.c.release)
    .join(report, report.c.id == entity.c.report_id)
    .where(entity.c.id.in_(bindparam("pks", expanding=True)))
)
_NEW_HITS = hit.insert().returning(hit.c.id, hit.c.left_pk, hit.c.right_pk)
_ACTIVE_LOOKOUTS = select(lookout).where(
    lookout.c.operation_id == bindparam("operation"), lookout.c.expires_at > bindparam("now")
)

TX_STORED = "sirocco_tx_stored"  # connection info: stored records the transaction knows

MAX_ENTITIES = 1_000


@lru_cache(maxsize=4)
def _new_report(dialect: str) -> Any:
    """Store a report unless its client id is taken (a retry); returns its primary key."""
    return (
        dialect_insert(dialect)(report)
        .on_conflict_do_nothing(index_elements=["operation_id", "agency", "client_id"])
        .returning(report.c.id)
    )


@lru_cache(maxsize=4)
def _new_entities(dialect: str) -> Any:
    """Store entities, skipping those whose id the agency already used; returns
    ``(entity_id, primary key)`` for those stored."""
    return (
        dialect_insert(dialect)(entity)
        .on_conflict_do_nothing(index_elements=["operation_id", "agency", "entity_id"])
        .returning(entity.c.entity_id, entity.c.id)
    )


class ReportError(ValueError):
    """A report that cannot be accepted; names the record and the field."""

    def __init__(self, record: str, field: str, message: str) -> None:
        super().__init__(f"{record}: {field}: {message}")
        self.record, self.field, self.message = record, field, message

    def to_dict(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field, "message": self.message}


def _release(client_id: str, body: dict[str, Any], participants: set[str]) -> Release:
    code = body.get("handling_code", "H0")
    if code not in HANDLING_CODES:
        raise ReportError(client_id, "handling_code", f"one of {', '.join(HANDLING_CODES)}")
    conditions = body.get("conditions")
    if code == "H3" and not (isinstance(conditions, str) and conditions.strip()):
        raise ReportError(client_id, "conditions", "H3 needs its restrictions in words")
    distribution = body.get("distribution", "all")
    if distribution not in DISTRIBUTIONS:
        raise ReportError(client_id, "distribution", f"one of {', '.join(DISTRIBUTIONS)}")
    agencies = body.get("agencies", [])
    if distribution == "agencies" and (
        not isinstance(agencies, list) or not agencies or not set(agencies) <= participants
    ):
        raise ReportError(client_id, "agencies", "a list of participating agencies is required")
    evaluation = body.get("evaluation", {})
    if not isinstance(evaluation, dict):
        raise ReportError(client_id, "evaluation", 'an object: {"source": "B", "information": "2"}')
    source, information = evaluation.get("source"), evaluation.get("information")
    if source is not None and source not in SOURCES:
        raise ReportError(client_id, "evaluation.source", "one of A, B, C, X")
    if information is not None and str(information) not in INFORMATION:
        raise ReportError(client_id, "evaluation.information", "one of 1, 2, 3, 4")
    return Release(code, conditions if code == "H3" else None, distribution,
                   tuple(agencies) if distribution == "agencies" else (), source,
                   None if information is None else str(information))  # fmt: skip


def _validate(account: Account, body: Any) -> tuple[str, list[Any], list[str | None]]:
    if not isinstance(body, dict):
        raise ReportError("(report)", "(body)", "a report is a JSON object")
    client_id = body.get("id")
    if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > 200:
        raise ReportError(
            "(report)", "id", "a report needs its own id: a string of 1-200 characters"
        )
    entities = body.get("entities")
    if not isinstance(entities, list) or not entities:
        raise ReportError(client_id, "entities", "a list of one or more entities is required")
    if len(entities) > MAX_ENTITIES:
        raise ReportError(client_id, "entities", f"at most {MAX_ENTITIES} entities a report")
    parsed = []
    categories: list[str | None] = []
    seen: set[str] = set()
    for number, data in enumerate(entities):
        category = data.get("category") if isinstance(data, dict) else None
        if category is not None and category not in CATEGORIES:
            raise ReportError(str(data.get("id")), "category", f"one of {', '.join(CATEGORIES)}")
        categories.append(category)
        result = parse_entity(data, f"entities[{number}]")
        if result.problems:  # the server refuses what xmatch would only warn about
            problem = result.problems[0]
            raise ReportError(problem.record, problem.field, problem.message)
        assert result.entity is not None
        claimed = set(result.entity.datasets)
        if claimed and claimed != {account.agency}:
            raise ReportError(result.entity.id, "datasets",
                              f"claims {sorted(claimed)}, but this account reports for {account.agency}")  # fmt: skip
        if result.entity.id in seen:
            raise ReportError(result.entity.id, "id", "appears twice in this report")
        seen.add(result.entity.id)
        parsed.append(result.entity)
    return client_id, parsed, categories


def submit_report(
    engine: Engine,
    account: Account,
    body: Any,
    model: Model,
    cache: ProfileCache | None = None,
) -> dict[str, Any]:
    """Store and cross-match a report; return the answer (the same answer on every retry).

    ``cache`` keeps the profiles of stored entities between reports (one cache per database).
    """
    if account.role != "officer" or account.agency is None:
        raise PermissionError("only an agency's officer account submits reports")
    client_id, entities, categories = _validate(account, body)
    with serialised(engine, account.operation_id, announcing=True) as connection:
        participants = set(
            connection.execute(_PARTICIPANTS, {"operation": account.operation_id}).scalars()
        )
        release = _release(client_id, body, participants)
        if "incident" in body:
            try:
                body = {**body, "incident": validate_incident(client_id, body["incident"])}
            except ValueError as error:
                field, message = str(error).split(": ", 1)
                raise ReportError(client_id, field, message) from None
        index = StoreIndex(connection, account.operation_id, cache=cache, repair=True)
        answer = _store(connection, account, client_id, body, entities, categories, release,
                        model, index, participants)  # fmt: skip
        append(connection, account.operation_id, account.name, "report.submit", client_id)
    index.publish()
    return answer


def _store(
    connection: Connection,
    account: Account,
    client_id: str,
    body: Any,
    entities: list[Any],
    categories: list[str | None],
    release: Release,
    model: Model,
    index: StoreIndex,
    participants: set[str],
) -> dict[str, Any]:
    """Store the report and its entities, match each entity in turn, then store the hits and
    every event in one statement each: a report's round trips do not grow with its hits."""
    agency = str(account.agency)
    now = datetime.now(UTC)
    report_pk = connection.execute(
        _new_report(connection.dialect.name),
        {"operation_id": account.operation_id, "agency": agency, "client_id": client_id,
         "account_id": account.id, "received_at": now, "body": body, "answer": {},
         "release": release.to_dict()},
    ).scalar()  # fmt: skip
    if report_pk is None:  # a retry: nothing is stored twice
        earlier = connection.execute(
            _EARLIER, {"operation": account.operation_id, "agency": agency, "client": client_id}
        ).scalar_one()
        return dict(earlier)
    messages = _report_told(agency, client_id, body, len(entities), release, participants, now)
    built = [build_profile(type(item)("", item.schema, item.properties, (agency,)))[0]
             for item in entities]  # fmt: skip
    # Each person's profile with what the report's other records say of them (a passport).
    profiles = linked(entities, built)
    pks = _store_entities(connection, account, report_pk, entities, categories, profiles)
    # The new records are known to this transaction as they were stored: not read back.
    known: dict[int, StoredEntity] = connection.info.setdefault(TX_STORED, {})
    for item, category, pk in zip(entities, categories, pks, strict=True):
        known[pk] = StoredEntity(pk, agency, item.id, release, category)
    matcher = Matcher(model, index)
    found: list[Hit] = []
    alerts: list[dict[str, Any]] = []
    watches = _active_lookouts(connection, account.operation_id, now)
    for profile, pk in zip(profiles, pks, strict=True):
        if profile is None:
            continue
        profile = replace(profile, id=str(pk))
        index.prefetch([*frequency_keys(profile), PLATES, "dated",
                        *(f"plate:{p.folded}" for p in profile.plates),
                        *(k for p in profile.plates for k in new_plate_keys(p.folded))])  # fmt: skip
        found += matcher.match(profile)
        for watch, watched in watches:
            if meets(watch.kind, watched, profile, model, index.frequencies):
                views = _raise_alert(connection, watch, known[pk], now, messages)
                alerts.append(views[agency])
        index.add(profile)
    known.update(index.records)  # the candidates' owners and releases, read with them
    told = record_hits(connection, account.operation_id, found, now, messages)
    notify_each(connection, account.operation_id, messages, now)
    answer = {
        "id": client_id,
        "entities": len(entities),
        "release": release.to_dict(),
        "hits": [views[agency] for views in told],
        "alerts": alerts,
    }
    connection.execute(_ANSWER, {"pk": report_pk, "new_answer": answer})
    return answer


def _store_entities(
    connection: Connection,
    account: Account,
    report_pk: int,
    entities: list[Any],
    categories: list[str | None],
    profiles: list[Profile | None],
) -> list[int]:
    """Store a report's entities in one statement; their primary keys, in order. An id the
    agency already used for another entity is refused, naming it."""
    rows = [{"operation_id": account.operation_id, "report_id": report_pk,
             "agency": account.agency, "entity_id": item.id, "schema": item.schema,
             "properties": {k: list(v) for k, v in item.properties.items()},
             "category": category, "profile": stored_form(profile)}
            for item, category, profile in zip(entities, categories, profiles, strict=True)]  # fmt: skip
    if not rows:
        return []
    inserted = connection.execute(_new_entities(connection.dialect.name), rows)
    stored = {row.entity_id: int(row.id) for row in inserted}
    for item in entities:
        if item.id not in stored:
            raise ReportError(
                item.id, "id", "this agency has already reported an entity with this id"
            )
    return [stored[item.id] for item in entities]


def _report_told(
    agency: str,
    client_id: str,
    body: dict[str, Any],
    entities: int,
    release: Release,
    participants: set[str],
    now: datetime,
) -> list[tuple[str, str, dict[str, Any]]]:
    """What tells every participant who may see the report that it came in (the live feed)."""
    incident = body.get("incident") or {}
    payload = {"id": client_id, "agency": agency, "entities": entities, "at": now.isoformat(),
               "incident": {k: incident[k] for k in ("time", "place", "kind", "arrested",
                                                     "intercepted") if k in incident},
               "release": release.to_dict()}  # fmt: skip
    audiences = [a for a in [*sorted(participants), OPERATIONAL_CENTRE]
                 if may_see(a, role_of(a), agency, release)]  # fmt: skip
    return [(audience, "report", payload) for audience in audiences]


def stored_entity(connection: Connection, pk: int) -> StoredEntity:
    """A stored record with its owner, release and category (remembered for the rest of the
    transaction: a stored record never changes)."""
    return stored_entities(connection, [pk])[pk]


def stored_entities(connection: Connection, pks: Iterable[int]) -> dict[int, StoredEntity]:
    """Stored records by primary key, those not yet known to the transaction read at once."""
    known: dict[int, StoredEntity] = connection.info.setdefault(TX_STORED, {})
    wanted = set(pks)
    missing = sorted(wanted - known.keys())
    for start in range(0, len(missing), 500):
        rows = connection.execute(_STORED_ENTITIES, {"pks": missing[start : start + 500]})
        for row in rows:
            known[row.id] = record_of_row(row)
    return {pk: known[pk] for pk in wanted}


def record_hit(
    connection: Connection, operation_id: int, found: Hit, now: datetime
) -> dict[str, dict[str, Any]]:
    """Store a hit and tell each audience what it may know; return those views by audience."""
    return record_hits(connection, operation_id, [found], now)[0]


def record_hits(
    connection: Connection,
    operation_id: int,
    found: Sequence[Hit],
    now: datetime,
    messages: list[tuple[str, str, dict[str, Any]]] | None = None,
) -> list[dict[str, dict[str, Any]]]:
    """``record_hit`` for several hits, in a few statements whatever their number: the hits'
    views by audience, in the order given. With ``messages``, what to tell is added to them
    (for the caller to write with its other events) instead of written."""
    if not found:
        return []
    stored = stored_entities(connection, [int(pk) for h in found for pk in (h.left, h.right)])
    explanations = [h.explanation() for h in found]
    values = [{"operation_id": operation_id, "left_pk": int(h.left), "right_pk": int(h.right),
               "score": h.score, "decision": h.decision.value, "explanation": explained,
               "created_at": now} for h, explained in zip(found, explanations, strict=True)]  # fmt: skip
    if connection.dialect.name == "postgresql":  # keys first: see store/serials.py
        hit_pks = insert_with_ids(connection, hit, values)
    else:
        # A record meets each other record once in a batch: the pair names its row. (Asking for
        # the rows in the order given would make SQLite insert them one statement at a time.)
        inserted = connection.execute(_NEW_HITS, values)
        by_pair = {(row.left_pk, row.right_pk): int(row.id) for row in inserted}
        hit_pks = [by_pair[int(h.left), int(h.right)] for h in found]
    told: list[dict[str, dict[str, Any]]] = []
    telling: list[tuple[str, str, dict[str, Any]]] = [] if messages is None else messages
    for hit_pk, h, explained in zip(hit_pks, found, explanations, strict=True):
        views = _hit_views(hit_pk, stored[int(h.left)], stored[int(h.right)], h.score,
                           h.decision.value, explained)  # fmt: skip
        telling += [(audience, "hit", view) for audience, view in views.items()]
        told.append(views)
    if messages is None:
        notify_each(connection, operation_id, telling, now)
    return told


def revise_hit(
    connection: Connection,
    operation_id: int,
    hit_pk: int,
    judged: Hit,
    decision: str,
    now: datetime,
) -> dict[str, dict[str, Any]]:
    """A recorded hit judged again with more evidence (a sweep): its new score, decision and
    explanation replace the old, and every audience is told again under the same hit id.
    ``decision`` is ``judged``'s, or ``withdrawn`` when the pair is no longer judged the same."""
    row = connection.execute(select(hit.c.left_pk, hit.c.right_pk).where(hit.c.id == hit_pk)).one()
    left, right = stored_entity(connection, row.left_pk), stored_entity(connection, row.right_pk)
    explained = judged.explanation()
    connection.execute(
        hit.update()
        .where(hit.c.id == hit_pk)
        .values(score=judged.score, decision=decision, explanation=explained)
    )
    views = _hit_views(hit_pk, left, right, judged.score, decision, explained)
    notify_each(connection, operation_id, [(a, "hit", v) for a, v in views.items()], now)
    return views


def _hit_views(
    hit_pk: int,
    left: StoredEntity,
    right: StoredEntity,
    score: float,
    decision: str,
    explanation: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """What both owners and the operational centre may know of a hit, by audience."""
    return {
        audience: view_of_hit(
            audience, role_of(audience), hit_pk, left, right, score, decision, explanation
        )  # fmt: skip
        for audience in sorted({left.agency, right.agency, OPERATIONAL_CENTRE})
    }


def _active_lookouts(
    connection: Connection, operation_id: int, now: datetime
) -> list[tuple[Any, Profile]]:
    rows = connection.execute(_ACTIVE_LOOKOUTS, {"operation": operation_id, "now": now}).all()
    return [(row, subject_profile(row.kind, row.subject, row.agency)) for row in rows]


def _raise_alert(
    connection: Connection,
    watch: Any,
    record: StoredEntity,
    now: datetime,
    messages: list[tuple[str, str, dict[str, Any]]],
) -> dict[str, dict[str, Any]]:
    """Store an urgent alert and add what tells everyone concerned to ``messages``; return the
    views by audience."""
    alert_pk = connection.execute(
        alert.insert().values(
            operation_id=watch.operation_id,
            lookout_id=watch.id,
            entity_pk=record.pk,
            created_at=now,
        )  # fmt: skip
    ).inserted_primary_key[0]  # type: ignore[index]
    audiences = {watch.agency, record.agency, OPERATIONAL_CENTRE, *watch.countries}
    views = {
        audience: view_of_alert(audience, role_of(audience), alert_pk, watch, record, now)
        for audience in sorted(audiences)
    }
    messages += [(a, "alert", v) for a, v in views.items()]
    return views


def view_of_alert(
    viewer: str, role: str, alert_pk: int, watch: Any, record: StoredEntity, at: datetime
) -> dict[str, Any]:
    """An alert as one party may know it: the lookout in full (it was issued to be shared),
    the reported record as its distribution allows."""
    return {
        "id": alert_pk,
        "urgent": True,
        "lookout": watch.id,
        "kind": watch.kind,
        "watched": watch.subject,
        "note": watch.note,
        "issued_by": watch.agency,
        "countries": list(watch.countries),
        "reported_by": record.agency,
        "record": _side(viewer, role, record),
        "at": at.isoformat(),
    }


def granted_records(
    connection: Connection, operation_id: int, agency: str | None
) -> frozenset[int]:
    """The records whose owners granted this agency's requests for them."""
    rows = connection.execute(
        select(data_request.c.entity_pk).where(
            data_request.c.operation_id == operation_id,
            data_request.c.requester == agency,
            data_request.c.status == "granted",
        )
    )
    return frozenset(int(pk) for pk in rows.scalars())


def _side(
    viewer: str | None, role: str, record: StoredEntity, granted: frozenset[int] = frozenset()
) -> dict[str, Any]:
    if record.pk not in granted and not may_see(viewer, role, record.agency, record.release):
        return {"agency": record.agency, **withheld(record.agency)}
    side: dict[str, Any] = {"agency": record.agency, "id": record.entity_id,
                            "release": record.release.to_dict()}  # fmt: skip
    if record.category:
        side["category"] = record.category
    return side


def view_of_hit(
    viewer: str | None, role: str, hit_pk: int, left: StoredEntity, right: StoredEntity,
    score: float, decision: str, explanation: dict[str, Any], granted: frozenset[int] = frozenset(),
) -> dict[str, Any]:  # fmt: skip
    """A hit as one viewer may know it: a record it may not see (and was not granted) is
    withheld, and so is the explanation (it quotes both records)."""
    left_side = _side(viewer, role, left, granted)
    right_side = _side(viewer, role, right, granted)
    view: dict[str, Any] = {
        "id": hit_pk,
        "left": left_side.get("id"),
        "left_agency": left.agency,
        "right": right_side.get("id"),
        "right_agency": right.agency,
        "score": round(score, 4),
        "decision": decision,
        "records": [left_side, right_side],
    }
    if "withheld" not in left_side and "withheld" not in right_side:
        view["explanation"] = explanation
    return view


__all__ = ["Decision", "ReportError", "StoredEntity", "submit_report", "view_of_hit"]
