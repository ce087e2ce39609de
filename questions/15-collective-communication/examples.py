"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

from fractions import Fraction

import pytest


def test_example_level1_ring_allreduce(solution):
    assert solution.chunk_bounds(5, 3) == [(0, 2), (2, 4), (4, 5)]
    assert solution.chunk_bounds(2, 4) == [(0, 1), (1, 2), (2, 2), (2, 2)]

    buffers = [[1, 2, 3, 4, 5], [10, 20, 30, 40, 50], [100, 200, 300, 400, 500]]
    rs = solution.reduce_scatter(buffers)
    assert rs.steps == [[(0, 2, 1), (1, 0, 2), (2, 1, 0)],
                        [(0, 1, 1), (1, 2, 2), (2, 0, 0)]]
    assert rs.buffers == [[111, 222, 303, 404, 5],
                          [10, 20, 333, 444, 55],
                          [110, 220, 300, 400, 555]]

    ag = solution.all_gather(rs.buffers)
    assert ag.steps == [[(0, 0, 1), (1, 1, 2), (2, 2, 0)],
                        [(0, 2, 1), (1, 0, 2), (2, 1, 0)]]
    assert ag.buffers == [[111, 222, 333, 444, 555]] * 3

    result = solution.ring_allreduce(buffers)
    assert result.buffers == ag.buffers
    assert result.steps == rs.steps + ag.steps
    assert tuple(solution.ring_allreduce([[7, 8]])) == ([[7, 8]], [])


def test_example_level2_alpha_beta_cost_model(solution):
    link = solution.Link(alpha_us=5, bytes_per_s=25 * 10**9)
    assert solution.allreduce_time("ring", 1_000_000, 8, link) == Fraction(140, 1)
    assert solution.allreduce_time("recursive_doubling", 1_000_000, 8, link) == Fraction(135, 1)
    assert solution.allreduce_time("naive", 1_000_000, 8, link) == Fraction(630, 1)
    assert solution.allreduce_time("ring", 1000, 6, link) == Fraction(751, 15)
    with pytest.raises(ValueError):
        solution.allreduce_time("recursive_doubling", 1000, 6, link)
    assert solution.best_algorithm(1_000_000, 8, link) == "recursive_doubling"
    assert solution.best_algorithm(4_000_000, 8, link) == "ring"
    assert solution.crossover("recursive_doubling", "ring", 8, link) == 1_100_001
    assert solution.crossover("ring", "recursive_doubling", 8, link) == 0
    assert solution.crossover("ring", "naive", 8, link) is None


def slots(text):
    """'F0 0-1 B0 10-12' -> [(0, 1, 'F', 0), (10, 12, 'B', 0)]"""
    parts = text.split()
    found = []
    for name, span in zip(parts[0::2], parts[1::2], strict=True):
        start, end = span.split("-")
        found.append((int(start), int(end), name[0], int(name[1:])))
    return found


def test_example_level3_pipeline_schedules(solution):
    assert solution.stage_order("1f1b", 3, 4, 0) == [
        ("F", 0), ("F", 1), ("F", 2), ("B", 0), ("F", 3), ("B", 1), ("B", 2), ("B", 3)]

    gpipe = solution.pipeline("gpipe", 3, 4)
    assert gpipe.timeline == [
        slots("F0 0-1  F1 1-2  F2 2-3  F3 3-4  B0 10-12  B1 12-14  B2 14-16  B3 16-18"),
        slots("F0 1-2  F1 2-3  F2 3-4  F3 4-5  B0 8-10   B1 10-12  B2 12-14  B3 14-16"),
        slots("F0 2-3  F1 3-4  F2 4-5  F3 5-6  B0 6-8    B1 8-10   B2 10-12  B3 12-14"),
    ]
    assert gpipe.timeline[0][4] == (10, 12, "B", 0)
    assert gpipe.makespan == 18
    assert gpipe.bubble == Fraction(1, 3)
    assert gpipe.peak_activations == [4, 4, 4]

    one = solution.pipeline("1f1b", 3, 4)
    assert one.timeline == [
        slots("F0 0-1  F1 1-2  F2 2-3  B0 7-9   F3 9-10  B1 10-12  B2 13-15  B3 16-18"),
        slots("F0 1-2  F1 2-3  B0 5-7  F2 7-8   B1 8-10  F3 10-11  B2 11-13  B3 14-16"),
        slots("F0 2-3  B0 3-5  F1 5-6  B1 6-8   F2 8-9   B2 9-11   F3 11-12  B3 12-14"),
    ]
    assert (one.makespan, one.bubble) == (18, Fraction(1, 3))
    assert one.peak_activations == [3, 2, 1]


def test_example_level4_hierarchical_allreduce(solution):
    buffers = [[1, 2, 3, 4, 5], [10, 20, 30, 40, 50],
               [100, 200, 300, 400, 500], [1000, 2000, 3000, 4000, 5000]]
    result = solution.hierarchical_allreduce(buffers, 2)
    assert result.buffers == [[1111, 2222, 3333, 4444, 5555]] * 4
    assert result.nvlink_bytes == [20, 20, 20, 20]
    assert result.network_bytes == [12, 8, 12, 8]

    nvlink = solution.Link(alpha_us=2, bytes_per_s=200 * 10**9)
    network = solution.Link(alpha_us=10, bytes_per_s=25 * 10**9)
    assert solution.hierarchical_time(8_000_000, 2, 4, nvlink, network) == Fraction(172, 1)
    assert solution.flat_ring_time(8_000_000, 2, 4, nvlink, network) == Fraction(700, 1)
