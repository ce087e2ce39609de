"""Cache-aware memory access: an average candidate's solution.

The simulator and the walks are right and the transpose is tiled, but the
matrix multiply only reorders its loops to i-k-j without tiling them, so it
streams all of B through the cache for every row of C and misses the budget.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator

WORD = 4
REAL_L1 = (32 * 1024, 64, 8)
SMALL_CACHE = (2 * 1024, 32, 4)
A_BASE, B_BASE, C_BASE = 0x10000, 0x20000, 0x30000
TILE = 8


def element_address(base: int, n: int, row: int, col: int) -> int:
    """Byte address of element (row, col) of an n x n row-major matrix of words at ``base``."""
    return base + WORD * (row * n + col)


def power_of_two(x):
    return x > 0 and (x & (x - 1)) == 0


class Cache:
    def __init__(self, size_bytes: int, line_bytes: int, ways: int) -> None:
        if not power_of_two(line_bytes):
            raise ValueError("line_bytes must be a power of two")
        if ways <= 0:
            raise ValueError("ways must be positive")
        if size_bytes <= 0 or size_bytes % (line_bytes * ways) != 0:
            raise ValueError("size_bytes must be a multiple of line_bytes * ways")
        if not power_of_two(size_bytes // (line_bytes * ways)):
            raise ValueError("size_bytes gives a number of sets that is not a power of two")
        self.size_bytes = size_bytes
        self.line_bytes = line_bytes
        self.ways = ways
        self.num_sets = size_bytes // (line_bytes * ways)
        self.hits = 0
        self.misses = 0
        self.sets = [OrderedDict() for _ in range(self.num_sets)]

    def access(self, addr: int) -> bool:
        if addr < 0:
            raise ValueError("negative address")
        tag = addr // self.line_bytes
        s = self.sets[tag % self.num_sets]
        if tag in s:
            s.move_to_end(tag)
            self.hits += 1
            return True
        self.misses += 1
        if len(s) >= self.ways:
            s.popitem(last=False)
        s[tag] = True
        return False


def row_major_trace(n: int, base: int) -> Iterator[int]:
    for i in range(n):
        for j in range(n):
            yield element_address(base, n, i, j)


def column_major_trace(n: int, base: int) -> Iterator[int]:
    for j in range(n):
        for i in range(n):
            yield element_address(base, n, i, j)


def count_misses(cache: Cache, trace: Iterable[int]) -> int:
    start = cache.misses
    for a in trace:
        cache.access(a)
    return cache.misses - start


def traversal_misses(n: int, base: int, size_bytes: int, line_bytes: int,
                     ways: int) -> tuple[int, int]:
    c1 = Cache(size_bytes, line_bytes, ways)
    c2 = Cache(size_bytes, line_bytes, ways)
    return count_misses(c1, row_major_trace(n, base)), count_misses(c2, column_major_trace(n, base))


def transpose_trace(n: int, a_base: int, b_base: int, tile: int) -> Iterator[int]:
    if tile < 1:
        raise ValueError("tile must be at least 1")
    for ii in range(0, n, tile):
        for jj in range(0, n, tile):
            for i in range(ii, min(ii + tile, n)):
                for j in range(jj, min(jj + tile, n)):
                    yield element_address(a_base, n, i, j)
                    yield element_address(b_base, n, j, i)


def matmul_trace(n: int, a_base: int, b_base: int, c_base: int, tile: int) -> Iterator[int]:
    # i-k-j order: B and C are walked along their rows, which is cache friendly
    if tile < 1:
        raise ValueError("tile must be at least 1")
    for i in range(n):
        for k in range(n):
            for j in range(n):
                yield element_address(a_base, n, i, k)
                yield element_address(b_base, n, k, j)
                yield element_address(c_base, n, i, j)
