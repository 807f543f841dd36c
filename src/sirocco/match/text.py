"""Script folding: any script and any diacritics to one lower-case ASCII form.

Cyrillic is transliterated with one South-Slavic table (Serbian, Macedonian, Bulgarian and
Russian letters) so that "Живко", "Živko" and "Zivko" meet; everything else goes through
rigour's ICU-free transliteration. Originals are never altered: this makes comparison forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.text.translit import ascii_text

# One table for the Cyrillic alphabets of the region, to Serbo-Croatian Latin without diacritics.
# Letters that stand for one sound map to one Latin letter (ч, ћ, ц -> c; ш -> s; ж -> z) so that
# the national Latin forms with their diacritics dropped ("Petrovic", "Colak") meet them.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "ѓ": "gj", "е": "e", "ё": "jo",
    "є": "je", "ж": "z", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "ji", "й": "j", "ј": "j",
    "к": "k", "ќ": "kj", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c",
    "џ": "dz", "ш": "s", "щ": "st", "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
    "ў": "u", "ґ": "g",
}  # fmt: skip
# Latin letters whose plain ASCII fallback would lose a sound that other spellings keep.
_LATIN = {"đ": "dj", "ß": "ss", "æ": "ae", "ø": "o", "ı": "i", "ł": "l", "þ": "th"}
# Lower-case Latin letters that are an ASCII letter with diacritics (č, ő, ş, ḥ): the letter
# without them, as rigour's transliteration writes it (tested letter by letter). Looked up, not
# transliterated: rigour took 100 to 700 µs for each new text, most of reading a record.
_LATIN_RANGES = (range(0xC0, 0x250), range(0x1E00, 0x1F00))


def _without_diacritics(letter: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c))


def _diacritics() -> dict[str, str]:
    table: dict[str, str] = {}
    for letter in (chr(code) for codes in _LATIN_RANGES for code in codes):
        plain = _without_diacritics(letter)
        if letter.islower() and letter not in _LATIN and plain.isascii() and plain != letter:
            table[letter] = plain
    return table


_DIACRITICS = _diacritics()
_TABLE = str.maketrans({**_DIACRITICS, **_CYRILLIC, **_LATIN})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces."""
    lowered = unicodedata.normalize("NFC", text).lower().translate(_TABLE)
    if not lowered.isascii():
        lowered = ascii_text(lowered).lower()
    return _NON_ALNUM.sub(" ", lowered).strip()


def tokens(text: str) -> list[str]:
    """Folded tokens of a text, in their original order."""
    folded = fold(text)
    return folded.split() if folded else []
