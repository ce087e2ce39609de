"""Level 2 hidden tests: the alpha-beta times, the best algorithm and the crossover size.

Expected values come from the formulas of QUESTION.md, evaluated here with
Fractions; every comparison is exact.
"""

import math
from fractions import Fraction

import pytest

MAX_CROSSOVER_BYTES = 2 ** 40
ORDER = ("ring", "recursive_doubling", "naive")


def link(solution, alpha_us, bytes_per_s):
    return solution.Link(alpha_us, bytes_per_s)


def model_time(algorithm, n_bytes, ranks, alpha_us, bytes_per_s):
    beta = Fraction(10 ** 6, bytes_per_s)
    if algorithm == "ring":
        return 2 * (ranks - 1) * alpha_us + Fraction(2 * (ranks - 1), ranks) * n_bytes * beta
    if algorithm == "recursive_doubling":
        return int(math.log2(ranks)) * (alpha_us + n_bytes * beta)
    return 2 * (ranks - 1) * (alpha_us + n_bytes * beta)


def exact(value):
    assert isinstance(value, (int, Fraction)) and not isinstance(value, bool), (
        f"{value!r} is a {type(value).__name__}: times must be exact Fractions (or ints)")
    return Fraction(value)


# -- the three formulas --------------------------------------------------------------------------


def test_ring_time_follows_the_formula(solution):
    fast = link(solution, 5, 25 * 10 ** 9)
    assert exact(solution.allreduce_time("ring", 1_000_000, 8, fast)) == 140
    assert exact(solution.allreduce_time("ring", 3_000_000, 16, fast)) == 375


def test_ring_time_is_an_exact_fraction_when_n_does_not_divide(solution):
    slow = link(solution, 5, 25 * 10 ** 9)
    assert exact(solution.allreduce_time("ring", 1000, 6, slow)) == Fraction(751, 15)
    odd = link(solution, 3, 7 * 10 ** 9)
    assert exact(solution.allreduce_time("ring", 12345, 5, odd)) == model_time(
        "ring", 12345, 5, 3, 7 * 10 ** 9)


def test_recursive_doubling_time_follows_the_formula(solution):
    fast = link(solution, 5, 25 * 10 ** 9)
    assert exact(solution.allreduce_time("recursive_doubling", 1_000_000, 8, fast)) == 135
    assert exact(solution.allreduce_time("recursive_doubling", 500, 64, fast)) == model_time(
        "recursive_doubling", 500, 64, 5, 25 * 10 ** 9)


def test_naive_time_follows_the_formula(solution):
    fast = link(solution, 5, 25 * 10 ** 9)
    assert exact(solution.allreduce_time("naive", 1_000_000, 8, fast)) == 630
    cheap = link(solution, 1, 3 * 10 ** 9)
    assert exact(solution.allreduce_time("naive", 777, 3, cheap)) == model_time(
        "naive", 777, 3, 1, 3 * 10 ** 9)


def test_times_match_the_model_across_shapes(solution):
    for alpha_us, bytes_per_s in [(0, 10 ** 9), (2, 300 * 10 ** 9), (25, 12_500_000_000)]:
        net = link(solution, alpha_us, bytes_per_s)
        for ranks in (2, 4, 32):
            for n_bytes in (0, 1, 4096, 10 ** 9):
                for algorithm in ORDER:
                    got = exact(solution.allreduce_time(algorithm, n_bytes, ranks, net))
                    assert got == model_time(algorithm, n_bytes, ranks, alpha_us, bytes_per_s), (
                        algorithm, n_bytes, ranks, alpha_us, bytes_per_s)


def test_single_rank_costs_nothing_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    for algorithm in ORDER:
        assert exact(solution.allreduce_time(algorithm, 10 ** 6, 1, net)) == 0


def test_empty_message_costs_only_the_latency_edge(solution):
    net = link(solution, 7, 10 ** 9)
    assert exact(solution.allreduce_time("ring", 0, 4, net)) == 42
    assert exact(solution.allreduce_time("recursive_doubling", 0, 4, net)) == 14
    assert exact(solution.allreduce_time("naive", 0, 4, net)) == 42


def test_recursive_doubling_needs_a_power_of_two_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    for ranks in (3, 6, 12):
        with pytest.raises(ValueError):
            solution.allreduce_time("recursive_doubling", 1000, ranks, net)
    assert exact(solution.allreduce_time("recursive_doubling", 1000, 2, net)) == model_time(
        "recursive_doubling", 1000, 2, 5, 25 * 10 ** 9)


def test_invalid_arguments_raise_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    with pytest.raises(ValueError):
        solution.allreduce_time("tree", 1000, 8, net)
    with pytest.raises(ValueError):
        solution.allreduce_time("ring", -1, 8, net)
    with pytest.raises(ValueError):
        solution.allreduce_time("ring", 1000, 0, net)
    with pytest.raises(ValueError):
        solution.allreduce_time("ring", 1000, 8, link(solution, -1, 10 ** 9))
    with pytest.raises(ValueError):
        solution.allreduce_time("ring", 1000, 8, link(solution, 5, 0))


# -- best algorithm ------------------------------------------------------------------------------


def test_best_algorithm_prefers_latency_for_small_and_bandwidth_for_large(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.best_algorithm(1_000_000, 8, net) == "recursive_doubling"
    assert solution.best_algorithm(4_000_000, 8, net) == "ring"
    assert solution.best_algorithm(1_100_001, 8, net) == "ring"


def test_best_algorithm_breaks_ties_by_the_listed_order_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.best_algorithm(1_100_000, 8, net) == "ring"        # 147 us each
    assert solution.best_algorithm(10 ** 6, 1, net) == "ring"          # all three take 0
    free_latency = link(solution, 0, 10 ** 9)
    assert solution.best_algorithm(500, 2, free_latency) == "ring"      # ring ties doubling


def test_best_algorithm_skips_recursive_doubling_for_other_rank_counts_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.best_algorithm(10, 6, net) == "ring"
    assert solution.best_algorithm(10, 2, net) == "recursive_doubling"


# -- crossover -----------------------------------------------------------------------------------


def test_crossover_where_ring_overtakes_recursive_doubling(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.crossover("recursive_doubling", "ring", 8, net) == 1_100_001


def test_crossover_is_strict_at_an_exact_tie_edge(solution):
    # N = 4: ring 6a + 1.5 n b, doubling 2a + 2 n b: equal at n = 8a/b = 400,000.
    net = link(solution, 50, 10 ** 9)
    assert solution.crossover("recursive_doubling", "ring", 4, net) == 400_001


def test_crossover_with_a_fractional_threshold(solution):
    # N = 16: ring 30a + 15/8 n b, doubling 4a + 4 n b: equal at n = 26a / (17/8 b),
    # 36705.88... bytes here, not a whole number.
    alpha_us, bytes_per_s = 3, 10 ** 9
    net = link(solution, alpha_us, bytes_per_s)
    got = solution.crossover("recursive_doubling", "ring", 16, net)
    assert got == 36706
    rd = lambda n: model_time("recursive_doubling", n, 16, alpha_us, bytes_per_s)   # noqa: E731
    ring = lambda n: model_time("ring", n, 16, alpha_us, bytes_per_s)               # noqa: E731
    assert ring(got) < rd(got) and ring(got - 1) >= rd(got - 1)


def test_crossover_is_zero_when_second_is_cheaper_from_the_start_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.crossover("ring", "recursive_doubling", 8, net) == 0
    assert solution.crossover("naive", "recursive_doubling", 32, net) == 0


def test_crossover_when_second_wins_from_one_byte(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.crossover("naive", "ring", 8, net) == 1


def test_crossover_is_none_when_second_never_wins_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    assert solution.crossover("ring", "naive", 8, net) is None
    assert solution.crossover("recursive_doubling", "ring", 2, net) is None
    assert solution.crossover("ring", "ring", 8, net) is None
    assert solution.crossover("naive", "ring", 1, net) is None


def test_crossover_beyond_the_search_limit_is_none_edge(solution):
    # N = 4 ties at n = 8a/b bytes: 8 * 10**12 with this link, past 2**40.
    far = link(solution, 1000, 10 ** 15)
    assert solution.crossover("recursive_doubling", "ring", 4, far) is None
    near = link(solution, 1000, 10 ** 14)
    assert solution.crossover("recursive_doubling", "ring", 4, near) == 800_000_000_001
    assert MAX_CROSSOVER_BYTES >= 800_000_000_001


def test_crossover_rejects_algorithms_that_do_not_apply_edge(solution):
    net = link(solution, 5, 25 * 10 ** 9)
    with pytest.raises(ValueError):
        solution.crossover("recursive_doubling", "ring", 6, net)
    with pytest.raises(ValueError):
        solution.crossover("ring", "butterfly", 8, net)
