"""Level 2 hidden tests: row-major and column-major walks and their miss counts."""

import itertools

import pytest

WORD = 4


class CountingBase(int):
    """A base address that counts the addresses computed from it, to catch eager traces."""

    limit = 1_000_000

    def __new__(cls, value):
        base = super().__new__(cls, value)
        base.uses = 0
        return base

    def __add__(self, other):
        self.uses += 1
        assert self.uses <= self.limit, (
            "the trace computed over a million addresses before handing out its first few; "
            "it must produce them lazily")
        return int(self) + other

    __radd__ = __add__


class ModelCache:
    """A trusted LRU model, to compute the expected miss counts."""

    def __init__(self, size_bytes, line_bytes, ways):
        self.line_bytes, self.ways = line_bytes, ways
        self.num_sets = size_bytes // (line_bytes * ways)
        self.sets = [[] for _ in range(self.num_sets)]
        self.misses = 0

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
        self.misses += 1
        return False


def model_misses(addresses, geometry):
    cache = ModelCache(*geometry)
    for addr in addresses:
        cache.access(addr)
    return cache.misses


def by_rows(n, base):
    return [base + WORD * (i * n + j) for i in range(n) for j in range(n)]


def by_columns(n, base):
    return [base + WORD * (i * n + j) for j in range(n) for i in range(n)]


# -- the traces ------------------------------------------------------------------------------


def test_row_major_trace_of_a_small_matrix(solution):
    assert list(solution.row_major_trace(3, 100)) == [100, 104, 108, 112, 116, 120,
                                                      124, 128, 132]


def test_column_major_trace_of_a_small_matrix(solution):
    assert list(solution.column_major_trace(3, 100)) == [100, 112, 124, 104, 116, 128,
                                                         108, 120, 132]


def test_traces_match_the_layout_on_a_larger_matrix(solution):
    assert list(solution.row_major_trace(17, 4096)) == by_rows(17, 4096)
    assert list(solution.column_major_trace(17, 4096)) == by_columns(17, 4096)


def test_traces_of_an_empty_matrix_are_empty_edge(solution):
    assert list(solution.row_major_trace(0, 64)) == []
    assert list(solution.column_major_trace(0, 64)) == []


def test_traces_of_a_one_by_one_matrix_edge(solution):
    assert list(solution.row_major_trace(1, 12)) == [12]
    assert list(solution.column_major_trace(1, 12)) == [12]


def test_traces_are_lazy_iterators(solution):
    for make in (solution.row_major_trace, solution.column_major_trace):
        trace = make(100_000, CountingBase(0))   # 10**10 addresses: only a generator copes
        assert iter(trace) is trace
        assert list(itertools.islice(trace, 3)) == (
            [0, 4, 8] if make is solution.row_major_trace else [0, 400_000, 800_000])


# -- counting misses ---------------------------------------------------------------------------


def test_count_misses_of_a_cold_walk(solution):
    cache = solution.Cache(1024, 64, 2)
    assert solution.count_misses(cache, solution.row_major_trace(8, 0)) == 4
    assert cache.misses == 4 and cache.hits == 60


def test_count_misses_counts_only_the_new_misses_on_a_warm_cache(solution):
    cache = solution.Cache(1024, 64, 2)
    solution.count_misses(cache, solution.row_major_trace(8, 0))
    assert solution.count_misses(cache, solution.row_major_trace(8, 0)) == 0
    assert solution.count_misses(cache, [4096, 4100, 0]) == 1


def test_count_misses_accepts_any_iterable(solution):
    cache = solution.Cache(1024, 64, 2)
    assert solution.count_misses(cache, [0, 64, 0]) == 2
    assert solution.count_misses(cache, (a for a in (128, 192))) == 2


def test_count_misses_of_an_empty_trace_is_zero_edge(solution):
    cache = solution.Cache(1024, 64, 2)
    assert solution.count_misses(cache, []) == 0


# -- row against column ------------------------------------------------------------------------


def test_column_walk_misses_on_every_access_once_a_column_exceeds_the_cache(solution):
    # A column of n = 64 touches 64 lines; the cache holds 16.
    row, column = solution.traversal_misses(64, 0, 1024, 64, 2)
    assert row == 64 * 64 * WORD // 64
    assert column == 64 * 64


def test_walks_cost_only_cold_misses_when_the_matrix_fits_edge(solution):
    # 16 rows of one line each, in 16 different sets: a fresh cache per walk.
    assert solution.traversal_misses(16, 0, 4096, 64, 4) == (16, 16)


def test_real_l1_column_walk_thrashes_on_a_power_of_two_matrix(solution):
    # 32 KiB, 8-way, 64-byte lines: a 128-word row is 512 bytes, so one column's
    # 128 lines fall into only 8 of the 64 sets.
    row, column = solution.traversal_misses(128, 0, 32 * 1024, 64, 8)
    assert (row, column) == (1024, 128 * 128)


def test_traversal_misses_match_the_model(solution):
    cases = [(40, 0x10000, (1024, 32, 4)), (50, 0x10000, (2048, 64, 2)),
             (30, 96, (512, 16, 2)), (24, 0, (256, 64, 1))]
    for n, base, geometry in cases:
        expected = (model_misses(by_rows(n, base), geometry),
                    model_misses(by_columns(n, base), geometry))
        assert solution.traversal_misses(n, base, *geometry) == expected, (n, base, geometry)


def test_unaligned_base_touches_one_extra_line_edge(solution):
    # 4 x 4 words = 64 bytes starting at byte 20 spans two 64-byte lines.
    assert solution.traversal_misses(4, 20, 1024, 64, 2) == (2, 2)


def test_traversal_misses_rejects_a_bad_geometry_edge(solution):
    with pytest.raises(ValueError, match="line_bytes"):
        solution.traversal_misses(8, 0, 1024, 24, 2)
