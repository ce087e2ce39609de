"""Level 4 hidden tests: the occupancy calculator and the best block size."""

import pytest

RESOURCES = ("warps", "registers", "shared_memory", "blocks")


def model(threads, registers, shared):
    """Blocks allowed by each resource, by the rules of QUESTION.md."""
    warps = -(-threads // 32)
    per_warp = 32 * 8 * -(-registers // 8)
    per_block = 128 * -(-shared // 128) + 1024
    return {
        "warps": 64 // warps,
        "registers": 65536 // per_warp // warps,
        "shared_memory": 233472 // per_block,
        "blocks": 32,
    }


def summary(result):
    return (result.blocks_per_sm, result.active_warps, result.occupancy, tuple(result.limiters))


# -- each resource on its own ------------------------------------------------------------------


def test_full_occupancy_with_light_blocks(solution):
    result = solution.occupancy(256, 32, 0)
    assert summary(result) == (8, 64, 1.0, ("warps", "registers"))
    assert dict(result.limits) == {"warps": 8, "registers": 8, "shared_memory": 228,
                                   "blocks": 32}


def test_registers_are_rounded_up_to_a_multiple_of_eight(solution):
    assert summary(solution.occupancy(256, 33, 0)) == (6, 48, 0.75, ("registers",))
    assert summary(solution.occupancy(256, 40, 0)) == (6, 48, 0.75, ("registers",))
    assert summary(solution.occupancy(256, 41, 0)) == (5, 40, 0.625, ("registers",))
    assert summary(solution.occupancy(128, 64, 0)) == (8, 32, 0.5, ("registers",))


def test_shared_memory_is_rounded_and_carries_the_reserved_kilobyte(solution):
    assert summary(solution.occupancy(128, 32, 48 * 1024)) == (4, 16, 0.25, ("shared_memory",))
    # 10 000 bytes round up to 10 112, plus 1024 reserved: 20 blocks, not 23.
    assert solution.occupancy(32, 16, 10_000).limits["shared_memory"] == 20
    assert solution.occupancy(32, 16, 1).limits["shared_memory"] == 202


def test_the_reserved_kilobyte_keeps_two_halves_apart_edge(solution):
    assert solution.occupancy(256, 32, 116 * 1024).blocks_per_sm == 1
    assert solution.occupancy(256, 32, 113 * 1024).blocks_per_sm == 2
    assert solution.occupancy(64, 16, 227 * 1024).blocks_per_sm == 1


def test_partial_warps_take_whole_warp_slots_edge(solution):
    result = solution.occupancy(48, 16, 0)
    assert result.limits["warps"] == 32
    assert summary(result) == (32, 64, 1.0, ("warps", "blocks"))
    assert summary(solution.occupancy(1000, 32, 0)) == (2, 64, 1.0, ("warps", "registers"))
    assert solution.occupancy(33, 16, 0).active_warps == 64


def test_small_blocks_hit_the_block_limit(solution):
    assert summary(solution.occupancy(32, 16, 0)) == (32, 32, 0.5, ("blocks",))
    assert summary(solution.occupancy(1, 1, 0)) == (32, 32, 0.5, ("blocks",))


def test_no_block_fits_edge(solution):
    assert summary(solution.occupancy(1024, 255, 0)) == (0, 0, 0.0, ("registers",))
    assert summary(solution.occupancy(1024, 65, 0)) == (0, 0, 0.0, ("registers",))
    assert solution.occupancy(1024, 64, 0).blocks_per_sm == 1


def test_every_tied_resource_is_a_limiter(solution):
    assert tuple(solution.occupancy(64, 32, 0).limiters) == ("warps", "registers", "blocks")
    assert tuple(solution.occupancy(1024, 32, 113 * 1024).limiters) == \
        ("warps", "registers", "shared_memory")


def test_limits_match_the_model_across_many_kernels(solution):
    for threads in (1, 32, 96, 128, 200, 256, 384, 512, 640, 1024):
        for registers in (1, 16, 24, 32, 37, 48, 64, 96, 128, 200, 255):
            for shared in (0, 1000, 4096, 20_000, 65_536, 100_000, 232_448):
                limits = model(threads, registers, shared)
                result = solution.occupancy(threads, registers, shared)
                blocks = min(limits.values())
                assert dict(result.limits) == limits, (threads, registers, shared)
                assert result.blocks_per_sm == blocks
                assert result.active_warps == blocks * -(-threads // 32)
                assert result.occupancy == pytest.approx(result.active_warps / 64)
                assert tuple(result.limiters) == tuple(
                    name for name in RESOURCES if limits[name] == blocks)


# -- invalid kernels ---------------------------------------------------------------------------


@pytest.mark.parametrize("args,name", [
    ((0, 32, 0), "threads_per_block"),
    ((1025, 32, 0), "threads_per_block"),
    ((256, 0, 0), "registers_per_thread"),
    ((256, 256, 0), "registers_per_thread"),
    ((256, 32, -1), "shared_bytes_per_block"),
    ((256, 32, 227 * 1024 + 1), "shared_bytes_per_block"),
])
def test_out_of_range_kernel_names_the_parameter_edge(solution, args, name):
    with pytest.raises(ValueError, match=name):
        solution.occupancy(*args)


def test_largest_legal_values_are_accepted_edge(solution):
    assert solution.occupancy(1024, 255, 227 * 1024).blocks_per_sm == 0
    assert solution.occupancy(32, 255, 227 * 1024).blocks_per_sm == 1


# -- the best block size -----------------------------------------------------------------------


def test_best_block_size_prefers_the_largest_of_equals(solution):
    assert solution.best_block_size(32, 0) == 1024
    assert solution.best_block_size(64, 0) == 1024
    assert solution.best_block_size(128, 0) == 512


def test_best_block_size_finds_an_odd_number_of_warps(solution):
    assert solution.best_block_size(40, 0) == 544
    assert solution.best_block_size(33, 0) == 544


def test_best_block_size_with_heavy_registers_edge(solution):
    assert solution.best_block_size(255, 0) == 256
    assert solution.best_block_size(200, 0) == 320


def test_best_block_size_with_shared_memory(solution):
    # With 100 000 bytes a block, two blocks fit: 1024 threads each would be 64 warps.
    assert solution.best_block_size(32, 100_000) == 1024
    # With 120 000 bytes only one block fits, so the block should be as large as possible.
    assert solution.best_block_size(16, 120_000) == 1024
    # 40 registers allow 51 warps; 80 000 bytes allow two blocks: two of 25 warps win.
    assert solution.best_block_size(40, 80_000) == 800
    assert solution.best_block_size(80, 120_000) == 800


def test_best_block_size_rejects_bad_resources_edge(solution):
    with pytest.raises(ValueError, match="registers_per_thread"):
        solution.best_block_size(0, 0)
    with pytest.raises(ValueError, match="shared_bytes_per_block"):
        solution.best_block_size(32, 300_000)
