"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

from fractions import Fraction

import pytest


def test_example_level1_paged_block_manager(solution):
    bm = solution.BlockManager(6, 4)
    bm.allocate("a")
    bm.append("a", list(range(10)))
    assert bm.block_table("a") == [0, 1, 2]
    assert bm.num_free_blocks() == 3
    bm.allocate("b")
    bm.append("b", [1, 2, 3, 4, 5])
    assert bm.block_table("b") == [3, 4]
    assert bm.num_free_blocks() == 1
    with pytest.raises(solution.OutOfBlocks):
        bm.append("b", [0] * 8)
    assert (bm.block_table("b"), bm.num_tokens("b")) == ([3, 4], 5)
    bm.free("a")
    assert bm.num_free_blocks() == 4
    bm.append("b", [0] * 8)
    assert (bm.block_table("b"), bm.num_tokens("b")) == ([3, 4, 0, 1], 13)


def test_example_level2_forks_and_copy_on_write(solution):
    bm = solution.BlockManager(8, 4)
    bm.allocate("p")
    bm.append("p", [1, 2, 3, 4, 5, 6])
    bm.fork("p", "c1")
    bm.fork("p", "c2")
    assert (bm.ref_count(0), bm.ref_count(1)) == (3, 3)
    bm.append("c1", [7])
    assert bm.block_table("c1") == [0, 2]
    assert (bm.ref_count(1), bm.ref_count(2)) == (2, 1)
    bm.append("c2", [8, 9])
    assert bm.block_table("c2") == [0, 3]
    bm.append("p", [7])
    assert bm.block_table("p") == [0, 1]
    bm.append("c1", [1, 1, 1])
    assert (bm.block_table("c1"), bm.num_tokens("c1")) == ([0, 2, 4], 10)
    bm.free("p")
    assert (bm.ref_count(0), bm.ref_count(1)) == (2, 0)
    assert bm.num_free_blocks() == 4


def test_example_level3_prefix_caching(solution):
    bm = solution.BlockManager(4, 4, prefix_caching=True)
    prompt = list(range(1, 11))
    bm.allocate("a")
    bm.append("a", prompt)
    assert bm.block_table("a") == [0, 1, 2]
    bm.allocate("b")
    bm.append("b", prompt)
    assert (bm.block_table("b"), bm.cache_hits()) == ([0, 1, 3], 2)
    assert (bm.ref_count(0), bm.num_free_blocks()) == (2, 0)
    bm.free("a")
    bm.free("b")
    assert (bm.evictable(), bm.num_free_blocks()) == ([1, 0], 4)
    bm.allocate("c")
    bm.append("c", [1, 2, 3, 4, 9, 9, 9, 9, 5])
    assert (bm.block_table("c"), bm.cache_hits()) == ([0, 2, 3], 3)
    assert bm.evictable() == [1]
    bm.allocate("d")
    bm.append("d", [7, 7, 7, 7])
    assert (bm.block_table("d"), bm.evictable()) == ([1], [])


def test_example_level4_budget_and_scheduler(solution):
    llama = solution.ModelConfig(layers=32, kv_heads=8, head_dim=128, dtype_bytes=2)
    assert solution.kv_bytes_per_token(llama) == 131072
    assert solution.num_kv_blocks(llama, 16, 80 * 2**30, 16_060_522_496) == 29205
    assert solution.kv_bytes_per_token(solution.ModelConfig(32, 32, 128, 2)) == 524288

    R = solution.Request
    trace = [R(0, 6, 4), R(0, 5, 6), R(1, 3, 2)]
    result = solution.simulate(trace, 5, 4)
    assert tuple(result) == ([3, 6, 4], 2, 7, Fraction(12, 7))
