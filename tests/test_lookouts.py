"""Lookouts (hot pursuit), on SQLite and PostgreSQL."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sirocco.api import create_app
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from tests.test_api import auth, person, read_stream

AGENCIES = ["AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH", "SK"]


@pytest.fixture
def exchange(database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", AGENCIES)
    with TestClient(create_app(engine)) as client:
        yield client, tokens
    engine.dispose()


def vehicle(entity_id: str, plate: str) -> dict[str, Any]:
    return {"id": entity_id, "schema": "Vehicle", "properties": {"registrationNumber": [plate]}}


def test_the_pursuit_alert_reaches_every_country_on_the_route(exchange: Any) -> None:
    client, tokens = exchange
    client.post("/api/v1/reports", headers=auth(tokens, "HU"), json={
        "id": "hu-1", "entities": [vehicle("van", "ABC-123")],
        "incident": {"time": "2026-06-28T02:00:00+02:00", "arrested": 0, "intercepted": 0}})  # fmt: skip
    issued = client.post("/api/v1/lookouts", headers=auth(tokens, "HU"), json={
        "kind": "plate", "value": "ABC-123", "countries": ["SK", "AT"], "hours": 12,
        "note": "fled a check at Hegyeshalom with six Syrian migrants"})  # fmt: skip
    assert issued.status_code == 201, issued.text
    answer = client.post("/api/v1/reports", headers=auth(tokens, "AT"), json={
        "id": "at-9", "entities": [vehicle("stopped", "H ABC-I23")]}).json()  # fmt: skip
    (raised,) = answer["alerts"]
    assert raised["urgent"] and raised["issued_by"] == "HU" and raised["reported_by"] == "AT"
    for who in ("HU", "SK", "AT", "OC"):
        (seen,) = client.get("/api/v1/alerts", headers=auth(tokens, who)).json()["alerts"]
        assert seen["id"] == raised["id"] and seen["acknowledged_by"] == []
        assert seen["record"]["id"] == "stopped"
    assert client.get("/api/v1/alerts", headers=auth(tokens, "DE")).json()["alerts"] == []
    told = [e["event"] for e in read_stream(client, "SK", tokens)]
    assert told == ["report", "report", "alert"]  # HU's and AT's reports are for all
    assert (
        client.post(f"/api/v1/alerts/{raised['id']}/ack", headers=auth(tokens, "SK")).status_code
        == 200
    )
    assert (
        client.post(f"/api/v1/alerts/{raised['id']}/ack", headers=auth(tokens, "DE")).status_code
        == 404
    )
    (seen,) = client.get("/api/v1/alerts", headers=auth(tokens, "HU")).json()["alerts"]
    assert seen["acknowledged_by"] == ["SK"]
    assert "ack" in [e["event"] for e in read_stream(client, "OC", tokens)]


def test_a_person_lookout_meets_the_same_man_in_another_script(exchange: Any) -> None:
    client, tokens = exchange
    issued = client.post("/api/v1/lookouts", headers=auth(tokens, "HR"), json={
        "kind": "person", "countries": ["RS"],
        "entity": {"schema": "Person", "properties": {"name": ["Marko Petrović"], "birthDate": ["1981-07-04"]}}})  # fmt: skip
    assert issued.status_code == 201, issued.text
    answer = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
        "id": "rs-3", "entities": [person("m", name=["Марко Петровић"], birthDate=["04.07.1981"])]}).json()  # fmt: skip
    assert len(answer["alerts"]) == 1
    other = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
        "id": "rs-4", "entities": [person("n", name=["Marko Petrović"], birthDate=["1966-01-20"])]}).json()  # fmt: skip
    assert other["alerts"] == []  # a namesake born in another year


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "boat", "value": "X"}, "kind"), ({"kind": "plate", "value": ""}, "value"),
     ({"kind": "plate", "value": "AB 123", "hours": 0}, "hours"),
     ({"kind": "plate", "value": "AB 123", "countries": "SK"}, "countries"),
     ({"kind": "person", "entity": {"schema": "Person", "properties": {"shoe": ["1"]}}}, "entity.shoe")],
)  # fmt: skip
def test_bad_lookouts_name_the_field(exchange: Any, body: dict[str, Any], field: str) -> None:
    client, tokens = exchange
    answer = client.post("/api/v1/lookouts", headers=auth(tokens, "HU"), json=body)
    assert answer.status_code == 422 and answer.json()["error"]["field"] == field
