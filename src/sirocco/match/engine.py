"""Judging pairs and matching one record against what is held: the live path.

``judge`` is pure: a model, two profiles and the value frequencies in; a scored, explained hit
(or nothing) out. ``Matcher`` runs it over the candidates a source offers for one record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from math import log2
from typing import Any, Final, Protocol

from sirocco.match.compare import Frequencies, Observation, compare, compare_in_two, person_name
from sirocco.match.model import Contribution, KindModel, Model, probability
from sirocco.match.profile import Kind, Profile


class Decision(StrEnum):
    MATCH = "match"  # the same real-world thing
    POSSIBLE = "possible"  # perhaps the same: for an analyst to review


# A match is more likely the same thing than not; a possible match is worth an analyst's look.
MATCH_THRESHOLD = 0.5
POSSIBLE_THRESHOLD = 0.1


@dataclass(frozen=True, slots=True)
class Thresholds:
    match: float = MATCH_THRESHOLD
    possible: float = POSSIBLE_THRESHOLD
    # The match weight (bits) whose probability is ``possible``: minus infinity at 0, and at 1,
    # which only rounding reaches (nothing falls short of it for sure).
    possible_weight: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        p = self.possible
        weight = log2(p / (1.0 - p)) if 0.0 < p < 1.0 else float("-inf")
        object.__setattr__(self, "possible_weight", weight)

    def decide(self, score: float) -> Decision | None:
        if score >= self.match:
            return Decision.MATCH
        if score >= self.possible:
            return Decision.POSSIBLE
        return None


@dataclass(slots=True, init=False, unsafe_hash=True)
class Hit:
    """A pair judged the same, scored and explained. (Its ``__init__`` is written out, see
    ``sirocco.compiled``.)"""

    left: Final[str]
    right: Final[str]
    kind: Final[Kind]
    score: Final[float]  # calibrated match probability
    weight: Final[float]  # match weight in bits, prior included
    prior_weight: Final[float]
    decision: Final[Decision]
    contributions: Final[tuple[Contribution, ...]]
    via: Final[tuple[str, ...]]  # for a pair implied by an identity: the records linking it
    rivals: Final[tuple[str, ...]]  # records either side also matches that differ from the other

    def __init__(
        self,
        left: str,
        right: str,
        kind: Kind,
        score: float,
        weight: float,
        prior_weight: float,
        decision: Decision,
        contributions: tuple[Contribution, ...],
        via: tuple[str, ...] = (),
        rivals: tuple[str, ...] = (),
    ) -> None:
        self.left = left
        self.right = right
        self.kind = kind
        self.score = score
        self.weight = weight
        self.prior_weight = prior_weight
        self.decision = decision
        self.contributions = contributions
        self.via = via
        self.rivals = rivals

    def explanation(self) -> dict[str, Any]:
        summary = summarise(self.contributions)
        explanation: dict[str, Any] = {
            "kind": self.kind.value,
            "match_weight": round(self.weight, 2),
            "prior_weight": round(self.prior_weight, 2),
            "features": [c.to_dict() for c in self.contributions],
            "summary": summary,
        }
        if self.via:
            explanation["via"] = list(self.via)
            explanation["summary"] = (
                f"same identity through {', '.join(self.via)}; direct: {summary}"
            )
        if self.rivals:
            explanation["rivals"] = list(self.rivals)
            explanation["summary"] = (
                f"also matches {', '.join(self.rivals)}, which differ from the other side; "
                f"alone: {summary}"
            )
        return explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "score": round(self.score, 4),
            "decision": self.decision.value,
            "explanation": self.explanation(),
        }


# Bits: a feature this strongly against a pair (birth dates years apart, another gender, names
# with no part in common) makes a pair that is not a match a pair of different things.
CONTRADICTION = 5.0


def contradicts(hit: Hit, thresholds: Thresholds = Thresholds()) -> bool:
    """Whether a pair's own comparison says the two are different things: it is not a match,
    and one feature weighs strongly against it. (A pair short of evidence, two records that
    share little, is not known to be different.)"""
    return hit.score < thresholds.match and any(
        c.weight <= -CONTRADICTION for c in hit.contributions
    )


def summarise(contributions: Iterable[Contribution]) -> str:
    """One line a person can read: the features that weighed most, for and against."""
    parts = [
        f"{c.feature} {c.level}{f' ({c.detail})' if c.detail else ''} {c.weight:+.1f}"
        for c in sorted(contributions, key=lambda c: -abs(c.weight))
        if abs(c.weight) >= 0.5
    ]
    return "; ".join(parts)


# Bounds summed in another order (with numpy, by the screen) round otherwise: a pair is only
# passed over when its bound falls short by more than this (bits).
ROUNDING = 1e-6


def judge(
    model: Model,
    left: Profile,
    right: Profile,
    frequencies: Frequencies,
    thresholds: Thresholds = Thresholds(),
    best_name: float | None = None,
    most_apart_from_name: float | None = None,
) -> Hit | None:
    """Score a pair; a hit when it reaches at least ``possible``.

    Most candidate pairs are not hits: their weight is summed from observations without the
    details a person reads, and only a hit is compared again to be explained. Two people whose
    other features already rule out reaching ``possible``, whatever their names, are not
    compared by name at all (the bound is exact: the decision is the same). ``best_name`` is
    the most the two names can weigh: ``name_bound`` of either record (``xmatch`` takes the
    lesser of the two); without it, the most any name can. Given ``most_apart_from_name``, the
    most the two people's other features can weigh, prior included (``sirocco.match.screen``),
    their names are compared first, and a pair that their names' weight leaves short of
    ``possible`` is not compared further (a relative's name only takes weight away).
    """
    kind_model = model.kinds[left.kind]
    compared = None  # the name's observation, when compared first
    if most_apart_from_name is not None and left.kind is Kind.PERSON:
        compared = person_name(left, right, frequencies)
        most = most_apart_from_name + kind_model.bits(compared[0])
        if most < thresholds.possible_weight - ROUNDING:
            return None
    observations, with_name = compare_in_two(left, right, frequencies, compared)
    weight = kind_model.weight(observations)
    if with_name is not None:
        if best_name is None:
            best_name = kind_model.most_bits("name", frequencies.rarest_name(left.kind))
        if weight + best_name < thresholds.possible_weight - 1e-9:
            return None
        name, others = with_name()
        if others is not observations:  # a relative's name set some agreements aside
            weight = kind_model.weight(others)
        weight += kind_model.bits(name)
    decision = thresholds.decide(probability(weight))
    if decision is None:
        return None
    explained = compare(left, right, frequencies)
    return _assessed(kind_model, left, right, explained, decision)


def name_bound(model: Model, profile: Profile, frequencies: Frequencies) -> float:
    """The most a record's name can weigh against any other name, now: a common name, even
    when it agrees letter for letter, weighs little (its frequency stands for ``u``), and most
    of a common name's candidates are namesakes that its weight cannot make a hit."""
    kind_model = model.kinds[profile.kind]
    if "name" not in kind_model.m:
        return float("inf")  # a kind compared without names
    least = frequencies.least_name(profile.kind, (part.skeleton for part in profile.names))
    return kind_model.most_bits("name", least)


def assess(model: Model, left: Profile, right: Profile, frequencies: Frequencies) -> Hit:
    """Score a pair whatever the result (its decision says only how it would be judged alone)."""
    kind_model = model.kinds[left.kind]
    return _assessed(kind_model, left, right, compare(left, right, frequencies))


def _assessed(
    kind_model: KindModel,
    left: Profile,
    right: Profile,
    observations: list[Observation],
    decision: Decision | None = None,
) -> Hit:
    """The pair scored and explained; its decision as given, or as it would be judged alone."""
    weight, contributions = kind_model.score(observations)
    score = probability(weight)
    prior_weight = log2(kind_model.prior / (1 - kind_model.prior))
    if decision is None:
        decision = Decision.MATCH if score >= MATCH_THRESHOLD else Decision.POSSIBLE
    return Hit(
        left.id, right.id, left.kind, score, weight, prior_weight, decision, tuple(contributions)
    )


class CandidateSource(Protocol):
    """Anything that can offer the held profiles that might be the same as a new one."""

    @property
    def frequencies(self) -> Frequencies: ...

    def candidates(self, profile: Profile) -> Iterable[Profile]: ...


class Matcher:
    def __init__(
        self, model: Model, source: CandidateSource, thresholds: Thresholds = Thresholds()
    ) -> None:
        self.model = model
        self.source = source
        self.thresholds = thresholds

    def match(self, profile: Profile) -> list[Hit]:
        """Hits for one record against everything the source holds, strongest first."""
        frequencies = self.source.frequencies
        bound = name_bound(self.model, profile, frequencies)
        hits = [
            hit
            for candidate in self.source.candidates(profile)
            if (hit := judge(self.model, profile, candidate, frequencies, self.thresholds, bound))
        ]
        return sorted(hits, key=lambda h: -h.weight)
