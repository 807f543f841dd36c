"""The sweep: an operation's stored records matched all at once, exactly as ``xmatch`` matches
a file, and the model that follows the operation's data.

Live matching judges each new record against what came before it, with the model and the value
frequencies of that moment, and one pair at a time. The sweep judges every record against all
the others with the model estimated from all of them, and adds the pairs that identities imply
(A is B and B is C). Then the recorded hits are brought into line with what it found: a pair
live matching had missed is recorded, a decision that changed (possible or match) is revised,
and a recorded pair it no longer judges the same is marked ``withdrawn`` (kept, never deleted);
every change is told to its audiences under the hit's id. So once a sweep has run, the hits on
its records are exactly those ``xmatch`` finds on the same records.

A sweep runs in the background when an operation's records have doubled since the last (the
first at ``MIN_RECORDS``), and on request (``POST /api/v1/sweep``, ``sirocco sweep``).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from sirocco.exchange import record_hit, revise_hit
from sirocco.match.engine import Hit, assess
from sirocco.match.estimate import estimate_model
from sirocco.match.index import MemoryIndex
from sirocco.match.model import Model
from sirocco.store.audit import append
from sirocco.store.candidates import profiles_of_rows
from sirocco.store.database import serialised
from sirocco.store.tables import entity, hit, hit_review, value_count
from sirocco.xmatch import compare_shared, find_hits

MIN_RECORDS = 200  # below this, the default parameters serve better than estimated ones


WITHDRAWN = "withdrawn"  # a recorded hit the sweep no longer judges the same


@dataclass(frozen=True, slots=True)
class SweepResult:
    records: int
    model: Model
    found: int  # pairs judged the same (match or possible)
    added: int  # of those, pairs live matching had not recorded
    revised: int  # recorded pairs whose decision changed (possible <-> match)
    withdrawn: int  # recorded pairs no longer judged the same

    def to_dict(self) -> dict[str, int]:
        return {"records": self.records, "found": self.found, "added": self.added,
                "revised": self.revised, "withdrawn": self.withdrawn}  # fmt: skip


def load_index(engine: Engine, operation_id: int) -> tuple[MemoryIndex, dict[str, str]]:
    """The operation's stored records keyed by their primary keys, and each key's label
    (``AGENCY/entity-id``, as people know the record)."""
    index = MemoryIndex()
    labels: dict[str, str] = {}
    with engine.connect() as connection:
        rows = connection.execute(
            select(entity).where(entity.c.operation_id == operation_id).order_by(entity.c.id)
        ).all()
        profiles = profiles_of_rows(rows)
        for row in rows:
            profile = profiles[row.id]
            if profile is not None:
                index.add(profile)
                labels[profile.id] = f"{row.agency}/{row.entity_id}"
    return index, labels


def sweep(
    engine: Engine, operation_id: int, actor: str = "system", workers: int = 1
) -> SweepResult:
    """Judge the operation's records all at once, as ``xmatch`` would; bring the recorded hits
    of those records into line, telling each change to its audiences.

    Records stored while the sweep ran are left to the next one.
    """
    index, labels = load_index(engine, operation_id)
    model = estimate_model(index, compare_many=compare_shared(workers))
    judged: dict[frozenset[int], Hit] = {}
    for found in find_hits(index, model, workers=workers):
        via = tuple(labels[pk] for pk in found.via)
        judged[frozenset((int(found.left), int(found.right)))] = replace(found, via=via)
    added = revised = withdrawn = 0
    now = datetime.now(UTC)
    with serialised(engine, operation_id) as connection:
        recorded = connection.execute(
            select(hit.c.id, hit.c.left_pk, hit.c.right_pk, hit.c.decision).where(
                hit.c.operation_id == operation_id
            )
        ).all()
        reviewed = set(connection.execute(
            select(hit_review.c.hit_id).where(hit_review.c.operation_id == operation_id)
        ).scalars())  # fmt: skip
        seen: set[frozenset[int]] = set()
        for row in recorded:
            pair = frozenset((row.left_pk, row.right_pk))
            seen.add(pair)
            if row.id in reviewed:
                continue  # a person's verdict stands over any score
            verdict = judged.get(pair)
            if verdict is not None:
                if verdict.decision.value != row.decision:
                    revise_hit(connection, operation_id, row.id, verdict, verdict.decision.value,
                               now)  # fmt: skip
                    revised += 1
            elif row.decision != WITHDRAWN and all(str(pk) in index for pk in pair):
                left, right = (index.profile(str(pk)) for pk in (row.left_pk, row.right_pk))
                direct = assess(model, left, right, index.frequencies)
                revise_hit(connection, operation_id, row.id, direct, WITHDRAWN, now)
                withdrawn += 1
        for key, new in judged.items():
            if key not in seen:
                record_hit(connection, operation_id, new, now)
                added += 1
        result = SweepResult(len(index), model, len(judged), added, revised, withdrawn)
        detail = " ".join(f"{k}={v}" for k, v in result.to_dict().items())
        append(connection, operation_id, actor, "sweep", detail)
    return result


class OperationModels:
    """One model per operation, from its latest sweep; a new sweep starts in the background when
    the operation's records have doubled since the last one."""

    def __init__(self, engine: Engine, fixed: Model | None = None, background: bool = True) -> None:
        self.engine = engine
        self.fixed = fixed
        self.background = background
        self._models: dict[int, tuple[int, Model]] = {}
        self._running: dict[int, Future[SweepResult]] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def for_operation(self, operation_id: int) -> Model:
        """The operation's current model (never waits for a sweep)."""
        if self.fixed is not None:
            return self.fixed
        with self._lock:
            swept, model = self._models.get(operation_id, (0, Model.default()))
            running = operation_id in self._running
        if self.background and not running:
            with self.engine.connect() as connection:  # records held, from the counts kept
                held = connection.execute(
                    select(func.coalesce(func.sum(value_count.c.count), 0)).where(
                        value_count.c.operation_id == operation_id,
                        value_count.c.key.startswith("records:"),
                    )
                ).scalar_one()
            if held >= MIN_RECORDS and held >= 2 * max(swept, MIN_RECORDS // 2):
                self.start(operation_id)
        return model

    def start(
        self, operation_id: int, actor: str = "system", fresh: bool = False
    ) -> Future[SweepResult]:
        """Start a sweep unless one is running for the operation (then that one). ``fresh``:
        a sweep that starts now, after any running one, so it sees every record stored."""
        with self._lock:
            running = self._running.get(operation_id)
        if running is not None and fresh:
            wait([running])
        with self._lock:
            running = self._running.get(operation_id)
            if running is not None and not (fresh and running.done()):
                return running
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="sirocco-sweep")
            future = self._pool.submit(self._sweep, operation_id, actor)
            self._running[operation_id] = future
            return future

    def _sweep(self, operation_id: int, actor: str) -> SweepResult:
        try:
            result = sweep(self.engine, operation_id, actor)
            with self._lock:
                if result.records >= MIN_RECORDS:
                    self._models[operation_id] = (result.records, result.model)
            return result
        finally:
            with self._lock:
                self._running.pop(operation_id, None)

    def close(self) -> None:
        """Wait for a running sweep (a later request may start another)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
