"""Benchmark: the live path, from a report's post to its hit on another agency's stream.

A fresh database holds ``--stored`` simulated records, loaded in bulk as reference lists of the
ten agencies. A real server (``sirocco serve``, a process of its own) then takes reports, each one record of a
person or vehicle whose other appearance, reported by another agency, is among those stored.
Every other agency's stream is open; a hit's latency is the time from starting its report's
POST to the hit arriving on the other owner's stream.

Two phases: one client posting one report at a time (latency), then ``--clients`` agencies
posting at once (reports/s sustained, with latency under that load). Results go to
benchmarks/out/latency.jsonl and are printed as Markdown rows for docs/benchmarks.md.

    .venv/bin/python benchmarks/live_latency.py --db sqlite --stored 100000
    .venv/bin/python benchmarks/live_latency.py --db postgresql --stored 1000000

The server runs with the default model and no background sweep, so that a sweep of the stored
records (minutes at 1M) does not run beside the measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
from alembic.script import ScriptDirectory
from rich.progress import Progress

from sirocco.entities import Entity
from sirocco.store.bulk import load_reference, settle
from sirocco.store.database import MIGRATIONS, open_database, upgrade
from sirocco.store.operations import create_operation
from sirocco.synth.cases import iter_cases
from sirocco.synth.habits import AGENCIES

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_DB = "sirocco_latency"


def fresh_database(kind: str, stored: int) -> str:
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"latency-{stored}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DB}")
    return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{POSTGRES_DB}"


def schema_revision() -> str:
    return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())


def saved_copy(kind: str, url: str, stored: int) -> str:
    """Where a loaded database is kept for ``--reuse``: a file beside it, or a template database,
    named by the schema's revision (a copy of another revision is loaded again, not reused)."""
    revision = schema_revision()
    if kind == "sqlite":
        return str(OUT / f"latency-{stored}-r{revision}.loaded.db")
    return f"{POSTGRES_DB}_loaded_{stored}_r{revision}"


def restore(kind: str, url: str, saved: str) -> bool:
    """Put the saved loaded database back in place of ``url``'s; False if there is none."""
    if kind == "sqlite":
        if not Path(saved).exists():
            return False
        path = url.removeprefix("sqlite:///")
        shutil.copyfile(saved, path)
        # On disk before the server starts: otherwise its first checkpoint's fsync would write
        # out the whole copy, in the middle of the measurement.
        with open(path, "rb+") as copied:
            os.fsync(copied.fileno())
        return True
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [saved])
        if found.fetchone() is None:
            return False
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
        # Copied as files, and a checkpoint after: by default (PostgreSQL 15) the copy goes
        # through the write-ahead log, whose checkpoint then came in the middle of the run.
        connection.execute(f"CREATE DATABASE {POSTGRES_DB} TEMPLATE {saved} STRATEGY FILE_COPY")
        connection.execute("CHECKPOINT")
    return True


def keep(kind: str, url: str, saved: str) -> None:
    """Save the freshly loaded database (no connection may be open on it)."""
    if kind == "sqlite":
        shutil.copyfile(url.removeprefix("sqlite:///"), saved)
        return
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {saved}")
        connection.execute(f"CREATE DATABASE {saved} TEMPLATE {POSTGRES_DB}")


def split_cases(
    stored: int, probes: int, seed: int
) -> tuple[dict[str, list[Entity]], list[dict[str, Any]]]:
    """Records to store (by agency) and probes: records whose identity another agency stored."""
    people, vehicles = int(stored * 0.8 / 1.9), int(stored * 0.2 / 1.6)
    stored_by: dict[str, list[Entity]] = defaultdict(list)
    seen: dict[str, str] = {}  # identity -> an agency that stored it
    held: list[dict[str, Any]] = []
    for item, identity in iter_cases(people, vehicles, seed=seed):
        agency = item["datasets"][0]
        if (
            identity in seen
            and seen[identity] != agency
            and len(held) < probes
            and len(seen) % 3 == 0
        ):
            held.append(item)
            continue
        seen.setdefault(identity, agency)
        props = {k: tuple(v) for k, v in item["properties"].items()}
        stored_by[agency].append(Entity(item["id"], item["schema"], props, (agency,)))
    return stored_by, held


class Listener(threading.Thread):
    """Reads one agency's stream; notes when each hit arrives."""

    def __init__(self, base_url: str, token: str, after: int) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.after = base_url, token, after
        self.arrived: dict[int, float] = {}
        self.ready = threading.Event()

    def run(self) -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server stopped: measuring is over
            self._read()

    def _read(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.stream("GET", f"{self.url}/api/v1/stream?after={self.after}", headers=headers,
                          timeout=None) as response:  # fmt: skip
            self.ready.set()
            kind = None
            for line in response.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "hit":
                    self.arrived.setdefault(json.loads(line[6:])["id"], time.perf_counter())


def _listen_in_process(url: str, token: str, ready: Any, results: Any, agency: str) -> None:
    listener = Listener(url, token, 0)
    threading.Thread(target=lambda: (listener.ready.wait(), ready.set()), daemon=True).start()
    listener.run()  # until the server stops
    results.put((agency, listener.arrived))


class ListenerProcess:
    """A Listener in a process of its own, as an agency's client would be: the ten streams'
    parsing does not compete for one interpreter with each other and with the posting client.
    (time.perf_counter is the system's monotonic clock: comparable across processes.)"""

    def __init__(self, base_url: str, token: str, agency: str, results: Any) -> None:
        context = multiprocessing.get_context("fork")
        self.ready = context.Event()
        self.agency = agency
        self.arrived: dict[int, float] = {}
        self.process = context.Process(
            target=_listen_in_process, args=(base_url, token, self.ready, results, agency),
            daemon=True,
        )  # fmt: skip

    def start(self) -> None:
        self.process.start()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def slowest_reports(
    hits: dict[int, tuple[float, str]],
    reports: dict[int, tuple[int, float, int]],
    listeners: dict[str, Any],
    count: int = 5,
) -> list[dict[str, Any]]:
    """The reports whose hits arrived last: each report's slowest hit, with its post's time
    and its number of hits (a report with many hits weighs as many in the percentiles)."""
    slowest: dict[int, dict[str, Any]] = {}
    for hit_id, (start, other) in hits.items():
        arrived = listeners[other].arrived.get(hit_id)
        if arrived is None:
            continue
        probe, post, found = reports[hit_id]
        stream_ms = round(1000 * (arrived - start), 1)
        if stream_ms > slowest.get(probe, {}).get("stream_ms", -1.0):
            slowest[probe] = {"probe": probe, "hits": found, "post_ms": round(1000 * post, 1),
                              "stream_ms": stream_ms}  # fmt: skip
    return sorted(slowest.values(), key=lambda r: -r["stream_ms"])[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--listener-processes",
        action="store_true",
        help="read each agency's stream in a process of its own (as separate "
        "clients would), not in threads of the benchmark's process",
    )
    parser.add_argument("--reuse", action="store_true",
                        help="start from the database a previous run loaded (same --stored, --seed "
                             "and --probes), kept beside it; load and keep one if there is none "
                             "(a copy is named by the schema revision; delete "
                             "benchmarks/out/latency-*.loaded.db after changing how records "
                             "are stored without a migration)")  # fmt: skip
    args = parser.parse_args()

    url = fresh_database(args.db, args.stored)
    saved = saved_copy(args.db, url, args.stored)
    # What a kept copy needs besides the database: the tokens, the count stored, the probes.
    kept = (
        OUT / f"latency-{args.db}-{args.stored}-{args.seed}-{args.probes}-r{schema_revision()}.json"
    )
    agencies = list(AGENCIES)
    load_seconds = None
    if args.reuse and kept.exists() and restore(args.db, url, saved):
        state = json.loads(kept.read_text())
        tokens, total, probes = state["tokens"], state["total"], state["probes"]
    else:
        stored_by, probes = split_cases(args.stored, args.probes, args.seed)
        total = sum(len(v) for v in stored_by.values())
        engine = open_database(url)
        upgrade(engine)
        tokens = create_operation(engine, "latency", agencies)
        started = time.perf_counter()
        with Progress() as progress:
            task = progress.add_task("loading", total=total)
            for agency, items in stored_by.items():
                load_reference(engine, 1, agency, "known", items,
                               advance=lambda n: progress.advance(task, n))  # fmt: skip
        settle(engine)
        load_seconds = round(time.perf_counter() - started, 1)
        engine.dispose()
        if args.reuse:
            keep(args.db, url, saved)
            OUT.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps({"tokens": tokens, "total": total, "probes": probes}))

    port = free_port()
    server = subprocess.Popen([str(BIN / "sirocco"), "serve", "--db", url, "--port", str(port),
                               "--no-sweeps"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{base}/openapi.json", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    # What this process holds so far lives to the end: out of the collector's sight (here and in
    # the listeners it forks), so that a full collection of it, 70-90 ms at the same post in
    # every run, is not timed as a report's latency.
    gc.collect()
    gc.freeze()
    results: Any = multiprocessing.get_context("fork").Queue()
    listeners: dict[str, Any] = {
        a: ListenerProcess(base, tokens[a], a, results) if args.listener_processes
        else Listener(base, tokens[a], 0)
        for a in agencies
    }  # fmt: skip
    for listener in listeners.values():
        listener.start()
        listener.ready.wait()

    posted: dict[int, tuple[float, str]] = {}  # hit id -> (post start, the other owner)
    answers: list[float] = []
    reports: dict[int, tuple[int, float, int]] = {}  # hit id -> (probe, post seconds, its hits)
    lock = threading.Lock()

    def post(item: dict[str, Any], client: httpx.Client, number: int) -> None:
        agency = item["datasets"][0]
        body = {"id": f"probe-{number}", "entities": [{**item, "datasets": [agency]}]}
        start = time.perf_counter()
        reply = client.post("/api/v1/reports", json=body,
                            headers={"Authorization": f"Bearer {tokens[agency]}"})  # fmt: skip
        elapsed = time.perf_counter() - start
        reply.raise_for_status()
        with lock:
            answers.append(elapsed)
            hits = reply.json()["hits"]
            for found in hits:
                reports[found["id"]] = (number, elapsed, len(hits))
                other = (
                    found["right_agency"]
                    if found["left_agency"] == agency
                    else found["left_agency"]
                )
                if other != agency:
                    posted[found["id"]] = (start, other)

    half = len(probes) // 2
    with httpx.Client(base_url=base, timeout=120) as client:
        for number, item in enumerate(probes[:half]):
            post(item, client, number)
    sequential = dict(posted), list(answers)
    sequential_reports = dict(reports)
    posted.clear()
    answers.clear()
    reports.clear()
    started = time.perf_counter()
    with (
        ThreadPoolExecutor(args.clients) as pool,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        list(pool.map(lambda pair: post(pair[1], client, half + pair[0]), enumerate(probes[half:])))
    sustained = (len(probes) - half) / (time.perf_counter() - started)
    concurrent = dict(posted), list(answers)
    time.sleep(2.0)  # let the last hits arrive
    server.kill()  # its streams are still open: no graceful shutdown to wait for
    server.wait(30)
    if args.listener_processes:
        for _ in agencies:
            agency, arrived = results.get(timeout=60)
            listeners[agency].arrived = arrived

    def latencies(hits: dict[int, tuple[float, str]]) -> tuple[list[float], int]:
        found = [
            listeners[o].arrived[h] - s for h, (s, o) in hits.items() if h in listeners[o].arrived
        ]
        return [1000 * x for x in found], len(hits) - len(found)

    row: dict[str, Any] = {"db": args.db, "stored": total, "probes": len(probes),
                           "listeners": "processes" if args.listener_processes else "threads",
                           "load_seconds": load_seconds, "clients": args.clients,
                           "reports_per_second": round(sustained, 1),
                           "machine": f"{platform.machine()}, {platform.python_version()}"}  # fmt: skip
    for label, (hits, posts) in (("sequential", sequential), ("concurrent", concurrent)):
        stream, lost = latencies(hits)
        row[label] = {
            "hits": len(hits), "not_delivered": lost,
            "post_p50_ms": round(1000 * statistics.median(posts), 1),
            "post_p99_ms": round(1000 * percentile(posts, 99), 1),
            "stream_p50_ms": round(statistics.median(stream), 1) if stream else None,
            "stream_p99_ms": round(percentile(stream, 99), 1) if stream else None,
        }  # fmt: skip
    row["sequential"]["slowest"] = slowest_reports(sequential[0], sequential_reports, listeners)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "latency.jsonl").open("a") as handle:
        handle.write(json.dumps(row) + "\n")
    print(json.dumps(row, indent=2))
    s, c = row["sequential"], row["concurrent"]
    print(f"| {args.db} | {total:,} | {s['hits']} | {s['stream_p50_ms']} | {s['stream_p99_ms']} "
          f"| {c['stream_p50_ms']} | {c['stream_p99_ms']} | {row['reports_per_second']} |")  # fmt: skip


if __name__ == "__main__":
    main()
