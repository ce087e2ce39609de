"""Level 3 hidden tests: the consistent-hash ring with virtual nodes.

Expected owners come from a trusted model that hashes exactly as QUESTION.md
says, never from the candidate's ``ring_hash``.
"""

import hashlib
from bisect import bisect_left
from collections import Counter

import pytest


def ring_hash(text):
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class ModelRing:
    def __init__(self, servers, vnodes):
        pairs = sorted((ring_hash(f"{s}#{i}"), s) for s in servers for i in range(vnodes))
        self.points = [position for position, _ in pairs]
        self.owners = [owner for _, owner in pairs]

    def lookup(self, key):
        index = bisect_left(self.points, ring_hash(key))
        return self.owners[index % len(self.points)]


SERVERS = [f"server-{i}" for i in range(10)]
KEYS = [f"key-{i}" for i in range(10_000)]


def owners(ring, keys=KEYS):
    return [ring.lookup(key) for key in keys]


# -- lookups -----------------------------------------------------------------------------------


def test_lookup_follows_the_example_ring(solution):
    ring = solution.HashRing(["a", "b", "c"], 2)
    assert owners(ring, ["cherry", "apple", "banana", "date", "fig"]) == ["b", "a", "c", "c", "a"]


def test_lookup_wraps_past_the_last_point_edge(solution):
    ring = solution.HashRing(["a", "b", "c"], 2)
    assert ring_hash("lemon") > ring_hash("c#1")
    assert ring.lookup("lemon") == "b"


def test_a_key_exactly_on_a_point_belongs_to_that_point_edge(solution):
    ring = solution.HashRing(["a", "b", "c"], 2)
    for server in "abc":
        for i in range(2):
            assert ring.lookup(f"{server}#{i}") == server


def test_a_key_below_the_first_point_goes_to_the_first_point_edge(solution):
    ring = solution.HashRing(["a", "b", "c"], 2)
    model = ModelRing(["a", "b", "c"], 2)
    low = next(f"k{i}" for i in range(10_000) if ring_hash(f"k{i}") < model.points[0])
    assert ring.lookup(low) == "b"


def test_a_single_point_owns_the_whole_ring_edge(solution):
    ring = solution.HashRing(["lonely"], 1)
    assert set(owners(ring, KEYS[:200])) == {"lonely"}


def test_lookup_matches_the_model_on_many_keys(solution):
    ring = solution.HashRing(SERVERS, 100)
    assert owners(ring) == owners(ModelRing(SERVERS, 100))


def test_lookup_matches_the_model_with_one_point_per_server(solution):
    ring = solution.HashRing(SERVERS, 1)
    assert owners(ring, KEYS[:2000]) == owners(ModelRing(SERVERS, 1), KEYS[:2000])


def test_the_order_of_the_server_list_does_not_matter(solution):
    forward = solution.HashRing(SERVERS, 20)
    backward = solution.HashRing(list(reversed(SERVERS)), 20)
    assert owners(forward, KEYS[:2000]) == owners(backward, KEYS[:2000])


def test_many_points_spread_the_keys_evenly(solution):
    counts = Counter(owners(solution.HashRing(SERVERS, 100)))
    assert len(counts) == 10
    assert max(counts.values()) <= 1.25 * len(KEYS) / 10


def test_lookup_on_a_large_ring_is_logarithmic(solution):
    servers = [f"node-{i:03d}" for i in range(100)]
    ring = solution.HashRing(servers, 200)
    keys = [f"session-{i}" for i in range(20_000)]
    got = owners(ring, keys)
    sample = range(0, len(keys), 10)
    model = ModelRing(servers, 200)
    assert [got[i] for i in sample] == [model.lookup(keys[i]) for i in sample]


# -- adding and removing servers ---------------------------------------------------------------


def test_adding_a_server_moves_about_one_nth_of_the_keys(solution, measure):
    ring = solution.HashRing(SERVERS, 100)
    before = owners(ring)
    ring.add("server-10")
    after = owners(ring)
    assert after[::5] == owners(ModelRing([*SERVERS, "server-10"], 100), KEYS[::5])
    moved = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert {new for _, new in moved} == {"server-10"}
    assert len(moved) <= 1.5 * len(KEYS) / 11
    measure("keys_moved", len(moved))


def test_removing_a_server_moves_only_its_keys(solution, measure):
    ring = solution.HashRing(SERVERS, 100)
    before = owners(ring)
    ring.remove("server-3")
    after = owners(ring)
    remaining = [s for s in SERVERS if s != "server-3"]
    assert after[::5] == owners(ModelRing(remaining, 100), KEYS[::5])
    moved = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert {old for old, _ in moved} == {"server-3"}
    assert len(moved) == before.count("server-3")
    assert len(moved) <= 1.5 * len(KEYS) / 10
    measure("keys_moved", len(moved))


def test_remove_then_add_restores_every_owner(solution):
    ring = solution.HashRing(SERVERS, 50)
    before = owners(ring, KEYS[:3000])
    ring.remove("server-7")
    ring.add("server-7")
    assert owners(ring, KEYS[:3000]) == before


def test_add_to_an_empty_ring(solution):
    ring = solution.HashRing([], 3)
    with pytest.raises(LookupError):
        ring.lookup("anything")
    ring.add("first")
    assert ring.lookup("anything") == "first"
    ring.add("second")
    model = ModelRing(["first", "second"], 3)
    assert owners(ring, KEYS[:500]) == owners(model, KEYS[:500])


def test_removing_the_last_server_empties_the_ring_edge(solution):
    ring = solution.HashRing(["a"], 4)
    ring.remove("a")
    with pytest.raises(LookupError):
        ring.lookup("key")


def test_adding_a_server_already_on_the_ring_raises_edge(solution):
    ring = solution.HashRing(["a", "b"], 5)
    with pytest.raises(ValueError):
        ring.add("a")
    assert owners(ring, KEYS[:300]) == owners(ModelRing(["a", "b"], 5), KEYS[:300])


def test_removing_an_unknown_server_raises_edge(solution):
    ring = solution.HashRing(["a", "b"], 5)
    with pytest.raises(ValueError):
        ring.remove("c")
    ring.remove("b")
    with pytest.raises(ValueError):
        ring.remove("b")


def test_duplicate_servers_in_the_constructor_raise_edge(solution):
    with pytest.raises(ValueError):
        solution.HashRing(["a", "b", "a"], 3)


def test_vnodes_below_one_raise_edge(solution):
    with pytest.raises(ValueError):
        solution.HashRing(["a"], 0)
