"""A simulated action day in the shape of Sirocco-2: who reports what, where and when.

Ten countries report for 36 hours; the operational centre sits in Vienna; Slovakia is reached
during a pursuit. Before the day starts, reference lists are loaded (known smugglers, vehicles
of interest). During the day, reception centres register migrants as they move up the route,
and units report the smuggling incidents they detect: the smugglers arrested, the smuggled
persons intercepted and the vehicles, each written as that country writes them. Smugglers and
vehicles recur across countries; registered migrants turn up again in later incidents.

The pursuit: HU reports a smuggler's vehicle with six Syrian migrants that escapes, HU issues a
lookout for its plate to SK and AT, SK's camera reads the plate on the way, and AT stops it.

Deterministic per seed; the day's totals are parameters (by default the seed's: 29 incidents,
39 smugglers arrested, 580 smuggled persons intercepted), so the simulator also feeds the
end-to-end tests and the load benchmarks at any size (``scale``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sirocco.synth.cases import (
    PersonIdentity,
    VehicleIdentity,
    new_person,
    new_vehicle,
    person_record,
    vehicle_record,
)

AGENCIES = ("AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH")
PURSUIT_TRANSIT = "SK"  # not among the reporting countries until the pursuit crosses it
PARTICIPANTS = (*AGENCIES, PURSUIT_TRANSIT)
START = datetime(2026, 6, 27, 6, 0, tzinfo=UTC)
HOURS = 36
INCIDENTS, ARRESTED, INTERCEPTED = 29, 39, 580

# Where things happen: (place, latitude, longitude), border crossings and hubs of the route.
PLACES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "MK": (("Gevgelija", 41.14, 22.50), ("Tabanovce", 42.21, 21.71), ("Skopje", 42.00, 21.43)),
    "BG": (("Kapitan Andreevo", 41.72, 26.32), ("Sofia", 42.70, 23.32), ("Kalotina", 42.99, 22.86)),
    "RS": (("Preševo", 42.31, 21.65), ("Belgrade", 44.82, 20.46), ("Subotica", 46.10, 19.67),
           ("Horgoš", 46.15, 19.97)),
    "RO": (("Nădlac", 46.17, 20.75), ("Timișoara", 45.75, 21.23), ("Moravița", 45.26, 21.27)),
    "HR": (("Bajakovo", 45.05, 19.10), ("Zagreb", 45.81, 15.98), ("Bregana", 45.84, 15.69)),
    "HU": (("Röszke", 46.19, 20.04), ("Budapest", 47.50, 19.04), ("Hegyeshalom", 47.91, 17.16),
           ("Győr", 47.69, 17.63)),
    "SI": (("Obrežje", 45.85, 15.69), ("Ljubljana", 46.06, 14.51), ("Šentilj", 46.68, 15.65)),
    "AT": (("Nickelsdorf", 47.94, 17.07), ("Vienna", 48.21, 16.37), ("Kittsee", 48.09, 17.07),
           ("Spielfeld", 46.71, 15.64)),
    "DE": (("Passau", 48.57, 13.43), ("Rosenheim", 47.86, 12.12), ("Munich", 48.14, 11.58)),
    "CH": (("Chiasso", 45.83, 9.03), ("Buchs SG", 47.17, 9.48), ("Basel", 47.56, 7.59)),
    "SK": (("Bratislava-Petržalka", 48.11, 17.11), ("Rusovce", 48.05, 17.15)),
}  # fmt: skip
# Reception centres register migrants further down the route; incidents happen everywhere.
REGISTERING = ("MK", "RS", "BG", "HR", "SI", "HU")
ROUTE_ORDER = ("MK", "BG", "RS", "RO", "HR", "HU", "SI", "AT", "DE", "CH")


@dataclass(slots=True)
class Step:
    """One thing an agency does during the day, at a simulated time."""

    at: datetime
    agency: str
    kind: str  # "report" or "lookout"
    body: dict[str, Any]


@dataclass(slots=True)
class ActionDay:
    seed: int
    start: datetime
    hours: int
    participants: tuple[str, ...]
    reference: list[Step] = field(default_factory=list)  # loaded before the day starts
    steps: list[Step] = field(default_factory=list)  # in time order
    # who is who (entity id -> identity id), for scoring the day's cross-matches
    truth: dict[tuple[str, str], str] = field(default_factory=dict)

    def expected_figures(self) -> dict[str, int]:
        total = {"incidents": 0, "arrested": 0, "intercepted": 0}
        for step in self.steps:
            incident = step.body.get("incident")
            if incident:
                total["incidents"] += 1
                total["arrested"] += incident["arrested"]
                total["intercepted"] += incident["intercepted"]
        return total

    def reports(self) -> list[Step]:
        return [s for s in (*self.reference, *self.steps) if s.kind == "report"]


def _split(total: int, parts: int, rng: random.Random, low: int = 0) -> list[int]:
    """``total`` spread over ``parts`` whole numbers of at least ``low``, unevenly."""
    if parts <= 0:
        return []
    weights = [rng.paretovariate(1.5) for _ in range(parts)]
    spare = total - low * parts
    shares = [low + int(spare * w / sum(weights)) for w in weights]
    for i in rng.sample(range(parts), total - sum(shares)):  # what rounding left over
        shares[i] += 1
    return shares


class _Cast:
    """The day's people and vehicles, drawn once and reused as they recur."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[PersonIdentity] = []
        self.vehicles: list[VehicleIdentity] = []
        self.plates: set[str] = set()
        self.ids: set[str] = set()

    def person(self, role: str, nationality: str | None = None) -> PersonIdentity:
        while True:
            identity = new_person(len(self.people), self.rng, self.people[-200:])
            if identity.role == role and nationality in (None, identity.nationality):
                self.people.append(identity)
                return identity

    def vehicle(self) -> VehicleIdentity:
        identity = new_vehicle(len(self.vehicles), self.rng, self.vehicles[-50:], self.plates)
        self.vehicles.append(identity)
        return identity

    def record_id(self, agency: str, what: str) -> str:
        while True:
            candidate = f"{agency.lower()}-{what}-{self.rng.getrandbits(32):08x}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate


def simulate(
    seed: int = 2,
    scale: float = 1.0,
    incidents: int = INCIDENTS,
    arrested: int = ARRESTED,
    intercepted: int = INTERCEPTED,
) -> ActionDay:
    """The action day of ``seed``; ``scale`` multiplies incidents, arrests and interceptions."""
    rng = random.Random(seed)
    incidents, arrested, intercepted = (
        max(2, round(incidents * scale)),
        max(1, round(arrested * scale)),
        max(6, round(intercepted * scale)),
    )
    day = ActionDay(seed, START, HOURS, PARTICIPANTS)
    cast = _Cast(rng)

    def person_entity(identity: PersonIdentity, agency: str, category: str) -> dict[str, Any]:
        entity = person_record(identity, agency, rng)
        entity["id"] = cast.record_id(agency, "p")
        entity["category"] = category
        del entity["datasets"]  # the server sets it to the reporting agency
        day.truth[(agency, entity["id"])] = identity.id
        return entity

    def vehicle_entity(identity: VehicleIdentity, agency: str) -> dict[str, Any]:
        entity = vehicle_record(identity, agency, rng)
        entity["id"] = cast.record_id(agency, "v")
        del entity["datasets"]
        day.truth[(agency, entity["id"])] = identity.id
        return entity

    # The pursuit is one of the day's incidents in HU (escaped) and AT (stopped).
    ordinary = incidents - 2
    pursuit_migrants, pursuit_smugglers = 6, 1
    smugglers = [cast.person("suspect") for _ in range(arrested - pursuit_smugglers)]
    vehicles = [cast.vehicle() for _ in range(max(3, ordinary))]

    # Reference lists, loaded before the day: some of the day's smugglers are known already
    # (with others who will not appear), and some of its vehicles are of interest.
    known = rng.sample(smugglers, len(smugglers) // 3) + [
        cast.person("suspect") for _ in range(max(5, len(smugglers) // 2))
    ]
    for agency, chunk in (("AT", known[::2]), ("DE", known[1::2])):
        day.reference.append(Step(START - timedelta(hours=12), agency, "report", {
            "id": f"{agency}-reference-known-smugglers",
            "reference": "known smugglers",
            "handling_code": "H1", "evaluation": {"source": "B", "information": "2"},
            "entities": [person_entity(p, agency, "suspect") for p in chunk]}))  # fmt: skip
    interest = rng.sample(vehicles, max(1, len(vehicles) // 4))
    day.reference.append(Step(START - timedelta(hours=12), "HU", "report", {
        "id": "HU-reference-vehicles-of-interest", "reference": "vehicles of interest",
        "evaluation": {"source": "B", "information": "2"},
        "entities": [vehicle_entity(v, "HU") for v in interest]}))  # fmt: skip

    # Ordinary incidents: when, where, who.
    times = sorted(
        START + timedelta(minutes=rng.randrange(30, HOURS * 60 - 60)) for _ in range(ordinary)
    )
    countries = [rng.choices(ROUTE_ORDER, (6, 5, 9, 5, 7, 10, 5, 9, 6, 3))[0] for _ in times]
    arrests = _split(len(smugglers), ordinary, rng)
    migrants = _split(intercepted - pursuit_migrants, ordinary, rng, low=2)
    sightings: list[tuple[str, PersonIdentity]] = []  # (country, smuggler) seen earlier
    for number, (at, country) in enumerate(zip(times, countries, strict=True)):
        place = rng.choice(PLACES[country])
        crew = [smugglers.pop() for _ in range(arrests[number])]
        group = [cast.person("smuggled") for _ in range(migrants[number])]
        vehicle = rng.choice(vehicles)
        # Migrants of the group were registered earlier, further down the route.
        earlier = [c for c in REGISTERING if ROUTE_ORDER.index(c) < ROUTE_ORDER.index(country)]
        registered = [m for m in group if earlier and rng.random() < 0.35]
        for chunk_start in range(0, len(registered), 25):
            chunk = registered[chunk_start : chunk_start + 25]
            where = rng.choice(earlier)
            day.steps.append(Step(at - timedelta(minutes=rng.randint(120, 1200)), where, "report", {
                "id": cast.record_id(where, "registration"),
                "registration": rng.choice(PLACES[where])[0],
                "entities": [person_entity(m, where, "smuggled_person") for m in chunk]}))  # fmt: skip
        # A smuggler arrested here may have been seen (not arrested) in another country before.
        for smuggler in crew:
            if rng.random() < 0.3:
                sightings.append((rng.choice([c for c in AGENCIES if c != country]), smuggler))
        entities = [person_entity(s, country, "suspect") for s in crew]
        entities += [person_entity(m, country, "smuggled_person") for m in group]
        entities.append(vehicle_entity(vehicle, country))
        distribution = rng.choices(("all", "oc", "agencies"), (8, 1, 1))[0]
        release: dict[str, Any] = {"distribution": distribution}
        if distribution == "agencies":
            release["agencies"] = rng.sample([a for a in AGENCIES if a != country], 2)
        day.steps.append(Step(at, country, "report", {
            "id": f"{country}-incident-{number + 1}",
            **release,
            "handling_code": rng.choice(("H0", "H0", "H1", "H2")),
            "evaluation": {"source": rng.choice("ABB"), "information": rng.choice("1222")},
            "incident": {"time": at.isoformat(), "place": place[0], "country": country,
                         "latitude": place[1], "longitude": place[2], "kind": "smuggling",
                         "arrested": len(crew), "intercepted": len(group)},
            "entities": entities}))  # fmt: skip
    for country, smuggler in sightings:
        at = START + timedelta(minutes=rng.randrange(0, HOURS * 60))
        day.steps.append(Step(at, country, "report", {
            "id": cast.record_id(country, "check"), "check": "identity check, released",
            "entities": [person_entity(smuggler, country, "contact")]}))  # fmt: skip

    _pursuit(day, cast, rng, person_entity, vehicle_entity)
    day.steps.sort(key=lambda step: (step.at, step.agency, step.body.get("id", "")))
    return day


def _pursuit(day: ActionDay, cast: _Cast, rng: random.Random, person_entity: Any,
             vehicle_entity: Any) -> None:  # fmt: skip
    """HU: a van with six Syrians flees at Hegyeshalom; a lookout to SK and AT; SK's camera
    reads it at Bratislava-Petržalka; AT stops it at Kittsee."""
    driver = cast.person("suspect")
    van = cast.vehicle()
    syrians = [cast.person("smuggled", "SY") for _ in range(6)]
    fled = START + timedelta(minutes=rng.randint(14 * 60, 22 * 60))
    hu_place, sk_place, at_place = PLACES["HU"][2], PLACES["SK"][0], PLACES["AT"][2]
    day.steps.append(Step(fled, "HU", "report", {
        "id": "HU-incident-pursuit", "handling_code": "H0",
        "evaluation": {"source": "A", "information": "1"},
        "incident": {"time": fled.isoformat(), "place": hu_place[0], "country": "HU",
                     "latitude": hu_place[1], "longitude": hu_place[2], "kind": "pursuit",
                     "arrested": 0, "intercepted": 0,
                     "note": "van with six Syrian migrants failed to stop, fled north-west"},
        "entities": [vehicle_entity(van, "HU")]}))  # fmt: skip
    day.steps.append(Step(fled + timedelta(minutes=4), "HU", "lookout", {
        "kind": "plate", "value": van.plate, "countries": ["SK", "AT"], "hours": 6,
        "note": f"fled {hu_place[0]} with six Syrian migrants; driver dangerous"}))  # fmt: skip
    seen = fled + timedelta(minutes=rng.randint(25, 40))
    day.steps.append(Step(seen, "SK", "report", {
        "id": "SK-camera-1", "check": "number-plate camera",
        "sighting": {"time": seen.isoformat(), "place": sk_place[0],
                     "latitude": sk_place[1], "longitude": sk_place[2]},
        "entities": [vehicle_entity(van, "SK")]}))  # fmt: skip
    stopped = seen + timedelta(minutes=rng.randint(15, 30))
    day.steps.append(Step(stopped, "AT", "report", {
        "id": "AT-incident-pursuit", "handling_code": "H0",
        "evaluation": {"source": "A", "information": "1"},
        "incident": {"time": stopped.isoformat(), "place": at_place[0], "country": "AT",
                     "latitude": at_place[1], "longitude": at_place[2], "kind": "pursuit",
                     "arrested": 1, "intercepted": 6,
                     "note": "stopped after a hot pursuit from Hungary through Slovakia"},
        "entities": [vehicle_entity(van, "AT"), person_entity(driver, "AT", "suspect"),
                     *(person_entity(s, "AT", "smuggled_person") for s in syrians)]}))  # fmt: skip
