"""The exchange API, in process, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sirocco.api import MAX_BODY, create_app
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from sirocco.store.tables import entity, report

AGENCIES = ["AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH"]


@pytest.fixture
def exchange(database_url: str) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", AGENCIES)
    with TestClient(create_app(engine)) as client:
        yield client, tokens, engine
    engine.dispose()


def auth(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def person(entity_id: str, **properties: list[str]) -> dict[str, Any]:
    return {"id": entity_id, "schema": "Person", "properties": properties}


def test_a_report_raises_a_hit_seen_by_both_owners_and_the_centre(exchange: Any) -> None:
    client, tokens, _ = exchange
    first = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
        "id": "rs-001", "entities": [person("p1", name=["Мухамед Ахмади"], birthDate=["04.03.1990"])]})  # fmt: skip
    assert first.status_code == 201 and first.json()["hits"] == []
    second = client.post("/api/v1/reports", headers=auth(tokens, "AT"), json={
        "id": "at-17", "entities": [person("x9", name=["AHMADI<<MOHAMMED"], birthDate=["1990-03-04"])]})  # fmt: skip
    assert second.status_code == 201
    (found,) = second.json()["hits"]
    assert (found["left"], found["left_agency"], found["right"], found["right_agency"]) == (
        "x9", "AT", "p1", "RS")  # fmt: skip
    assert found["decision"] == "match" and found["explanation"]["features"]
    for who in ("RS", "AT", "OC"):
        page = client.get("/api/v1/hits", headers=auth(tokens, who)).json()
        assert [h["id"] for h in page["hits"]] == [found["id"]], who
    assert client.get("/api/v1/hits", headers=auth(tokens, "HU")).json()["hits"] == []


def test_a_retry_returns_the_first_answer_and_stores_nothing_twice(exchange: Any) -> None:
    client, tokens, engine = exchange
    body = {"id": "hu-5", "entities": [person("a", name=["Ion Popescu"])]}
    first = client.post("/api/v1/reports", headers=auth(tokens, "HU"), json=body)
    again = client.post("/api/v1/reports", headers=auth(tokens, "HU"), json=body)
    assert first.json() == again.json()
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(report)).scalar() == 1
        assert connection.execute(select(func.count()).select_from(entity)).scalar() == 1
    assert (
        client.get("/api/v1/reports/hu-5", headers=auth(tokens, "HU")).json()["answer"]
        == first.json()
    )
    assert client.get("/api/v1/reports/hu-5", headers=auth(tokens, "AT")).status_code == 404


def test_an_entity_id_the_agency_already_used_is_refused_and_nothing_of_its_report_kept(
    exchange: Any,
) -> None:
    client, tokens, engine = exchange
    first = client.post("/api/v1/reports", headers=auth(tokens, "HU"), json={
        "id": "hu-1", "entities": [person("a", name=["Ion Popescu"])]})  # fmt: skip
    assert first.status_code == 201
    again = client.post("/api/v1/reports", headers=auth(tokens, "HU"), json={
        "id": "hu-2", "entities": [person("b", name=["Ana Pop"]), person("a", name=["X Y"])]})  # fmt: skip
    assert again.status_code == 422
    assert again.json()["error"] == {
        "record": "a", "field": "id",
        "message": "this agency has already reported an entity with this id"}  # fmt: skip
    assert client.get("/api/v1/reports/hu-2", headers=auth(tokens, "HU")).status_code == 404
    with engine.connect() as connection:
        assert connection.execute(select(entity.c.entity_id)).scalars().all() == ["a"]
    # Another agency's entity of the same id is another record.
    other = client.post("/api/v1/reports", headers=auth(tokens, "AT"), json={
        "id": "at-1", "entities": [person("a", name=["Ion Popescu"])]})  # fmt: skip
    assert other.status_code == 201 and len(other.json()["hits"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entities": []}, "id"),
        ({"id": "r", "entities": "x"}, "entities"),
        ({"id": "r", "entities": [person("a", shoeSize=["44"])]}, "shoeSize"),
        ({"id": "r", "entities": [{"id": "a", "schema": "Spaceship"}]}, "schema"),
        ({"id": "r", "entities": [{**person("a", name=["X"]), "datasets": ["AT"]}]}, "datasets"),
    ],
)
def test_bad_reports_get_a_4xx_naming_the_field(
    exchange: Any, body: dict[str, Any], field: str
) -> None:
    client, tokens, _ = exchange
    answer = client.post("/api/v1/reports", headers=auth(tokens, "HU"), json=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field


def test_malformed_json_oversized_bodies_and_missing_tokens(exchange: Any) -> None:
    client, tokens, _ = exchange
    headers = {**auth(tokens, "HU"), "Content-Type": "application/json"}
    assert client.post("/api/v1/reports", headers=headers, content=b"{nope").status_code == 422
    big = b'{"id": "r", "pad": "' + b"x" * (MAX_BODY + 1) + b'"}'
    assert client.post("/api/v1/reports", headers=headers, content=big).status_code == 413
    # The same body in chunks, stating no length: refused too, naming the body.
    chunked = client.post("/api/v1/reports", headers=headers,
                          content=(big[n : n + 65536] for n in range(0, len(big), 65536)))  # fmt: skip
    assert chunked.status_code == 413
    assert chunked.json()["error"]["field"] == "(body)"
    small = {"id": "chunked-1", "entities": [{"id": "p", "schema": "Person",
                                              "properties": {"name": ["Ali Rahimi"]}}]}  # fmt: skip
    body = json.dumps(small).encode()
    fine = client.post("/api/v1/reports", headers=headers,
                       content=(body[n : n + 10] for n in range(0, len(body), 10)))  # fmt: skip
    assert fine.status_code == 201, fine.text
    assert client.post("/api/v1/reports", json={"id": "r"}).status_code == 401
    bad = {"Authorization": "Bearer nonsense"}
    assert client.get("/api/v1/hits", headers=bad).status_code == 401
    assert client.post("/api/v1/reports", headers=auth(tokens, "admin"),
                       json={"id": "r", "entities": [person("a", name=["X"])]}).status_code == 403  # fmt: skip


def test_openapi_is_published(exchange: Any) -> None:
    client, _, _ = exchange
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/reports", "/api/v1/hits", "/api/v1/reports/{client_id}"} <= set(paths)


def read_stream(
    client: TestClient, who: str, tokens: dict[str, str], idle: float = 0.5, **headers: str
) -> list[dict[str, Any]]:
    """The events of a stream that closes after ``idle`` seconds without news."""
    events: list[dict[str, Any]] = []
    with client.stream(
        "GET", f"/api/v1/stream?idle={idle}", headers={**auth(tokens, who), **headers}
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        current: dict[str, Any] = {}
        for line in response.iter_lines():
            if line.startswith(("id: ", "event: ", "data: ")):
                name, value = line.split(": ", 1)
                current[name] = json.loads(value) if name == "data" else value
            elif not line and "id" in current:
                events.append(current)
                current = {}
    return events


def test_hits_reach_both_owners_and_the_centre_over_the_stream_with_replay(exchange: Any) -> None:
    client, tokens, _ = exchange
    for agency, report_id, name in (("RS", "r1", "Марко Петровић"), ("HR", "h1", "Marko Petrović"),
                                    ("HU", "u1", "Petrovics Márkó")):  # fmt: skip
        client.post("/api/v1/reports", headers=auth(tokens, agency), json={
            "id": report_id, "entities": [person(f"{agency}-1", name=[name], birthDate=["1981-07-04"])]})  # fmt: skip
    centre = read_stream(client, "OC", tokens)
    assert [e["event"] for e in centre] == ["report", "report", "hit", "report", "hit", "hit"]
    serbia = [e for e in read_stream(client, "RS", tokens) if e["event"] == "hit"]
    assert {(e["data"]["left_agency"], e["data"]["right_agency"]) for e in serbia} == {
        ("HR", "RS"),
        ("HU", "RS"),
    }
    austria = read_stream(client, "AT", tokens)  # told of the reports (for all), of no hit
    assert [e["data"]["id"] for e in austria] == ["r1", "h1", "u1"]
    # Reconnecting with the last id seen replays only what came after it.
    replay = read_stream(client, "OC", tokens, **{"Last-Event-ID": centre[0]["id"]})
    assert [e["id"] for e in replay] == [e["id"] for e in centre[1:]]


DISTRIBUTION_CASES = [
    # distribution, extra, who sees the Serbian record's data
    ("all", {}, {"RS", "HR", "OC"}),
    ("agencies", {"agencies": ["HR"]}, {"RS", "HR", "OC"}),
    ("oc", {}, {"RS", "OC"}),
    ("hit_no_hit", {}, {"RS"}),
]


@pytest.mark.parametrize(("distribution", "extra", "allowed"), DISTRIBUTION_CASES)
def test_distribution_decides_who_sees_the_data_of_a_hit(
    exchange: Any, distribution: str, extra: dict[str, Any], allowed: set[str]
) -> None:
    client, tokens, _ = exchange
    secret = person("rs-p", name=["Марко Петровић"], birthDate=["1981-07-04"])
    reply = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
        "id": "r1", "handling_code": "H2", "distribution": distribution, **extra,
        "evaluation": {"source": "B", "information": "2"},
        "entities": [{**secret, "category": "suspect"}]})  # fmt: skip
    assert reply.status_code == 201, reply.text
    answer = client.post("/api/v1/reports", headers=auth(tokens, "HR"), json={
        "id": "h1", "entities": [person("hr-p", name=["Marko Petrović"], birthDate=["1981-07-04"])]}).json()  # fmt: skip
    (seen_by_croatia,) = answer["hits"]
    for who in ("RS", "HR", "OC", "HU"):
        hits = client.get("/api/v1/hits", headers=auth(tokens, who)).json()["hits"]
        streamed = [e["data"] for e in read_stream(client, who, tokens) if e["event"] == "hit"]
        if who == "HU":  # not an owner: no hit at all
            assert hits == [] and streamed == []
            continue
        (view,) = hits
        assert streamed == [view] or who == "HR" and streamed == [seen_by_croatia]
        serbian = view["records"][1]
        if who in allowed:
            assert serbian["id"] == "rs-p" and serbian["category"] == "suspect"
            assert serbian["release"]["handling_code"] == "H2"
            assert serbian["release"]["evaluation"] == "B2"
            assert "explanation" in view
        else:
            assert serbian == {"agency": "RS", "withheld": True, "ask": "RS"}
            assert view["right"] is None and "explanation" not in view
            assert "Петровић" not in str(view) and "1981" not in str(view)


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"handling_code": "H9"}, "handling_code"), ({"handling_code": "H3"}, "conditions"),
     ({"distribution": "friends"}, "distribution"), ({"distribution": "agencies"}, "agencies"),
     ({"evaluation": {"source": "Z"}}, "evaluation.source")],
)  # fmt: skip
def test_bad_release_fields_are_named(exchange: Any, extra: dict[str, Any], field: str) -> None:
    client, tokens, _ = exchange
    answer = client.post("/api/v1/reports", headers=auth(tokens, "RS"),
                         json={"id": "r", "entities": [person("a", name=["X"])], **extra})  # fmt: skip
    assert answer.status_code == 422 and answer.json()["error"]["field"] == field


def test_reports_are_visible_only_as_their_distribution_allows(exchange: Any) -> None:
    client, tokens, _ = exchange
    for report_id, distribution in (("open", "all"), ("closed", "hit_no_hit")):
        client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
            "id": report_id, "distribution": distribution, "entities": [person(report_id, name=["X Y"])]})  # fmt: skip
    assert (
        client.get("/api/v1/reports/open?agency=RS", headers=auth(tokens, "OC")).status_code == 200
    )
    assert (
        client.get("/api/v1/reports/closed?agency=RS", headers=auth(tokens, "OC")).status_code
        == 404
    )
    assert client.get("/api/v1/reports/closed", headers=auth(tokens, "RS")).status_code == 200


def test_figures_per_agency_and_hour(exchange: Any) -> None:
    client, tokens, _ = exchange
    for agency, report_id, time, arrested, intercepted in (
        ("HU", "h1", "2026-06-28T03:10:00+02:00", 1, 6),
        ("HU", "h2", "2026-06-28T03:40:00+02:00", 2, 0),
        ("AT", "a1", "2026-06-28T05:05:00+02:00", 1, 6),
    ):
        answer = client.post("/api/v1/reports", headers=auth(tokens, agency), json={
            "id": report_id, "entities": [person(report_id, name=["X Y"])],
            "incident": {"time": time, "place": "Hegyeshalom", "kind": "smuggling",
                         "arrested": arrested, "intercepted": intercepted}})  # fmt: skip
        assert answer.status_code == 201, answer.text
    stats = client.get("/api/v1/stats", headers=auth(tokens, "OC")).json()
    assert stats["total"] == {"incidents": 3, "arrested": 4, "intercepted": 12}
    assert stats["per_agency"]["HU"] == {"incidents": 2, "arrested": 3, "intercepted": 6}
    assert list(stats["per_hour"]) == ["2026-06-28T01:00Z", "2026-06-28T03:00Z"]
    bad = client.post("/api/v1/reports", headers=auth(tokens, "HU"), json={
        "id": "h3", "entities": [person("z", name=["X"])], "incident": {"time": "soon"}})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "incident.time"


def test_two_servers_on_one_database_deliver_the_same_events(database_url: str) -> None:
    engine_a, engine_b = open_database(database_url), open_database(database_url)
    upgrade(engine_a)
    tokens = create_operation(engine_a, "op", ["RS", "HR"])
    with TestClient(create_app(engine_a)) as server_a, TestClient(create_app(engine_b)) as server_b:
        for agency, name in (("RS", "Марко Петровић"), ("HR", "Marko Petrović")):
            server_a.post("/api/v1/reports", headers=auth(tokens, agency), json={
                "id": agency, "entities": [person(agency, name=[name], birthDate=["1981-07-04"])]})  # fmt: skip
        from_a = read_stream(server_a, "RS", tokens)
        from_b = read_stream(server_b, "RS", tokens)
    assert from_a and from_a == from_b
    engine_a.dispose()
    engine_b.dispose()


def test_entities_are_visible_only_as_their_distribution_allows(exchange: Any) -> None:
    client, tokens, _ = exchange
    for report_id, distribution in (("open", "all"), ("closed", "oc")):
        client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
            "id": report_id, "distribution": distribution,
            "entities": [{**person(f"p-{report_id}", name=["Марко Петровић"]), "category": "suspect"}]})  # fmt: skip
    own = client.get("/api/v1/entities/p-closed", headers=auth(tokens, "RS")).json()
    assert own["properties"]["name"] == ["Марко Петровић"] and own["category"] == "suspect"
    assert (
        client.get("/api/v1/entities/p-open?agency=RS", headers=auth(tokens, "HU")).status_code
        == 200
    )
    assert (
        client.get("/api/v1/entities/p-closed?agency=RS", headers=auth(tokens, "HU")).status_code
        == 404
    )
    assert (
        client.get("/api/v1/entities/p-closed?agency=RS", headers=auth(tokens, "OC")).status_code
        == 200
    )
    assert (
        client.get("/api/v1/entities/nothing?agency=RS", headers=auth(tokens, "OC")).status_code
        == 404
    )


def test_a_withheld_record_is_requested_granted_and_then_seen(exchange: Any) -> None:
    client, tokens, _ = exchange
    client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
        "id": "r1", "distribution": "hit_no_hit",
        "entities": [person("rs-p", name=["Марко Петровић"], birthDate=["1981-07-04"])]})  # fmt: skip
    (found,) = client.post("/api/v1/reports", headers=auth(tokens, "HR"), json={
        "id": "h1", "entities": [person("hr-p", name=["Marko Petrović"], birthDate=["1981-07-04"])]}).json()["hits"]  # fmt: skip
    assert found["records"][1] == {"agency": "RS", "withheld": True, "ask": "RS"}
    assert (
        client.post(f"/api/v1/hits/{found['id']}/requests", headers=auth(tokens, "HU")).status_code
        == 404
    )
    asked = client.post(f"/api/v1/hits/{found['id']}/requests", headers=auth(tokens, "HR"),
                        json={"reason": "same man stopped at Bajakovo"})  # fmt: skip
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    assert "request" in [e["event"] for e in read_stream(client, "RS", tokens)]
    assert client.post(f"/api/v1/requests/{request_id}/decision", headers=auth(tokens, "HR"),
                       json={"grant": True}).status_code == 404  # only the owner decides  # fmt: skip
    decided = client.post(f"/api/v1/requests/{request_id}/decision", headers=auth(tokens, "RS"),
                          json={"grant": True})  # fmt: skip
    assert decided.json() == {"id": request_id, "status": "granted"}
    assert "decision" in [e["event"] for e in read_stream(client, "HR", tokens)]
    (view,) = client.get("/api/v1/hits", headers=auth(tokens, "HR")).json()["hits"]
    assert view["records"][1]["id"] == "rs-p" and "explanation" in view
    assert (
        client.get("/api/v1/entities/rs-p?agency=RS", headers=auth(tokens, "HR")).status_code == 200
    )
    assert (
        client.get("/api/v1/entities/rs-p?agency=RS", headers=auth(tokens, "HU")).status_code == 404
    )
    again = client.post(f"/api/v1/requests/{request_id}/decision", headers=auth(tokens, "RS"),
                        json={"grant": False})  # fmt: skip
    assert again.status_code == 409


def test_the_live_model_is_estimated_by_a_sweep_of_the_operations_records(exchange: Any) -> None:
    from sirocco.match.model import DEFAULT_PRIOR
    from sirocco.synth.cases import iter_cases

    client, tokens, _ = exchange
    assert (
        client.get("/api/v1/model", headers=auth(tokens, "OC")).json()["person"]["prior"]
        == DEFAULT_PRIOR
    )
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for item, _ in iter_cases(150, 0, seed=9):
        by_agency.setdefault(item.pop("datasets")[0], []).append(item)
    for agency, items in by_agency.items():
        reply = client.post(
            "/api/v1/reports", headers=auth(tokens, agency), json={"id": "batch", "entities": items}
        )
        assert reply.status_code == 201, reply.text
    # the records doubled past the threshold: a sweep estimates the model; waiting for it here
    assert client.post("/api/v1/sweep", headers=auth(tokens, "OC")).json()["records"] >= 200
    model = client.get("/api/v1/model", headers=auth(tokens, "OC")).json()["person"]
    assert model["prior"] != DEFAULT_PRIOR
    assert model["m"]["birth_date"]["disagree"] < 0.2


def test_a_passport_reported_apart_counts_for_its_holder_even_when_rebuilt(
    exchange: Any,
) -> None:
    client, tokens, engine = exchange
    passport = {"id": "pp1", "schema": "Passport", "properties": {
        "number": ["P1234567"], "birthDate": ["04.03.1990"], "holder": ["p1"]}}  # fmt: skip
    first = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
        "id": "rs-001", "entities": [person("p1", name=["Мухамед Ахмади"]), passport]})  # fmt: skip
    assert first.status_code == 201
    second = client.post("/api/v1/reports", headers=auth(tokens, "AT"), json={
        "id": "at-17", "entities": [person("x9", name=["AHMADI<<MOHAMMED"],
                                           passportNumber=["P 1234567"])]})  # fmt: skip
    (found,) = [h for h in second.json()["hits"] if h["right"] == "p1"]
    features = {f["feature"]: f["level"] for f in found["explanation"]["features"]}
    assert features["document"] == "exact"
    # A stored profile made by other code is rebuilt from the rows of its report: the
    # passport still counts for its holder.
    with engine.begin() as connection:
        connection.execute(entity.update().values(profile=None))
    with TestClient(create_app(engine)) as fresh:
        third = fresh.post("/api/v1/reports", headers=auth(tokens, "HU"), json={
            "id": "hu-3", "entities": [person("h1", name=["Muhamed Ahmadi"],
                                              birthDate=["1990-03-04"])]})  # fmt: skip
    (again,) = [h for h in third.json()["hits"] if h["right"] == "p1"]
    features = {f["feature"]: f["level"] for f in again["explanation"]["features"]}
    assert features["birth_date"] == "exact"  # said only by the passport
