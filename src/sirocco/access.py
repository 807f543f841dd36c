"""Who may see what: handling codes and distribution, decided in one place.

Every read path (the answer to a report, the hits list, the stream, the entity and report pages)
asks ``may_see``. A party the distribution excludes from a record learns, for a hit, only that it
exists and which agency to ask (``withheld``), never the data.
"""

from dataclasses import dataclass
from typing import Any

HANDLING_CODES = {
    "H0": "use only to prevent and combat crime, for the stated purpose",
    "H1": "not to be disclosed in judicial proceedings without the provider's permission",
    "H2": "not to be passed on without the provider's permission",
    "H3": "other restrictions (see conditions)",
}
DISTRIBUTIONS = ("all", "agencies", "oc", "hit_no_hit")
SOURCES = ("A", "B", "C", "X")
INFORMATION = ("1", "2", "3", "4")
CATEGORIES = ("suspect", "smuggled_person", "witness", "contact", "victim", "other")


@dataclass(frozen=True, slots=True)
class Release:
    """How a report's data may travel: it goes with every copy of the data."""

    handling_code: str = "H0"
    conditions: str | None = None
    distribution: str = "all"
    agencies: tuple[str, ...] = ()  # for distribution "agencies"
    source: str | None = None  # 4x4 evaluation: source reliability
    information: str | None = None  # 4x4 evaluation: information assessment

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "handling_code": self.handling_code,
            "distribution": self.distribution,
        }
        if self.conditions:
            out["conditions"] = self.conditions
        if self.distribution == "agencies":
            out["agencies"] = list(self.agencies)
        if self.source or self.information:
            out["evaluation"] = f"{self.source or 'X'}{self.information or '4'}"
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Release":
        evaluation = data.get("evaluation") or ""
        return cls(
            handling_code=data.get("handling_code", "H0"),
            conditions=data.get("conditions"),
            distribution=data.get("distribution", "all"),
            agencies=tuple(data.get("agencies", ())),
            source=evaluation[:1] or None,
            information=evaluation[1:2] or None,
        )


@dataclass(frozen=True, slots=True)
class StoredEntity:
    """A stored record as access is decided for it: its owner, its report's release and its
    data-subject category (none of which changes once stored)."""

    pk: int
    agency: str
    entity_id: str
    release: Release = Release()
    category: str | None = None


def may_see(viewer_agency: str | None, viewer_role: str, owner: str, release: Release) -> bool:
    """May this viewer see the data of a record owned by ``owner`` under ``release``?"""
    if viewer_agency == owner:
        return True
    centre = viewer_role in ("analyst", "admin")
    if release.distribution == "all":
        return True
    if release.distribution == "agencies":
        return centre or viewer_agency in release.agencies
    if release.distribution == "oc":
        return centre
    return False  # hit/no-hit only: the owner alone holds the data


def withheld(owner: str) -> dict[str, Any]:
    """What a party excluded from a record learns of it: that it exists, and whom to ask."""
    return {"withheld": True, "ask": owner}
