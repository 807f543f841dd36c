import random

from sirocco.entities import Entity
from sirocco.match.estimate import by_content
from sirocco.match.profile import Profile, build_profile


def _person(entity_id: str, name: str) -> Profile:
    entity = Entity(entity_id, "Person", {"name": (name,)}, ("HU",))
    profile, _ = build_profile(entity)
    assert profile is not None
    return profile


def test_profiles_are_ordered_by_content_then_by_id_whatever_order_they_came_in() -> None:
    # The same content under several ids shares a fingerprint: those are ordered by id.
    names = ["Ahmad Karimi", "Omar Haidari", "Ali Rahimi", "Ahmad Karimi", "Omar Haidari"]
    profiles = [_person(f"p{n:03d}", names[n % len(names)]) for n in range(60)]
    expected = sorted(profiles, key=lambda p: (p.fingerprint, p.id))
    assert len({p.fingerprint for p in profiles}) == 3
    for seed in range(5):
        shuffled = list(profiles)
        random.Random(seed).shuffle(shuffled)
        by_content(shuffled)
        assert [p.id for p in shuffled] == [p.id for p in expected]
