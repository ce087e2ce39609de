"""Level 4 hidden tests: percentiles and the event simulation of the policies.

Expected figures come from a trusted model of the simulation in QUESTION.md
and from this file's own copy of the trace generator.
"""

import random
from collections import deque
from typing import NamedTuple

import pytest


class Request(NamedTuple):
    arrival: int
    duration: int
    key: str


def skewed_trace(n=4000, seed=2024):
    """The same generator as the starter's ``skewed_trace``."""
    rng = random.Random(seed)
    requests = []
    now = 0
    for _ in range(n):
        now += int(rng.expovariate(1 / 300))
        is_long = rng.random() < 0.1
        duration = rng.randint(5000, 20000) if is_long else rng.randint(100, 1000)
        key = f"user-{int(rng.paretovariate(1.1)) % 500}"
        requests.append(Request(now, duration, key))
    return requests


def nearest_rank(values, p):
    ordered = sorted(values)
    return ordered[(p * len(ordered) + 99) // 100 - 1]


def model_simulate(requests, n_servers, policy, seed=0):
    """(servers, latencies) in input order, exactly as QUESTION.md defines them."""
    rng = random.Random(seed)
    free = [0] * n_servers
    in_system = [deque() for _ in range(n_servers)]
    servers, latencies = [0] * len(requests), [0] * len(requests)
    order = sorted(range(len(requests)), key=lambda i: (requests[i].arrival, i))
    for k, i in enumerate(order):
        arrival, duration, _ = requests[i]
        for queue in in_system:
            while queue and queue[0] <= arrival:
                queue.popleft()
        if n_servers == 1:
            server = 0
        elif policy == "round_robin":
            server = k % n_servers
        elif policy == "random":
            server = rng.randrange(n_servers)
        else:
            first, second = rng.sample(range(n_servers), 2)
            server = second if len(in_system[second]) < len(in_system[first]) else first
        finish = max(arrival, free[server]) + duration
        free[server] = finish
        in_system[server].append(finish)
        servers[i], latencies[i] = server, finish - arrival
    return servers, latencies


def run(solution, requests, n_servers, policy, seed=0):
    result = solution.simulate(requests, n_servers, policy, seed)
    servers, latencies, p50, p99 = result
    return list(servers), list(latencies), p50, p99


def expect(requests, n_servers, policy, seed=0):
    servers, latencies = model_simulate(requests, n_servers, policy, seed)
    return servers, latencies, nearest_rank(latencies, 50), nearest_rank(latencies, 99)


SMALL = [Request(0, 10, "a"), Request(1, 2, "b"), Request(2, 2, "c"),
         Request(3, 2, "d"), Request(4, 2, "e")]
TRACE = skewed_trace()


# -- percentiles -------------------------------------------------------------------------------


def test_percentile_uses_the_nearest_rank(solution):
    values = [15, 20, 35, 40, 50]
    assert [solution.percentile(values, p) for p in (1, 20, 21, 30, 40, 50, 80, 81, 100)] == [
        15, 15, 20, 20, 20, 35, 40, 50, 50]


def test_percentile_sorts_unsorted_values(solution):
    assert solution.percentile([9, 1, 7, 3, 5], 50) == 5
    assert solution.percentile([9, 1, 7, 3, 5], 100) == 9


def test_percentile_of_a_single_value_edge(solution):
    assert solution.percentile([42], 1) == 42
    assert solution.percentile([42], 99) == 42


def test_percentile_rank_is_computed_exactly_edge(solution):
    values = list(range(1, 101))
    for p in (7, 14, 28, 29, 55, 56, 57, 99):
        assert solution.percentile(values, p) == p
    thousand = list(range(1000))
    assert solution.percentile(thousand, 7) == 69


def test_percentile_matches_the_model_on_random_lists(solution):
    rng = random.Random(5)
    for _ in range(200):
        values = [rng.randint(0, 50) for _ in range(rng.randint(1, 60))]
        p = rng.randint(1, 100)
        assert solution.percentile(values, p) == nearest_rank(values, p)


def test_percentile_does_not_modify_its_input_edge(solution):
    values = [5, 3, 9, 1]
    solution.percentile(values, 50)
    assert values == [5, 3, 9, 1]


def test_percentile_rejects_empty_values_and_bad_p_edge(solution):
    with pytest.raises(ValueError):
        solution.percentile([], 50)
    for p in (0, 101, -5):
        with pytest.raises(ValueError):
            solution.percentile([1, 2, 3], p)


# -- the simulation ----------------------------------------------------------------------------


def test_round_robin_simulation_of_the_example(solution):
    assert run(solution, SMALL, 2, "round_robin") == (
        [0, 1, 0, 1, 0], [10, 2, 10, 2, 10], 10, 10)


def test_power_of_two_simulation_of_the_example(solution):
    assert run(solution, SMALL, 2, "power_of_two", seed=1) == (
        [0, 1, 1, 1, 0], [10, 2, 3, 4, 8], 4, 10)


def test_a_busy_server_queues_requests_first_come_first_served(solution):
    requests = [Request(0, 5, "a"), Request(1, 5, "b"), Request(2, 5, "c"), Request(20, 1, "d")]
    assert run(solution, requests, 1, "round_robin") == ([0, 0, 0, 0], [5, 9, 13, 1], 5, 13)


def test_an_idle_server_starts_at_the_arrival_edge(solution):
    requests = [Request(0, 3, "a"), Request(3, 3, "b"), Request(100, 3, "c")]
    assert run(solution, requests, 1, "random") == ([0, 0, 0], [3, 3, 3], 3, 3)


def test_requests_are_processed_by_arrival_not_list_order_edge(solution):
    requests = [Request(30, 5, "late"), Request(0, 20, "early"), Request(10, 5, "mid")]
    servers, latencies, p50, p99 = run(solution, requests, 2, "round_robin")
    assert servers == [0, 0, 1]
    assert latencies == [5, 20, 5]
    assert (p50, p99) == (5, 20)


def test_equal_arrivals_keep_their_list_order_edge(solution):
    requests = [Request(5, 4, "x"), Request(5, 2, "y"), Request(5, 1, "z"), Request(0, 1, "w")]
    assert run(solution, requests, 3, "round_robin") == ([1, 2, 0, 0], [4, 2, 1, 1], 1, 4)


def test_power_of_two_counts_queued_requests_and_drops_finished_ones_edge(solution):
    requests = [Request(0, 4, "a"), Request(0, 4, "b"), Request(1, 4, "c"),
                Request(4, 1, "d"), Request(4, 1, "e"), Request(9, 1, "f")]
    assert run(solution, requests, 2, "power_of_two", seed=3) == expect(
        requests, 2, "power_of_two", 3)
    for seed in range(12):
        assert run(solution, requests, 3, "power_of_two", seed) == expect(
            requests, 3, "power_of_two", seed), f"seed {seed}"


def test_power_of_two_breaks_ties_towards_the_first_draw_edge(solution):
    requests = [Request(t * 100, 1, "k") for t in range(40)]
    for seed in (0, 1, 2):
        servers, latencies, _, _ = run(solution, requests, 5, "power_of_two", seed)
        rng = random.Random(seed)
        assert servers == [rng.sample(range(5), 2)[0] for _ in requests]
        assert latencies == [1] * 40


def test_one_server_takes_everything_and_draws_nothing_edge(solution):
    requests = [Request(0, 2, "a"), Request(1, 2, "b"), Request(1, 2, "c")]
    for policy in ("round_robin", "random", "power_of_two"):
        assert run(solution, requests, 1, policy) == ([0, 0, 0], [2, 3, 5], 3, 5)


def test_no_requests_give_empty_lists_and_no_percentiles_edge(solution):
    for policy in ("round_robin", "random", "power_of_two"):
        assert run(solution, [], 4, policy) == ([], [], None, None)


def test_unknown_policy_and_bad_server_count_raise_edge(solution):
    with pytest.raises(ValueError):
        solution.simulate(SMALL, 2, "least_loaded")
    with pytest.raises(ValueError):
        solution.simulate(SMALL, 1, "fastest")
    with pytest.raises(ValueError):
        solution.simulate(SMALL, 0, "round_robin")


def test_round_robin_matches_the_model_on_a_trace(solution):
    trace = skewed_trace(1500, seed=11)
    assert run(solution, trace, 6, "round_robin") == expect(trace, 6, "round_robin")


def test_random_matches_the_model_on_a_trace(solution):
    trace = skewed_trace(1500, seed=12)
    for seed in (0, 9):
        assert run(solution, trace, 6, "random", seed) == expect(trace, 6, "random", seed)


def test_power_of_two_matches_the_model_on_traces(solution):
    for trace_seed, n_servers, seed in ((13, 6, 0), (14, 4, 3), (15, 16, 8)):
        trace = skewed_trace(1500, seed=trace_seed)
        assert run(solution, trace, n_servers, "power_of_two", seed) == expect(
            trace, n_servers, "power_of_two", seed), (trace_seed, n_servers, seed)


def test_the_same_seed_gives_the_same_result(solution):
    trace = skewed_trace(800, seed=21)
    assert run(solution, trace, 5, "power_of_two", 4) == run(solution, trace, 5, "power_of_two", 4)
    assert run(solution, trace, 5, "random", 4) != run(solution, trace, 5, "random", 5)


def test_power_of_two_beats_round_robin_p99_on_the_skewed_trace(solution, measure):
    round_robin = run(solution, TRACE, 8, "round_robin")
    power_of_two = run(solution, TRACE, 8, "power_of_two", 0)
    assert round_robin == expect(TRACE, 8, "round_robin")
    assert power_of_two == expect(TRACE, 8, "power_of_two", 0)
    assert power_of_two[3] <= 0.7 * round_robin[3]
    measure("p99_latency", power_of_two[3])
