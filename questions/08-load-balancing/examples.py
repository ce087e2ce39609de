"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def test_example_level1_round_robin_and_least_connections(solution):
    rr = solution.RoundRobin(["a", "b", "c"])
    assert [rr.route(None) for _ in range(5)] == ["a", "b", "c", "a", "b"]

    lc = solution.LeastConnections(["a", "b", "c"])
    assert (lc.route(None), lc.route(None), lc.route(None)) == ("a", "b", "c")
    lc.finish("b")
    assert lc.route(None) == "b"
    assert lc.route(None) == "a"
    lc.finish("c")
    with pytest.raises(ValueError):
        lc.finish("c")


def test_example_level2_smooth_weighted_round_robin_and_health(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert [wrr.route(None) for _ in range(7)] == ["a", "a", "b", "a", "c", "a", "a"]

    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert (wrr.route(None), wrr.route(None)) == ("a", "a")
    wrr.mark_down("a")
    assert [wrr.route(None) for _ in range(3)] == ["b", "c", "b"]
    wrr.mark_up("a")
    assert [wrr.route(None) for _ in range(7)] == ["a", "c", "a", "a", "b", "a", "a"]


def test_example_level3_consistent_hash_ring(solution):
    ring = solution.HashRing(["a", "b", "c"], 2)
    assert solution.ring_hash("cherry") == 3291865711680462738
    assert ring.lookup("cherry") == "b"
    assert solution.ring_hash("apple") == 4214194844857941289
    assert ring.lookup("apple") == "a"
    assert ring.lookup("banana") == "c"
    assert ring.lookup("lemon") == "b"
    assert ring.lookup("b#1") == "b"
    ring.remove("a")
    assert ring.lookup("apple") == "c"
    assert ring.lookup("cherry") == "b"
    ring.add("d")
    assert ring.lookup("apple") == "d"
    assert ring.lookup("cherry") == "b"


def test_example_level4_simulation_and_percentiles(solution):
    Request = solution.Request
    reqs = [Request(0, 10, "a"), Request(1, 2, "b"), Request(2, 2, "c"),
            Request(3, 2, "d"), Request(4, 2, "e")]
    servers, latencies, p50, p99 = solution.simulate(reqs, 2, "round_robin")
    assert list(servers) == [0, 1, 0, 1, 0]
    assert list(latencies) == [10, 2, 10, 2, 10]
    assert (p50, p99) == (10, 10)
    servers, latencies, p50, p99 = solution.simulate(reqs, 2, "power_of_two", seed=1)
    assert list(servers) == [0, 1, 1, 1, 0]
    assert list(latencies) == [10, 2, 3, 4, 8]
    assert (p50, p99) == (4, 10)

    assert solution.percentile([15, 20, 35, 40, 50], 30) == 20
    assert solution.percentile([15, 20, 35, 40, 50], 100) == 50
    assert solution.percentile([15, 20, 35, 40, 50], 1) == 15

    trace = solution.skewed_trace()
    assert solution.simulate(trace, 8, "round_robin").p99 == 50917
    assert solution.simulate(trace, 8, "power_of_two").p99 == 29311
