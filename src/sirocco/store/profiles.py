"""Match profiles kept with their records' rows, and read back without normalising again.

Rebuilding a stored record's profile from its properties (transliterating names, parsing dates,
phones and plates) costs about as much as comparing it; reading this form back costs a fraction.
The form is JSON, so what is stored can be read by any tool and executes nothing when read.

A stored form is only as good as the code that made it: it carries a digest of the
normalisation code and of the libraries it relies on, and a form made by other code is ignored
(the caller rebuilds the profile from the record's properties instead). Reading the code to
digest it is why this lives with the store, not in the pure ``sirocco.match``.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

from sirocco import entities
from sirocco.match import dates, documents, links, names, phones, plates, profile, text
from sirocco.match.dates import BirthDate
from sirocco.match.names import make_part
from sirocco.match.plates import Plate
from sirocco.match.profile import Kind, Profile

# What makes a stored profile: normalisation, and the links that add to a person's.
_NORMALISATION = (entities, dates, documents, names, phones, plates, profile, text, links)
_LIBRARIES = ("followthemoney", "rigour", "phonenumbers", "normality")


def _digest() -> str:
    content = hashlib.blake2b(digest_size=8)
    for module in _NORMALISATION:
        content.update(Path(str(module.__file__)).read_bytes())
    for library in _LIBRARIES:
        try:
            content.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            content.update(f"{library}=none".encode())
    return content.hexdigest()


VERSION = _digest()  # of the code that makes profiles: a stored form of another is not used


def stored_form(profile: Profile | None) -> str | None:
    """What an entity's row keeps of its profile (None: nothing to match)."""
    return None if profile is None else encode(profile)


def encode(p: Profile) -> str:
    """The stored form of a profile (without its id and agency: the record's row has them)."""
    return orjson.dumps(
        [
            VERSION,
            p.kind.value,
            [part.latin for part in p.names],
            [part.latin for part in p.fathers],
            [[d.year, d.month, d.day] for d in p.birth_dates],
            sorted(p.nationalities),
            p.gender,
            sorted(p.documents),
            sorted(p.phones),
            p.address,
            [[x.written, x.folded, x.without_sign, x.sign_country] for x in p.plates],
            sorted(p.country),
            p.vehicle_model,
            p.fingerprint,
        ]
    ).decode()


def decode(stored: str, id: str, agency: str | None) -> Profile | None:
    """The profile a stored form describes, or None if other code made it (or it is not one)."""
    try:
        form: list[Any] = orjson.loads(stored)
        if form[0] != VERSION:
            return None
        return Profile(
            id=id,
            kind=Kind(form[1]),
            agency=agency,
            names=tuple(make_part(latin) for latin in form[2]),
            fathers=tuple(make_part(latin) for latin in form[3]),
            birth_dates=tuple(BirthDate(*d) for d in form[4]),
            nationalities=frozenset(form[5]),
            gender=form[6],
            documents=frozenset(form[7]),
            phones=frozenset(form[8]),
            address=form[9],
            plates=tuple(Plate(*x) for x in form[10]),
            country=frozenset(form[11]),
            vehicle_model=form[12],
            fingerprint=form[13],
        )
    except (ValueError, TypeError, IndexError, KeyError):  # orjson's error is a ValueError
        return None
