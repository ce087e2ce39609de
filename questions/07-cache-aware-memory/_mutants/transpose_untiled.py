"""Mutant: the transpose ignores the tile and walks A row by row, so the
writes to B stride down whole columns and miss on almost every access.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product

WORD = 4
REAL_L1 = (32 * 1024, 64, 8)
SMALL_CACHE = (2 * 1024, 32, 4)
A_BASE, B_BASE, C_BASE = 0x10000, 0x20000, 0x30000
TILE = 8


def element_address(base: int, n: int, row: int, col: int) -> int:
    """Byte address of element (row, col) of an n x n row-major matrix of words."""
    return base + WORD * (row * n + col)


def _is_power_of_two(value: int) -> bool:
    return value > 0 and value & (value - 1) == 0


def _check_geometry(size_bytes: int, line_bytes: int, ways: int) -> int:
    """The number of sets of a valid geometry; ValueError naming the bad parameter."""
    if not _is_power_of_two(line_bytes):
        raise ValueError(f"line_bytes must be a power of two, got {line_bytes}")
    if ways < 1:
        raise ValueError(f"ways must be at least 1, got {ways}")
    if size_bytes <= 0 or size_bytes % (line_bytes * ways):
        raise ValueError(f"size_bytes must be a positive multiple of line_bytes * ways "
                         f"({line_bytes * ways}), got {size_bytes}")
    sets = size_bytes // (line_bytes * ways)
    if not _is_power_of_two(sets):
        raise ValueError(f"size_bytes must give a power-of-two number of sets, got {sets}")
    return sets


# -- Level 1 ---------------------------------------------------------------------------------


class Cache:
    """A set-associative cache with LRU replacement inside each set."""

    def __init__(self, size_bytes: int, line_bytes: int, ways: int) -> None:
        self.num_sets = _check_geometry(size_bytes, line_bytes, ways)
        self.size_bytes, self.line_bytes, self.ways = size_bytes, line_bytes, ways
        self.hits = 0
        self.misses = 0
        self._sets: list[list[int]] = [[] for _ in range(self.num_sets)]

    def access(self, addr: int) -> bool:
        """Touch the line holding ``addr``; True on a hit."""
        if addr < 0:
            raise ValueError(f"addresses are non-negative, got {addr}")
        line = addr // self.line_bytes
        lines = self._sets[line % self.num_sets]  # oldest first
        if line in lines:
            if lines[-1] != line:
                lines.remove(line)
                lines.append(line)
            self.hits += 1
            return True
        if len(lines) == self.ways:
            del lines[0]
        lines.append(line)
        self.misses += 1
        return False


# -- Level 2 ---------------------------------------------------------------------------------


def row_major_trace(n: int, base: int) -> Iterator[int]:
    """Addresses of a row-by-row walk of the matrix at ``base``."""
    for row, col in product(range(n), repeat=2):
        yield element_address(base, n, row, col)


def column_major_trace(n: int, base: int) -> Iterator[int]:
    """Addresses of a column-by-column walk of the matrix at ``base``."""
    for col, row in product(range(n), repeat=2):
        yield element_address(base, n, row, col)


def count_misses(cache: Cache, trace: Iterable[int]) -> int:
    """Run ``trace`` through ``cache``; the number of misses it caused."""
    before = cache.misses
    for addr in trace:
        cache.access(addr)
    return cache.misses - before


def traversal_misses(n: int, base: int, size_bytes: int, line_bytes: int,
                     ways: int) -> tuple[int, int]:
    """(row-major misses, column-major misses), each walk on a fresh cache."""
    row = count_misses(Cache(size_bytes, line_bytes, ways), row_major_trace(n, base))
    column = count_misses(Cache(size_bytes, line_bytes, ways), column_major_trace(n, base))
    return row, column


# -- Levels 3 and 4 --------------------------------------------------------------------------


def _blocks(n: int, tile: int) -> list[range]:
    """The index ranges of the tiles along one dimension; the last may be short."""
    if tile < 1:
        raise ValueError(f"tile must be at least 1, got {tile}")
    return [range(start, min(start + tile, n)) for start in range(0, n, tile)]


def transpose_trace(n: int, a_base: int, b_base: int, tile: int) -> Iterator[int]:
    """B = transpose(A), tile by tile: read A[i][j], then write B[j][i]."""
    _blocks(n, tile)
    for i, j in product(range(n), repeat=2):
        yield element_address(a_base, n, i, j)
        yield element_address(b_base, n, j, i)


def matmul_trace(n: int, a_base: int, b_base: int, c_base: int, tile: int) -> Iterator[int]:
    """C += A x B over tiles of (i, k, j): each product reads A[i][k], B[k][j], C[i][j]."""
    blocks = _blocks(n, tile)
    for rows, inner, cols in product(blocks, repeat=3):
        for i, k in product(rows, inner):
            a = element_address(a_base, n, i, k)
            for j in cols:
                yield a
                yield element_address(b_base, n, k, j)
                yield element_address(c_base, n, i, j)
