"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def test_example_level1_cache_simulator(solution):
    cache = solution.Cache(256, 64, 2)
    assert cache.num_sets == 2
    assert cache.access(0) is False
    assert cache.access(60) is True
    assert cache.access(128) is False
    assert cache.access(64) is False
    assert cache.access(0) is True
    assert cache.access(256) is False
    assert cache.access(128) is False
    assert (cache.hits, cache.misses) == (2, 5)
    with pytest.raises(ValueError, match="size_bytes"):
        solution.Cache(1000, 64, 2)
    with pytest.raises(ValueError, match="line_bytes"):
        solution.Cache(256, 48, 2)
    assert solution.Cache(48 * 1024, 64, 12).num_sets == 64


def test_example_level2_walking_a_matrix(solution):
    assert list(solution.row_major_trace(2, 100)) == [100, 104, 108, 112]
    assert list(solution.column_major_trace(2, 100)) == [100, 108, 104, 112]
    cache = solution.Cache(1024, 64, 2)
    assert solution.count_misses(cache, solution.row_major_trace(4, 0)) == 1
    assert solution.count_misses(cache, solution.row_major_trace(4, 0)) == 0
    assert solution.traversal_misses(64, 0, 1024, 64, 2) == (256, 4096)
    assert solution.traversal_misses(128, 0, 32 * 1024, 64, 8) == (1024, 16384)


def pairs(trace):
    return sorted(zip(trace[0::2], trace[1::2], strict=True))


def test_example_level3_tiled_transpose(solution):
    trace = list(solution.transpose_trace(3, 0, 1000, 2))
    shown = [0, 1000, 4, 1012, 12, 1004, 16, 1016, 8, 1024, 20, 1028,
             24, 1008, 28, 1020, 32, 1032]
    assert len(trace) == len(shown)
    assert pairs(trace) == pairs(shown)
    cache = solution.Cache(2048, 32, 4)
    assert solution.count_misses(cache, solution.transpose_trace(96, 0x10000, 0x20000, 8)) <= 2880


def triples(trace):
    return sorted(zip(trace[0::3], trace[1::3], trace[2::3], strict=True))


def test_example_level4_tiled_matrix_multiply(solution):
    trace = list(solution.matmul_trace(2, 0, 100, 200, 1))
    shown = [0, 100, 200, 0, 104, 204, 4, 108, 200, 4, 112, 204,
             8, 100, 208, 8, 104, 212, 12, 108, 208, 12, 112, 212]
    assert len(trace) == len(shown)
    assert triples(trace) == triples(shown)
    cache = solution.Cache(2048, 32, 4)
    misses = solution.count_misses(
        cache, solution.matmul_trace(40, 0x10000, 0x20000, 0x30000, 8))
    assert misses <= 2642
