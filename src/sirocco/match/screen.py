"""An exact screen of many candidate pairs of people at once, before they are judged one by one.

Most candidate pairs are namesakes that the judge rules out (docs/matching.md: more than
eight in ten at 100k). For each pair the screen works out, with numpy over whole arrays of
pairs, the most its comparison could weigh: the birth dates' level as ``compare_dates`` gives it (and
what an agreeing date weighs, by its frequency), gender and nationality as they are, and for
every other feature both records hold, the most its best level can weigh, with the most
either record's own name allows (``engine.name_bound``). A pair whose most is short of
``possible`` could never be a hit: it is not judged. Every other pair goes to ``judge``
unchanged, so the screen decides nothing, and the hits are the same with it or without it.

The screen is built once from a fixed set of profiles, a model and their frequencies (as
``xmatch`` holds them); the live path judges the few candidates of one record directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray

from sirocco.match.compare import Frequencies, Observation
from sirocco.match.dates import FAR_YEARS, DateLevel
from sirocco.match.documents import document_key
from sirocco.match.engine import name_bound
from sirocco.match.model import Model
from sirocco.match.profile import Kind, Profile

# Sums in another order round otherwise: the screen only passes over pairs that fall short by
# more than this (bits), and leaves the rest to the judge.
SLACK = 1e-6


# Works out values of the records at positions start:stop, a row each.
RangeWork = Callable[[int, int], NDArray[np.float64]]
# Works them out for positions 0:n, in order: in one process, or shared out.
Ranges = Callable[[RangeWork, int], NDArray[np.float64]]


def one_range(work: RangeWork, n: int) -> NDArray[np.float64]:
    return work(0, n)


@dataclass(frozen=True, slots=True)
class _Dates:
    """Each record's one birth date, as arrays (records with none or several are marked)."""

    count: NDArray[np.int8]  # 0, 1, or 2 for several
    year: NDArray[np.int16]
    month: NDArray[np.int8]  # 0 when not known
    day: NDArray[np.int8]  # 0 when not known
    full: NDArray[np.bool_]
    placeholder: NDArray[np.bool_]
    digits: NDArray[np.int8]  # (records, 8): YYYYMMDD of a full date
    ordinal: NDArray[np.int32]  # the day's number, for a full date
    exact_bits: NDArray[np.float64]  # what the date weighs when the other's is the same day
    year_bits: NDArray[np.float64]  # what it weighs when only the year agrees


@dataclass(frozen=True, slots=True)
class Screen:
    """What bounding a pair of people needs of each record, as arrays by position in the
    index (``of``), and the bounds of many pairs at once (``most``, ``passes``)."""

    person: NDArray[np.bool_]
    dates: _Dates
    gender: NDArray[np.int32]  # 0 when not known
    nationalities: NDArray[np.uint64]  # a bit per nationality (folded beyond 64: may collide)
    exact_nationalities: bool  # no two nationalities share a bit
    held: dict[str, NDArray[np.bool_]]  # which records hold a father, document, phone, address
    best: dict[str, float]  # each of those at its best level, in bits (at least nothing)
    phone_most: NDArray[np.float64]  # the most an agreeing phone of the record can weigh
    # A record's one phone and one document (by ``document_key``), as numbers: -1 for several
    # (or none). Two records with one each agree exactly when their numbers are equal.
    phone: NDArray[np.int32]
    document: NDArray[np.int32]
    name_most: NDArray[np.float64]  # the most the record's name can weigh (``name_bound``)
    levels: dict[tuple[str, str], float]  # bits of the levels weighed as they are
    prior: float
    least: float  # the weight a pair must reach to be judged at all

    @classmethod
    def of(
        cls,
        profiles: Sequence[Profile],
        model: Model,
        frequencies: Frequencies,
        least: float,
        ranges: Ranges = one_range,
    ) -> Screen:
        """The screen of ``profiles`` (by position), for pairs to reach ``least`` bits. What
        each record's values weigh is worked out by ``ranges`` (``xmatch`` shares it out)."""
        km = model.kinds[Kind.PERSON]
        n = len(profiles)
        bits = ranges(partial(_record_bits, profiles, model, frequencies), n)
        name_most, phone_most, exact_bits, year_bits = (bits[:, k].copy() for k in range(4))
        person = np.fromiter((p.kind is Kind.PERSON for p in profiles), np.bool_, n)
        held = {
            feature: person & np.fromiter((bool(getattr(p, attr)) for p in profiles), np.bool_, n)
            for feature, attr in (("father", "fathers"), ("document", "documents"),
                                  ("phone", "phones"), ("address", "address"))
        }  # fmt: skip
        # Numbers of values as they are first seen, gathered in lists (numpy takes them whole).
        genders: dict[str, int] = {}
        countries: dict[str, int] = {}
        phones: dict[str, int] = {}
        documents: dict[str, int] = {}
        gender, masks, phone, document = [0] * n, [0] * n, [-1] * n, [-1] * n
        for i, p in enumerate(profiles):
            if p.kind is not Kind.PERSON:
                continue
            if p.gender is not None:
                gender[i] = genders.setdefault(p.gender, len(genders) + 1)
            if p.nationalities:
                mask = 0
                for code in p.nationalities:
                    mask |= 1 << (countries.setdefault(code, len(countries)) % 64)
                masks[i] = mask
            if len(p.phones) == 1:
                (number,) = p.phones
                phone[i] = phones.setdefault(number, len(phones))
            if p.documents:
                keys = {document_key(number) for number in p.documents}
                if len(keys) == 1:
                    document[i] = documents.setdefault(keys.pop(), len(documents))
        best = {
            feature: max(
                [0.0, *(km.bits(Observation(feature, level)) for level in km.m.get(feature, ()))]
            )
            for feature in held
        }
        phone_most = np.maximum(phone_most, best["phone"])
        levels = {
            (feature, level): km.bits(Observation(feature, level))
            for feature in ("birth_date", "gender", "nationality", "phone", "document")
            for level in km.m.get(feature, ())
        }
        return cls(
            person,
            _dates(profiles, exact_bits, year_bits),
            np.array(gender, np.int32),
            np.array(masks, np.uint64),
            len(countries) <= 64,
            held,
            best,
            phone_most,
            np.array(phone, np.int32),
            np.array(document, np.int32),
            name_most,
            levels,
            km.prior_weight,
            least,
        )

    def most(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.float64]:
        """The most each pair of people (positions) can weigh, in bits, prior included."""
        return self.most_apart_from_name(left, right) + self.names_most(left, right)

    def most_apart_from_name(
        self, left: NDArray[np.intp], right: NDArray[np.intp]
    ) -> NDArray[np.float64]:
        """The most each pair of people's features other than the name can weigh, in bits,
        prior included."""
        total = self.prior + self._dates_most(left, right)
        gl, gr = self.gender[left], self.gender[right]
        known = (gl > 0) & (gr > 0)
        total += np.where(
            known,
            np.where(gl == gr, self._bits("gender", "agree"), self._bits("gender", "disagree")),
            0.0,
        )
        nl, nr = self.nationalities[left], self.nationalities[right]
        agree, disagree = self._bits("nationality", "agree"), self._bits("nationality", "disagree")
        if not self.exact_nationalities:  # a shared bit may be two nationalities
            agree = max(agree, disagree)
        total += np.where((nl > 0) & (nr > 0), np.where(nl & nr, agree, disagree), 0.0)
        for feature in ("father", "address"):  # at their best level
            total += np.where(self._both(feature, left, right), self.best[feature], 0.0)
        # An agreeing phone weighs as rare as it is; another document may still be a typo.
        rare = self.phone_most[left]
        phone = _one_each(self.phone, left, right, rare, self._bits("phone", "disagree"), rare)
        total += np.where(self._both("phone", left, right), phone, 0.0)
        best = self.best["document"]
        typo = max(self._bits("document", "near"), self._bits("document", "disagree"))
        document = _one_each(self.document, left, right, best, typo, best)
        total += np.where(self._both("document", left, right), document, 0.0)
        return total

    def _both(
        self, feature: str, left: NDArray[np.intp], right: NDArray[np.intp]
    ) -> NDArray[np.bool_]:
        return self.held[feature][left] & self.held[feature][right]

    def names_most(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.float64]:
        """The most each pair's names can weigh: no more than either record's own name allows
        (an agreement is as common as its commonest spelling, either side's among them)."""
        return np.minimum(self.name_most[left], self.name_most[right])

    def passes(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Which pairs may reach ``least``, and are to be judged (every pair not of people)."""
        people = self.person[left] & self.person[right]
        out = np.ones(len(left), np.bool_)
        if people.any():
            out[people] = self.most(left[people], right[people]) >= self.least - SLACK
        return out

    def _bits(self, feature: str, level: str) -> float:
        return self.levels.get((feature, level), 0.0)

    def date_levels(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.int8]:
        """Each pair's birth dates' level as ``compare_dates`` gives it, as its place in
        ``DateLevel``; -1 where a record has several dates (compared as the judge does)."""
        d = self.dates
        year_l, year_r = d.year[left], d.year[right]
        month_l, month_r = d.month[left], d.month[right]
        day_l, day_r = d.day[left], d.day[right]
        far = np.abs(year_l.astype(np.int32) - year_r) > FAR_YEARS
        apart = np.where(far, _RANK[DateLevel.FAR], _RANK[DateLevel.DISAGREE])
        same_year = year_l == year_r
        same_month = same_year & (month_l == month_r)
        one_digit = (d.digits[left] != d.digits[right]).sum(axis=1) == 1
        full_level = np.select(
            [
                same_month & (day_l == day_r),
                same_year & (month_l == day_r) & (day_l == month_r),
                one_digit & same_month,
                one_digit,
                np.abs(d.ordinal[left] - d.ordinal[right]) <= 1,
            ],
            [
                _RANK[DateLevel.EXACT],
                _RANK[DateLevel.SWAPPED],
                _RANK[DateLevel.NEAR],
                _RANK[DateLevel.TYPO],
                _RANK[DateLevel.NEAR],
            ],  # fmt: skip
            apart,
        )
        # Same year, at least one side vague: a stated month that differs still disagrees.
        months_differ = (
            ~d.placeholder[left]
            & ~d.placeholder[right]
            & (month_l > 0)
            & (month_r > 0)
            & (month_l != month_r)
        )
        vague_level = np.where(
            same_year,
            np.where(months_differ, _RANK[DateLevel.DISAGREE], _RANK[DateLevel.YEAR]),
            apart,
        )
        level = np.where(d.full[left] & d.full[right], full_level, vague_level)
        count_l, count_r = d.count[left], d.count[right]
        level = np.where((count_l == 0) | (count_r == 0), _RANK[DateLevel.MISSING], level)
        return np.where((count_l > 1) | (count_r > 1), -1, level).astype(np.int8)

    def _dates_most(self, left: NDArray[np.intp], right: NDArray[np.intp]) -> NDArray[np.float64]:
        """What the birth dates weigh (an agreeing date by its frequency); for a record with
        several, not bounded (such pairs are few)."""
        level = self.date_levels(left, right)
        fixed = np.array([self._bits("birth_date", lv.value) for lv in DateLevel] + [np.inf])
        bits = fixed[level]  # -1, several dates: the last, infinite
        bits = np.where(level == _RANK[DateLevel.EXACT], self.dates.exact_bits[left], bits)
        return np.where(level == _RANK[DateLevel.YEAR], self.dates.year_bits[left], bits)


_RANK = {level: rank for rank, level in enumerate(DateLevel)}


def _record_bits(
    profiles: Sequence[Profile], model: Model, frequencies: Frequencies, start: int, stop: int
) -> NDArray[np.float64]:
    """What the values of each record at positions ``start:stop`` weigh, a row each: the most
    its name can (``name_bound``); an agreeing phone, its rarest; its one birth date when the
    other's is the same day, and when only the year agrees (0 where it holds none of them)."""
    km = model.kinds[Kind.PERSON]
    rows = np.zeros((stop - start, 4))
    for row, p in zip(rows, profiles[start:stop], strict=True):
        row[0] = name_bound(model, p, frequencies)
        if p.kind is not Kind.PERSON:
            continue
        if p.phones:
            rarest = min(frequencies.phone(number) for number in p.phones)
            row[1] = km.bits(Observation("phone", "agree", rarest))
        if len(p.birth_dates) == 1:
            (b,) = p.birth_dates
            iso = b.iso()
            if b.full:
                row[2] = km.bits(Observation("birth_date", "exact", frequencies.birth_date(iso)))
            row[3] = km.bits(Observation("birth_date", "year", frequencies.birth_date(iso[:4])))
    return rows


def _one_each(
    ids: NDArray[np.int32],
    left: NDArray[np.intp],
    right: NDArray[np.intp],
    same: float | NDArray[np.float64],
    differ: float,
    several: float | NDArray[np.float64],
) -> NDArray[np.float64]:
    """The most a feature of which each record holds one value weighs: ``same`` when the two
    hold the same value, ``differ`` when not; ``several`` where a record holds more."""
    a, b = ids[left], ids[right]
    return np.where((a >= 0) & (b >= 0), np.where(a == b, same, differ), several)


def _dates(
    profiles: Sequence[Profile], exact_bits: NDArray[np.float64], year_bits: NDArray[np.float64]
) -> _Dates:
    n = len(profiles)
    counts, years, months_, days_ = [0] * n, [0] * n, [0] * n, [0] * n
    fulls, placeholders = [False] * n, [False] * n
    for i, p in enumerate(profiles):
        if p.kind is not Kind.PERSON or not p.birth_dates:
            continue
        counts[i] = min(len(p.birth_dates), 2)
        if len(p.birth_dates) > 1:
            continue
        (b,) = p.birth_dates
        years[i], months_[i], days_[i] = b.year, b.month or 0, b.day or 0
        fulls[i], placeholders[i] = b.full, b.placeholder
    count, year = np.array(counts, np.int8), np.array(years, np.int16)
    month, day = np.array(months_, np.int8), np.array(days_, np.int8)
    full, placeholder = np.array(fulls, np.bool_), np.array(placeholders, np.bool_)
    # A full date's digits (YYYYMMDD, as its ISO form has them) and its day's number.
    y, m, d = year.astype(np.int32), month.astype(np.int32), day.astype(np.int32)
    digits = np.stack([y // 1000, y // 100 % 10, y // 10 % 10, y % 10,
                       m // 10, m % 10, d // 10, d % 10], axis=1).astype(np.int8)  # fmt: skip
    months = ((y - 1970) * 12 + np.maximum(m, 1) - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (np.maximum(d, 1) - 1)
    ordinal = np.where(full, days.astype(np.int64), 0).astype(np.int32)
    return _Dates(
        count, year, month, day, full, placeholder, digits, ordinal, exact_bits, year_bits
    )
