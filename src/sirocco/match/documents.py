"""Identity and travel document numbers."""

from __future__ import annotations

import re
from enum import StrEnum

from rapidfuzz.distance import DamerauLevenshtein

from sirocco.match.plates import fold_plate, normalise_plate

_DIGITS = re.compile(r"\d")


def normalise_document(text: str) -> str:
    """Upper-case letters and digits; raise ValueError if too short to identify anything."""
    number = normalise_plate(text)
    if len(number) < 4 or not _DIGITS.search(number):
        raise ValueError(f"not a document number: {text!r}")
    return number


def document_key(number: str) -> str:
    """Numbers folded for look-alike characters (O/0, I/1, ...), as OCR and typing confuse them."""
    return fold_plate(number)


class DocumentLevel(StrEnum):
    EXACT = "exact"
    NEAR = "near"  # one character typed wrong or two swapped
    DISAGREE = "disagree"
    MISSING = "missing"


def compare_documents(left: frozenset[str], right: frozenset[str]) -> DocumentLevel:
    if not left or not right:
        return DocumentLevel.MISSING
    left_keys = {document_key(n) for n in left}
    right_keys = {document_key(n) for n in right}
    if left_keys & right_keys:
        return DocumentLevel.EXACT
    for a in left_keys:
        for b in right_keys:
            if len(a) >= 6 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1:
                return DocumentLevel.NEAR
    return DocumentLevel.DISAGREE
