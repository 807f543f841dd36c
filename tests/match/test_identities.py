from sirocco.match.identities import groups, implied_pairs


def test_groups() -> None:
    assert sorted(groups([("a", "b"), ("c", "b"), ("x", "y")])) == [["a", "b", "c"], ["x", "y"]]


def test_a_chain_of_confident_links_implies_the_missing_pair() -> None:
    (pair,) = implied_pairs([("a", "b", 0.95), ("b", "c", 0.9)], threshold=0.5)
    assert (pair.left, pair.right, pair.via) == ("a", "c", ("b",))
    assert abs(pair.score - 0.855) < 1e-9


def test_weak_chains_and_direct_links_imply_nothing() -> None:
    assert implied_pairs([("a", "b", 0.7), ("b", "c", 0.7)], threshold=0.5) == []
    assert implied_pairs([("a", "b", 0.9), ("b", "c", 0.9), ("a", "c", 0.6)], threshold=0.5) == []


def test_large_groups_are_left_alone() -> None:
    chain = [(f"r{i}", f"r{i + 1}", 0.99) for i in range(10)]
    assert implied_pairs(chain, threshold=0.5, max_group=8) == []
