"""Lookouts (hot pursuit): does a new record meet a standing watch?

Pure: a lookout's subject becomes a match profile; plates meet when equal but for look-alike
characters or a country sign, phones by E.164, documents by folded number, persons when the
matcher calls them a match.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from sirocco.entities import parse_entity
from sirocco.match.compare import Frequencies
from sirocco.match.documents import DocumentLevel, compare_documents, normalise_document
from sirocco.match.engine import Decision, judge
from sirocco.match.model import Model
from sirocco.match.phones import normalise_phone
from sirocco.match.plates import PlateLevel, compare_plates, parse_plate
from sirocco.match.profile import Kind, Profile, build_profile

KINDS = ("plate", "phone", "document", "person")
MAX_HOURS = 24 * 14


def subject_profile(kind: str, subject: Any, agency: str) -> Profile:
    """The profile a lookout watches for; raise ValueError naming what is wrong."""
    if kind not in KINDS:
        raise ValueError(f"kind: one of {', '.join(KINDS)}")
    if kind == "person":
        if not isinstance(subject, dict):
            raise ValueError("entity: a FollowTheMoney Person is required")
        parsed = parse_entity({**subject, "id": subject.get("id", "lookout")}, "lookout")
        if parsed.problems or parsed.entity is None:
            problem = parsed.problems[0]
            raise ValueError(f"entity.{problem.field}: {problem.message}")
        profile, _ = build_profile(parsed.entity)
        if profile is None or profile.kind is not Kind.PERSON or not profile.names:
            raise ValueError("entity: a Person with a name is required")
        return profile
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("value: the plate, phone or document number to watch for")
    if kind == "plate":
        return Profile(
            id="lookout", kind=Kind.VEHICLE, agency=agency, plates=(parse_plate(subject),)
        )
    if kind == "phone":
        return Profile(id="lookout", kind=Kind.PERSON, agency=agency,
                       phones=frozenset({normalise_phone(subject, agency[:2])}))  # fmt: skip
    return Profile(id="lookout", kind=Kind.DOCUMENT, agency=agency,
                   documents=frozenset({normalise_document(subject)}))  # fmt: skip


def expiry(now: datetime, hours: Any) -> datetime:
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= MAX_HOURS:
        raise ValueError(f"hours: how long to watch, more than 0 and at most {MAX_HOURS}")
    return now + timedelta(hours=float(hours))


def meets(
    kind: str, watched: Profile, record: Profile, model: Model, frequencies: Frequencies
) -> bool:
    """Does ``record`` meet the lookout watching for ``watched``?"""
    if kind == "plate":
        return any(
            compare_plates(a, b) in (PlateLevel.EXACT, PlateLevel.FOLDED)
            for a in watched.plates
            for b in record.plates
        )
    if kind == "phone":
        return bool(watched.phones & record.phones)
    if kind == "document":
        return compare_documents(watched.documents, record.documents) is DocumentLevel.EXACT
    if record.kind is not Kind.PERSON:
        return False
    found = judge(model, watched, record, frequencies)
    return found is not None and found.decision is Decision.MATCH


def now_utc() -> datetime:
    return datetime.now(UTC)
