"""The operation's figures: incidents, arrests and smuggled persons intercepted.

A report may describe an incident (``"incident": {"time", "place", "country", "latitude",
"longitude", "kind", "note", "arrested", "intercepted"}``; ``time`` is required); the figures
add them up per agency and per hour.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

INCIDENT_COUNTS = ("arrested", "intercepted")


def validate_incident(record: str, incident: Any) -> dict[str, Any]:
    """The incident as stored; raise ValueError naming the field that is wrong."""
    if not isinstance(incident, dict):
        raise ValueError("incident: an object with time, place, kind, arrested, intercepted")
    clean: dict[str, Any] = {}
    time = incident.get("time")
    if not isinstance(time, str):
        raise ValueError("incident.time: an ISO 8601 date and time is required")
    try:
        clean["time"] = datetime.fromisoformat(time).isoformat()
    except ValueError:
        raise ValueError(f"incident.time: not an ISO 8601 date and time: {time!r}") from None
    for name in INCIDENT_COUNTS:
        value = incident.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"incident.{name}: a whole number of people, 0 or more")
        clean[name] = value
    for name in ("place", "kind", "country", "note"):
        if name in incident:
            if not isinstance(incident[name], str):
                raise ValueError(f"incident.{name}: text")
            clean[name] = incident[name]
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if name in incident:
            value = incident[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit:
                raise ValueError(f"incident.{name}: degrees, from -{limit} to {limit}")
            clean[name] = float(value)
    return clean


def figures(incidents: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Totals, per agency and per hour, from (agency, incident) pairs."""
    total = {"incidents": 0, "arrested": 0, "intercepted": 0}
    per_agency: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(total, 0))
    per_hour: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(total, 0))
    for agency, incident in incidents:
        moment = datetime.fromisoformat(incident["time"])
        if moment.tzinfo is not None:  # hours in UTC, so that every country's reports line up
            moment = moment.astimezone(UTC)
        hour = moment.strftime("%Y-%m-%dT%H:00Z" if moment.tzinfo else "%Y-%m-%dT%H:00")
        for bucket in (total, per_agency[agency], per_hour[hour]):
            bucket["incidents"] += 1
            bucket["arrested"] += incident["arrested"]
            bucket["intercepted"] += incident["intercepted"]
    return {
        "total": total,
        "per_agency": dict(sorted(per_agency.items())),
        "per_hour": dict(sorted(per_hour.items())),
    }
