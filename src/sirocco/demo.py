"""``sirocco demo``: the action day replayed through the real API.

A fresh embedded database, the Sirocco-2 operation, a server, and a client per agency posting
the simulated day's reports and lookouts in the order and (sped-up) rhythm they happened. At the
end of the day the operational centre runs a sweep, and the day's figures are read back from
the stats API, as any participant would read them.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from sirocco.api import create_app
from sirocco.store.database import open_database, upgrade
from sirocco.store.operations import create_operation
from sirocco.synth.actionday import ActionDay, Step, simulate

OPERATION = "Sirocco-2"


@dataclass(slots=True)
class Replay:
    """What the replay sent and what came back."""

    reports: int = 0
    entities: int = 0
    hits: int = 0
    alerts: int = 0
    first_hit_after: float | None = None  # seconds from the replay's start
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # by report id


class Server:
    """``sirocco serve`` in a thread of this process, on a port of its own."""

    def __init__(self, db_url: str, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.engine = open_database(db_url)
        upgrade(self.engine)
        config = uvicorn.Config(create_app(self.engine), host=host, port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="sirocco-serve", daemon=True)

    def start(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the server did not start (is the port taken?)")
            time.sleep(0.05)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.engine.dispose()


def replay(
    base_url: str,
    tokens: dict[str, str],
    day: ActionDay,
    speed: float,
    on_step: Callable[[Step, dict[str, Any]], None] = lambda step, answer: None,
) -> Replay:
    """Post the day through the API: reference lists at once, then each step at its time
    divided by ``speed`` (0: as fast as the server answers)."""
    result = Replay()
    started = time.monotonic()
    clients = {
        agency: httpx.Client(base_url=base_url, timeout=60,
                             headers={"Authorization": f"Bearer {tokens[agency]}"})
        for agency in day.participants
    }  # fmt: skip
    try:
        previous = day.steps[0].at if day.steps else day.start
        for step in [*day.reference, *day.steps]:
            if speed > 0 and step.at > previous:
                time.sleep((step.at - previous).total_seconds() / speed)
                previous = step.at
            path = "/api/v1/reports" if step.kind == "report" else "/api/v1/lookouts"
            answer = _post(clients[step.agency], path, step)
            if step.kind == "report":
                result.reports += 1
                result.entities += len(step.body["entities"])
                result.hits += len(answer["hits"])
                result.alerts += len(answer["alerts"])
                result.answers[step.body["id"]] = answer
                if answer["hits"] and result.first_hit_after is None:
                    result.first_hit_after = time.monotonic() - started
            on_step(step, answer)
    finally:
        for client in clients.values():
            client.close()
    return result


def _post(client: httpx.Client, path: str, step: Step) -> dict[str, Any]:
    for attempt in range(5):  # a retry of a report is safe: reports are idempotent by id
        try:
            reply = client.post(path, json=step.body)
        except httpx.TransportError:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))
            continue
        if reply.status_code >= 400:
            raise RuntimeError(f"{step.agency} {path} {step.body.get('id', '')}: {reply.text}")
        answer: dict[str, Any] = reply.json()
        return answer
    raise AssertionError("unreachable")


def start_demo(
    port: int = 8000,
    seed: int = 2,
    tokens_path: str | None = None,
    db_url: str | None = None,
    scale: float = 1.0,
) -> tuple[Server, str, dict[str, str], ActionDay]:
    """A fresh database with the operation, a running server, the day to replay."""
    day = simulate(seed, scale)
    if db_url is None:
        folder = Path(tempfile.mkdtemp(prefix="sirocco-demo-"))
        db_url = f"sqlite:///{folder / 'sirocco.db'}"
    server = Server(db_url, port=port)
    tokens = create_operation(server.engine, OPERATION, list(day.participants))
    if tokens_path:
        Path(tokens_path).write_text(json.dumps(tokens, indent=2), encoding="utf-8")
    return server, server.start(), tokens, day


def finish_day(base_url: str, tokens: dict[str, str]) -> dict[str, Any]:
    """The operational centre's end of the day: a sweep, then the figures and the alerts."""
    headers = {"Authorization": f"Bearer {tokens['OC']}"}
    with httpx.Client(base_url=base_url, timeout=600, headers=headers) as client:
        swept = client.post("/api/v1/sweep").json()
        stats = client.get("/api/v1/stats").json()
    alerted: dict[str, int] = {}
    for agency in ("HU", "SK", "AT"):
        with httpx.Client(base_url=base_url, timeout=60) as client:
            reply = client.get(
                "/api/v1/alerts", headers={"Authorization": f"Bearer {tokens[agency]}"}
            )
            alerted[agency] = len(reply.json()["alerts"])
    return {"sweep": swept, "stats": stats, "alerts": alerted}
