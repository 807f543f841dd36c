"""The operational picture's data: what one account may see, shaped for the views.

Every function takes a connection and the account, and returns only what ``may_see`` (or a
granted request) allows that account: records, the hits between them, the network they form,
the incidents on the map and the pursuit routes, search results and the day's report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import networkx as nx
from sqlalchemy import Connection, func, select

from sirocco.access import Release, may_see
from sirocco.entities import Entity
from sirocco.exchange import granted_records
from sirocco.figures import figures
from sirocco.lookouts import meets, subject_profile
from sirocco.match.engine import assess
from sirocco.match.model import Model
from sirocco.match.profile import Profile, build_profile
from sirocco.store.candidates import ProfileCache, StoreIndex
from sirocco.store.operations import Account
from sirocco.store.tables import alert, entity, hit, hit_review, lookout, report

LINKING = ("match", "confirmed")  # hits that join two records into one identity


@dataclass(slots=True)
class Record:
    pk: int
    agency: str
    entity_id: str
    schema: str
    properties: dict[str, list[str]]
    category: str | None
    report: str  # the agency's report id
    received_at: datetime
    release: Release
    incident: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        props = self.properties
        for name in ("name", "registrationNumber", "number", "full"):
            if props.get(name):
                return props[name][0]
        if props.get("firstName") or props.get("lastName"):
            return " ".join([*props.get("firstName", []), *props.get("lastName", [])])
        return self.entity_id

    def profile(self, cache: ProfileCache | None = None) -> Profile | None:
        """The record as the matcher reads it (kept in ``cache``, shared with live matching:
        a stored record never changes)."""
        if cache is not None:
            cached, profile = cache.get(self.pk)
            if cached:
                return profile
        built, _ = build_profile(
            Entity(str(self.pk), self.schema, {k: tuple(v) for k, v in self.properties.items()},
                   (self.agency,))
        )  # fmt: skip
        if cache is not None:
            cache.put(self.pk, built)
        return built


@dataclass(slots=True)
class HitRow:
    id: int
    left: int
    right: int
    score: float
    decision: str  # match, possible, withdrawn
    explanation: dict[str, Any]
    review: str | None = None  # confirmed, rejected (the latest review)

    @property
    def status(self) -> str:
        return self.review or self.decision


@dataclass(slots=True)
class Picture:
    """What an account may see of an operation."""

    records: dict[int, Record] = field(default_factory=dict)
    hits: list[HitRow] = field(default_factory=list)


def _visible(account: Account, record: Record, granted: frozenset[int]) -> bool:
    return record.pk in granted or may_see(account.agency, account.role, record.agency,
                                           record.release)  # fmt: skip


def picture(connection: Connection, account: Account) -> Picture:
    """The records the account may see and the hits between two of them."""
    granted = granted_records(connection, account.operation_id, account.agency)
    rows = connection.execute(
        select(entity, report.c.client_id, report.c.received_at, report.c.release, report.c.body)
        .join(report, report.c.id == entity.c.report_id)
        .where(entity.c.operation_id == account.operation_id)
    )  # fmt: skip
    seen = Picture()
    for row in rows:
        body = row.body if isinstance(row.body, dict) else {}
        record = Record(row.id, row.agency, row.entity_id, row.schema, row.properties, row.category,
                        row.client_id, row.received_at, Release.from_dict(row.release or {}),
                        body.get("incident") or body.get("sighting"))  # fmt: skip
        if _visible(account, record, granted):
            seen.records[record.pk] = record
    reviews = latest_reviews(connection, account.operation_id)
    for row in connection.execute(select(hit).where(hit.c.operation_id == account.operation_id)):
        if row.left_pk in seen.records and row.right_pk in seen.records:
            seen.hits.append(HitRow(row.id, row.left_pk, row.right_pk, row.score, row.decision,
                                    row.explanation, reviews.get(row.id)))  # fmt: skip
    return seen


def latest_reviews(connection: Connection, operation_id: int) -> dict[int, str]:
    latest = (
        select(hit_review.c.hit_id, func.max(hit_review.c.id).label("last"))
        .where(hit_review.c.operation_id == operation_id)
        .group_by(hit_review.c.hit_id)
        .subquery()
    )
    rows = connection.execute(
        select(hit_review.c.hit_id, hit_review.c.verdict).join(
            latest, latest.c.last == hit_review.c.id
        )
    )
    return {row.hit_id: row.verdict for row in rows}


def operation_figures(connection: Connection, operation_id: int) -> dict[str, Any]:
    """The operation's figures from its reports' incidents (figures are not personal data:
    every participant sees them whole)."""
    rows = connection.execute(
        select(report.c.agency, report.c.body).where(report.c.operation_id == operation_id)
    ).all()
    return figures((row.agency, row.body["incident"]) for row in rows if "incident" in row.body)


# Identities and profiles -------------------------------------------------------------------


def identities(seen: Picture, statuses: tuple[str, ...] = LINKING) -> dict[int, int]:
    """Each record's identity: the smallest key of the records linked to it by hits of
    ``statuses`` (confirmed always; a rejected hit never links)."""
    graph = nx.Graph()
    graph.add_nodes_from(seen.records)
    graph.add_edges_from((h.left, h.right) for h in seen.hits if h.status in statuses)
    return {pk: min(group) for group in nx.connected_components(graph) for pk in group}


def identity_of(seen: Picture, pk: int) -> list[Record]:
    """The records reported of the same real-world person or vehicle as ``pk``, oldest first."""
    ids = identities(seen)
    wanted = ids.get(pk)
    members = [seen.records[p] for p, i in ids.items() if i == wanted]
    return sorted(members, key=lambda r: (r.received_at, r.pk))


# The network ---------------------------------------------------------------------------------


def network(seen: Picture) -> nx.Graph:
    """Persons, vehicles, phones, documents and incidents as a graph.

    Confirmed identities are one node; records linked by a ``match`` not yet reviewed are joined
    by a ``match`` edge; each record is joined to the report it came in (an incident, a
    registration, a check), and phones and documents shared by persons are nodes of their own.
    """
    confirmed = identities(seen, ("confirmed",))
    graph = nx.Graph()
    for pk, record in seen.records.items():
        node = f"r{confirmed[pk]}"
        if node not in graph:
            graph.add_node(node, kind=record.schema.lower(), label=record.label, agencies="",
                           records=0, category=record.category or "",
                           href=f"/ui/entities/{record.agency}/{record.entity_id}")  # fmt: skip
        data = graph.nodes[node]
        data["records"] += 1
        data["agencies"] = "+".join(sorted(set(filter(None, data["agencies"].split("+")))
                                           | {record.agency}))  # fmt: skip
        report_node = f"i{record.agency}/{record.report}"
        if report_node not in graph:
            incident = record.incident or {}
            graph.add_node(report_node, kind="incident" if record.incident else "report",
                           label=f"{record.agency} {incident.get('place', record.report)}",
                           agencies=record.agency, records=0, category="")  # fmt: skip
        graph.add_edge(node, report_node, relation="reported in")
        profile = record.profile() if record.schema == "Person" else None
        if profile is not None:
            for kind, values in (("phone", profile.phones), ("document", profile.documents)):
                for value in sorted(values):
                    graph.add_node(f"{kind[0]}{value}", kind=kind, label=value, agencies="",
                                   records=0, category="")  # fmt: skip
                    graph.add_edge(node, f"{kind[0]}{value}", relation="uses")
    for found in seen.hits:
        a, b = f"r{confirmed[found.left]}", f"r{confirmed[found.right]}"
        if a != b and found.status == "match":
            graph.add_edge(a, b, relation="match", score=round(found.score, 3), hit=found.id)
    return graph


def network_summary(graph: nx.Graph, top: int = 5) -> list[dict[str, Any]]:
    """The connected groups with more than one person or vehicle, largest first, with their
    most connected members (degree centrality)."""
    groups = []
    centrality = nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else {}
    for component in nx.connected_components(graph):
        people = [n for n in component if graph.nodes[n]["kind"] in ("person", "vehicle")]
        if len(people) < 2:
            continue
        ranked = sorted(people, key=lambda n: (-centrality.get(n, 0), n))[:top]
        groups.append({"size": len(component), "members": len(people),
                       "central": [{"node": n, "label": graph.nodes[n]["label"],
                                    "degree": graph.degree(n)} for n in ranked]})  # fmt: skip
    return sorted(groups, key=lambda g: -g["size"])


def network_json(graph: nx.Graph) -> dict[str, Any]:
    group_of = {n: i for i, c in enumerate(nx.connected_components(graph)) for n in c}
    return {
        "nodes": [{"id": n, "group": group_of[n], "degree": graph.degree(n), **d}
                  for n, d in graph.nodes(data=True)],
        "links": [{"source": a, "target": b, **d} for a, b, d in graph.edges(data=True)],
        "groups": network_summary(graph),
    }  # fmt: skip


# The map ------------------------------------------------------------------------------------


def _position(record: Record) -> dict[str, Any] | None:
    where = record.incident
    if not where or "latitude" not in where:
        return None
    return {"lat": where["latitude"], "lon": where["longitude"], "place": where.get("place", ""),
            "time": where.get("time") or record.received_at.isoformat(), "agency": record.agency,
            "report": record.report}  # fmt: skip


def map_data(connection: Connection, account: Account, seen: Picture) -> dict[str, Any]:
    """Incidents with their figures, and each lookout's route: where its subject was reported
    by the issuer and then met by later reports, in time order."""
    incidents: dict[str, dict[str, Any]] = {}
    for record in seen.records.values():
        position = _position(record)
        if position and record.incident and "arrested" in record.incident:
            incidents.setdefault(f"{record.agency}/{record.report}", {
                **position, "kind": record.incident.get("kind", ""),
                "arrested": record.incident["arrested"],
                "intercepted": record.incident["intercepted"]})  # fmt: skip
    routes = []
    index, default = StoreIndex(connection, account.operation_id), Model.default()
    for watch in connection.execute(
        select(lookout).where(lookout.c.operation_id == account.operation_id)
    ):
        watched = subject_profile(watch.kind, watch.subject, watch.agency)
        met = {row.entity_pk for row in connection.execute(
            select(alert.c.entity_pk).where(alert.c.lookout_id == watch.id))}  # fmt: skip
        points = []
        for record in seen.records.values():
            position = _position(record)
            if position is None:
                continue
            if record.pk in met:
                points.append({**position, "step": "met"})
            elif record.agency == watch.agency and record.received_at <= watch.created_at:
                profile = record.profile()
                if (
                    profile is not None
                    and profile.kind is watched.kind
                    and meets(watch.kind, watched, profile, default, index.frequencies)
                ):
                    points.append({**position, "step": "origin"})
        if points:
            points.sort(key=lambda p: p["time"])
            routes.append({"lookout": watch.id, "kind": watch.kind, "issued_by": watch.agency,
                           "subject": watch.subject if watch.kind != "person" else "person",
                           "countries": watch.countries, "note": watch.note, "points": points})  # fmt: skip
    return {"incidents": list(incidents.values()), "routes": routes}


# Search --------------------------------------------------------------------------------------


def _name_cover(query: Profile, record: Profile) -> float:
    """A search is often one name: how much of the query's names the record's names cover
    (by sound, so any script or spelling)."""
    wanted = {part.skeleton for part in query.names}
    held = {part.skeleton for part in (*record.names, *record.fathers)}
    if not wanted or not held:
        return 0.0
    return 0.9 * len(wanted & held) / len(wanted)


def search(
    connection: Connection,
    account: Account,
    seen: Picture,
    text: str,
    limit: int = 50,
    cache: ProfileCache | None = None,
) -> list[tuple[Record, float]]:
    """Visible records that a name (any script), a plate, a phone or a document number finds,
    best first: the query is matched as a person, a vehicle and a document would be."""
    text = text.strip()
    if not text:
        return []
    probes = [
        Entity("0", "Person", {"name": (text,), "phone": (text,)}, (account.agency or "",)),
        Entity("0", "Vehicle", {"registrationNumber": (text,)}, (account.agency or "",)),
        Entity("0", "Passport", {"number": (text,)}, (account.agency or "",)),
    ]
    index, default = StoreIndex(connection, account.operation_id), Model.default()
    scores: dict[int, float] = defaultdict(float)
    folded = text.casefold()
    for probe in probes:
        profile, _ = build_profile(probe)
        if profile is None:
            continue
        for candidate in index.candidates(profile):
            pk = int(candidate.id)
            if pk in seen.records:
                found = assess(default, profile, candidate, index.frequencies)
                scores[pk] = max(scores[pk], found.score, _name_cover(profile, candidate))
    asked, _ = build_profile(probes[0])
    if asked is not None and asked.names:  # one name, or a few: any record whose names cover it
        for pk, record in seen.records.items():
            if record.schema != "Person":
                continue
            held = record.profile(cache)
            if held is not None:
                scores[pk] = max(scores[pk], _name_cover(asked, held))
    for pk, record in seen.records.items():  # plain text: ids and values as written
        if folded in record.entity_id.casefold() or any(
            folded in value.casefold() for values in record.properties.values() for value in values
        ):
            scores[pk] = max(scores[pk], 1.0)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return [(seen.records[pk], score) for pk, score in ranked if score >= 0.05][:limit]
