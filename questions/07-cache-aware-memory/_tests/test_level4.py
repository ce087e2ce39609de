"""Level 4 hidden tests: the tiled matrix multiply trace and its misses on the small cache.

Misses are counted by a trusted LRU model of the 2 KiB, 32-byte-line, 4-way
cache of QUESTION.md, starting cold, never by the candidate's Cache.
"""

import itertools
from collections import Counter

import pytest

WORD = 4
SMALL_CACHE = (2 * 1024, 32, 4)
A_BASE, B_BASE, C_BASE = 0x10000, 0x20000, 0x30000
TILE = 8
# Misses of the reference tiled trace (tile 8) on the small cache, and the budget.
REFERENCE_MISSES = {24: 448, 40: 2114}
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


def element(addr, base, n, name, step):
    offset, rest = divmod(addr - base, WORD)
    assert rest == 0 and 0 <= offset < n * n, f"address {step} ({addr}) is not an element of {name}"
    return divmod(offset, n)


def check_matmul(trace, n, a_base, b_base, c_base):
    """Every product (i, j, k) exactly once, as the triple A[i][k], B[k][j], C[i][j]."""
    assert len(trace) == 3 * n ** 3, f"expected {3 * n ** 3} addresses, got {len(trace)}"
    seen = bytearray(n ** 3)
    for step in range(0, len(trace), 3):
        i, k = element(trace[step], a_base, n, "A", step)
        k2, j = element(trace[step + 1], b_base, n, "B", step + 1)
        i2, j2 = element(trace[step + 2], c_base, n, "C", step + 2)
        assert (k2, i2, j2) == (k, i, j), (
            f"addresses {step}-{step + 2} are A[{i}][{k}], B[{k2}][{j}], C[{i2}][{j2}]: "
            "not the three accesses of one product")
        product = (i * n + j) * n + k
        assert not seen[product], f"product (i={i}, j={j}, k={k}) appears twice"
        seen[product] = 1


_TRACES: dict[tuple[int, int], list[int]] = {}
_MISSES: dict[int, int] = {}


def matmul_trace(solution, n, tile=TILE):
    key = (n, tile)
    if key not in _TRACES:
        _TRACES[key] = list(solution.matmul_trace(n, A_BASE, B_BASE, C_BASE, tile))
    return _TRACES[key]


def matmul_misses(solution, n):
    """The checked trace's misses on the small cache (computed once per size)."""
    if n not in _MISSES:
        trace = matmul_trace(solution, n)
        check_matmul(trace, n, A_BASE, B_BASE, C_BASE)
        _MISSES[n] = model_misses(trace)
    return _MISSES[n]


# -- what the trace contains -------------------------------------------------------------------


def test_matmul_trace_of_a_two_by_two_product(solution):
    trace = list(solution.matmul_trace(2, 0, 100, 200, 1))
    check_matmul(trace, 2, 0, 100, 200)


def test_matmul_covers_every_product_with_partial_tiles_edge(solution):
    trace = list(solution.matmul_trace(13, 0, 4096, 8192, 4))   # 13 = 4 + 4 + 4 + 1
    check_matmul(trace, 13, 0, 4096, 8192)


def test_matmul_reads_every_element_n_times(solution):
    n = 10
    trace = list(solution.matmul_trace(n, 0, 1024, 2048, 3))
    counts = Counter(trace)
    for base in (0, 1024, 2048):
        for offset in range(n * n):
            addr = base + WORD * offset
            assert counts[addr] == n, f"address {addr} accessed {counts[addr]} times, not {n}"
    assert len(counts) == 3 * n * n


def test_matmul_with_tile_one_edge(solution):
    trace = list(solution.matmul_trace(5, 0, 512, 1024, 1))
    check_matmul(trace, 5, 0, 512, 1024)


def test_matmul_with_a_tile_larger_than_the_matrix_edge(solution):
    trace = list(solution.matmul_trace(6, 0, 512, 1024, 8))
    check_matmul(trace, 6, 0, 512, 1024)


def test_matmul_of_an_empty_matrix_edge(solution):
    assert list(solution.matmul_trace(0, 0, 512, 1024, 8)) == []


def test_matmul_of_a_one_by_one_matrix_edge(solution):
    assert list(solution.matmul_trace(1, 40, 80, 120, 8)) == [40, 80, 120]


def test_matmul_rejects_a_tile_below_one_edge(solution):
    for tile in (0, -1):
        with pytest.raises(ValueError):
            list(solution.matmul_trace(4, 0, 512, 1024, tile))


def test_matmul_trace_is_lazy(solution):
    trace = solution.matmul_trace(10_000, CountingBase(0), CountingBase(2**40),
                                  CountingBase(2**41), 8)
    assert iter(trace) is trace
    first = list(itertools.islice(trace, 6))
    assert len(first) == 6


def test_matmul_trace_of_the_measured_sizes_is_complete(solution):
    for n in REFERENCE_MISSES:
        check_matmul(matmul_trace(solution, n), n, A_BASE, B_BASE, C_BASE)


def test_matmul_trace_is_the_same_on_every_call(solution):
    first = list(solution.matmul_trace(12, 0, 1024, 2048, 8))
    assert list(solution.matmul_trace(12, 0, 1024, 2048, 8)) == first


# -- misses on the small cache -----------------------------------------------------------------


def test_matmul_misses_n24_measured(solution, measure):
    measure("matmul_misses", matmul_misses(solution, 24))


def test_matmul_misses_n40_measured(solution, measure):
    measure("matmul_misses", matmul_misses(solution, 40))


def test_matmul_n24_stays_within_the_miss_budget(solution):
    misses = matmul_misses(solution, 24)
    assert misses <= BUDGET * REFERENCE_MISSES[24], (
        f"{misses} misses; the budget is {BUDGET * REFERENCE_MISSES[24]:.0f}")


def test_matmul_n40_stays_within_the_miss_budget(solution):
    misses = matmul_misses(solution, 40)
    assert misses <= BUDGET * REFERENCE_MISSES[40], (
        f"{misses} misses; the budget is {BUDGET * REFERENCE_MISSES[40]:.0f}")
