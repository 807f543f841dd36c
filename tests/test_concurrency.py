"""Eleven agencies reporting at once lose nothing, on SQLite and PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from sirocco.api import create_app
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from sirocco.store.tables import report
from sirocco.synth.cases import iter_cases
from tests.test_api import auth, read_stream

AGENCIES = ["AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH", "SK"]


def action_day() -> dict[str, list[dict[str, Any]]]:
    """Reports per agency: each simulated record reported on its own."""
    reports: dict[str, list[dict[str, Any]]] = {agency: [] for agency in AGENCIES}
    for number, (item, _) in enumerate(iter_cases(60, 20, seed=5)):
        agency = item.pop("datasets")[0]
        reports[agency].append({"id": f"{agency}-{number}", "entities": [item]})
    return reports


def hit_pairs(client: TestClient, tokens: dict[str, str]) -> set[tuple[str, str, str, str]]:
    hits = client.get("/api/v1/hits?limit=1000", headers=auth(tokens, "OC")).json()["hits"]
    return {(h["left_agency"], h["left"], h["right_agency"], h["right"]) for h in hits}


def test_concurrent_reports_lose_nothing(database_url: str, tmp_path: Path) -> None:
    reports = action_day()
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", AGENCIES)
    app = create_app(engine)

    def send(agency: str) -> int:
        with TestClient(app) as client:
            for body in reports[agency]:
                assert (
                    client.post(
                        "/api/v1/reports", headers=auth(tokens, agency), json=body
                    ).status_code
                    == 201
                )
        return len(reports[agency])

    with ThreadPoolExecutor(len(AGENCIES)) as pool:
        sent = sum(pool.map(send, AGENCIES))
    with engine.connect() as connection:
        order = connection.execute(
            select(report.c.agency, report.c.client_id).order_by(report.c.id)
        ).all()
    assert len(order) == sent

    with TestClient(app) as client:
        concurrent = hit_pairs(client, tokens)
        assert concurrent, "an action day raises hits"
        centre = {e["data"]["id"] for e in read_stream(client, "OC", tokens) if e["event"] == "hit"}
        hits = client.get("/api/v1/hits?limit=1000", headers=auth(tokens, "OC")).json()["hits"]
        assert centre == {h["id"] for h in hits}
        for agency in AGENCIES:
            streamed = {
                e["data"]["id"] for e in read_stream(client, agency, tokens) if e["event"] == "hit"
            }
            owned = {h["id"] for h in hits if agency in (h["left_agency"], h["right_agency"])}
            assert streamed == owned, agency
    engine.dispose()

    # The same reports, one after another in the order they were committed, give the same hits.
    replay = open_database(f"sqlite:///{tmp_path / 'replay.db'}")
    upgrade(replay)
    replay_tokens = create_operation(replay, "Sirocco-2", AGENCIES)
    by_id = {body["id"]: body for bodies in reports.values() for body in bodies}
    with TestClient(create_app(replay)) as client:
        for agency, client_id in order:
            client.post(
                "/api/v1/reports", headers=auth(replay_tokens, agency), json=by_id[client_id]
            )
        assert hit_pairs(client, replay_tokens) == concurrent
    replay.dispose()
