"""One outbox reader per process, fanning events out to the open streams."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from sirocco import fanout
from sirocco.fanout import Fanout
from sirocco.store.database import open_database, serialised, upgrade
from sirocco.store.operations import create_operation
from sirocco.store.outbox import notify
from sirocco.store.signal import CommitSignal
from tests.test_api import auth, exchange, person, read_stream  # noqa: F401 (a fixture)


def _write(engine: Any, audiences: list[str], count: int) -> None:
    with serialised(engine, 1) as connection:
        for n in range(count):
            notify(connection, 1, audiences, "report", {"n": n}, datetime.now(UTC))


def test_new_events_reach_the_streams_of_their_audience_once_in_order(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["RS", "HR"])
    _write(engine, ["RS"], 2)  # before anyone subscribed: theirs to replay, not handed over
    signal = CommitSignal()
    signal.attach(engine)
    hub = Fanout(engine, signal, poll_seconds=5.0)  # a commit, not the poll, must wake it

    async def scenario() -> tuple[list[Any], list[Any]]:
        serbia = await hub.subscribe(1, "RS")
        centre = await hub.subscribe(1, "OC")
        await asyncio.to_thread(_write, engine, ["RS", "OC"], 3)
        await asyncio.to_thread(_write, engine, ["OC"], 1)
        for _ in range(50):
            if len(centre.rows) == 4:
                break
            await asyncio.sleep(0.05)
        await hub.close()
        return list(serbia.rows), list(centre.rows)

    serbia, centre = asyncio.run(scenario())
    assert [row.payload["n"] for row in serbia] == [0, 1, 2]
    assert [row.payload["n"] for row in centre] == [0, 1, 2, 0]
    ids = [row.id for row in centre]
    assert ids == sorted(set(ids))
    assert all(row.audience == "OC" for row in centre)
    engine.dispose()


def test_a_stream_that_falls_behind_is_told_to_replay(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fanout, "BACKLOG", 3)
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["RS"])
    signal = CommitSignal()
    signal.attach(engine)
    hub = Fanout(engine, signal, poll_seconds=0.1)

    async def scenario() -> Any:
        centre = await hub.subscribe(1, "OC")
        await asyncio.to_thread(_write, engine, ["OC"], 10)
        for _ in range(50):
            if centre.overflowed:
                break
            await asyncio.sleep(0.05)
        await hub.close()
        return centre

    centre = asyncio.run(scenario())
    assert centre.overflowed
    assert len(centre.rows) < 3  # what came after the overflow, never a gap passed off as whole
    engine.dispose()


def test_a_slow_stream_still_gets_every_live_event_once_in_order(
    exchange: Any,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fanout, "BACKLOG", 2)  # any burst overflows: the stream must replay
    client, tokens, _ = exchange

    def post_while_the_stream_is_open() -> None:
        time.sleep(0.5)
        for n in range(8):
            client.post("/api/v1/reports", headers=auth(tokens, "RS"), json={
                "id": f"r{n}", "entities": [person(f"p{n}", name=[f"Марко Петровић {n}"])]})  # fmt: skip

    poster = threading.Thread(target=post_while_the_stream_is_open)
    poster.start()
    live = read_stream(client, "OC", tokens, idle=2.0)
    poster.join()
    replayed = read_stream(client, "OC", tokens)
    assert [e["data"]["id"] for e in live if e["event"] == "report"] == [f"r{n}" for n in range(8)]
    assert [e["id"] for e in live] == [e["id"] for e in replayed]


def test_a_commit_while_the_outbox_is_read_is_not_slept_through() -> None:
    signal = CommitSignal()

    async def scenario() -> float:
        seen = signal.generation
        signal.fire()  # a commit lands while the reader is still reading
        started = time.monotonic()
        await signal.wait(5.0, seen)
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 1.0


def test_what_this_process_committed_is_handed_out_without_reading_it_back(
    database_url: str,
) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["RS", "HR"])
    signal = CommitSignal()
    signal.attach(engine)
    hub = Fanout(engine, signal, poll_seconds=5.0)
    reads: list[int] = []
    read = hub._fetch
    hub._fetch = lambda operation_id, since: reads.append(since) or read(operation_id, since)  # type: ignore[method-assign]

    async def scenario() -> list[Any]:
        centre = await hub.subscribe(1, "OC")
        for _ in range(50):  # the reader's first look, before anything was written
            if reads:
                break
            await asyncio.sleep(0.01)
        before = len(reads)
        await asyncio.to_thread(_write, engine, ["RS", "OC"], 3)
        for _ in range(50):
            if len(centre.rows) == 3:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.2)
        assert len(reads) == before  # nothing was read back
        await hub.close()
        return list(centre.rows)

    centre = asyncio.run(scenario())
    assert [row.payload["n"] for row in centre] == [0, 1, 2]
    assert [row.audience for row in centre] == ["OC"] * 3
    engine.dispose()


def test_what_another_writer_committed_in_between_is_read_first(database_url: str) -> None:
    engine = open_database(database_url)
    upgrade(engine)
    create_operation(engine, "Sirocco-2", ["RS", "HR"])
    other = open_database(database_url)  # another server process: nothing handed over from it
    signal = CommitSignal()
    signal.attach(engine)
    hub = Fanout(engine, signal, poll_seconds=5.0)  # the hand-over, not the poll, must wake it

    async def scenario() -> list[Any]:
        centre = await hub.subscribe(1, "OC")
        await asyncio.sleep(0.2)
        await asyncio.to_thread(_write, other, ["OC"], 2)
        await asyncio.sleep(0.1)
        centre_first = len(centre.rows)
        await asyncio.to_thread(_write, engine, ["OC"], 1)
        for _ in range(50):
            if len(centre.rows) == 3:
                break
            await asyncio.sleep(0.05)
        await hub.close()
        assert centre_first == 0 or database_url.startswith("postgresql")  # SQLite: no wake-up
        return list(centre.rows)

    centre = asyncio.run(scenario())
    ids = [row.id for row in centre]
    assert len(ids) == 3 and ids == sorted(ids)  # the other writer's two, then this one's
    assert [row.payload["n"] for row in centre] == [0, 1, 0]
    other.dispose()
    engine.dispose()
