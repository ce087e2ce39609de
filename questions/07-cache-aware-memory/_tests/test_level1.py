"""Level 1 hidden tests: the set-associative LRU cache simulator."""

import random

import pytest


class ModelCache:
    """A trusted LRU model of the cache, to compare long random traces with."""

    def __init__(self, size_bytes, line_bytes, ways):
        self.line_bytes, self.ways = line_bytes, ways
        self.num_sets = size_bytes // (line_bytes * ways)
        self.sets = [[] for _ in range(self.num_sets)]

    def access(self, addr):
        line = addr // self.line_bytes
        lines = self.sets[line % self.num_sets]
        if line in lines:
            lines.remove(line)
            lines.append(line)
            return True
        if len(lines) == self.ways:
            del lines[0]
        lines.append(line)
        return False


def outcomes(cache, addresses):
    return [cache.access(addr) for addr in addresses]


# -- hits, misses and counters --------------------------------------------------------------


def test_first_access_misses_and_repeat_hits(solution):
    cache = solution.Cache(1024, 64, 2)
    assert cache.access(0) is False
    assert cache.access(0) is True


def test_bytes_of_the_same_line_hit(solution):
    cache = solution.Cache(1024, 64, 2)
    cache.access(128)
    assert outcomes(cache, [129, 160, 191]) == [True, True, True]


def test_next_line_is_a_separate_miss_edge(solution):
    cache = solution.Cache(1024, 64, 2)
    cache.access(63)
    assert cache.access(64) is False
    assert cache.access(0) is True


def test_counters_count_hits_and_misses(solution):
    cache = solution.Cache(1024, 64, 2)
    assert (cache.hits, cache.misses) == (0, 0)
    outcomes(cache, [0, 4, 64, 0, 1000, 68])
    assert (cache.hits, cache.misses) == (3, 3)


def test_num_sets_and_geometry_attributes(solution):
    cache = solution.Cache(32 * 1024, 64, 8)
    assert cache.num_sets == 64
    assert (cache.size_bytes, cache.line_bytes, cache.ways) == (32 * 1024, 64, 8)


# -- placement and replacement ---------------------------------------------------------------


def test_set_index_is_line_address_modulo_sets(solution):
    # 2 sets of 2 ways: lines 0, 2 and 4 share set 0, line 1 lives in set 1.
    cache = solution.Cache(256, 64, 2)
    outcomes(cache, [0, 64, 128, 256])   # line 4 evicts line 0 from set 0
    assert cache.access(64) is True      # set 1 was not disturbed
    assert cache.access(128) is True
    assert cache.access(0) is False


def test_consecutive_lines_map_to_consecutive_sets(solution):
    # 4 sets of 1 way: addresses 8, 40, 72 and 104 are lines 0-3, one per set.
    cache = solution.Cache(128, 32, 1)
    outcomes(cache, [8, 40, 72, 104])
    assert outcomes(cache, [0, 32, 64, 96]) == [True, True, True, True]


def test_lru_evicts_the_least_recently_used_line(solution):
    cache = solution.Cache(128, 64, 2)  # one set, two ways
    outcomes(cache, [0, 64])
    assert cache.access(128) is False   # evicts line 0, the oldest
    assert cache.access(64) is True
    assert cache.access(0) is False


def test_hit_makes_the_line_most_recently_used(solution):
    cache = solution.Cache(128, 64, 2)  # one set, two ways
    outcomes(cache, [0, 64, 0])         # the hit on line 0 makes line 1 the oldest
    cache.access(128)                   # so line 1 is evicted, not line 0
    assert cache.access(0) is True
    assert cache.access(64) is False


def test_eviction_stays_inside_one_set(solution):
    cache = solution.Cache(512, 64, 2)  # 4 sets
    outcomes(cache, [64, 320])          # set 1 holds lines 1 and 5
    outcomes(cache, [0, 256, 512, 768]) # set 0 is filled and overflowed
    assert outcomes(cache, [64, 320]) == [True, True]


def test_direct_mapped_conflict_misses_every_time_edge(solution):
    cache = solution.Cache(1024, 64, 1)  # 16 sets of one way
    assert outcomes(cache, [0, 1024, 0, 1024, 0]) == [False] * 5


def test_fully_associative_cyclic_walk_one_line_too_many_edge(solution):
    cache = solution.Cache(256, 64, 4)   # one set of four ways
    cycle = [0, 64, 128, 192, 256]       # five lines, cycled: LRU misses every time
    assert outcomes(cache, cycle * 3) == [False] * 15
    fits = solution.Cache(256, 64, 4)
    assert outcomes(fits, cycle[:4] * 2) == [False] * 4 + [True] * 4


def test_large_addresses_are_simulated(solution):
    cache = solution.Cache(1024, 64, 2)
    assert cache.access(2**40 + 5) is False
    assert cache.access(2**40) is True


def test_random_trace_matches_the_lru_model(solution):
    rng = random.Random(7)
    for geometry in [(1024, 32, 4), (512, 16, 1), (768, 64, 3)]:
        cache, model = solution.Cache(*geometry), ModelCache(*geometry)
        for step in range(3000):
            addr = rng.randrange(8192)
            assert cache.access(addr) is model.access(addr), f"{geometry}, access {step}"
        total = cache.hits + cache.misses
        assert total == 3000


# -- geometry checks ---------------------------------------------------------------------------


def test_rejects_line_size_that_is_not_a_power_of_two_edge(solution):
    with pytest.raises(ValueError, match="line_bytes"):
        solution.Cache(960, 48, 2)


def test_rejects_zero_line_size_edge(solution):
    with pytest.raises(ValueError, match="line_bytes"):
        solution.Cache(1024, 0, 2)


def test_rejects_zero_ways_edge(solution):
    with pytest.raises(ValueError, match="ways"):
        solution.Cache(1024, 64, 0)


def test_rejects_size_not_a_multiple_of_line_times_ways_edge(solution):
    with pytest.raises(ValueError, match="size_bytes"):
        solution.Cache(1000, 64, 2)


def test_rejects_non_positive_size_edge(solution):
    with pytest.raises(ValueError, match="size_bytes"):
        solution.Cache(0, 64, 2)
    with pytest.raises(ValueError, match="size_bytes"):
        solution.Cache(-1024, 64, 2)


def test_rejects_a_set_count_that_is_not_a_power_of_two_edge(solution):
    with pytest.raises(ValueError, match="size_bytes"):
        solution.Cache(3 * 64 * 2, 64, 2)   # 3 sets


def test_accepts_ways_that_are_not_a_power_of_two_edge(solution):
    cache = solution.Cache(48 * 1024, 64, 12)  # a 12-way L1: 64 sets
    assert cache.num_sets == 64
    single = solution.Cache(192, 64, 3)        # one set of three ways
    assert single.num_sets == 1


def test_rejects_negative_address_edge(solution):
    cache = solution.Cache(1024, 64, 2)
    with pytest.raises(ValueError):
        cache.access(-4)
