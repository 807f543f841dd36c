"""One reader of the outbox per server process, fanning new events out to its open streams.

Every open stream used to query the outbox after every commit: with ten agencies and the
operational centre watching, eleven queries a commit, each competing with the next report for
the database and the interpreter. Here one task reads what an operation's commits added, once,
and hands each event to the streams of its audience. A stream reads the database itself only
to replay what came before it subscribed, or what it fell too far behind on.

Within an operation, events are written under the operation's lock, so their ids grow in the
order they commit: reading ``id > last`` per operation misses nothing.

What this process's own transactions wrote is handed over when they commit (``offer``) and goes
to the streams at once, without being read back, when it follows on from what was handed out
last; otherwise (another process wrote in between, or ids were skipped) it is read as above.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select
from starlette.concurrency import run_in_threadpool

from sirocco.store.signal import CommitSignal, Written
from sirocco.store.tables import event

PAGE = 500  # events read at once
BACKLOG = 5_000  # events a stream may hold unsent before it falls back to replaying


@dataclass(eq=False)
class Subscription:
    """One open stream: the events handed to it and not yet sent."""

    operation_id: int
    audience: str
    rows: deque[Any] = field(default_factory=deque)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    overflowed: bool = False  # events were dropped: replay from the database

    def push(self, row: Any) -> None:
        if len(self.rows) >= BACKLOG:
            self.rows.clear()
            self.overflowed = True
        else:
            self.rows.append(row)
        self.ready.set()


class Fanout:
    def __init__(self, engine: Engine, signal: CommitSignal, poll_seconds: float) -> None:
        self.engine = engine
        self.signal = signal
        self.poll_seconds = poll_seconds
        self._subscribers: dict[int, set[Subscription]] = {}
        self._positions: dict[int, int] = {}  # per operation: the last event id handed out
        self._task: asyncio.Task[None] | None = None
        self._receiving: asyncio.AbstractEventLoop | None = None
        self._closing = False

    async def subscribe(self, operation_id: int, audience: str) -> Subscription:
        """Events of ``audience`` committed from now on; earlier ones are the caller's to
        replay (every event it will be handed has a greater id than what the database held
        before this call)."""
        if operation_id not in self._positions:
            newest = await run_in_threadpool(self._newest, operation_id)
            self._positions.setdefault(operation_id, newest)
        subscription = Subscription(operation_id, audience)
        self._subscribers.setdefault(operation_id, set()).add(subscription)
        self._ensure_running()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(subscription.operation_id)
        if subscribers is None:
            return
        subscribers.discard(subscription)
        if not subscribers:
            del self._subscribers[subscription.operation_id]
            self._positions.pop(subscription.operation_id, None)

    async def close(self) -> None:
        if self._task is not None:
            # Also told by a flag: on Python 3.11, a cancellation that comes as the reader's
            # wait ends (a commit woke it) can be lost inside asyncio.wait_for.
            self._closing = True
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._task
            self._task = None
            self._closing = False

    def offer(self, written: Sequence[Written]) -> None:
        """Events a transaction of this process committed: handed out at once if they follow on
        from the last handed out, otherwise read from the database."""
        behind = False
        for row in written:
            position = self._positions.get(row.operation_id)
            if position is not None and row.id > position + 1:
                behind = True  # something in between, not yet read: read it all in order
            else:
                self._hand_out(row.operation_id, row)
        if behind:
            self.signal.fire()

    def _ensure_running(self) -> None:
        loop = asyncio.get_running_loop()
        if self._receiving is not loop:
            self._receiving = loop
            self.signal.receive(self.offer)
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._run(), name="sirocco-fanout")

    async def _run(self) -> None:
        while self._subscribers and not self._closing:
            seen = self.signal.generation
            for operation_id in list(self._subscribers):
                await self._deliver(operation_id)
            await self.signal.wait(self.poll_seconds, seen)

    async def _deliver(self, operation_id: int) -> None:
        while (since := self._positions.get(operation_id)) is not None:
            rows = await run_in_threadpool(self._fetch, operation_id, since)
            for row in rows:
                self._hand_out(operation_id, row)
            if len(rows) < PAGE:
                return

    def _hand_out(self, operation_id: int, row: Any) -> None:
        """Push an event to its audience's streams, once: not if it was handed out already (by
        the hand-over or the reader), nor if nobody listens to the operation any more."""
        position = self._positions.get(operation_id)
        if position is None or row.id <= position:
            return
        self._positions[operation_id] = row.id
        for subscription in list(self._subscribers.get(operation_id, ())):
            if subscription.audience == row.audience:
                subscription.push(row)

    def _newest(self, operation_id: int) -> int:
        with self.engine.connect() as connection:
            newest = connection.execute(
                select(func.max(event.c.id)).where(event.c.operation_id == operation_id)
            ).scalar()
        return int(newest or 0)

    def _fetch(self, operation_id: int, since: int) -> list[Any]:
        return read_outbox(self.engine, operation_id, since)


def read_outbox(
    engine: Engine, operation_id: int, since: int, audience: str | None = None
) -> list[Any]:
    """At most PAGE events of the operation after ``since``, in order; only ``audience``'s if
    one is named (a stream's replay), every audience's otherwise (the fan-out)."""
    query = select(event.c.id, event.c.type, event.c.payload, event.c.audience).where(
        event.c.operation_id == operation_id, event.c.id > since
    )
    if audience is not None:
        query = query.where(event.c.audience == audience)
    with engine.connect() as connection:
        return list(connection.execute(query.order_by(event.c.id).limit(PAGE)))
