"""The action day replayed through a real server (``sirocco demo``'s machinery)."""

import io
from pathlib import Path

import httpx
import orjson
from sqlalchemy import select
from sqlalchemy.orm import aliased

from sirocco.demo import finish_day, replay, start_demo
from sirocco.store.tables import entity, hit
from sirocco.synth.actionday import simulate
from sirocco.xmatch import run_xmatch


def test_the_default_day_has_the_seeds_figures_and_its_pursuit() -> None:
    day = simulate()
    assert day.expected_figures() == {"incidents": 29, "arrested": 39, "intercepted": 580}
    assert set(day.participants) == {
        "AT",
        "BG",
        "HR",
        "MK",
        "DE",
        "HU",
        "RO",
        "RS",
        "SI",
        "CH",
        "SK",
    }
    chain = [
        (s.agency, s.kind)
        for s in day.steps
        if "pursuit" in s.body.get("id", "") or s.kind == "lookout" or s.agency == "SK"
    ]
    assert chain == [("HU", "report"), ("HU", "lookout"), ("SK", "report"), ("AT", "report")]
    lookout = next(s for s in day.steps if s.kind == "lookout")
    assert lookout.body["countries"] == ["SK", "AT"]
    assert simulate().steps == day.steps, "deterministic per seed"
    assert simulate(seed=3).steps != day.steps
    bigger = simulate(scale=3).expected_figures()
    assert bigger == {"incidents": 87, "arrested": 117, "intercepted": 1740}


def test_the_replayed_day_gives_its_figures_alerts_and_xmatchs_hits(tmp_path: Path) -> None:
    server, base_url, tokens, day = start_demo(
        port=0, db_url=f"sqlite:///{tmp_path / 'demo.db'}", tokens_path=str(tmp_path / "t.json")
    )
    try:
        result = replay(base_url, tokens, day, speed=0)
        assert result.first_hit_after is not None
        end = finish_day(base_url, tokens)
        assert end["stats"]["total"] == day.expected_figures()
        assert end["alerts"]["SK"] >= 1 and end["alerts"]["AT"] >= 1
        with httpx.Client(base_url=base_url) as client:
            alerts = client.get("/api/v1/alerts", headers={"Authorization": f"Bearer {tokens['AT']}"}).json()["alerts"]  # fmt: skip
        assert {a["reported_by"] for a in alerts} == {"SK", "AT"}
        assert all(a["issued_by"] == "HU" and a["countries"] == ["AT", "SK"] for a in alerts)
        assert orjson.loads((tmp_path / "t.json").read_bytes()).keys() == {
            *day.participants,
            "OC",
            "admin",
        }

        left, right = aliased(entity), aliased(entity)
        with server.engine.connect() as connection:
            rows = connection.execute(
                select(hit.c.decision, left.c.entity_id, right.c.entity_id.label("other"))
                .join(left, left.c.id == hit.c.left_pk).join(right, right.c.id == hit.c.right_pk)
            ).all()  # fmt: skip
            records = connection.execute(select(entity)).all()
    finally:
        server.stop()
    path = tmp_path / "day.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"id": r.entity_id, "schema": r.schema,
                                            "properties": r.properties, "datasets": [r.agency]}) + b"\n"
                              for r in records))  # fmt: skip
    out = io.BytesIO()
    run_xmatch([str(path)], out, on_problem=lambda problem: None)
    found = {frozenset((h["left"], h["right"])): h["decision"]
             for h in map(orjson.loads, out.getvalue().splitlines())}  # fmt: skip
    standing = {frozenset((r.entity_id, r.other)): r.decision for r in rows if r.decision != "withdrawn"}  # fmt: skip
    assert len(found) > 100
    assert standing == found
