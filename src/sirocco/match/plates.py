"""Vehicle registration plates: look-alike letters, camera misreads, country codes.

``normalise_plate`` gives the plate as written, minus spacing and with Cyrillic look-alikes made
Latin. ``fold_plate`` further folds the characters cameras and officers confuse (0/O, 1/I, 8/B,
5/S, 2/Z, 6/G) so that a misread and the true plate share one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from rapidfuzz.distance import DamerauLevenshtein

# Cyrillic letters that look like Latin ones on a plate (А В Е К М Н О Р С Т У Х, and a few more).
_LOOKALIKES = str.maketrans(
    {"А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
     "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ё": "E"}
)  # fmt: skip
_CONFUSIONS = str.maketrans({"O": "0", "Q": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"})
_NOT_PLATE = re.compile(r"[^A-Z0-9]")
_SEPARATED_CODE = re.compile(r"^\(?([A-Z]{1,3})\)?[\s\-·.:/]+(?=[A-Z0-9])")
_TRAILING_CODE = re.compile(r"[\s\-(]+([A-Z]{1,3})\)?$")
# After the plate without parentheses, only a sign of three letters apart from the plate: a
# shorter one reads as the plate's own last letters (NS 1234 SK is a plate of Novi Sad).
_TRAILING_WORD = re.compile(r"\s+([A-Z]{3})$")
# International distinguishing signs of the region and its neighbours (oval stickers, EU bands).
COUNTRY_SIGNS = {
    "A": "at", "AL": "al", "BG": "bg", "BIH": "ba", "CH": "ch", "CZ": "cz", "D": "de", "GR": "gr",
    "H": "hu", "HR": "hr", "I": "it", "MD": "md", "MK": "mk", "NMK": "mk", "PL": "pl", "RO": "ro",
    "RKS": "xk", "SK": "sk", "SLO": "si", "SRB": "rs", "TR": "tr", "UA": "ua", "MNE": "me",
    # What officers write instead: the ISO codes (and a few sporting ones) of the same countries.
    "AT": "at", "AUT": "at", "DE": "de", "DEU": "de", "GER": "de", "HU": "hu", "HUN": "hu",
    "SI": "si", "SVN": "si", "RS": "rs", "BGR": "bg", "HRV": "hr", "CRO": "hr", "MKD": "mk",
    "ROU": "ro", "CHE": "ch", "SUI": "ch", "SVK": "sk", "CZE": "cz", "BA": "ba", "ME": "me",
    "XK": "xk", "TUR": "tr", "UKR": "ua", "GRC": "gr", "ALB": "al", "POL": "pl", "ITA": "it",
}  # fmt: skip


def normalise_plate(text: str) -> str:
    """Upper-case Latin letters and digits only, Cyrillic look-alikes made Latin."""
    return _NOT_PLATE.sub("", text.upper().translate(_LOOKALIKES))


def fold_plate(text: str) -> str:
    """The normalised plate with commonly confused characters folded together."""
    return normalise_plate(text).translate(_CONFUSIONS)


@dataclass(slots=True, init=False, unsafe_hash=True)
class Plate:
    """A registration plate, read. (Its ``__init__`` is written out, see ``sirocco.compiled``.)"""

    written: Final[str]  # normalised, as written
    folded: Final[str]
    without_sign: Final[str | None]  # folded, without a leading country sign the writer separated
    sign_country: Final[str | None]  # the country that sign names

    def __init__(
        self, written: str, folded: str, without_sign: str | None, sign_country: str | None
    ) -> None:
        self.written = written
        self.folded = folded
        self.without_sign = without_sign
        self.sign_country = sign_country


def parse_plate(text: str) -> Plate:
    """Parse a plate; raise ValueError when nothing plate-like is left."""
    upper = text.strip().upper().translate(_LOOKALIKES)
    written = _NOT_PLATE.sub("", upper)
    if len(written) < 2:
        raise ValueError(f"not a registration plate: {text!r}")
    without_sign = sign_country = None
    leading = _SEPARATED_CODE.match(upper)
    trailing = _TRAILING_CODE.search(upper) if upper.endswith(")") else _TRAILING_WORD.search(upper)
    for match, rest in (
        (trailing, upper[: trailing.start()] if trailing else ""),
        (leading, upper[leading.end() :] if leading else ""),
    ):
        code = match.group(1) if match else None
        rest = _NOT_PLATE.sub("", rest)
        if code in COUNTRY_SIGNS and len(rest) >= 4:
            without_sign = rest.translate(_CONFUSIONS)
            sign_country = COUNTRY_SIGNS[code]
            break
    return Plate(written, written.translate(_CONFUSIONS), without_sign, sign_country)


def plate_keys(plate: Plate) -> set[str]:
    keys = {plate.folded}
    if plate.without_sign:
        keys.add(plate.without_sign)
    return keys


class PlateLevel(StrEnum):
    EXACT = "exact"  # the same characters
    FOLDED = "folded"  # the same but for look-alike characters or a country sign
    NEAR = "near"  # one character different or two swapped: a misread, or another plate
    DISAGREE = "disagree"
    MISSING = "missing"


def compare_plates(left: Plate | None, right: Plate | None) -> PlateLevel:
    if left is None or right is None:
        return PlateLevel.MISSING
    if left.written == right.written:
        return PlateLevel.EXACT
    if left.folded == right.folded or plate_keys(left) & plate_keys(right):
        return PlateLevel.FOLDED
    if DamerauLevenshtein.distance(left.folded, right.folded, score_cutoff=1) <= 1:
        return PlateLevel.NEAR
    return PlateLevel.DISAGREE
