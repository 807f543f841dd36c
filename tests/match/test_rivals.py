import random

import pytest

from sirocco.match.rivals import contested_links, one_by_one


def odds(score: float) -> float:
    return score / (1 - score)


def test_a_record_matching_two_different_records_is_at_most_one_of_them() -> None:
    # "x" (no birth date) matches "a" (born 1974) and "b" (born 1951): a and b differ.
    links = [("a", "x", 0.95), ("b", "x", 0.95)]
    contested = contested_links(links, one_by_one(lambda a, b: {a, b} == {"a", "b"}))
    expected = odds(0.95) / (1 + 2 * odds(0.95))
    assert contested["a", "x"].score == pytest.approx(expected)
    assert contested["b", "x"].score == pytest.approx(expected)
    assert expected < 0.5
    assert contested["a", "x"].rivals == ("b",)
    assert contested["b", "x"].rivals == ("a",)


def test_a_link_far_stronger_than_its_rival_holds() -> None:
    links = [("a", "x", 0.999999), ("b", "x", 0.9)]  # x and a share a passport number
    contested = contested_links(links, one_by_one(lambda a, b: True))
    assert contested["a", "x"].score > 0.99
    assert contested["b", "x"].score < 0.01


def test_records_of_one_thing_are_no_rivals() -> None:
    # Three records of one person, each linked to the others: nobody is asked anything.
    links = [("a", "b", 0.9), ("a", "c", 0.9), ("b", "c", 0.9)]

    def differ(a: str, b: str) -> bool:
        raise AssertionError(f"asked about {a} and {b}, which are linked")

    assert contested_links(links, one_by_one(differ)) == {}
    # Linked through x only, but not known to differ: no rivals either.
    assert contested_links([("a", "x", 0.9), ("b", "x", 0.9)], one_by_one(lambda a, b: False)) == {}


def test_rivals_at_either_end_count() -> None:
    # a-b is contested at b's end: b also matches c, which differs from a.
    links = [("a", "b", 0.9), ("b", "c", 0.99)]
    contested = contested_links(links, one_by_one(lambda a, b: {a, b} == {"a", "c"}))
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

    first = contested_links(flat, one_by_one(differ))
    assert first
    for _ in range(3):
        rng.shuffle(flat)
        turned = [(b, a, s) if rng.random() < 0.5 else (a, b, s) for a, b, s in flat]
        again = contested_links(turned, one_by_one(differ))
        normalised = {tuple(sorted(k)): v for k, v in again.items()}
        assert normalised == {tuple(sorted(k)): v for k, v in first.items()}


def test_whether_records_differ_is_asked_once_of_every_pair_at_once() -> None:
    # x links to a, b and c; c also links to d. Asked: the pairs x's links meet at x and those
    # c's links meet at c, not linked themselves, each once, the lesser id first, in order.
    links = [("x", "a", 0.9), ("b", "x", 0.9), ("x", "c", 0.9), ("d", "c", 0.9), ("a", "b", 0.9)]
    asked: list[list[tuple[str, str]]] = []

    def differ_all(pairs: list[tuple[str, str]]) -> list[bool]:
        asked.append(list(pairs))
        return [pair == ("a", "c") for pair in pairs]

    contested = contested_links(links, differ_all)
    assert asked == [[("a", "c"), ("b", "c"), ("d", "x")]]
    assert set(contested) == {("a", "x"), ("c", "x")}
    assert contested["a", "x"].rivals == ("c",)


def _rivals_by_definition(
    links: list[tuple[str, str, float]], differ: set[frozenset[str]]
) -> dict[tuple[str, str], tuple[float, tuple[str, ...]]]:
    """Each link's rivals at either end, read off the definition, link by link."""
    odds_of = {frozenset((a, b)): odds(score) for a, b, score in links}
    found: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
    for left, right in sorted(tuple(sorted(pair)) for pair in odds_of):
        pair_odds = odds_of[frozenset((left, right))]
        score, rivals = pair_odds / (1 + pair_odds), []
        for end, other in ((left, right), (right, left)):
            ends = sorted(
                r
                for pair in odds_of
                if end in pair
                for r in pair - {end}
                if r != other
                and frozenset((other, r)) not in odds_of
                and frozenset((other, r)) in differ
            )
            if ends:
                rival_odds = sum(odds_of[frozenset((end, r))] for r in ends)
                score = min(score, pair_odds / (1 + pair_odds + rival_odds))
                rivals += ends
        if rivals:
            found[(left, right)] = (score, tuple(sorted(set(rivals))))
    return found


def test_rivals_are_those_the_definition_gives() -> None:
    rng = random.Random(11)
    for _ in range(20):
        names = [f"r{i}" for i in range(rng.randint(3, 14))]
        links = [
            (a, b, rng.uniform(0.5, 0.999))
            for a, b in {tuple(sorted(rng.sample(names, 2))) for _ in range(rng.randint(2, 30))}
        ]
        differ = {frozenset(rng.sample(names, 2)) for _ in range(rng.randint(0, 30))}
        known = one_by_one(lambda a, b, differ=differ: frozenset((a, b)) in differ)
        contested = contested_links(links, known)
        expected = _rivals_by_definition(links, differ)
        assert {k: (c.score, c.rivals) for k, c in contested.items()} == expected
