"""Level 3 hidden tests: the tiled transpose trace and its misses on the small cache.

Misses are counted by a trusted LRU model of the 2 KiB, 32-byte-line, 4-way
cache of QUESTION.md, starting cold, never by the candidate's Cache.
"""

import itertools

import pytest

WORD = 4
SMALL_CACHE = (2 * 1024, 32, 4)
A_BASE, B_BASE = 0x10000, 0x20000
TILE = 8
# Misses of the reference tiled trace (tile 8) on the small cache, and the budget.
REFERENCE_MISSES = {72: 1296, 96: 2304, 100: 3200}
BUDGET = 1.25


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
    """A trusted LRU model of the cache."""

    def __init__(self, size_bytes, line_bytes, ways):
        self.line_bytes, self.ways = line_bytes, ways
        self.num_sets = size_bytes // (line_bytes * ways)
        self.sets = [[] for _ in range(self.num_sets)]
        self.misses = 0

    def access(self, addr):
        line = addr // self.line_bytes
        lines = self.sets[line % self.num_sets]
        if line in lines:
            if lines[-1] != line:
                lines.remove(line)
                lines.append(line)
            return
        if len(lines) == self.ways:
            del lines[0]
        lines.append(line)
        self.misses += 1


def model_misses(addresses, geometry=SMALL_CACHE):
    cache = ModelCache(*geometry)
    for addr in addresses:
        cache.access(addr)
    return cache.misses


def check_transpose(trace, n, a_base, b_base):
    """Every element exactly once, as a read of A[i][j] followed by the write of B[j][i]."""
    assert len(trace) == 2 * n * n, f"expected {2 * n * n} addresses, got {len(trace)}"
    seen = bytearray(n * n)
    for step in range(0, len(trace), 2):
        a, b = trace[step], trace[step + 1]
        offset, rest = divmod(a - a_base, WORD)
        assert rest == 0 and 0 <= offset < n * n, f"address {step} ({a}) is not an element of A"
        i, j = divmod(offset, n)
        expected = b_base + WORD * (j * n + i)
        assert b == expected, (f"address {step + 1} should write B[{j}][{i}] at {expected} "
                               f"right after reading A[{i}][{j}], got {b}")
        assert not seen[offset], f"A[{i}][{j}] is transposed twice"
        seen[offset] = 1


_MISSES: dict[int, int] = {}


def transpose_misses(solution, n):
    """The checked trace's misses on the small cache (computed once per size)."""
    if n not in _MISSES:
        trace = list(solution.transpose_trace(n, A_BASE, B_BASE, TILE))
        check_transpose(trace, n, A_BASE, B_BASE)
        _MISSES[n] = model_misses(trace)
    return _MISSES[n]


# -- what the trace contains -------------------------------------------------------------------


def test_transpose_pairs_each_read_with_its_write(solution):
    trace = list(solution.transpose_trace(3, 0, 1000, 2))
    check_transpose(trace, 3, 0, 1000)


def test_transpose_covers_every_element_with_partial_tiles_edge(solution):
    trace = list(solution.transpose_trace(21, 0, 0x10000, 8))   # 21 = 8 + 8 + 5
    check_transpose(trace, 21, 0, 0x10000)


def test_transpose_with_a_tile_that_does_not_divide_n_edge(solution):
    trace = list(solution.transpose_trace(13, 4096, 8192, 4))
    check_transpose(trace, 13, 4096, 8192)


def test_transpose_with_tile_one_edge(solution):
    trace = list(solution.transpose_trace(6, 0, 512, 1))
    check_transpose(trace, 6, 0, 512)


def test_transpose_with_a_tile_larger_than_the_matrix_edge(solution):
    trace = list(solution.transpose_trace(5, 0, 512, 8))
    check_transpose(trace, 5, 0, 512)


def test_transpose_of_an_empty_matrix_edge(solution):
    assert list(solution.transpose_trace(0, 0, 512, 8)) == []


def test_transpose_of_a_one_by_one_matrix_edge(solution):
    assert list(solution.transpose_trace(1, 40, 80, 8)) == [40, 80]


def test_transpose_rejects_a_tile_below_one_edge(solution):
    for tile in (0, -8):
        with pytest.raises(ValueError):
            list(solution.transpose_trace(8, 0, 512, tile))


def test_transpose_trace_is_lazy(solution):
    trace = solution.transpose_trace(100_000, CountingBase(0), CountingBase(2**40), 8)
    assert iter(trace) is trace
    first = list(itertools.islice(trace, 4))
    assert len(first) == 4
    assert first[1] == 2**40 + WORD * ((first[0] // WORD % 100_000) * 100_000
                                       + first[0] // WORD // 100_000)


def test_transpose_trace_is_the_same_on_every_call(solution):
    first = list(solution.transpose_trace(30, 0, 8192, 8))
    assert list(solution.transpose_trace(30, 0, 8192, 8)) == first


# -- misses on the small cache -----------------------------------------------------------------


def test_transpose_misses_n72_measured(solution, measure):
    measure("transpose_misses", transpose_misses(solution, 72))


def test_transpose_misses_n96_measured(solution, measure):
    measure("transpose_misses", transpose_misses(solution, 96))


def test_transpose_misses_n100_measured(solution, measure):
    measure("transpose_misses", transpose_misses(solution, 100))


def test_transpose_n72_stays_within_the_miss_budget(solution):
    misses = transpose_misses(solution, 72)
    assert misses <= BUDGET * REFERENCE_MISSES[72], (
        f"{misses} misses; the budget is {BUDGET * REFERENCE_MISSES[72]:.0f}")


def test_transpose_n96_stays_within_the_miss_budget(solution):
    misses = transpose_misses(solution, 96)
    assert misses <= BUDGET * REFERENCE_MISSES[96], (
        f"{misses} misses; the budget is {BUDGET * REFERENCE_MISSES[96]:.0f}")


def test_transpose_n100_with_partial_tiles_stays_within_the_miss_budget(solution):
    misses = transpose_misses(solution, 100)
    assert misses <= BUDGET * REFERENCE_MISSES[100], (
        f"{misses} misses; the budget is {BUDGET * REFERENCE_MISSES[100]:.0f}")
