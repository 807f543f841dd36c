"""Every endpoint, for every role, under every handling code and distribution.

RS reports a man under the release being tested; HR reports the same man openly (a hit); HU
has a lookout out for his phone, alerting AT. SI takes no part. Each caller is then checked on
every endpoint against what the handling rules say in words (``entitled``).
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sirocco.api import create_app
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from tests.test_api import AGENCIES, auth, person, read_stream

DISTRIBUTIONS = ["all", "agencies", "oc", "hit_no_hit"]
CODES = ["H0", "H1", "H2", "H3"]
OFFICERS = ["RS", "HR", "HU", "AT", "SI"]
CALLERS = [*OFFICERS, "OC", "admin"]
TOLD_OF_HIT = {"RS", "HR", "OC", "admin"}  # the two owners and the centre
TOLD_OF_ALERT = {"HU", "RS", "AT", "OC", "admin"}  # issuer, reporter, route, centre
PHONE = "+381 63 555 0101"


def entitled(caller: str, distribution: str) -> bool:
    """May the caller see RS's record? The owner always; the centre unless hit/no-hit only;
    listed agencies (HR) under "agencies"; everyone under "all"."""
    centre = caller in ("OC", "admin")
    return (
        caller == "RS"
        or distribution == "all"
        or (distribution == "agencies" and (centre or caller == "HR"))
        or (distribution == "oc" and centre)
    )


@pytest.fixture(params=[(d, c) for d in DISTRIBUTIONS for c in CODES], ids=lambda p: "-".join(p))
def scene(
    request: pytest.FixtureRequest, database_url: str
) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    distribution, code = request.param
    engine = open_database(database_url)
    upgrade(engine)
    tokens = create_operation(engine, "Sirocco-2", AGENCIES)
    with TestClient(create_app(engine, sweeps=False)) as client:
        lookout = {"kind": "phone", "value": PHONE, "countries": ["AT"], "hours": 6}
        assert client.post("/api/v1/lookouts", headers=auth(tokens, "HU"), json=lookout).status_code == 201  # fmt: skip
        release: dict[str, Any] = {"handling_code": code, "distribution": distribution}
        if distribution == "agencies":
            release["agencies"] = ["HR"]
        if code == "H3":
            release["conditions"] = "not for use in court"
        reply = client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
            "id": "rs-1", **release, "entities": [person(
                "rs-p", name=["Мухамед Ахмади"], birthDate=["1990-03-04"], phone=["063 555 0101"])]})  # fmt: skip
        assert reply.status_code == 201, reply.text
        reply = client.post("/api/v1/reports", headers=auth(tokens, "HR"), json={
            "id": "hr-1", "entities": [person("hr-p", name=["Muhamed Ahmadi"], birthDate=["1990-03-04"])]})  # fmt: skip
        assert len(reply.json()["hits"]) == 1
        yield client, tokens, distribution
    engine.dispose()


def test_reports_and_entities(scene: Any) -> None:
    client, tokens, distribution = scene
    for path in ("/api/v1/reports/rs-1?agency=RS", "/api/v1/entities/rs-p?agency=RS"):
        assert client.get(path).status_code == 401
        for caller in CALLERS:
            expected = 200 if entitled(caller, distribution) else 404
            assert client.get(path, headers=auth(tokens, caller)).status_code == expected, (
                path, caller)  # fmt: skip


def _check_hit_view(view: dict[str, Any], caller: str, distribution: str) -> None:
    rs_side = view["records"][view["right_agency"] == "RS"]
    if entitled(caller, distribution):
        assert rs_side["id"] == "rs-p" and "explanation" in view
        assert rs_side["release"]["distribution"] == distribution
    else:
        assert rs_side == {"agency": "RS", "withheld": True, "ask": "RS"}
        assert "explanation" not in view and "rs-p" not in str(view)


def test_hits_and_the_stream(scene: Any) -> None:
    client, tokens, distribution = scene
    assert client.get("/api/v1/hits").status_code == 401
    assert client.get("/api/v1/stream").status_code == 401
    for caller in CALLERS:
        hits = client.get("/api/v1/hits", headers=auth(tokens, caller)).json()["hits"]
        streamed = [
            e["data"] for e in read_stream(client, caller, tokens, idle=0.15) if e["event"] == "hit"
        ]
        if caller not in TOLD_OF_HIT:
            assert hits == [] and streamed == [], caller
            continue
        assert len(hits) == 1 and len(streamed) == 1, caller
        for view in (*hits, *streamed):
            _check_hit_view(view, caller, distribution)


def test_alerts_and_acknowledgements(scene: Any) -> None:
    client, tokens, distribution = scene
    assert client.get("/api/v1/alerts").status_code == 401
    alert_id = None
    for caller in CALLERS:
        alerts = client.get("/api/v1/alerts", headers=auth(tokens, caller)).json()["alerts"]
        if caller not in TOLD_OF_ALERT:
            assert alerts == [], caller
            continue
        (alert,) = alerts
        alert_id = alert["id"]
        assert alert["watched"] == PHONE  # the lookout itself was issued to be shared
        if entitled(caller, distribution):
            assert alert["record"]["id"] == "rs-p", caller
        else:
            assert alert["record"] == {"agency": "RS", "withheld": True, "ask": "RS"}, caller
    assert alert_id is not None
    assert client.post(f"/api/v1/alerts/{alert_id}/ack").status_code == 401
    for caller in CALLERS:
        status = client.post(f"/api/v1/alerts/{alert_id}/ack", headers=auth(tokens, caller))
        assert status.status_code == (200 if caller in TOLD_OF_ALERT else 404), caller


def test_requests_and_decisions(scene: Any) -> None:
    client, tokens, distribution = scene
    (hit,) = client.get("/api/v1/hits", headers=auth(tokens, "OC")).json()["hits"]
    path = f"/api/v1/hits/{hit['id']}/requests"
    assert client.post(path).status_code == 401
    for caller in CALLERS:
        if caller == "HR":
            continue
        expected = 409 if caller == "RS" else 404  # RS may already see HR's open record
        assert client.post(path, headers=auth(tokens, caller)).status_code == expected, caller
    asked = client.post(path, headers=auth(tokens, "HR"), json={"reason": "same man?"})
    if entitled("HR", distribution):
        assert asked.status_code == 409  # nothing is withheld from HR
        return
    assert asked.status_code == 201
    decision = f"/api/v1/requests/{asked.json()['id']}/decision"
    for caller in CALLERS:
        if caller != "RS":
            status = client.post(decision, headers=auth(tokens, caller), json={"grant": True})
            assert status.status_code == 404, caller
    granted = client.post(decision, headers=auth(tokens, "RS"), json={"grant": True})
    assert granted.json()["status"] == "granted"
    (view,) = client.get("/api/v1/hits", headers=auth(tokens, "HR")).json()["hits"]
    assert "explanation" in view and "rs-p" in (view["left"], view["right"])
    for caller in ("HU", "AT", "SI"):  # a grant is for the one who asked
        assert client.get("/api/v1/entities/rs-p?agency=RS", headers=auth(tokens, caller)).status_code == (
            200 if entitled(caller, distribution) else 404)  # fmt: skip


def test_writes_and_operation_wide_reads_by_role(scene: Any) -> None:
    client, tokens, _ = scene
    for caller in CALLERS:
        headers = auth(tokens, caller)
        report = {"id": f"new-{caller}", "entities": [person("n", name=["Ivan Horvat"])]}
        expected = 201 if caller in OFFICERS else 403
        assert client.post("/api/v1/reports", headers=headers, json=report).status_code == expected
        expected = 200 if caller in ("OC", "admin") else 403
        assert client.post("/api/v1/sweep", headers=headers).status_code == expected, caller
        lookout = {"kind": "plate", "value": "BG 1234 AB", "countries": ["SK"]}
        assert client.post("/api/v1/lookouts", headers=headers, json=lookout).status_code == 201
        for path in ("/api/v1/model", "/api/v1/stats"):
            assert client.get(path, headers=headers).status_code == 200, (path, caller)
    for method, path in (("POST", "/api/v1/reports"), ("POST", "/api/v1/sweep"),
                         ("POST", "/api/v1/lookouts"), ("GET", "/api/v1/model"),
                         ("GET", "/api/v1/stats")):  # fmt: skip
        assert client.request(method, path, json={}).status_code == 401, path
