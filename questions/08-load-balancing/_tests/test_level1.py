"""Level 1 hidden tests: round robin and least connections."""

import random
from typing import NamedTuple

import pytest


class Request(NamedTuple):
    arrival: int
    duration: int
    key: str


REQ = Request(0, 1, "k")


def routes(balancer, count, request=REQ):
    return [balancer.route(request) for _ in range(count)]


# -- round robin -------------------------------------------------------------------------------


def test_round_robin_cycles_in_server_order(solution):
    rr = solution.RoundRobin(["s1", "s2", "s3", "s4"])
    assert routes(rr, 10) == ["s1", "s2", "s3", "s4"] * 2 + ["s1", "s2"]


def test_round_robin_follows_the_given_order_not_sorted_names(solution):
    rr = solution.RoundRobin(["zeta", "alpha", "mid"])
    assert routes(rr, 4) == ["zeta", "alpha", "mid", "zeta"]


def test_round_robin_with_one_server_always_answers_it_edge(solution):
    rr = solution.RoundRobin(["only"])
    assert routes(rr, 5) == ["only"] * 5


def test_round_robin_ignores_the_request(solution):
    rr = solution.RoundRobin(["a", "b"])
    picks = [rr.route(Request(t, 100 - t, f"user-{t % 3}")) for t in range(6)]
    assert picks == ["a", "b"] * 3


def test_round_robin_finish_changes_nothing(solution):
    rr = solution.RoundRobin(["a", "b", "c"])
    assert rr.route(REQ) == "a"
    rr.finish("a")
    rr.finish("c")
    assert routes(rr, 3) == ["b", "c", "a"]


def test_round_robin_finish_of_unknown_server_raises_edge(solution):
    rr = solution.RoundRobin(["a", "b"])
    with pytest.raises(ValueError):
        rr.finish("z")


def test_round_robin_instances_are_independent(solution):
    first = solution.RoundRobin(["a", "b", "c"])
    second = solution.RoundRobin(["a", "b", "c"])
    assert routes(first, 2) == ["a", "b"]
    assert routes(second, 1) == ["a"]
    assert routes(first, 1) == ["c"]


def test_empty_server_list_raises_edge(solution):
    with pytest.raises(ValueError):
        solution.RoundRobin([])
    with pytest.raises(ValueError):
        solution.LeastConnections([])


# -- least connections -------------------------------------------------------------------------


def test_least_connections_spreads_over_idle_servers_in_order(solution):
    lc = solution.LeastConnections(["a", "b", "c"])
    assert routes(lc, 6) == ["a", "b", "c", "a", "b", "c"]


def test_least_connections_sends_to_the_server_a_finish_freed(solution):
    lc = solution.LeastConnections(["a", "b", "c"])
    routes(lc, 6)
    lc.finish("c")
    lc.finish("c")
    assert routes(lc, 3) == ["c", "c", "a"]


def test_least_connections_ties_go_to_the_first_listed_server_edge(solution):
    lc = solution.LeastConnections(["x", "y", "z"])
    routes(lc, 3)
    lc.finish("z")
    lc.finish("y")
    assert lc.route(REQ) == "y"
    assert lc.route(REQ) == "z"
    assert lc.route(REQ) == "x"


def test_least_connections_counts_every_active_request(solution):
    lc = solution.LeastConnections(["a", "b"])
    assert routes(lc, 4) == ["a", "b", "a", "b"]
    for _ in range(2):
        lc.finish("a")
    assert routes(lc, 3) == ["a", "a", "a"]


def test_least_connections_finish_without_active_request_raises_edge(solution):
    lc = solution.LeastConnections(["a", "b"])
    with pytest.raises(ValueError):
        lc.finish("a")
    assert routes(lc, 2) == ["a", "b"]


def test_least_connections_failed_finish_changes_nothing_edge(solution):
    lc = solution.LeastConnections(["a", "b"])
    assert lc.route(REQ) == "a"
    lc.finish("a")
    with pytest.raises(ValueError):
        lc.finish("a")
    assert routes(lc, 3) == ["a", "b", "a"]


def test_least_connections_finish_of_unknown_server_raises_edge(solution):
    lc = solution.LeastConnections(["a", "b"])
    lc.route(REQ)
    with pytest.raises(ValueError):
        lc.finish("c")


def test_least_connections_matches_a_model_on_a_random_workload(solution):
    names = [f"srv-{i}" for i in range(7)]
    lc = solution.LeastConnections(names)
    active = dict.fromkeys(names, 0)
    rng = random.Random(8)
    for step in range(3000):
        busy = [name for name in names if active[name]]
        if busy and rng.random() < 0.45:
            name = rng.choice(busy)
            lc.finish(name)
            active[name] -= 1
            continue
        expected = min(names, key=lambda name: active[name])
        assert lc.route(REQ) == expected, f"step {step}"
        active[expected] += 1
