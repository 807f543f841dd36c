"""The operational picture's data: identities, network, map, search, as one account sees them."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sirocco.api import create_app
from sirocco.picture import identity_of, network, picture, search
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import authenticate, create_operation
from tests.test_api import auth, person

AGENCIES = ["AT", "HR", "HU", "RS", "SK"]


@pytest.fixture
def scene(database_url: str) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", AGENCIES)
    with TestClient(create_app(engine, sweeps=False)) as client:
        for agency, body in (
            ("RS", {"id": "rs-1", "entities": [
                {**person("rs-p", name=["Мухамед Ахмади"], birthDate=["04.03.1990"],
                          phone=["063 555 0101"]), "category": "suspect"}]}),
            ("HR", {"id": "hr-1", "entities": [
                person("hr-p", name=["Muhamed Ahmadi"], birthDate=["1990-03-04"])]}),
            ("HU", {"id": "hu-1", "distribution": "oc", "entities": [
                person("hu-p", name=["Ahmadi Muhamed"], birthDate=["1990-03-04"]),
                {"id": "hu-v", "schema": "Vehicle", "properties": {"registrationNumber": ["ВG 1234 АВ"]}}]}),
        ):  # fmt: skip
            assert (
                client.post("/api/v1/reports", headers=auth(tokens, agency), json=body).status_code
                == 201
            )
        yield client, tokens, engine
    engine.dispose()


def account(engine: Any, token: str) -> Any:
    with engine.connect() as connection:
        return authenticate(connection, token)


def test_each_account_sees_only_what_its_distribution_allows(scene: Any) -> None:
    _, tokens, engine = scene
    with engine.connect() as connection:
        centre = picture(connection, account(engine, tokens["OC"]))
        croatia = picture(connection, account(engine, tokens["HR"]))
    assert {r.entity_id for r in centre.records.values()} == {"rs-p", "hr-p", "hu-p", "hu-v"}
    assert {r.entity_id for r in croatia.records.values()} == {"rs-p", "hr-p"}  # HU's is for OC
    assert all({h.left, h.right} <= croatia.records.keys() for h in croatia.hits)


def test_a_confirmed_hit_merges_two_records_and_a_rejected_one_never_links(scene: Any) -> None:
    client, tokens, engine = scene
    hits = client.get("/api/v1/hits", headers=auth(tokens, "HR")).json()["hits"]
    (between,) = [h for h in hits if {h["left"], h["right"]} == {"rs-p", "hr-p"}]
    with engine.connect() as connection:
        before = network(picture(connection, account(engine, tokens["HR"])))
    assert before.number_of_nodes() > 2 and not any(
        d["agencies"] == "HR+RS" for _, d in before.nodes(data=True)
    )
    reviewed = client.post(f"/api/v1/hits/{between['id']}/review", headers=auth(tokens, "HR"),
                           json={"verdict": "confirmed", "note": "same passport photo"})  # fmt: skip
    assert reviewed.status_code == 200
    assert client.post(f"/api/v1/hits/{between['id']}/review", headers=auth(tokens, "AT"),
                       json={"verdict": "rejected"}).status_code == 403  # fmt: skip
    with engine.connect() as connection:
        seen = picture(connection, account(engine, tokens["HR"]))
    merged = [d for _, d in network(seen).nodes(data=True) if d["agencies"] == "HR+RS"]
    assert len(merged) == 1 and merged[0]["records"] == 2
    rs_pk = next(pk for pk, r in seen.records.items() if r.entity_id == "rs-p")
    assert [r.entity_id for r in identity_of(seen, rs_pk)] == ["rs-p", "hr-p"]

    client.post(f"/api/v1/hits/{between['id']}/review", headers=auth(tokens, "OC"),
                json={"verdict": "rejected"})  # fmt: skip
    with engine.connect() as connection:
        seen = picture(connection, account(engine, tokens["HR"]))
    assert [r.entity_id for r in identity_of(seen, rs_pk)] == ["rs-p"]
    assert "graphml" in client.get("/api/v1/network.graphml", headers=auth(tokens, "HR")).text


@pytest.mark.parametrize(
    ("query", "found"),
    [("Ахмади", {"rs-p", "hr-p"}), ("MUHAMED AHMADI", {"rs-p", "hr-p"}),
     ("+381 63 555 0101", {"rs-p"}), ("00381 63 555 0101", {"rs-p"})],
)  # fmt: skip
def test_search_finds_across_scripts_and_formats(scene: Any, query: str, found: set[str]) -> None:
    _, tokens, engine = scene
    with engine.connect() as connection:
        who = account(engine, tokens["HR"])
        results = search(connection, who, picture(connection, who), query)
    assert {record.entity_id for record, _ in results} >= found
    assert "hu-p" not in {record.entity_id for record, _ in results}  # withheld from HR


def test_the_centre_finds_a_plate_typed_with_latin_letters(scene: Any) -> None:
    client, tokens, _ = scene
    results = client.get("/api/v1/search", params={"q": "BG1234AB"},
                         headers=auth(tokens, "OC")).json()["results"]  # fmt: skip
    assert [r["id"] for r in results][:1] == ["hu-v"]
