"""Dates of birth: partial, uncertain and placeholder dates.

A date is kept at the precision it was written with. 1 January is the usual placeholder at
migrant registration when only the year is known: it is compared as a year, never as a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Final

from sirocco.match.text import fold

_PART = r"(\d{1,2}|[Xx?]{2})"  # a day or month; XX or ?? where it is not known
_SEP = r"\s*[-/.]\s*"
_ISO = re.compile(
    rf"^(\d{{4}})(?:{_SEP}{_PART}(?:{_SEP}{_PART})?)?\.?(?:[T ]\d.*)?$"
)  # 1990. 03. 04.
_DOTTED = re.compile(rf"^{_PART}(?:{_SEP}|\s+){_PART}(?:{_SEP}|\s+)(\d{{4}})\.?$")  # 04.03.1990
_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}})\.?$")  # 03.1990
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 19900304
# Two-digit years: 04.03.90 as written in the region, and a passport's machine-readable zone
# (ICAO 9303: YYMMDD, 900304). A birth year is not in the future: 90 is 1990, 05 is 2005.
_DOTTED_SHORT = re.compile(rf"^{_PART}(?:{_SEP}|\s+){_PART}(?:{_SEP}|\s+)(\d{{2}})\.?$")
_SIX_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{2})$")
_PIVOT = date.today().year % 100
# A month written as a word or a Roman numeral: 4 March 1990, 04 MAR 1990, 4. ožujka 1990.,
# 04.III.1990, March 4, 1990, 1990. március 4. (Hungarian: the year first), March 1990.
_W = r"\s*[-/.,]?\s*"
_WORD = r"([^\W\d_]+(?:/[^\W\d_]+)?)"  # MAR or, in a passport, MAR/MARS
_DAY_WORD_YEAR = re.compile(rf"^(\d{{1,2}})\.?{_W}{_WORD}\.?{_W}(\d{{4}})\.?$")
_WORD_DAY_YEAR = re.compile(rf"^{_WORD}\.?{_W}(\d{{1,2}})\.?{_W}(\d{{4}})\.?$")
_YEAR_WORD_DAY = re.compile(rf"^(\d{{4}})\.?{_W}{_WORD}\.?{_W}(\d{{1,2}})\.?$")
_WORD_YEAR = re.compile(rf"^{_WORD}\.?{_W}(\d{{4}})\.?$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10, "xi": 11, "xii": 12}  # fmt: skip
# The months as the region writes them (folded to ASCII): English, German, French, the South
# Slavic languages in Latin and Cyrillic, Croatian and Slovenian names, Hungarian, Romanian,
# Turkish. A word names a month when it begins one of these (at least three letters) and every
# name it begins is of the same month.
_MONTH_NAMES = (
    ("january januar janvier januari ianuarie ocak sijecanj siecanj januar janar", 1),
    ("february februar fevrier februari fevruari februarie subat veljaca veljace februar", 2),
    ("march marz maerz mars mart martie marcius ozujak ozujka marec", 3),
    ("april avril aprilie aprilis nisan travanj travnja", 4),
    ("may mai maj majus mayis svibanj svibnja", 5),
    ("june juni juin jun junij iunie junius haziran lipanj lipnja", 6),
    ("july juli juillet jul julij iulie julius temmuz srpanj srpnja", 7),
    ("august aout august avgust augusztus agustos kolovoz kolovoza", 8),
    ("september septembre septembar septemvri septembrie szeptember eylul rujan rujna", 9),
    ("october oktober octobre oktobar oktomvri octombrie oktober ekim listopad listopada", 10),
    ("november novembre novembar noemvri noiembrie kasim studeni studenog", 11),
    ("december dezember decembre decembar dekemvri decembrie aralik prosinac prosinca", 12),
)
_MONTHS = [(name, number) for names, number in _MONTH_NAMES for name in names.split()]


def _number(text: str | None) -> int | None:
    """A day or month as written: None when absent, 0 when marked unknown."""
    if not text:
        return None
    return int(text) if text.isdigit() else 0


@dataclass(slots=True, init=False, unsafe_hash=True)
class BirthDate:
    """A date of birth, as much of it as is known. (Its ``__init__`` is written out, see
    ``sirocco.compiled``.)"""

    year: Final[int]
    month: Final[int | None]
    day: Final[int | None]

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        self.year = year
        self.month = month
        self.day = day

    @property
    def placeholder(self) -> bool:
        """1 January: written when only the year was known."""
        return self.month == 1 and self.day == 1

    @property
    def full(self) -> bool:
        """Known to the day, and not a placeholder."""
        return self.day is not None and not self.placeholder

    def iso(self) -> str:
        # Two digits looked up, not formatted: a judged pair's agreeing date is written so.
        year = str(self.year) if 1000 <= self.year <= 9999 else f"{self.year:04d}"
        if self.month is None:
            return year
        if self.day is None:
            return f"{year}-{_two_digits(self.month)}"
        return f"{year}-{_two_digits(self.month)}-{_two_digits(self.day)}"


_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))


def _two_digits(n: int) -> str:
    return _TWO_DIGITS[n] if 0 <= n < 100 else f"{n:02d}"


def month_of(word: str) -> int | None:
    """The month a word or Roman numeral names (III, Mar, März, март, ožujka, MAR/MARS), or
    None."""
    if "/" in word:  # a passport's two languages must agree
        months = {month_of(half) for half in word.split("/")}
        return months.pop() if len(months) == 1 else None
    folded = fold(word).strip(".")
    if folded in _ROMAN:
        return _ROMAN[folded]
    if len(folded) < 3:
        return None
    named = {number for name, number in _MONTHS if name.startswith(folded)}
    if not named:  # an inflected form: ozujka, studenoga
        named = {number for name, number in _MONTHS if folded.startswith(name)}
    return named.pop() if len(named) == 1 else None


def _written_month(text: str) -> tuple[str | None, ...] | None:
    """(year, month, day) of a date whose month is written as a word, or None."""
    for pattern, order in ((_DAY_WORD_YEAR, "dmy"), (_WORD_DAY_YEAR, "mdy"),
                           (_YEAR_WORD_DAY, "ymd"), (_WORD_YEAR, "my")):  # fmt: skip
        if match := pattern.match(text):
            found = dict(zip(order, match.groups(), strict=True))
            month = month_of(found["m"])
            if month is not None:
                return found["y"], str(month), found.get("d")
    return None


def _full_year(two_digits: str) -> str:
    year = int(two_digits)
    return str((2000 if year <= _PIVOT else 1900) + year)


def _six_digits(text: str, a: str, b: str, c: str) -> tuple[str | None, ...]:
    """YYMMDD (a passport's machine-readable zone) or DDMMYY (written without dots): whichever
    is a real day; when both are, the value cannot say which it is."""
    readings = []
    for year, month, day in ((a, b, c), (c, b, a)):
        try:
            date(int(_full_year(year)), int(month), int(day))
        except ValueError:
            continue
        readings.append((_full_year(year), month, day))
    if len(readings) == 1 or (len(readings) == 2 and readings[0] == readings[1]):
        return readings[0]
    if not readings:
        raise ValueError(f"not a date: {text!r} (six digits, but neither YYMMDD nor DDMMYY)")
    raise ValueError(
        f"ambiguous date {text!r}: YYMMDD would be {'-'.join(readings[0])}, "
        f"DDMMYY {'-'.join(readings[1])}"
    )


# Words around a date that say nothing of the day: an estimate (ca. 1990, um 1990, oko 1990.,
# около 1990, 1990?), the year's own word (12.05.1990 г., 1990. godine), a day's ordinal suffix
# (12th May 1990). An estimated year is read as the year: the comparison already allows a
# couple of years' slip before it calls two years far apart.
_ESTIMATE = re.compile(
    r"^(?:ca\.?|cca\.?|circa|c\.|approx\.?|um|etwa|oko|около|ок\.|kb\.|~)\s*", re.IGNORECASE
)
_YEAR_WORD = re.compile(r"(?<=\d)\.?\s*(?:г\.?|год\.?|godine|godina|године|година|yılı?)\.?$", re.I)
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)


def _without_words(text: str) -> str:
    text = _ESTIMATE.sub("", text).rstrip("?").strip()
    text = _YEAR_WORD.sub("", text)
    return _ORDINAL.sub(r"\1", text)


@lru_cache(maxsize=200_000)  # a day of birth is written by many records (27,000 of 72,000 new)
def parse_date(value: str) -> BirthDate:
    """Parse a written date of birth; raise ValueError saying what is wrong with it."""
    text = _without_words(value.strip())
    parts: tuple[str | None, ...] | None
    if match := _ISO.match(text):
        parts = match.groups()
    elif match := _DOTTED.match(text):
        day, month, year = match.groups()
        parts = (year, month, day)
    elif match := _DOTTED_SHORT.match(text):
        day, month, year = match.groups()
        parts = (_full_year(year), month, day)
    elif match := _SIX_DIGITS.match(text):
        parts = _six_digits(text, *match.groups())
    elif match := _MONTH_YEAR.match(text):
        month, year = match.groups()
        parts = (year, month, None)
    elif match := _COMPACT.match(text):
        parts = match.groups()
    elif (parts := _written_month(text)) is None:
        raise ValueError(
            f"not a date: {value!r} (expected YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, DD.MM.YY, "
            "MM.YYYY, YYMMDD as in a passport's machine-readable zone, or a month in words: "
            "4 March 1990)"
        )
    year = int(parts[0] or 0)
    month = _number(parts[1])
    day = _number(parts[2])
    if month == 0:  # 1990-00-00: year only
        month = day = None
    if day == 0:
        day = None
    if not 1850 <= year <= 2100:
        raise ValueError(f"year out of range in {value!r}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range in {value!r}")
    if month is not None and day is not None:
        try:
            date(year, month, day)
        except ValueError as error:
            raise ValueError(f"no such day {value!r}: {error}") from None
    return BirthDate(year, month, day)


class DateLevel(StrEnum):
    EXACT = "exact"  # the same day
    SWAPPED = "swapped"  # day and month written the other way round
    NEAR = "near"  # the same month, one typed digit of the day or one day apart
    TYPO = "typo"  # one typed digit of the year or the month apart (1985 / 1995)
    YEAR = "year"  # the same year; one side knows only the year (or a 1 January placeholder)
    DISAGREE = "disagree"  # a different date, within a couple of years
    FAR = "far"  # years apart: more than a slip of the pen or a guessed age
    MISSING = "missing"


FAR_YEARS = 2  # a guessed age or a misremembered year is rarely further out than this


def _disagreement(left: BirthDate, right: BirthDate) -> DateLevel:
    return DateLevel.FAR if abs(left.year - right.year) > FAR_YEARS else DateLevel.DISAGREE


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def compare_dates(left: BirthDate | None, right: BirthDate | None) -> DateLevel:
    if left is None or right is None:
        return DateLevel.MISSING
    if left.full and right.full:
        if left == right:
            return DateLevel.EXACT
        if left.year == right.year and (left.month, left.day) == (right.day, right.month):
            return DateLevel.SWAPPED
        if _one_digit_apart(left.iso(), right.iso()):
            same_month = (left.year, left.month) == (right.year, right.month)
            return DateLevel.NEAR if same_month else DateLevel.TYPO
        days = abs((date(left.year, left.month or 1, left.day or 1) -
                    date(right.year, right.month or 1, right.day or 1)).days)  # fmt: skip
        return DateLevel.NEAR if days <= 1 else _disagreement(left, right)
    if left.year != right.year:
        return _disagreement(left, right)
    # Same year, at least one side vague: a stated month that differs still disagrees.
    if (
        not left.placeholder
        and not right.placeholder
        and left.month is not None
        and right.month is not None
        and left.month != right.month
    ):
        return DateLevel.DISAGREE
    return DateLevel.YEAR
