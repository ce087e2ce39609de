"""GPU execution model: coalescing, shared-memory banks, warp divergence and occupancy.

Everything is modelled in plain Python with the numbers of an H100-class
streaming multiprocessor (SM); no GPU is used. Fill in the functions;
QUESTION.md describes every level. Keep the names and signatures; add private
helpers freely. Standard library only. The constants and the three result
types below are provided.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

# -- provided: the machine ---------------------------------------------------------------------

WARP_SIZE = 32                        # threads (lanes) per warp
SECTOR_BYTES = 32                     # global memory moves in aligned 32-byte sectors
LINE_BYTES = 128                      # an aligned 128-byte line holds four sectors
ACCESS_SIZES = (4, 8, 16)             # bytes one lane may load or store at once

NUM_BANKS = 32                        # shared memory banks
BANK_BYTES = 4                        # each bank serves one 4-byte word per cycle
TILE = 32                             # the transpose works on 32 x 32 tiles

MAX_THREADS_PER_BLOCK = 1024
MAX_THREADS_PER_SM = 2048
MAX_WARPS_PER_SM = MAX_THREADS_PER_SM // WARP_SIZE     # 64
MAX_BLOCKS_PER_SM = 32
REGISTERS_PER_SM = 65_536             # 32-bit registers
MAX_REGISTERS_PER_THREAD = 255
REGISTER_UNIT = 8                     # registers per thread are rounded up to a multiple of 8
SHARED_BYTES_PER_SM = 228 * 1024      # 233 472 bytes
MAX_SHARED_BYTES_PER_BLOCK = 227 * 1024   # 232 448 bytes, the most one block may ask for
SHARED_UNIT = 128                     # a block's shared memory is rounded up to 128 bytes
SHARED_RESERVED_PER_BLOCK = 1024      # and every block also holds 1 KiB reserved by the system
RESOURCES = ("warps", "registers", "shared_memory", "blocks")


class TransposeTraffic(NamedTuple):
    """The memory traffic of the two transpose kernels of level 2."""

    naive_sectors: int        # global sectors, loads plus stores, of the naive kernel
    tiled_sectors: int        # global sectors, loads plus stores, of the tiled kernel
    shared_wavefronts: int    # shared-memory wavefronts of the tiled kernel


class WarpRun(NamedTuple):
    """What one warp spends running a program (level 3)."""

    issued: int               # instructions the warp issues
    thread_instructions: int  # the sum, over issued instructions, of the lanes that ran them
    divergent_branches: int   # branches whose lanes did not all go the same way

    @property
    def efficiency(self) -> float:
        """Average share of the 32 lanes doing useful work per issued instruction."""
        return self.thread_instructions / (WARP_SIZE * self.issued) if self.issued else 0.0


class Occupancy(NamedTuple):
    """How many blocks of a kernel fit on one SM (level 4)."""

    blocks_per_sm: int
    active_warps: int
    occupancy: float             # active_warps / MAX_WARPS_PER_SM
    limiters: tuple[str, ...]    # every resource that allows only blocks_per_sm, in RESOURCES order
    limits: dict[str, int]       # blocks allowed by each resource, keyed by the names in RESOURCES


# -- Level 1: coalescing -------------------------------------------------------------------------


def coalesce(addresses: Sequence[int | None], size: int = 4) -> tuple[int, int]:
    """(sectors, lines) touched by one warp-wide access; None marks an inactive lane."""
    raise NotImplementedError


def load_efficiency(addresses: Sequence[int | None], size: int = 4) -> float:
    """Distinct bytes the active lanes ask for, over the bytes of the sectors moved."""
    raise NotImplementedError


# -- Level 2: shared-memory banks and the transpose --------------------------------------------


def bank_conflict_degree(addresses: Sequence[int | None]) -> int:
    """The most distinct 4-byte words any one bank must serve for this warp-wide access."""
    raise NotImplementedError


def column_padding(width: int, rows: int = 32) -> int:
    """The smallest padding, in words per row, that makes every column read conflict-free."""
    raise NotImplementedError


def transpose_traffic(n: int, pad: int = 1) -> TransposeTraffic:
    """Global sectors of the naive and tiled transposes of an n x n float matrix,
    and the shared-memory wavefronts of the tiled one with rows padded by ``pad`` words."""
    raise NotImplementedError


# -- Level 3: warp divergence --------------------------------------------------------------------


def run_warp(program: Sequence, lanes: int = 32) -> WarpRun:
    """Run ``program`` on one warp whose first ``lanes`` lanes are active."""
    raise NotImplementedError


def warp_order(trip_counts: Sequence[int]) -> list[int]:
    """A permutation of the tasks: thread t of the block takes task order[t]."""
    raise NotImplementedError


# -- Level 4: occupancy --------------------------------------------------------------------------


def occupancy(threads_per_block: int, registers_per_thread: int,
              shared_bytes_per_block: int) -> Occupancy:
    """Blocks per SM, active warps, occupancy and what limits them."""
    raise NotImplementedError


def best_block_size(registers_per_thread: int, shared_bytes_per_block: int) -> int:
    """The multiple of 32 up to 1024 with the highest occupancy; the largest on a tie."""
    raise NotImplementedError
