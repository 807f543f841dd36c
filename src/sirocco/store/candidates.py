"""The database as a candidate source: the same keys and frequencies as ``xmatch``.

Used inside the transaction that stores a report, so a report is matched against everything
acknowledged before it.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, TextualSelect, bindparam, select, text, update

from sirocco.access import Release, StoredEntity
from sirocco.entities import Entity
from sirocco.match.frequencies import CountedFrequencies, frequency_keys, new_plate_keys
from sirocco.match.index import DEFAULT_CAP
from sirocco.match.keys import candidate_keys, key_cap
from sirocco.match.links import SPEAKING, linked, speaking_of
from sirocco.match.profile import Profile, build_profile
from sirocco.store.counts import add_counts, stored_count
from sirocco.store.profiles import decode, stored_form
from sirocco.store.tables import entity, match_key, report, value_count


def profiles_of_rows(rows: Sequence[Any]) -> dict[int, Profile | None]:
    """Stored entities' profiles by primary key (a profile's id is its entity's key). Read
    from the stored form when a row has one this code made; rebuilt from the properties
    otherwise, with what the other rows of its report say of it (``sirocco.match.links``):
    ``rows`` holds whole reports, as an operation's rows read in full do."""
    profiles = {row.id: _read_stored(row.id, row.agency, row.profile) for row in rows}
    stale = [row for row in rows if profiles[row.id] is None]
    if stale:
        profiles.update(rebuilt_profiles(stale, rows))
    return profiles


def record_of_row(row: Any) -> StoredEntity:
    """A stored record's owner, release and category from a row of entity joined to report."""
    return StoredEntity(row.id, row.agency, row.entity_id, Release.from_dict(row.release or {}),
                        row.category)  # fmt: skip


def _read_stored(pk: int, agency: str, stored: str | None) -> Profile | None:
    return None if stored is None else decode(stored, str(pk), agency)


def rebuilt_profiles(rows: Sequence[Any], around: Sequence[Any] = ()) -> dict[int, Profile | None]:
    """Profiles rebuilt from the rows' properties, by primary key; each person's with what the
    rows of its report among ``around`` say of it. Of ``around``, only the documents naming one
    of the persons as holder and the addresses one of them names are read."""
    wanted = {row.id for row in rows}
    by_report: dict[int, list[Any]] = {}
    for row in rows:
        by_report.setdefault(row.report_id, []).append(row)
    besides: dict[int, list[Entity]] = {}
    for row in around:
        if row.report_id in by_report and row.id not in wanted and row.schema in SPEAKING:
            besides.setdefault(row.report_id, []).append(_entity(row))
    profiles: dict[int, Profile | None] = {}
    for report_id, group in by_report.items():
        # As reported: linked by the ids the agency gave, then keyed by the store's.
        reported = [_entity(row) for row in group]
        reported += speaking_of(reported, besides.get(report_id, ()))
        built = linked(reported, [build_profile(item)[0] for item in reported])
        for row, profile in zip(group, built[: len(group)], strict=True):
            profiles[row.id] = None if profile is None else replace(profile, id=str(row.id))
    return profiles


def _entity(row: Any) -> Entity:
    return Entity(
        row.entity_id, row.schema, {k: tuple(v) for k, v in row.properties.items()}, (row.agency,)
    )


class ProfileCache:
    """What a process keeps of one database's stored entities: their profiles by primary key
    (least recently used first out), and the keys too crowded to scan.

    A stored entity never changes and is never removed, so its profile can be kept as long as
    memory allows, and a key held by more records than the cap stays so. A cache belongs to one
    database (primary keys are unique only within one).
    """

    def __init__(self, size: int = 200_000) -> None:
        self.size = size
        # Each kept profile with its record's owner, release and category, if read with it.
        self._profiles: OrderedDict[int, tuple[Profile | None, StoredEntity | None]] = OrderedDict()
        self._crowded: dict[tuple[int, str], int] = {}  # (operation, key) -> records at least
        self._lock = threading.Lock()

    def crowded(self, operation_id: int, key: str) -> int:
        """How many records at least hold ``key`` (0 when not known to be crowded)."""
        return self._crowded.get((operation_id, key), 0)

    def mark_crowded(self, operation_id: int, key: str, records: int) -> None:
        with self._lock:
            if len(self._crowded) >= CROWDED_KEPT:
                self._crowded.clear()
            self._crowded[(operation_id, key)] = records

    def get(self, pk: int) -> tuple[bool, Profile | None]:
        with self._lock:
            if pk not in self._profiles:
                return False, None
            self._profiles.move_to_end(pk)
            return True, self._profiles[pk][0]

    def record(self, pk: int) -> StoredEntity | None:
        """The kept record's owner, release and category, if they were read with its profile."""
        with self._lock:
            kept = self._profiles.get(pk)
            return None if kept is None else kept[1]

    def put(self, pk: int, profile: Profile | None, record: StoredEntity | None = None) -> None:
        with self._lock:
            kept = self._profiles.get(pk)
            self._profiles[pk] = (profile, record or (kept[1] if kept else None))
            self._profiles.move_to_end(pk)
            while len(self._profiles) > self.size:
                self._profiles.popitem(last=False)


CROWDED_KEPT = 100_000


@lru_cache(maxsize=128)
def _postings(keys: int) -> TextualSelect:
    """Each of ``keys`` keys' postings, at most ``:limit{n}`` of them: a key held by more records
    than the cap is skipped without reading its postings (simple index lookups, whatever the
    planner knows of the table).

    Written as SQL text, built once per number of keys: the same union built as a SQLAlchemy
    expression took 6-12 ms to compile on its first use for each number of keys (several times
    what running it takes), which landed on the reports with the most keys."""
    one = (
        'SELECT * FROM (SELECT "key", entity_pk FROM match_key WHERE operation_id = :operation'
        ' AND "key" = :key{n} LIMIT :limit{n}) AS postings{n}'
    )
    return text(" UNION ALL ".join(one.format(n=n) for n in range(keys))).columns(
        match_key.c.key, match_key.c.entity_pk
    )


_COUNTS = select(value_count.c.key, value_count.c.count).where(
    value_count.c.operation_id == bindparam("operation"),
    value_count.c.key.in_(bindparam("keys", expanding=True)),
)
# With each candidate's profile, what deciding who may see a hit on it needs: read in the same
# statement, not again once it is a hit.
_STORED = (
    select(entity.c.id, entity.c.agency, entity.c.profile, entity.c.entity_id, entity.c.category,
           report.c.release)
    .join(report, report.c.id == entity.c.report_id)
    .where(entity.c.id.in_(bindparam("pks", expanding=True)))
)  # fmt: skip


class StoreIndex:
    def __init__(
        self,
        connection: Connection,
        operation_id: int,
        cap: int = DEFAULT_CAP,
        cache: ProfileCache | None = None,
        repair: bool = False,
    ) -> None:
        """``repair``: in a write transaction, a profile rebuilt because its row had no usable
        stored form (stored before forms were kept, or by other code) is stored with its row."""
        self.connection = connection
        self.operation_id = operation_id
        self.cap = cap
        self.cache = cache if cache is not None else ProfileCache(0)
        self.repair = repair
        # Profiles read or added in this transaction: cached only once it commits (a rolled-back
        # primary key can be given to another entity).
        self.fresh: dict[int, Profile | None] = {}
        # The candidates' owners, releases and categories, read or kept with their profiles.
        self.records: dict[int, StoredEntity] = {}
        self.crowded: set[str] = set()  # keys this transaction found over the cap
        self._counts: dict[str, int] = {}
        self.frequencies = CountedFrequencies(self.count)

    def publish(self) -> None:
        """Call after the transaction committed: what it read and added may be cached."""
        for pk, profile in self.fresh.items():
            self.cache.put(pk, profile, self.records.get(pk))
        self.fresh.clear()
        for key in self.crowded:
            self.cache.mark_crowded(self.operation_id, key, key_cap(key, self.cap) + 1)
        self.crowded.clear()

    def prefetch(self, keys: list[str]) -> None:
        """Read the counts of ``keys`` in one query (the values a new record's comparisons will
        ask for), instead of one query each."""
        wanted = sorted({k for k in keys if k not in self._counts})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = dict(
                self.connection.execute(
                    _COUNTS, {"operation": self.operation_id, "keys": chunk}
                ).all()
            )
            for key in chunk:
                self._counts[key] = int(found.get(key, 0))

    def count(self, key: str) -> int:
        if key not in self._counts:
            self._counts[key] = stored_count(self.connection, self.operation_id, key)
        return self._counts[key]

    def candidates(self, profile: Profile) -> Iterator[Profile]:
        # A key known to be held by more records than the cap is not looked up again: about
        # three quarters of the postings a report's keys would read are those of crowded keys.
        keys = sorted(
            key
            for key in candidate_keys(profile)
            if key not in self.crowded
            and self.cache.crowded(self.operation_id, key) <= key_cap(key, self.cap)
        )
        if not keys:
            return
        postings: dict[str, list[int]] = {}
        found = self.connection.execute(
            _postings(len(keys)),
            {"operation": self.operation_id,
             **{f"key{n}": key for n, key in enumerate(keys)},
             **{f"limit{n}": key_cap(key, self.cap) + 1 for n, key in enumerate(keys)}},
        )  # fmt: skip
        for key, pk in found.all():
            postings.setdefault(key, []).append(pk)
        # Known from now on, once this transaction commits (its own rows may be among them).
        self.crowded.update(
            key for key, posting in postings.items() if len(posting) > key_cap(key, self.cap)
        )
        own = int(profile.id or 0)
        pks = sorted(
            {pk for key, posting in postings.items() if key not in self.crowded for pk in posting}
            - {own}
        )
        profiles: dict[int, Profile | None] = {}
        missing = []
        for pk in pks:
            cached, candidate = (True, self.fresh[pk]) if pk in self.fresh else self.cache.get(pk)
            if cached:
                profiles[pk] = candidate
                if pk not in self.records and (record := self.cache.record(pk)) is not None:
                    self.records[pk] = record
            else:
                missing.append(pk)
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            # The stored forms first; properties only for a row without a usable one.
            rebuild = []
            for row in self.connection.execute(_STORED, {"pks": chunk}).all():
                pk = row.id
                self.records[pk] = record_of_row(row)
                decoded = _read_stored(pk, row.agency, row.profile)
                if decoded is None:
                    rebuild.append(pk)
                else:
                    profiles[pk] = self.fresh[pk] = decoded
            if rebuild:
                rows = self.connection.execute(select(entity).where(entity.c.id.in_(rebuild)))
                stale = rows.all()
                # What the documents and addresses of their reports say of them counts too.
                reports = {row.report_id for row in stale}
                around = self.connection.execute(
                    select(entity).where(
                        entity.c.report_id.in_(reports), entity.c.schema.in_(sorted(SPEAKING))
                    )
                ).all()
                rebuilt = rebuilt_profiles(stale, around)
                for pk in rebuild:
                    profiles[pk] = self.fresh[pk] = rebuilt[pk]
                if self.repair:
                    self.connection.execute(
                        update(entity).where(entity.c.id == bindparam("pk")),
                        [{"pk": pk, "profile": stored_form(profiles[pk])} for pk in rebuild],
                    )
        for pk in sorted(profiles):
            candidate = profiles[pk]
            if candidate is not None and candidate.kind is profile.kind:
                yield candidate

    def add(self, profile: Profile) -> None:
        """Store a profile's keys and count its values (its entity row exists already)."""
        self.fresh[int(profile.id)] = profile
        keys = sorted(candidate_keys(profile))
        if keys:
            self.connection.execute(
                match_key.insert(),
                [
                    {"operation_id": self.operation_id, "key": k, "entity_pk": int(profile.id)}
                    for k in keys
                ],  # fmt: skip
            )
        counted = frequency_keys(profile)
        for plate in profile.plates:
            plate_key = f"plate:{plate.folded}"
            if not self.count(plate_key):
                counted += new_plate_keys(plate.folded)
            counted.append(plate_key)
        added = Counter(counted)
        add_counts(self.connection, self.operation_id, added)
        for key, n in added.items():
            if key in self._counts:  # otherwise the next count() reads the stored value
                self._counts[key] += n
