"""Cache-aware memory access: a cache simulator, and the address traces of
matrix walks, a transpose and a matrix multiply.

Fill in the functions and the ``Cache`` class; QUESTION.md describes every
level. Keep the names and signatures; add private helpers freely. Standard
library only. The constants and ``element_address`` below are provided.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# -- provided ----------------------------------------------------------------------------------

WORD = 4                              # bytes per matrix element
REAL_L1 = (32 * 1024, 64, 8)          # (size_bytes, line_bytes, ways) of a typical L1 data cache
SMALL_CACHE = (2 * 1024, 32, 4)       # the scaled-down cache of the level 3 and 4 budgets
A_BASE, B_BASE, C_BASE = 0x10000, 0x20000, 0x30000   # matrix base addresses in those tests
TILE = 8                              # the tile those tests pass


def element_address(base: int, n: int, row: int, col: int) -> int:
    """Byte address of element (row, col) of an n x n row-major matrix of words at ``base``."""
    return base + WORD * (row * n + col)


# -- Level 1: the cache simulator --------------------------------------------------------------


class Cache:
    """A set-associative cache with LRU replacement inside each set.

    Attributes: ``size_bytes``, ``line_bytes``, ``ways``, ``num_sets``, and the
    counters ``hits`` and ``misses`` (both start at 0).
    """

    def __init__(self, size_bytes: int, line_bytes: int, ways: int) -> None:
        """Check the geometry (ValueError naming the bad parameter) and start empty."""
        raise NotImplementedError

    def access(self, addr: int) -> bool:
        """Touch the line holding byte ``addr``; True on a hit, False on a miss."""
        raise NotImplementedError


# -- Level 2: row-major and column-major walks -------------------------------------------------


def row_major_trace(n: int, base: int) -> Iterator[int]:
    """Lazily, the addresses of a row-by-row walk of the n x n matrix at ``base``."""
    raise NotImplementedError


def column_major_trace(n: int, base: int) -> Iterator[int]:
    """Lazily, the addresses of a column-by-column walk of the n x n matrix at ``base``."""
    raise NotImplementedError


def count_misses(cache: Cache, trace: Iterable[int]) -> int:
    """Run every address of ``trace`` through ``cache``; the number of misses it caused."""
    raise NotImplementedError


def traversal_misses(n: int, base: int, size_bytes: int, line_bytes: int,
                     ways: int) -> tuple[int, int]:
    """(row-major misses, column-major misses), each walk on a fresh, empty cache."""
    raise NotImplementedError


# -- Level 3: tiled transpose ------------------------------------------------------------------


def transpose_trace(n: int, a_base: int, b_base: int, tile: int) -> Iterator[int]:
    """Lazily, the trace of B = transpose(A) in tiles of ``tile`` x ``tile``.

    Each element contributes the read of A[i][j] immediately followed by the
    write of B[j][i]. ValueError when ``tile`` < 1.
    """
    raise NotImplementedError


# -- Level 4: tiled matrix multiply ------------------------------------------------------------


def matmul_trace(n: int, a_base: int, b_base: int, c_base: int, tile: int) -> Iterator[int]:
    """Lazily, the trace of C = A x B with the i, j and k loops tiled by ``tile``.

    Each product (i, j, k) contributes A[i][k], B[k][j], C[i][j], in that
    order. ValueError when ``tile`` < 1.
    """
    raise NotImplementedError
