"""Level 2 hidden tests: smooth weighted round robin and health checks."""

import random
from collections import Counter
from typing import NamedTuple

import pytest


class Request(NamedTuple):
    arrival: int
    duration: int
    key: str


REQ = Request(0, 1, "k")


class ModelWRR:
    """A trusted model of the smooth weighted round robin of QUESTION.md."""

    def __init__(self, weights):
        self.weights = dict(weights)
        self.current = dict.fromkeys(weights, 0)
        self.down = set()

    def route(self):
        healthy = [name for name in self.weights if name not in self.down]
        if not healthy:
            raise LookupError
        for name in healthy:
            self.current[name] += self.weights[name]
        best = healthy[0]
        for name in healthy:
            if self.current[name] > self.current[best]:
                best = name
        self.current[best] -= sum(self.weights[name] for name in healthy)
        return best

    def mark_down(self, name):
        self.down.add(name)

    def mark_up(self, name):
        if name in self.down:
            self.down.discard(name)
            self.current[name] = 0


def routes(balancer, count):
    return [balancer.route(REQ) for _ in range(count)]


# -- the smooth rotation -----------------------------------------------------------------------


def test_weights_5_1_1_give_the_smooth_sequence(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert routes(wrr, 7) == ["a", "a", "b", "a", "c", "a", "a"]


def test_the_sequence_repeats_after_the_total_weight(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert routes(wrr, 21) == ["a", "a", "b", "a", "c", "a", "a"] * 3


def test_weights_are_followed_in_dict_order(solution):
    wrr = solution.WeightedRoundRobin({"c": 1, "b": 1, "a": 5})
    assert routes(wrr, 7) == ["a", "a", "c", "a", "b", "a", "a"]


def test_a_heavy_server_is_never_picked_many_times_in_a_row(solution):
    wrr = solution.WeightedRoundRobin({"big": 3, "small": 1, "tiny": 1, "other": 1})
    picks = routes(wrr, 60)
    longest = max(len(run) for run in "".join("B" if p == "big" else "." for p in picks).split("."))
    assert longest <= 2
    assert Counter(picks) == {"big": 30, "small": 10, "tiny": 10, "other": 10}


def test_equal_weights_behave_like_round_robin(solution):
    wrr = solution.WeightedRoundRobin({"a": 2, "b": 2, "c": 2})
    assert routes(wrr, 7) == ["a", "b", "c", "a", "b", "c", "a"]


def test_single_server_is_always_picked_edge(solution):
    wrr = solution.WeightedRoundRobin({"solo": 4})
    assert routes(wrr, 3) == ["solo"] * 3


def test_each_cycle_gives_every_server_its_weight(solution):
    weights = {"a": 4, "b": 3, "c": 2, "d": 1}
    wrr = solution.WeightedRoundRobin(weights)
    for _ in range(3):
        assert Counter(routes(wrr, 10)) == weights


def test_matches_the_model_on_random_weights(solution):
    rng = random.Random(42)
    for trial in range(20):
        weights = {f"s{i}": rng.randint(1, 9) for i in range(rng.randint(2, 8))}
        wrr = solution.WeightedRoundRobin(weights)
        model = ModelWRR(weights)
        assert routes(wrr, 50) == [model.route() for _ in range(50)], f"trial {trial}"


def test_weight_below_one_raises_edge(solution):
    with pytest.raises(ValueError):
        solution.WeightedRoundRobin({"a": 3, "b": 0})
    with pytest.raises(ValueError):
        solution.WeightedRoundRobin({"a": -1})


def test_empty_weights_raise_edge(solution):
    with pytest.raises(ValueError):
        solution.WeightedRoundRobin({})


def test_finish_checks_the_name_and_changes_nothing(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    first = routes(wrr, 3)
    wrr.finish("a")
    wrr.finish("c")
    assert first + routes(wrr, 4) == ["a", "a", "b", "a", "c", "a", "a"]
    with pytest.raises(ValueError):
        wrr.finish("nobody")


# -- health checks -----------------------------------------------------------------------------


def test_a_down_server_is_skipped(solution):
    wrr = solution.WeightedRoundRobin({"a": 2, "b": 1, "c": 1})
    wrr.mark_down("b")
    picks = routes(wrr, 30)
    assert "b" not in picks
    assert Counter(picks) == {"a": 20, "c": 10}


def test_a_down_server_leaves_the_total(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert routes(wrr, 2) == ["a", "a"]
    wrr.mark_down("a")
    assert routes(wrr, 6) == ["b", "c", "b", "c", "b", "c"]


def test_a_recovered_server_restarts_from_zero(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    routes(wrr, 2)
    wrr.mark_down("a")
    assert routes(wrr, 3) == ["b", "c", "b"]
    wrr.mark_up("a")
    assert routes(wrr, 7) == ["a", "c", "a", "a", "b", "a", "a"]


def test_a_server_down_from_the_start_joins_at_zero(solution):
    wrr = solution.WeightedRoundRobin({"a": 1, "b": 1, "c": 3})
    wrr.mark_down("c")
    assert routes(wrr, 3) == ["a", "b", "a"]
    wrr.mark_up("c")
    model = ModelWRR({"a": 1, "b": 1, "c": 3})
    model.mark_down("c")
    for _ in range(3):
        model.route()
    model.mark_up("c")
    assert routes(wrr, 10) == [model.route() for _ in range(10)]


def test_mark_up_of_a_healthy_server_changes_nothing_edge(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    first = routes(wrr, 2)
    wrr.mark_up("a")
    wrr.mark_up("b")
    assert first + routes(wrr, 5) == ["a", "a", "b", "a", "c", "a", "a"]


def test_mark_down_twice_is_the_same_as_once_edge(solution):
    wrr = solution.WeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    routes(wrr, 2)
    wrr.mark_down("a")
    wrr.mark_down("a")
    assert routes(wrr, 3) == ["b", "c", "b"]
    wrr.mark_up("a")
    assert routes(wrr, 7) == ["a", "c", "a", "a", "b", "a", "a"]


def test_all_servers_down_raises_lookup_error_edge(solution):
    wrr = solution.WeightedRoundRobin({"a": 2, "b": 1})
    wrr.mark_down("a")
    wrr.mark_down("b")
    with pytest.raises(LookupError):
        wrr.route(REQ)
    wrr.mark_up("b")
    assert routes(wrr, 2) == ["b", "b"]


def test_health_calls_on_unknown_servers_raise_edge(solution):
    wrr = solution.WeightedRoundRobin({"a": 2, "b": 1})
    with pytest.raises(ValueError):
        wrr.mark_down("c")
    with pytest.raises(ValueError):
        wrr.mark_up("c")
    assert routes(wrr, 3) == ["a", "b", "a"]


def test_matches_the_model_through_random_outages(solution):
    rng = random.Random(2024)
    weights = {f"node-{i}": rng.randint(1, 6) for i in range(6)}
    wrr = solution.WeightedRoundRobin(weights)
    model = ModelWRR(weights)
    names = list(weights)
    for step in range(1500):
        roll = rng.random()
        name = rng.choice(names)
        if roll < 0.06:
            wrr.mark_down(name)
            model.mark_down(name)
        elif roll < 0.14:
            wrr.mark_up(name)
            model.mark_up(name)
        elif len(model.down) == len(names):
            with pytest.raises(LookupError):
                wrr.route(REQ)
        else:
            assert wrr.route(REQ) == model.route(), f"step {step}"
