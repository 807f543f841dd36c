"""How each reporting country writes names, dates, phones and plates.

A habit takes a canonical value and renders it as an officer of that country would: Serbian,
Macedonian and Bulgarian Cyrillic; Croatian/Slovene Latin with diacritics; German, Hungarian and
Romanian transcriptions; passport machine-readable zones (upper-case ASCII).
"""

from __future__ import annotations

import random
import re
import unicodedata

import phonenumbers

AGENCIES = ("AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH")
CYRILLIC_AGENCIES = frozenset({"RS", "MK", "BG"})

# English digraphs -> Serbo-Croatian Latin (ordered).
_TO_SLAVIC = (("kh", "h"), ("sh", "š"), ("ch", "č"), ("zh", "ž"), ("gh", "g"), ("th", "t"),
              ("dh", "d"), ("j", "dž"), ("y", "j"), ("ee", "i"), ("oo", "u"), ("ou", "u"),
              ("aa", "a"), ("q", "k"), ("w", "v"), ("x", "ks"))  # fmt: skip
_TO_GERMAN = (("kh", "ch"), ("sh", "sch"), ("j", "dsch"), ("y", "j"), ("ee", "i"), ("ou", "u"),
              ("oo", "u"), ("q", "k"))  # fmt: skip
_TO_HUNGARIAN = (("s", "sz"), ("szh", "s"), ("kh", "h"), ("ch", "cs"), ("j", "dzs"), ("y", "j"),
                 ("zh", "zs"), ("ee", "i"), ("ou", "u"), ("oo", "u"), ("q", "k"), ("w", "v"))  # fmt: skip
_TO_ROMANIAN = (("sh", "ș"), ("kh", "h"), ("ch", "ci"), ("y", "i"), ("ee", "i"), ("ou", "u"),
                ("q", "k"), ("w", "v"))  # fmt: skip
_SERBIAN_CYRILLIC = (("dž", "џ"), ("lj", "љ"), ("nj", "њ"), ("a", "а"), ("b", "б"), ("v", "в"),
                     ("g", "г"), ("d", "д"), ("đ", "ђ"), ("e", "е"), ("ž", "ж"), ("z", "з"),
                     ("i", "и"), ("j", "ј"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
                     ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("ć", "ћ"),
                     ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("č", "ч"), ("š", "ш"))  # fmt: skip
_MACEDONIAN = (("dž", "џ"), ("lj", "љ"), ("nj", "њ"), ("đ", "ѓ"), ("ć", "ќ"), *(
    (a, b) for a, b in _SERBIAN_CYRILLIC if a not in ("dž", "lj", "nj", "đ", "ć")))  # fmt: skip
_BULGARIAN = (("dž", "дж"), ("ja", "я"), ("ju", "ю"), ("št", "щ"), ("j", "й"), ("đ", "дж"),
              ("ć", "ч"), ("lj", "ль"), ("nj", "нь"), *(
    (a, b) for a, b in _SERBIAN_CYRILLIC if a not in ("dž", "lj", "nj", "j", "đ", "ć")))  # fmt: skip


def _apply(text: str, rules: tuple[tuple[str, str], ...]) -> str:
    out = text.lower()
    for old, new in rules:
        out = out.replace(old, new)
    return out


def _collapse_doubles(text: str) -> str:
    return re.sub(r"([^aeiou])\1", r"\1", text)


def _title(text: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:] for p in w.split("-")) for w in text.split())


def ascii_upper(text: str) -> str:
    """ICAO 9303 style: upper-case ASCII, diacritics dropped."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if c.isascii()).upper()


def _native_latin(text: str) -> bool:
    return any(c in text.lower() for c in "šžčćđáéíóúőűöüăâîșț") or not text.isascii()


def write_name(
    name: str, agency: str, rng: random.Random, *, national: bool = False, cyrillic: bool = True
) -> str:
    """A name as ``agency`` writes it.

    ``national``: the name is already in its own national Latin (a Serbian or Romanian name),
    not an English romanisation. ``cyrillic``: for RS, whether this record is in Cyrillic.
    """
    native = national or _native_latin(name)
    if agency in ("RS", "HR", "SI", "MK", "BG"):
        english = re.sub(r"y$", "i", name.lower())
        if native:  # national Latin: Bulgarian and Macedonian write y for й/ј
            latin = name.lower().replace("y", "j")
        else:
            latin = _collapse_doubles(_apply(english, _TO_SLAVIC))
        if agency == "RS" and cyrillic:
            return _title(_apply(latin, _SERBIAN_CYRILLIC))
        if agency == "MK":
            return _title(_apply(latin, _MACEDONIAN))
        if agency == "BG":
            return _title(_apply(latin, _BULGARIAN))
        return _title(latin)
    if agency in ("DE", "AT", "CH"):
        if native:
            return _title(ascii_upper(name).lower()) if rng.random() < 0.5 else name
        german = _apply(name, _TO_GERMAN)
        if rng.random() < 0.4:  # Achmed, Machmud
            german = re.sub(r"([aeiou])h(?=[bcdfgklmnpqrstvwz])", r"\1ch", german)
        return _title(german)
    if agency == "HU":
        if native:
            return name
        return _title(_apply(_collapse_doubles(name.lower()), _TO_HUNGARIAN))
    if agency == "RO":
        if native:
            return _title(ascii_upper(name).lower())
        return _title(_apply(name, _TO_ROMANIAN))
    return name


_PASSPORT_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                    "DEC")  # fmt: skip


def write_date(iso: str, agency: str, rng: random.Random) -> str:
    year, month, day = iso.split("-")
    if agency in ("DE", "AT", "CH", "HR", "RS", "SI", "MK", "BG"):
        style = rng.random()
        if style < 0.45:
            return f"{day}.{month}.{year}"
        if style < 0.6:  # copied from a passport's data page
            return f"{day} {_PASSPORT_MONTHS[int(month) - 1]} {year}"
    return iso


def random_phone(region: str, rng: random.Random) -> str:
    """A valid mobile number of ``region`` in E.164."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        raise ValueError(f"no mobile numbers known for region {region!r}")
    digits = str(example.national_number)
    for _ in range(50):
        keep = max(2, len(digits) - 6)
        candidate = digits[:keep] + "".join(str(rng.randrange(10)) for _ in digits[keep:])
        number = phonenumbers.parse(f"+{example.country_code}{candidate}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def write_phone(e164: str, agency: str, rng: random.Random) -> str:
    number = phonenumbers.parse(e164)
    home = phonenumbers.region_code_for_number(number) == agency
    if home and rng.random() < 0.7:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    style = rng.random()
    if style < 0.4:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if style < 0.7:
        return "00" + e164[1:]
    return e164


_PLATE_FORMATS = {
    "AT": ("{L2} {D3}{L2}", "W-{D5}{L1}"), "BG": ("{C2} {D4} {C2}",), "HR": ("{C2} {D4}-{L2}",),
    "MK": ("{C2} {D4} {C2}",), "DE": ("{L1}-{L2} {D4}", "{L2}-{L1} {D3}"), "HU": ("{L3}-{D3}",
    "{L2} {L2}-{D3}"), "RO": ("{L1} {D3} {L3}", "{L2} {D2} {L3}"), "RS": ("{C2} {D3}-{C2}",
    "{C2} {D4}-{C2}"), "SI": ("{L2} {L2}-{D3}",), "CH": ("{L2} {D6}",),
}  # fmt: skip
_CYRILLIC_SAFE = "ABEKMHOPCTYX"
_LOOKALIKE = dict(zip("ABEKMHOPCTYX", "АВЕКМНОРСТУХ", strict=True))
_MISREADS = {"0": "O", "O": "0", "1": "I", "I": "1", "8": "B", "B": "8", "5": "S", "S": "5",
             "2": "Z", "Z": "2"}  # fmt: skip
COUNTRY_SIGN = {"AT": "A", "BG": "BG", "HR": "HR", "MK": "NMK", "DE": "D", "HU": "H", "RO": "RO",
                "RS": "SRB", "SI": "SLO", "CH": "CH"}  # fmt: skip


def random_plate(country: str, rng: random.Random) -> str:
    fmt = rng.choice(_PLATE_FORMATS[country])
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"

    def fill(match: re.Match[str]) -> str:
        kind, count = match.group(1), int(match.group(2))
        pool = {"L": letters, "C": _CYRILLIC_SAFE, "D": "0123456789"}[kind]
        return "".join(rng.choice(pool) for _ in range(count))

    return re.sub(r"\{([LCD])(\d)\}", fill, fmt)


def write_plate(plate: str, country: str, agency: str, rng: random.Random) -> str:
    chars = list(plate)
    if rng.random() < 0.12:  # a camera or an officer misreads one character
        spots = [i for i, c in enumerate(chars) if c in _MISREADS]
        if spots:
            spot = rng.choice(spots)
            chars[spot] = _MISREADS[chars[spot]]
    text = "".join(chars)
    spacing = rng.random()
    if spacing < 0.3:
        text = re.sub(r"[\s-]", "", text)
    elif spacing < 0.5:
        text = re.sub(r"\s", "-", text)
    if agency in CYRILLIC_AGENCIES and rng.random() < 0.5:
        text = "".join(_LOOKALIKE.get(c, c) for c in text)
    if agency != country and rng.random() < 0.3:
        text = f"{COUNTRY_SIGN[country]} {text}"
    return text
