"""An action day end to end: eleven agencies report at once, under every distribution; every
cross-agency hit ``xmatch`` finds on the same records reaches both owners and the operational
centre over the stream, and nobody a handling code excludes learns the withheld data."""

import io
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import aliased

from sirocco.api import create_app
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from sirocco.store.tables import entity, hit
from sirocco.synth.cases import iter_cases
from sirocco.xmatch import run_xmatch
from tests.test_api import auth, read_stream

AGENCIES = ["AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH", "SK"]
Record = tuple[str, str]  # (agency, entity id)


def reports_of_the_day(seed: int) -> dict[str, list[dict[str, Any]]]:
    """Each agency's reports: one to four records each, most for all, some restricted."""
    rng = random.Random(seed)
    pending: dict[str, list[dict[str, Any]]] = {agency: [] for agency in AGENCIES}
    for item, _ in iter_cases(140, 40, seed=seed, agencies=tuple(AGENCIES)):
        pending[item["datasets"][0]].append(item)
    reports: dict[str, list[dict[str, Any]]] = {agency: [] for agency in AGENCIES}
    for agency, items in pending.items():
        while items:
            size = rng.randint(1, 4)
            body: dict[str, Any] = {
                "id": f"{agency}-{len(reports[agency])}",
                "entities": items[:size],
                "handling_code": rng.choice(["H0", "H1", "H2"]),
            }
            del items[:size]
            distribution = rng.choices(["all", "agencies", "oc", "hit_no_hit"], [6, 2, 1, 1])[0]
            body["distribution"] = distribution
            if distribution == "agencies":
                body["agencies"] = rng.sample([a for a in AGENCIES if a != agency], 2)
            reports[agency].append(body)
    return reports


def entitled(audience: str, owner: str, body: dict[str, Any]) -> bool:
    """Who may see a record's data, as the handling rules say it in words."""
    distribution = body["distribution"]
    return (
        audience == owner
        or distribution == "all"
        or (distribution == "agencies" and (audience == "OC" or audience in body["agencies"]))
        or (distribution == "oc" and audience == "OC")
    )


def xmatch_pairs(
    reports: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> set[frozenset[Record]]:
    """The cross-agency pairs ``xmatch`` finds on the same records (match or possible)."""
    path = tmp_path / "day.jsonl"
    owner: dict[str, str] = {}
    with path.open("wb") as handle:
        for agency, bodies in reports.items():
            for body in bodies:
                for item in body["entities"]:
                    owner[item["id"]] = agency
                    handle.write(orjson.dumps(item) + b"\n")
    out = io.BytesIO()
    run_xmatch([str(path)], out, on_problem=lambda problem: None)
    pairs = {}
    for line in out.getvalue().splitlines():
        found = orjson.loads(line)
        left, right = (owner[found["left"]], found["left"]), (owner[found["right"]], found["right"])
        pairs[frozenset((left, right))] = found["decision"]
    return pairs


def test_every_xmatch_hit_reaches_both_owners_and_the_centre_and_no_one_else(
    database_url: str, tmp_path: Path
) -> None:
    reports = reports_of_the_day(seed=21)
    bodies = {(a, item["id"]): body for a, bs in reports.items() for body in bs
              for item in body["entities"]}  # fmt: skip
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", AGENCIES)
    app = create_app(engine, sweeps=False)

    def send(agency: str) -> None:
        with TestClient(app) as client:
            for body in reports[agency]:
                reply = client.post("/api/v1/reports", headers=auth(tokens, agency), json=body)
                assert reply.status_code == 201, reply.text

    with ThreadPoolExecutor(len(AGENCIES)) as pool:
        list(pool.map(send, AGENCIES))

    with TestClient(app) as client:
        live = {e["data"]["id"] for e in read_stream(client, "OC", tokens) if e["event"] == "hit"}
        swept = client.post("/api/v1/sweep", headers=auth(tokens, "OC"))
        assert swept.status_code == 200, swept.text
        assert client.post("/api/v1/sweep", headers=auth(tokens, "HU")).status_code == 403
        streams = {who: read_stream(client, who, tokens) for who in [*AGENCIES, "OC"]}

    left, right = aliased(entity), aliased(entity)
    with engine.connect() as connection:
        rows = connection.execute(
            select(hit.c.id, hit.c.decision, left.c.agency, left.c.entity_id,
                   right.c.agency.label("ra"),
                   right.c.entity_id.label("re"))
            .join(left, left.c.id == hit.c.left_pk).join(right, right.c.id == hit.c.right_pk)
        ).all()  # fmt: skip
    engine.dispose()
    hit_of = {frozenset(((r.agency, r.entity_id), (r.ra, r.re))): r.id for r in rows}
    owners = {r.id: {r.agency, r.ra} for r in rows}
    sides_of = {r.id: ((r.agency, r.entity_id), (r.ra, r.re)) for r in rows}

    judged = xmatch_pairs(reports, tmp_path)
    standing = {frozenset(((r.agency, r.entity_id), (r.ra, r.re))): r.decision for r in rows
                if r.decision != "withdrawn"}  # fmt: skip
    assert standing == judged, "after the sweep, the hits are exactly those xmatch finds"
    expected = {pair for pair in judged if len({agency for agency, _ in pair}) == 2}
    assert len(expected) > 50, "the day has cross-agency hits to deliver"
    delivered = {
        who: {e["data"]["id"] for e in events if e["event"] == "hit"}
        for who, events in streams.items()
    }
    for pair in expected:
        for who in {agency for agency, _ in pair} | {"OC"}:
            assert hit_of[pair] in delivered[who], (who, sorted(pair))
    assert delivered["OC"] >= live

    withheld_sides = 0
    for who, events in streams.items():
        for event in events:
            if event["event"] != "hit":
                continue
            view = event["data"]
            assert who == "OC" or who in owners[view["id"]], f"{who} told of hit {view['id']}"
            for record, side in zip(sides_of[view["id"]], view["records"], strict=True):
                if entitled(who, record[0], bodies[record]):
                    assert side["id"] == record[1], (who, side)
                else:  # the owner is named, nothing else
                    assert side == {"agency": record[0], "withheld": True, "ask": record[0]}
                    assert "explanation" not in view and None in (view["left"], view["right"])
                    withheld_sides += 1
    assert withheld_sides > 0, "some hits cross a handling code"
