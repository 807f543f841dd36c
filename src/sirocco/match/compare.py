"""Comparison of two profiles of one kind: a list of observations, one per feature.

Each observation names the feature, the agreement level reached, the frequency of the agreeing
value where it matters (a common name or a common birth date is weaker evidence), and a detail a
person can read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import product
from typing import Final, NamedTuple, Protocol

from rapidfuzz import fuzz

from sirocco.match.dates import BirthDate, DateLevel, compare_dates
from sirocco.match.documents import compare_documents
from sirocco.match.names import NameLevel, NamePart, compare_names, part_similarity
from sirocco.match.plates import PlateLevel, compare_plates
from sirocco.match.profile import Kind, Profile


class Frequencies(Protocol):
    """How often values occur among the records held: the chance a random record shares one."""

    def name(self, kind: Kind, skeletons: tuple[str, ...]) -> float:
        """Records holding all these name parts (by skeleton)."""
        ...

    def rarest_name(self, kind: Kind) -> float:
        """The least that ``name`` can give for any name, now: a bound, for pruning."""
        ...

    def least_name(self, kind: Kind, skeletons: Iterable[str]) -> float:
        """The least that ``name`` can give, now, for an agreement of a name whose parts have
        these skeletons with any other name: a tighter bound, for pruning one record's pairs."""
        ...

    def birth_date(self, iso: str) -> float: ...

    def phone(self, e164: str) -> float:
        """Records holding this phone number (families and travel groups share one)."""
        ...

    def plate_neighbours(self, left: str, right: str) -> float:
        """Distinct plates one character away from where two folded plates meet (a fleet)."""
        ...


@dataclass(slots=True, init=False, unsafe_hash=True)
class Observation:
    """One feature's agreement level. (Made for each feature of each pair judged: its
    ``__init__`` is written out, see ``sirocco.compiled``.)"""

    feature: Final[str]
    level: Final[str]
    frequency: Final[float | None]  # of the agreeing value, when the level is frequency-adjusted
    detail: Final[str]

    def __init__(
        self, feature: str, level: str, frequency: float | None = None, detail: str = ""
    ) -> None:
        self.feature = feature
        self.level = level
        self.frequency = frequency
        self.detail = detail


class NameAgreement(NamedTuple):
    """What comparing two names says, apart from how common the name is. (A tuple: one is
    made for every new pair of names, and only a hit's is ever read by a person.)"""

    level: NameLevel
    pairs: tuple[tuple[NamePart, NamePart, float], ...]  # aligned parts with their similarity
    spellings: tuple[tuple[str, ...], ...]  # the agreeing parts' skeletons, as each side has them
    relative: bool = False  # one part agrees and another differs: a relative's name

    @property
    def detail(self) -> str:
        """The aligned parts as a person reads them: equal (=) or alike (~)."""
        return ", ".join(
            f"{x.latin}={y.latin}" if s == 1.0 else f"{x.latin}~{y.latin}" for x, y, s in self.pairs
        )


# Names repeat (a few hundred spellings cover most of an operation's people): their comparison,
# a pure function of the parts, is kept. Bounded: cleared when full.
_AGREEMENTS: dict[tuple[tuple[NamePart, ...], ...], NameAgreement] = {}
_AGREEMENTS_KEPT = 500_000


def name_agreement(
    a: tuple[NamePart, ...],
    b: tuple[NamePart, ...],
    a_fathers: tuple[NamePart, ...],
    b_fathers: tuple[NamePart, ...],
) -> NameAgreement:
    key = (a, b, a_fathers, b_fathers)
    found = _AGREEMENTS.get(key)
    if found is not None:
        return found
    result = compare_names(a, b, a_fathers, b_fathers)
    spellings: set[tuple[str, ...]] = set()
    if result.level in (NameLevel.EXACT, NameLevel.FULL):
        # How common the agreeing name is: that of its most common spelling on either side. A
        # rare way of writing a common name (Almasri for Al-Masri) does not make the name rare;
        # judged by the spelling alone, two namesakes would look like one person.
        for parts in ([x for x, _, _ in result.pairs], [y for _, y, _ in result.pairs]):
            for forms in product(*(part.forms() for part in parts)):
                spellings.add(tuple(skeleton for _, skeleton in forms))
    if len(_AGREEMENTS) >= _AGREEMENTS_KEPT:
        _AGREEMENTS.clear()
    found = _AGREEMENTS[key] = NameAgreement(
        result.level, result.pairs, tuple(sorted(spellings)), result.relative
    )
    return found


def _names(kind: Kind, a: Profile, b: Profile, freq: Frequencies, explain: bool) -> Observation:
    return _names_of_kin(kind, a, b, freq, explain)[0]


# A name's observation, and whether it is a relative's name.
NameOfKin = tuple[Observation, bool]


def _names_of_kin(
    kind: Kind, a: Profile, b: Profile, freq: Frequencies, explain: bool
) -> NameOfKin:
    """The name's observation, and whether it is a relative's name."""
    agreement = name_agreement(a.names, b.names, a.fathers, b.fathers)
    frequency = None
    if agreement.spellings:
        frequency = max(freq.name(kind, skeletons) for skeletons in agreement.spellings)
    detail = agreement.detail if explain else ""
    observation = Observation("name", _NAME_VALUE[agreement.level], frequency, detail)
    return observation, agreement.relative


# What a family shares: beside a relative's name (one part agrees, another differs: brothers,
# a father and his son), a shared phone, address or father's name says nothing about being the
# same person. Only agreements are set aside; a disagreement still counts against.
_SET_ASIDE = {
    feature: Observation(feature, "missing", None, "not weighed beside a relative's name")
    for feature in ("phone", "address", "father")
}


def _beside_kin(observations: list[Observation]) -> list[Observation]:
    return [
        _SET_ASIDE[o.feature]
        if o.feature in _SET_ASIDE and o.level not in ("missing", "disagree")
        else o
        for o in observations
    ]


_NAME_VALUE = {level: level.value for level in NameLevel}


_DATE_RANK = {level: rank for rank, level in enumerate(DateLevel)}


def _best_date(
    a: tuple[BirthDate, ...], b: tuple[BirthDate, ...], explain: bool = True
) -> tuple[DateLevel, str]:
    """The best agreement of two records' dates, and the dates as written: the detail is left
    empty when not asked for and not needed (only the agreeing value's frequency needs it)."""
    if not a or not b:
        return DateLevel.MISSING, ""
    best, rank, pair = DateLevel.FAR, _DATE_RANK[DateLevel.FAR], (a[0], b[0])
    for x in a:
        for y in b:
            level = compare_dates(x, y)
            if _DATE_RANK[level] < rank:
                best, rank, pair = level, _DATE_RANK[level], (x, y)
    x, y = pair
    if best is DateLevel.EXACT or best is DateLevel.YEAR:
        return best, x.iso() if x == y else f"{x.iso()} vs {y.iso()}"
    return best, f"{x.iso()} vs {y.iso()}" if explain else ""


def _birth_date(a: Profile, b: Profile, freq: Frequencies, explain: bool) -> Observation:
    level, detail = _best_date(a.birth_dates, b.birth_dates, explain)
    frequency = None
    if level is DateLevel.EXACT:
        frequency = freq.birth_date(detail)
    elif level is DateLevel.YEAR:
        frequency = freq.birth_date(detail[:4])
    return Observation("birth_date", _DATE_VALUE[level], frequency, detail)


_DATE_VALUE = {level: level.value for level in DateLevel}


# A missing value is the commonest observation, and unexplained agreements and disagreements of
# sets the next: each feature's is made once.
_FEATURES = ("nationality", "phone", "father", "gender", "address", "country", "model", "plate",
             "document")  # fmt: skip
_MISSING = {feature: Observation(feature, "missing") for feature in _FEATURES}
_AGREE = {feature: Observation(feature, "agree") for feature in _FEATURES}
_DISAGREE = {feature: Observation(feature, "disagree") for feature in _FEATURES}


def _set(feature: str, a: frozenset[str], b: frozenset[str], explain: bool) -> Observation:
    if not a or not b:
        return _MISSING[feature]
    shared = a & b
    if not explain:
        return _AGREE[feature] if shared else _DISAGREE[feature]
    if shared:
        return Observation(feature, "agree", None, ", ".join(sorted(shared)))
    return Observation(
        feature, "disagree", None, f"{', '.join(sorted(a))} vs {', '.join(sorted(b))}"
    )


def _phone(a: Profile, b: Profile, freq: Frequencies, explain: bool) -> Observation:
    shared = a.phones & b.phones
    if not shared:
        return _set("phone", a.phones, b.phones, explain)  # missing, or disagreeing
    rarest = min(shared, key=freq.phone)
    return Observation("phone", "agree", freq.phone(rarest), rarest)


def _fathers(a: Profile, b: Profile, explain: bool) -> Observation:
    if not a.fathers or not b.fathers:
        return _MISSING["father"]
    best = max(part_similarity(x, y) for x in a.fathers for y in b.fathers)
    level = "agree" if best >= 0.9 else "disagree"
    detail = f"{a.fathers[0].latin} / {b.fathers[0].latin}" if explain else ""
    return Observation("father", level, None, detail)


def _gender(a: Profile, b: Profile) -> Observation:
    if a.gender is None or b.gender is None:
        return _MISSING["gender"]
    return Observation("gender", "agree" if a.gender == b.gender else "disagree", None, a.gender)


def _text(feature: str, a: str, b: str, explain: bool) -> Observation:
    if not a or not b:
        return _MISSING[feature]
    similarity = fuzz.token_set_ratio(a, b) / 100
    level = "exact" if similarity >= 0.97 else "close" if similarity >= 0.8 else (
        "some" if similarity >= 0.6 else "disagree")  # fmt: skip
    return Observation(feature, level, None, f"{similarity:.2f}" if explain else "")


def _documents(a: Profile, b: Profile) -> Observation:
    if not a.documents or not b.documents:
        return _MISSING["document"]
    level = compare_documents(a.documents, b.documents)
    detail = ", ".join(sorted(a.documents & b.documents)) if level.value == "exact" else ""
    return Observation("document", level.value, None, detail)


def compare_person(
    a: Profile, b: Profile, freq: Frequencies, explain: bool = True
) -> list[Observation]:
    others = _person_apart_from_name(a, b, freq, explain)
    name, others = _name_beside(a, b, freq, others, explain)
    return [name, *others]


def _name_beside(
    a: Profile,
    b: Profile,
    freq: Frequencies,
    others: list[Observation],
    explain: bool = False,
    name: NameOfKin | None = None,
) -> tuple[Observation, list[Observation]]:
    """The name's observation (compared here unless given), and the others as the name leaves
    them: the same list, unless a relative's name sets their family's agreements aside."""
    if name is None:
        name = _names_of_kin(Kind.PERSON, a, b, freq, explain)
    observation, relative = name
    return observation, _beside_kin(others) if relative else others


def _person_apart_from_name(
    a: Profile, b: Profile, freq: Frequencies, explain: bool
) -> list[Observation]:
    return [
        _birth_date(a, b, freq, explain),
        _fathers(a, b, explain),
        _gender(a, b),
        _set("nationality", a.nationalities, b.nationalities, explain),
        _documents(a, b),
        _phone(a, b, freq, explain),
        _text("address", a.address, b.address, explain),
    ]


def compare_vehicle(
    a: Profile, b: Profile, freq: Frequencies, explain: bool = True
) -> list[Observation]:
    levels = [(compare_plates(x, y), x, y) for x in a.plates for y in b.plates]
    if levels:
        order = list(type(levels[0][0]))
        level, x, y = min(levels, key=lambda item: order.index(item[0]))
        frequency = freq.plate_neighbours(x.folded, y.folded) if level is PlateLevel.NEAR else None
        detail = f"{x.written} / {y.written}" if explain else ""
        plate = Observation("plate", level.value, frequency, detail)
    else:
        plate = _MISSING["plate"]
    country = _set("country", a.country, b.country, explain)
    model = _text("model", a.vehicle_model, b.vehicle_model, explain)
    if plate.level == PlateLevel.NEAR.value:
        # One fleet's vans have neighbouring plates and share country and model: beside a near
        # plate, those agreements say nothing about being the same van.
        note = "not weighed beside a near plate"
        country = Observation("country", "missing", None, note)
        model = Observation("model", "missing", None, note)
    return [plate, country, model]


def compare_document(
    a: Profile, b: Profile, freq: Frequencies, explain: bool = True
) -> list[Observation]:
    holder = compare_names(a.names, b.names)
    return [
        _documents(a, b),
        _set("country", a.country, b.country, explain),
        Observation("holder", holder.level.value),
    ]


def compare_address(
    a: Profile, b: Profile, freq: Frequencies, explain: bool = True
) -> list[Observation]:
    return [_text("address", a.address, b.address, explain)]


def compare_organization(
    a: Profile, b: Profile, freq: Frequencies, explain: bool = True
) -> list[Observation]:
    names = _names(Kind.ORGANIZATION, a, b, freq, explain)
    return [names, _set("country", a.country, b.country, explain)]


COMPARATORS: dict[Kind, Callable[[Profile, Profile, Frequencies, bool], list[Observation]]] = {
    Kind.PERSON: compare_person,
    Kind.VEHICLE: compare_vehicle,
    Kind.DOCUMENT: compare_document,
    Kind.ADDRESS: compare_address,
    Kind.ORGANIZATION: compare_organization,
}


def compare_in_two(
    a: Profile, b: Profile, freq: Frequencies, name: NameOfKin | None = None
) -> tuple[list[Observation], Callable[[], tuple[Observation, list[Observation]]] | None]:
    """As ``compare`` without details, but for two people the name (the costliest feature) is
    left for last: the other observations, and a function that compares the names (the name's
    observation, and the others as it leaves them), so that a pair whose other features
    already rule it out need not be compared by name. The name can only take weight away from
    the others (a relative's name sets their family's agreements aside), never add to them
    beyond its own. For other kinds, all observations and None. Two people's ``name``, when
    already compared (``person_name``), is not compared again."""
    if a.kind is not Kind.PERSON or b.kind is not Kind.PERSON:
        return compare(a, b, freq, explain=False), None
    if b.fingerprint < a.fingerprint:
        a, b = b, a
    others = _person_apart_from_name(a, b, freq, False)
    return others, lambda: _name_beside(a, b, freq, others, name=name)


def person_name(a: Profile, b: Profile, freq: Frequencies) -> NameOfKin:
    """The name's observation of two people, as ``compare`` makes it (the other features
    unseen), and whether it is a relative's name."""
    if b.fingerprint < a.fingerprint:
        a, b = b, a
    return _names_of_kin(Kind.PERSON, a, b, freq, False)


def compare(a: Profile, b: Profile, freq: Frequencies, explain: bool = True) -> list[Observation]:
    """Observations for a pair of profiles of the same kind.

    The two are compared in the order of their fingerprints, so that a pair gets the same
    observations whichever side it is looked at from. Without ``explain``, the features and
    levels are the same, but details that only a person reads may be left empty (most pairs
    compared are not hits, and nobody reads theirs).
    """
    if a.kind is not b.kind:
        raise ValueError(f"cannot compare a {a.kind.value} with a {b.kind.value}")
    if b.fingerprint < a.fingerprint:
        a, b = b, a
    return COMPARATORS[a.kind](a, b, freq, explain)
