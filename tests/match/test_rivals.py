import random

import pytest

from sirocco.match.rivals import contested_links


def odds(score: float) -> float:
    return score / (1 - score)


def test_a_record_matching_two_different_records_is_at_most_one_of_them() -> None:
    # "x" (no birth date) matches "a" (born 1974) and "b" (born 1951): a and b differ.
    links = [("a", "x", 0.95), ("b", "x", 0.95)]
    contested = contested_links(links, lambda a, b: {a, b} == {"a", "b"})
    expected = odds(0.95) / (1 + 2 * odds(0.95))
    assert contested["a", "x"].score == pytest.approx(expected)
    assert contested["b", "x"].score == pytest.approx(expected)
    assert expected < 0.5
    assert contested["a", "x"].rivals == ("b",)
    assert contested["b", "x"].rivals == ("a",)


def test_a_link_far_stronger_than_its_rival_holds() -> None:
    links = [("a", "x", 0.999999), ("b", "x", 0.9)]  # x and a share a passport number
    contested = contested_links(links, lambda a, b: True)
    assert contested["a", "x"].score > 0.99
    assert contested["b", "x"].score < 0.01


def test_records_of_one_thing_are_no_rivals() -> None:
    # Three records of one person, each linked to the others: nobody is asked anything.
    links = [("a", "b", 0.9), ("a", "c", 0.9), ("b", "c", 0.9)]

    def differ(a: str, b: str) -> bool:
        raise AssertionError(f"asked about {a} and {b}, which are linked")

    assert contested_links(links, differ) == {}
    # Linked through x only, but not known to differ: no rivals either.
    assert contested_links([("a", "x", 0.9), ("b", "x", 0.9)], lambda a, b: False) == {}


def test_rivals_at_either_end_count() -> None:
    # a-b is contested at b's end: b also matches c, which differs from a.
    links = [("a", "b", 0.9), ("b", "c", 0.99)]
    contested = contested_links(links, lambda a, b: {a, b} == {"a", "c"})
    assert contested["a", "b"].score == pytest.approx(odds(0.9) / (1 + odds(0.9) + odds(0.99)))
    assert contested["a", "b"].rivals == ("c",)
    assert contested["b", "c"].rivals == ("a",)


def test_the_result_does_not_depend_on_the_order_of_the_links() -> None:
    rng = random.Random(4)
    names = [f"r{i}" for i in range(12)]
    links = list(
        {tuple(sorted(rng.sample(names, 2))): rng.uniform(0.5, 0.999) for _ in range(30)}.items()
    )
    flat = [(a, b, score) for (a, b), score in links]
    different = {frozenset(rng.sample(names, 2)) for _ in range(25)}

    def differ(a: str, b: str) -> bool:
        return frozenset((a, b)) in different

    first = contested_links(flat, differ)
    assert first
    for _ in range(3):
        rng.shuffle(flat)
        turned = [(b, a, s) if rng.random() < 0.5 else (a, b, s) for a, b, s in flat]
        again = contested_links(turned, differ)
        normalised = {tuple(sorted(k)): v for k, v in again.items()}
        assert normalised == {tuple(sorted(k)): v for k, v in first.items()}
