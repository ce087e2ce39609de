"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

from fractions import Fraction

import pytest


def test_example_level1_placement(solution):
    c = solution.Cluster(2)
    assert c.allocate("a", 4) == [(0, 0), (0, 1), (0, 2), (0, 3)]
    assert c.allocate("b", 2) == [(0, 4), (0, 5)]
    assert c.allocate("c", 4) == [(1, 0), (1, 1), (1, 2), (1, 3)]
    assert c.allocate("d", 16) is None
    assert c.free_gpus() == [2, 4]
    assert c.allocate("x", 5) is None
    with pytest.raises(ValueError):
        c.allocate("y", 12)
    assert c.release("a") == 4
    assert c.allocate("e", 3) == [(1, 4), (1, 5), (1, 6)]
    assert c.allocate("f", 6) == [(0, 0), (0, 1), (0, 2), (0, 3), (0, 6), (0, 7)]
    assert c.free_gpus() == [0, 1]
    assert c.placement("b") == [(0, 4), (0, 5)]
    assert c.placement("a") is None


def test_example_level2_planner(solution):
    llama = solution.Model(params=7_000_000_000, layers=32, micro_batches=64,
                           activation_bytes=8 * 10**9)
    assert solution.layouts(llama, 8) == [
        (1, 1, 8), (1, 2, 4), (1, 4, 2), (1, 8, 1), (2, 1, 4), (2, 2, 2), (2, 4, 1),
        (4, 1, 2), (4, 2, 1), (8, 1, 1)]
    assert solution.memory_per_gpu(llama, 1, 1, 32) == Fraction(120_000_000_000)
    assert solution.memory_per_gpu(llama, 1, 1, 32, 1) == Fraction(38_625_000_000)
    assert solution.memory_per_gpu(llama, 2, 2, 8) == Fraction(32_000_000_000)
    assert solution.memory_per_gpu(llama, 4, 8, 1, 3) == Fraction(5_500_000_000)
    with pytest.raises(ValueError):
        solution.memory_per_gpu(llama, 3, 1, 1)

    cost = solution.CostModel()
    assert tuple(solution.plan(llama, 32, 80 * 10**9, cost)) == (
        2, 1, 16, Fraction(60_000_000_000), Fraction(12800, 1337))
    assert cost.calls == 17
    assert tuple(solution.plan(llama, 32, 80 * 10**9, solution.CostModel(), zero_stage=1)) == (
        1, 1, 32, Fraction(38_625_000_000), Fraction(12800, 1337))
    big = solution.Model(params=30_000_000_000, layers=48, micro_batches=64,
                         activation_bytes=8 * 10**9)
    assert tuple(solution.plan(big, 32, 80 * 10**9, solution.CostModel())) == (
        4, 2, 4, Fraction(62_000_000_000), Fraction(1280, 621))
    assert solution.plan(big, 8, 40 * 10**9, solution.CostModel()) is None


def test_example_level3_failures_and_checkpoints(solution):
    c = solution.Cluster(3)
    assert c.allocate("big", 16) == [(n, g) for n in (0, 1) for g in range(8)]
    assert c.allocate("small", 4) == [(2, 0), (2, 1), (2, 2), (2, 3)]
    assert c.allocate("tiny", 2) == [(2, 4), (2, 5)]
    assert c.fail_node(1) == ["big"]
    assert c.free_gpus() == [8, 0, 2]
    assert c.allocate("big", 16) is None
    assert c.fail_node(2) == ["small", "tiny"]
    c.repair_node(1)
    assert c.allocate("big", 16) == [(n, g) for n in (0, 1) for g in range(8)]

    assert tuple(solution.run_with_failures(100, 30, 5, 10, [50, 120])) == (
        175, 40, 3, 2, Fraction(4, 7))
    assert tuple(solution.run_with_failures(60, 30, 5, 10, [])) == (65, 0, 1, 0, Fraction(12, 13))
    assert solution.young_daly_interval(60, 21600) == 1610
    assert tuple(solution.checkpoint_plan(60, 21600)) == (
        1610, Fraction(51841, 695520), Fraction(805))


def test_example_level4_fifo_against_easy(solution):
    fifo = solution.simulate(solution.sample_trace(), 4, "fifo")
    assert fifo.starts == {"a": 0, "b": 0, "c": 100, "d": 160, "e": 160, "f": 160,
                           "g": 190, "h": 200}
    assert (fifo.average_wait, fifo.makespan, fifo.utilisation) == (
        Fraction(100), 260, Fraction(37, 52))
    easy = solution.simulate(solution.sample_trace(), 4, "easy")
    assert easy.starts == {"a": 0, "b": 0, "c": 100, "d": 20, "e": 50, "f": 160,
                           "g": 160, "h": 160}
    assert (easy.average_wait, easy.makespan, easy.utilisation) == (
        Fraction(60), 240, Fraction(37, 48))
