"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def test_example_level1_coalescing(solution):
    assert solution.coalesce([4 * i for i in range(32)]) == (4, 1)
    assert solution.coalesce([8 * i for i in range(32)]) == (8, 2)
    assert solution.coalesce([16 * i for i in range(32)], 16) == (16, 4)
    assert solution.coalesce([128 * i for i in range(32)]) == (32, 32)
    assert solution.coalesce([4 + 4 * i for i in range(32)]) == (5, 2)
    assert solution.coalesce([0] * 32) == (1, 1)
    assert solution.coalesce([4 * i if i < 16 else None for i in range(32)]) == (2, 1)
    assert solution.coalesce([None] * 32) == (0, 0)
    assert solution.load_efficiency([4 + 4 * i for i in range(32)]) == pytest.approx(0.8)
    assert solution.load_efficiency([0] * 32) == pytest.approx(0.125)
    assert solution.load_efficiency([8 * i for i in range(32)], 8) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        solution.coalesce([4] + [None] * 31, 8)


def test_example_level2_banks_and_transpose(solution):
    assert solution.bank_conflict_degree([4 * i for i in range(32)]) == 1
    assert solution.bank_conflict_degree([8 * i for i in range(32)]) == 2
    assert solution.bank_conflict_degree([128 * i for i in range(32)]) == 32
    assert solution.bank_conflict_degree([0] * 32) == 1
    assert solution.bank_conflict_degree([0] * 16 + [128] * 16) == 2
    assert solution.column_padding(32) == 1
    assert solution.column_padding(33) == 0
    assert solution.column_padding(16, rows=16) == 1
    assert solution.column_padding(30, rows=16) == 0
    assert tuple(solution.transpose_traffic(64)) == (4608, 1024, 256)
    assert tuple(solution.transpose_traffic(64, pad=0)) == (4608, 1024, 4224)
    assert tuple(solution.transpose_traffic(33)) == (1282, 386, 132)


def issued_by_warps(trip_counts, order):
    """Instructions issued by all the warps when thread p takes task order[p]."""
    total = 0
    for first in range(0, len(order), 32):
        longest = max(trip_counts[task] for task in order[first:first + 32])
        total += (longest + 1) + 3 * longest      # checks, then a 3-instruction body per trip
    return total


def test_example_level3_divergence(solution):
    half = "T" * 16 + "F" * 16
    assert tuple(solution.run_warp([5])) == (5, 160, 0)
    partial = solution.run_warp([5], lanes=20)
    assert tuple(partial) == (5, 100, 0)
    assert partial.efficiency == pytest.approx(0.625)
    assert tuple(solution.run_warp([2, ("if", half, [10], [6]), 3])) == (22, 448, 1)
    assert tuple(solution.run_warp([("if", "T" * 32, [10], [6])])) == (11, 352, 0)
    assert tuple(solution.run_warp([("if", half, [3])], lanes=16)) == (4, 64, 0)
    nested = [("if", half, [("if", ("T" * 8 + "F" * 8) * 2, [4], [2])], [6]), 1]
    assert tuple(solution.run_warp(nested)) == (15, 224, 2)
    assert tuple(solution.run_warp([("loop", [1] * 31 + [8], [3])])) == (33, 188, 1)
    assert tuple(solution.run_warp([("loop", [0] * 32, [5])])) == (1, 32, 0)
    looped = [("loop", [3] * 16 + [1] * 16, [("if", "TF" * 16, [2])])]
    assert tuple(solution.run_warp(looped)) == (13, 224, 4)
    trip_counts = [1, 1, 1, 20] * 10
    assert issued_by_warps(trip_counts, list(range(40))) == 162
    order = solution.warp_order(trip_counts)
    assert sorted(order) == list(range(40))
    assert issued_by_warps(trip_counts, order) <= 162


def test_example_level4_occupancy(solution):
    full = solution.occupancy(256, 32, 0)
    assert tuple(full) == (8, 64, 1.0, ("warps", "registers"),
                           {"warps": 8, "registers": 8, "shared_memory": 228, "blocks": 32})
    assert tuple(solution.occupancy(256, 33, 0))[:4] == (6, 48, 0.75, ("registers",))
    assert tuple(solution.occupancy(128, 32, 48 * 1024))[:4] == (4, 16, 0.25, ("shared_memory",))
    assert solution.occupancy(256, 32, 116 * 1024).blocks_per_sm == 1
    assert tuple(solution.occupancy(64, 16, 0))[:4] == (32, 64, 1.0, ("warps", "blocks"))
    assert tuple(solution.occupancy(1024, 255, 0))[:4] == (0, 0, 0.0, ("registers",))
    assert solution.best_block_size(32, 0) == 1024
    assert solution.best_block_size(40, 0) == 544
