"""``sirocco xmatch``: the live matching loop, run over files.

Every record is first added to the index (so that the result cannot depend on the order of the
input), the model is estimated from what is held, and then each record is matched against the
index exactly as the live server matches a new report. Memory holds the index (profiles and
keys), never the input lines (with workers, a few megabytes of them per worker at a time).
Reading and matching both use the workers: stretches of the files are read and profiled, then
chunks of records matched, in forked processes.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import io
import multiprocessing as mp
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from typing import IO, Any, TypeVar

import numpy as np
import orjson
from numpy.typing import NDArray
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sirocco.entities import Entity, Problem, parse_entity
from sirocco.match.compare import Frequencies
from sirocco.match.dates import BirthDate
from sirocco.match.engine import (
    Decision,
    Hit,
    Thresholds,
    assess,
    contradicts,
    judge,
    name_bound,
)
from sirocco.match.estimate import CompareMany, compare_each, estimate_model
from sirocco.match.identities import implied_pairs
from sirocco.match.index import MemoryIndex
from sirocco.match.links import LinkBook, Links, Said, links_of
from sirocco.match.model import Contribution, Model
from sirocco.match.names import NamePart, make_part
from sirocco.match.plates import Plate
from sirocco.match.profile import Kind, Profile, build_profile
from sirocco.match.rivals import contested_links, one_by_one
from sirocco.match.screen import Ranges, RangeWork, Screen


@dataclass(slots=True)
class Summary:
    records: int = 0
    hits: int = 0
    matches: int = 0
    problems: int = 0
    flagged_keys: list[tuple[str, int]] = field(default_factory=list)


def read_entities(
    paths: Sequence[str], on_problem: Callable[[Problem], None], advance: Callable[[int], None]
) -> Iterator[Entity]:
    """Entities from JSON-lines files; a bad line is reported and skipped, never fatal."""
    for path in paths:
        with open(path, "rb") as handle:
            yield from _entities(path, enumerate(handle, start=1), on_problem, advance)


def _entities(
    path: str,
    lines: Iterable[tuple[int, bytes]],
    on_problem: Callable[[Problem], None],
    advance: Callable[[int], None],
) -> Iterator[Entity]:
    for number, line in lines:
        advance(len(line))
        if not line.strip():
            continue
        where = f"{os.path.basename(path)} line {number}"
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            on_problem(Problem(where, "(line)", f"not valid JSON: {error}"))
            continue
        parsed = parse_entity(data, where)
        for problem in parsed.problems:
            on_problem(problem)
        if parsed.entity is not None:
            yield parsed.entity


# What reading a stretch of a file found, in the order of its lines: a problem, or an entity's
# id with its profile (None: nothing to match) and its links to other records.
Read = tuple[str, Profile | None, Links | None]
Found = Problem | Read


def _profiles(entities: Iterable[Entity], on_problem: Callable[[Problem], None]) -> Iterator[Read]:
    for entity in entities:
        profile, problems = build_profile(entity)
        links = links_of(entity, profile, problems)
        for problem in problems:
            on_problem(problem)
        yield entity.id, profile, links


def _read_stretch(stretch: tuple[str, int, int, int]) -> list[Found]:
    """Read and profile the lines of one stretch of a file (in a worker process)."""
    path, start, stop, first_line = stretch
    with open(path, "rb") as handle:
        handle.seek(start)
        lines = io.BytesIO(handle.read(stop - start))  # cut into lines as a file is
    found: list[Found] = []
    entities = _entities(path, enumerate(lines, start=first_line), found.append, lambda _: None)
    for item in _profiles(entities, found.append):
        found.append(item)
    return found


# A name part comes back from a worker as the shared part of its spelling, not as a copy.
copyreg.pickle(NamePart, lambda part: (make_part, (part.latin,)))


def _pickled_as_fields(cls: type) -> None:
    """Have a dataclass's instances cross between processes as the class and a tuple of its
    fields. For frozen dataclasses with slots, pickle's default goes through each slot's state;
    measured on what a worker sends back (profiles read, hits found), this takes about a third
    less time to write and half to read."""
    fields = dataclasses.fields(cls)
    if len(fields) < 2 or not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: only every field given to __init__ can be pickled so")
    values = operator.attrgetter(*(f.name for f in fields))
    copyreg.pickle(cls, lambda instance: (cls, values(instance)))


for _crossing in (Profile, BirthDate, Plate, Links, Said, Problem, Hit, Contribution):
    _pickled_as_fields(_crossing)

STRETCH = 4 * 1024 * 1024  # bytes of a file read and profiled at once by one worker


def stretches(path: str, size: int = STRETCH) -> Iterator[tuple[str, int, int, int]]:
    """A file cut into stretches of whole lines: (path, start, stop, number of the first line)."""
    with open(path, "rb") as handle:
        start, line = 0, 1
        while True:
            handle.seek(start)
            chunk = handle.read(size)
            if not chunk:
                return
            rest = handle.readline()  # to the end of the line the chunk cut
            yield path, start, start + len(chunk) + len(rest), line
            line += chunk.count(b"\n") + rest.count(b"\n")
            start += len(chunk) + len(rest)


def build_index(
    paths: Sequence[str],
    on_problem: Callable[[Problem], None],
    advance: Callable[[int], None] = lambda _: None,
    workers: int = 1,
    stretch: int = STRETCH,
) -> MemoryIndex:
    """The index of every record read. With ``workers`` > 1, stretches of the files are read
    and profiled in forked processes; what they found is taken in the order of the lines, so
    the index, and every problem reported, is the same as when read in one process.

    A person's profile takes in what the records naming them say (a passport of its holder)
    and the addresses they name (``sirocco.match.links``), wherever in the input those are."""
    index = MemoryIndex()
    book = LinkBook()
    for item in _found(paths, on_problem, advance, workers, stretch):
        if isinstance(item, Problem):
            on_problem(item)
            continue
        entity_id, profile, links = item
        if profile is None:
            continue
        if profile.id in index:
            on_problem(Problem(entity_id, "id", "duplicate id; this copy ignored"))
            continue
        index.add(profile)  # while the workers read on
        book.note(entity_id, profile, links)
    if book:  # what records read later say of those held (a passport of its holder)
        for profile in list(index.profiles):
            linked = book.apply(profile.id, profile)
            if linked is not profile:
                index.replace(linked)
    return index


def _forking(workers: int) -> bool:
    """Whether work is shared out among forked processes (that share what the parent holds)."""
    return workers > 1 and "fork" in mp.get_all_start_methods()


T = TypeVar("T")
Bounds = tuple[int, int]
# The task forked workers run over ranges (``_shared``): set before their pool starts, so that
# they hold it, and all it works on, as the parent does (shared copy-on-write, not pickled).
_TASK: Callable[[Bounds], Any] | None = None


def _cut(n: int, size: int) -> list[Bounds]:
    """``range(n)`` cut into ranges of ``size`` (the last shorter)."""
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def _run_task(bounds: Bounds) -> Any:
    assert _TASK is not None
    return _TASK(bounds)


def _shared(task: Callable[[Bounds], T], cut: Sequence[Bounds], workers: int) -> Iterator[T]:
    """``task`` over each range of ``cut``, in order: in ``workers`` forked processes, or in
    this one for a single range (or where nothing is forked). The task reaches the workers by
    their forking, so one such pool runs at a time."""
    if len(cut) <= 1 or not _forking(workers):
        yield from map(task, cut)
        return
    global _TASK
    if _TASK is not None:
        raise RuntimeError("forked workers are already at another task")
    _TASK = task
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            yield from pool.map(_run_task, cut)
    finally:
        _TASK = None


def _found(
    paths: Sequence[str],
    on_problem: Callable[[Problem], None],
    advance: Callable[[int], None],
    workers: int,
    stretch: int,
) -> Iterator[Found]:
    if not _forking(workers):
        yield from _profiles(read_entities(paths, on_problem, advance), on_problem)
        return
    cut = [part for path in paths for part in stretches(path, stretch)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        for (_, start, stop, _), found in zip(cut, pool.map(_read_stretch, cut), strict=True):
            yield from found
            advance(stop - start)


def match_range(
    index: MemoryIndex,
    model: Model,
    thresholds: Thresholds,
    start: int,
    stop: int,
    screen: Screen | None = None,
    order: PairOrder | None = None,
) -> list[Hit]:
    """Hits of the records at positions ``start:stop``, each pair once (``left`` < ``right``).

    With a ``screen`` (``sirocco.match.screen``), the pairs of people it shows could never be
    hits are not judged: the hits are the same, found sooner. ``order`` is the index's
    ``PairOrder`` (worked out here when not given)."""
    profiles, frequencies = index.profiles, index.frequencies
    if order is None:
        order = PairOrder.of(profiles)
    left_at, right_at = index.candidate_pairs(start, stop)
    ahead = order.ahead(left_at, right_at)
    left_at, right_at = left_at[ahead], right_at[ahead]
    # A pair's name weighs no more than either record's own name allows (``name_bound``): the
    # screen has the bounds of both; without it, the left record's is worked out.
    # With the screen, a pair of people is then compared by name first: what the names weigh
    # with the most their other features can is known before those are compared.
    bounds: list[float] | None = None
    apart: list[float] | list[None] = [None] * len(left_at)
    if screen is not None and len(left_at):
        judged = screen.passes(left_at, right_at)
        left_at, right_at = left_at[judged], right_at[judged]
        bounds = screen.names_most(left_at, right_at).tolist()
        apart = screen.most_apart_from_name(left_at, right_at).tolist()
    hits: list[Hit] = []
    last, bound = -1, 0.0
    for n, (left, right) in enumerate(zip(left_at.tolist(), right_at.tolist(), strict=True)):
        profile = profiles[left]
        if bounds is not None:
            bound = bounds[n]
        elif left != last:
            last, bound = left, name_bound(model, profile, frequencies)
        hit = judge(model, profile, profiles[right], frequencies, thresholds, bound, apart[n])
        if hit is not None:
            hits.append(hit)
    return hits


@dataclass(frozen=True, slots=True)
class PairOrder:
    """Each held record's kind and the rank of its id, by position: which of two candidates
    are of one kind and which comes first, for many pairs at once."""

    kind: NDArray[np.int8]
    rank: NDArray[np.int64]

    @classmethod
    def of(cls, profiles: Sequence[Profile]) -> PairOrder:
        kinds = {kind: number for number, kind in enumerate(Kind)}
        kind = np.fromiter((kinds[p.kind] for p in profiles), np.int8, len(profiles))
        rank = np.empty(len(profiles), np.int64)
        ids = [p.id for p in profiles]
        by_id = sorted(range(len(profiles)), key=ids.__getitem__)
        rank[by_id] = np.arange(len(profiles))
        return cls(kind, rank)

    def ahead(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Which pairs are of one kind, with the left record's id before the right's."""
        ahead: NDArray[np.bool_] = (self.kind[left] == self.kind[right]) & (
            self.rank[left] < self.rank[right]
        )
        return ahead


RANGE = 10_000  # records a worker works out at once


def ranges_shared(workers: int) -> Ranges:
    """Work out values of many records in ``workers`` forked processes, a range at a time,
    in order (what the screen weighs of each record)."""

    def ranges(work: RangeWork, n: int) -> NDArray[np.float64]:
        cut = _cut(n, RANGE) or [(0, 0)]
        return np.concatenate(list(_shared(lambda bounds: work(*bounds), cut, workers)))

    return ranges


CHUNK = 2_000  # records matched at once


def match_index(
    index: MemoryIndex,
    model: Model,
    thresholds: Thresholds = Thresholds(),
    advance: Callable[[int], None] = lambda _: None,
    workers: int = 1,
) -> Iterator[Hit]:
    """Every pair judged the same, each once, with ``left`` < ``right`` by id.

    With ``workers`` > 1, chunks of records are matched in forked processes that share the index.
    Pairs of people are screened before they are judged (``sirocco.match.screen``).
    """
    chunks = _cut(len(index), CHUNK)
    least = thresholds.possible_weight
    screen = Screen.of(index.profiles, model, index.frequencies, least, ranges_shared(workers))
    order = PairOrder.of(index.profiles)

    def match_chunk(bounds: Bounds) -> list[Hit]:
        return match_range(index, model, thresholds, *bounds, screen, order)

    for (start, stop), hits in zip(chunks, _shared(match_chunk, chunks, workers), strict=True):
        yield from hits
        advance(stop - start)


PAIRS_CHUNK = 4_000  # sampled pairs compared at once


def compare_shared(workers: int) -> CompareMany:
    """Compare the pairs the estimation samples in ``workers`` forked processes, in order;
    each sends back its pairs' levels as numbers (``level_codes``), not their observations."""

    def compare_many(
        pairs: Sequence[tuple[Profile, Profile]],
        frequencies: Frequencies,
        levels: Mapping[str, Sequence[str]],
    ) -> NDArray[np.int8]:
        def compare_stretch(bounds: Bounds) -> NDArray[np.int8]:
            return compare_each(pairs[bounds[0] : bounds[1]], frequencies, levels)

        cut = _cut(len(pairs), PAIRS_CHUNK) or [(0, 0)]
        return np.concatenate(list(_shared(compare_stretch, cut, workers)))

    return compare_many


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, and restored as it was.

    A run builds millions of long-lived objects (profiles, keys, postings) and no reference
    cycles that grow with its input (about 900 objects in cycles after 20k or 100k records,
    all from imports). Each full collection scans every object held, and in a forked worker
    writes to each page it shares with the parent. Measured at 100k, collections in the parent
    alone took a fifth of the run; paused, the run took a quarter less time (docs/benchmarks.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_xmatch(
    paths: Sequence[str],
    out: IO[bytes],
    *,
    on_problem: Callable[[Problem], None],
    show_progress: bool = False,
    thresholds: Thresholds = Thresholds(),
    model_out: IO[str] | None = None,
    workers: int = 1,
) -> Summary:
    summary = Summary()

    def count_problem(problem: Problem) -> None:
        summary.problems += 1
        on_problem(problem)

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )
    with collection_paused(), progress if show_progress else nullcontext():
        # The run's index and hits are made, used and let go of within ``_cross_match``, while
        # collection is paused: resumed with them still held, Python's collector would scan
        # every one of the millions of objects they hold once more (4 s at 1M records) just
        # before they are freed.
        _cross_match(paths, out, summary, count_problem, progress, thresholds, model_out, workers)
    return summary


def _cross_match(
    paths: Sequence[str],
    out: IO[bytes],
    summary: Summary,
    on_problem: Callable[[Problem], None],
    progress: Progress,
    thresholds: Thresholds,
    model_out: IO[str] | None,
    workers: int,
) -> None:
    total_bytes = sum(os.path.getsize(p) for p in paths)
    reading = progress.add_task("reading ", total=total_bytes)
    index = build_index(paths, on_problem, lambda n: progress.advance(reading, n), workers=workers)
    summary.records = len(index)
    progress.update(reading, description="estimating model", completed=total_bytes)
    model = estimate_model(index, compare_many=compare_shared(workers))
    progress.update(reading, description="read and estimated")
    if model_out is not None:
        model_out.write(model.dumps())
    matching = progress.add_task("matching", total=len(index))
    advance = lambda n: progress.advance(matching, n)  # noqa: E731
    hits = list(find_hits(index, model, thresholds, advance, workers))
    for lines in hit_lines(hits, workers):
        out.write(lines)
    summary.hits = len(hits)
    summary.matches = sum(1 for hit in hits if hit.decision is Decision.MATCH)
    summary.flagged_keys = index.flagged()


def find_hits(
    index: MemoryIndex,
    model: Model,
    thresholds: Thresholds = Thresholds(),
    advance: Callable[[int], None] = lambda _: None,
    workers: int = 1,
) -> Iterator[Hit]:
    """Every pair the index holds judged the same: direct matches, then the pairs identities
    imply, then the possible pairs that no identity made a match. A match that rivals weaken
    (its record also matches something different from the other side) is possible."""
    direct = list(match_index(index, model, thresholds, advance, workers))
    direct = weaken_rivals(index, model, direct, thresholds)
    links: list[tuple[str, str, float]] = []
    held: dict[tuple[str, str], Hit] = {}  # possible pairs, given once identities are known
    for hit in direct:
        if hit.decision is Decision.MATCH:
            links.append((hit.left, hit.right, hit.score))
            yield hit
        else:
            held[(hit.left, hit.right)] = hit
    for hit in implied_hits(index, model, links, thresholds):
        held.pop((hit.left, hit.right), None)
        yield hit
    yield from held.values()


LINES_CHUNK = 5_000  # hits written at once


def _lines(hits: Iterable[Hit]) -> bytes:
    return b"".join(orjson.dumps(hit.to_dict(), option=orjson.OPT_APPEND_NEWLINE) for hit in hits)


def hit_lines(hits: Sequence[Hit], workers: int = 1) -> Iterator[bytes]:
    """The hits as JSON lines, in order, a stretch of lines at a time; with ``workers`` > 1,
    explained and encoded in forked processes that share the hits."""
    cut = _cut(len(hits), LINES_CHUNK)
    yield from _shared(lambda bounds: _lines(hits[bounds[0] : bounds[1]]), cut, workers)


def assess_held(index: MemoryIndex, model: Model, left: str, right: str) -> Hit:
    """Two held records compared directly, whatever the result."""
    return assess(model, index.profile(left), index.profile(right), index.frequencies)


def weaken_rivals(
    index: MemoryIndex, model: Model, hits: list[Hit], thresholds: Thresholds
) -> list[Hit]:
    """The hits, with each match whose record also matches something different from the other
    side scored as one of rivals (``sirocco.match.rivals``)."""

    def different(a: str, b: str) -> bool:
        return contradicts(assess_held(index, model, a, b), thresholds)

    links = [(h.left, h.right, h.score) for h in hits if h.decision is Decision.MATCH]
    contested = contested_links(links, one_by_one(different))
    out: list[Hit] = []
    for hit in hits:
        found = contested.get((hit.left, hit.right))
        if found is not None:
            decision = thresholds.decide(found.score) or Decision.POSSIBLE
            hit = replace(hit, score=found.score, decision=decision, rivals=found.rivals)
        out.append(hit)
    return out


def implied_hits(
    index: MemoryIndex,
    model: Model,
    links: list[tuple[str, str, float]],
    thresholds: Thresholds,
) -> list[Hit]:
    """Pairs implied by identities (A is B, B is C), unless their own comparison says otherwise.

    The score is the better of the path's probability and the direct one; the direct
    comparison's features stay the explanation, with the records the path runs through.
    """
    hits: list[Hit] = []
    for pair in implied_pairs(links, thresholds.match):
        direct = assess_held(index, model, pair.left, pair.right)
        if direct.score < thresholds.possible or contradicts(direct, thresholds):
            continue  # the records themselves say they are different things
        score = max(direct.score, pair.score)
        hits.append(replace(direct, score=score, decision=Decision.MATCH, via=pair.via))
    return hits
