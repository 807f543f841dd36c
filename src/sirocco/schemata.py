"""FollowTheMoney's schemata, and the genders its gender type knows, as a table in the package.

Reading records needs only which schemata there are, which properties each has and which
schemata each is. Importing followthemoney for that takes a second (0.99 of the 1.2 s that
`sirocco xmatch` spent importing): a tenth of cross-matching 100,000 records. So the table,
``ftm_schemata.json``, is written from followthemoney by ``python scripts/ftm_schemata.py``, and
a test checks that it is what the installed followthemoney says: upgrading followthemoney
without writing the table again fails the tests. Countries are read as rigour, the library
followthemoney reads them with, reads them (``country``), from its maps written out the same way
(``territories.json``): rigour builds them in each process on first use, which took 1 to 3 s in
each worker reading records.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import orjson
from normality.cleaning import remove_unsafe_chars
from rigour.territories.util import clean_code, normalize_territory_name

TABLE = Path(__file__).with_name("ftm_schemata.json")
TERRITORIES = Path(__file__).with_name("territories.json")


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    properties: frozenset[str]  # its own and those it inherits
    names: frozenset[str]  # the schemata it is: itself and those it extends

    def is_a(self, other: str) -> bool:
        return other in self.names


@dataclass(frozen=True, slots=True)
class Schemata:
    version: str  # of followthemoney, when the table was written
    schemata: dict[str, Schema]
    gender_codes: frozenset[str]
    gender_lookup: dict[str, str]

    def get(self, name: str) -> Schema | None:
        return self.schemata.get(name)


def read_table(data: bytes) -> Schemata:
    table = orjson.loads(data)
    return Schemata(
        table["followthemoney"],
        {
            name: Schema(name, frozenset(schema["properties"]), frozenset(schema["is"]))
            for name, schema in table["schemata"].items()
        },
        frozenset(table["genders"]["codes"]),
        table["genders"]["lookup"],
    )


model = read_table(TABLE.read_bytes())


def _sanitized(value: str) -> str | None:
    """A value as followthemoney takes it before reading it as a type."""
    text = remove_unsafe_chars(unicodedata.normalize("NFC", value)).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class Territories:
    """rigour's maps to the country code followthemoney gives (None where it gives none)."""

    codes: dict[str, str | None]  # by ``clean_code``: looked up first
    names: dict[str, str | None]  # by ``normalize_territory_name``

    def lookup(self, text: str) -> str | None:
        """As rigour's ``lookup_territory(text).ftm_country`` (not fuzzy)."""
        code = clean_code(text)
        if code in self.codes:
            return self.codes[code]
        return self.names.get(normalize_territory_name(text))


def read_territories(data: bytes) -> Territories:
    table = orjson.loads(data)
    return Territories(table["codes"], table["names"])


@cache
def territories() -> Territories:
    return read_territories(TERRITORIES.read_bytes())


@lru_cache(maxsize=10_000)
def country(value: str) -> str | None:
    """The ISO code followthemoney gives a written country (AFG, Afghanistan, Авганистан), or
    None."""
    text = _sanitized(value)
    return territories().lookup(text) if text else None


def gender(value: str) -> str | None:
    """The gender followthemoney reads in a value (m, female, weiblich), or None."""
    text = _sanitized(value)
    if text is None:
        return None
    code = text.lower()
    code = model.gender_lookup.get(code, code)
    return code if code in model.gender_codes else None
