"""Keeping the garbage collector's pauses short in a serving process.

A server holds a great many long-lived objects: the modules it imported (the FollowTheMoney
model, territory names, the web framework) and the profiles it caches for matching. Python's
full collections walk every one of them, and each walk stalled the reports and streams in
flight for 100 ms and more. What has survived is therefore moved out of the collector's sight
(``gc.freeze``): once at start, and again after every so many writes, right after a collection
of what is new (cheap, since the frozen objects are not walked). Frozen objects are still freed
by reference counting when dropped: cached profiles hold no cycles.
"""

from __future__ import annotations

import gc
import threading

EVERY = 20  # writes between two freezes: each collects only what came since the last


class ShortPauses:
    def __init__(self, every: int = EVERY) -> None:
        self.every = every
        self._writes = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """At start, once the imports are done: what exists now lives as long as the process."""
        gc.collect()
        gc.freeze()

    def wrote(self) -> None:
        """After a write: now and then, collect what is new and freeze what survives."""
        with self._lock:
            self._writes += 1
            due = self._writes % self.every == 0
        if due:
            gc.collect()
            gc.freeze()
