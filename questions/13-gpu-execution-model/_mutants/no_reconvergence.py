"""Mutant: lanes never reconverge after an if: the statements that follow run once for
the lanes of each side, so code after a divergent branch is paid twice.
"""


from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product
from typing import NamedTuple

WARP_SIZE = 32
SECTOR_BYTES = 32
LINE_BYTES = 128
ACCESS_SIZES = (4, 8, 16)

NUM_BANKS = 32
BANK_BYTES = 4
TILE = 32

MAX_THREADS_PER_BLOCK = 1024
MAX_THREADS_PER_SM = 2048
MAX_WARPS_PER_SM = MAX_THREADS_PER_SM // WARP_SIZE
MAX_BLOCKS_PER_SM = 32
REGISTERS_PER_SM = 65_536
MAX_REGISTERS_PER_THREAD = 255
REGISTER_UNIT = 8
SHARED_BYTES_PER_SM = 228 * 1024
MAX_SHARED_BYTES_PER_BLOCK = 227 * 1024
SHARED_UNIT = 128
SHARED_RESERVED_PER_BLOCK = 1024
RESOURCES = ("warps", "registers", "shared_memory", "blocks")


class TransposeTraffic(NamedTuple):
    """The memory traffic of the two transpose kernels of level 2."""

    naive_sectors: int
    tiled_sectors: int
    shared_wavefronts: int


class WarpRun(NamedTuple):
    """What one warp spends running a program (level 3)."""

    issued: int
    thread_instructions: int
    divergent_branches: int

    @property
    def efficiency(self) -> float:
        """Average share of the 32 lanes doing useful work per issued instruction."""
        return self.thread_instructions / (WARP_SIZE * self.issued) if self.issued else 0.0


class Occupancy(NamedTuple):
    """How many blocks of a kernel fit on one SM (level 4)."""

    blocks_per_sm: int
    active_warps: int
    occupancy: float
    limiters: tuple[str, ...]
    limits: dict[str, int]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


# -- Level 1 ---------------------------------------------------------------------------------


def _active(addresses: Sequence[int | None], alignment: int) -> list[int]:
    """The addresses of the active lanes, after checking the warp and the alignment."""
    if len(addresses) != WARP_SIZE:
        raise ValueError(f"a warp has {WARP_SIZE} lanes, got {len(addresses)} addresses")
    active = [addr for addr in addresses if addr is not None]
    for addr in active:
        if addr < 0 or addr % alignment:
            raise ValueError(f"address {addr} is negative or not a multiple of {alignment}")
    return active


def _global_lanes(addresses: Sequence[int | None], size: int) -> list[int]:
    if size not in ACCESS_SIZES:
        raise ValueError(f"size must be one of {ACCESS_SIZES}, got {size}")
    return _active(addresses, size)


def coalesce(addresses: Sequence[int | None], size: int = 4) -> tuple[int, int]:
    """(sectors, lines) touched by one warp-wide access; None marks an inactive lane."""
    active = _global_lanes(addresses, size)
    # An aligned access of at most 16 bytes never leaves its sector.
    sectors = {addr // SECTOR_BYTES for addr in active}
    return len(sectors), len({sector * SECTOR_BYTES // LINE_BYTES for sector in sectors})


def load_efficiency(addresses: Sequence[int | None], size: int = 4) -> float:
    """Distinct bytes the active lanes ask for, over the bytes of the sectors moved."""
    active = _global_lanes(addresses, size)
    if not active:
        return 0.0
    useful = len(set(active)) * size        # aligned accesses of one size overlap only if equal
    sectors = len({addr // SECTOR_BYTES for addr in active})
    return useful / (sectors * SECTOR_BYTES)


# -- Level 2 ---------------------------------------------------------------------------------


def bank_conflict_degree(addresses: Sequence[int | None]) -> int:
    """The most distinct 4-byte words any one bank must serve for this warp-wide access."""
    words = {addr // BANK_BYTES for addr in _active(addresses, BANK_BYTES)}
    per_bank = [0] * NUM_BANKS
    for word in words:
        per_bank[word % NUM_BANKS] += 1
    return max(per_bank)


def column_padding(width: int, rows: int = 32) -> int:
    """The smallest padding, in words per row, that makes every column read conflict-free."""
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    if not 1 <= rows <= WARP_SIZE:
        raise ValueError(f"rows must be between 1 and {WARP_SIZE}, got {rows}")
    pad = 0
    while not _columns_conflict_free(width, rows, pad):
        pad += 1
    return pad


def _columns_conflict_free(width: int, rows: int, pad: int) -> bool:
    stride = width + pad
    for column in range(width):
        lanes = [BANK_BYTES * (row * stride + column) if row < rows else None
                 for row in range(WARP_SIZE)]
        if bank_conflict_degree(lanes) > 1:
            return False
    return True


def _out_base(n: int) -> int:
    """The output matrix starts at the first multiple of 128 after the input."""
    return LINE_BYTES * _ceil_div(4 * n * n, LINE_BYTES)


def _strided(base: int, stride: int, active: int) -> list[int | None]:
    """Lane k at base + k * stride for the first ``active`` lanes; the rest inactive."""
    return [base + stride * k for k in range(active)] + [None] * (WARP_SIZE - active)


def _naive_instructions(n: int) -> Iterator[tuple[str, list[int | None]]]:
    """('global', addresses) of every warp instruction of the naive transpose."""
    out = _out_base(n)
    for row, first in product(range(n), range(0, n, WARP_SIZE)):
        active = min(WARP_SIZE, n - first)
        yield "global", _strided(4 * (row * n + first), 4, active)            # in[row][first + k]
        yield "global", _strided(out + 4 * (first * n + row), 4 * n, active)  # out[first + k][row]


def _tiled_instructions(n: int, pad: int) -> Iterator[tuple[str, list[int | None]]]:
    """('global' or 'shared', addresses) of every warp instruction of the tiled transpose."""
    out, row_bytes = _out_base(n), 4 * (TILE + pad)
    for top, left in product(range(0, n, TILE), range(0, n, TILE)):
        wide, tall = min(TILE, n - left), min(TILE, n - top)
        for j in range(tall):          # row j of the tile: global load, shared write
            yield "global", _strided(4 * ((top + j) * n + left), 4, wide)
            yield "shared", _strided(j * row_bytes, 4, wide)
        for j in range(wide):          # column j of the tile: shared read, global store
            yield "shared", _strided(4 * j, row_bytes, tall)
            yield "global", _strided(out + 4 * ((left + j) * n + top), 4, tall)


def transpose_traffic(n: int, pad: int = 1) -> TransposeTraffic:
    """Global sectors of the naive and tiled transposes of an n x n float matrix,
    and the shared-memory wavefronts of the tiled one with rows padded by ``pad`` words."""
    if n < 0:
        raise ValueError(f"n must be at least 0, got {n}")
    if pad < 0:
        raise ValueError(f"pad must be at least 0, got {pad}")
    naive = sum(coalesce(lanes)[0] for _, lanes in _naive_instructions(n))
    tiled = wavefronts = 0
    for space, lanes in _tiled_instructions(n, pad):
        if space == "global":
            tiled += coalesce(lanes)[0]
        else:
            wavefronts += bank_conflict_degree(lanes)
    return TransposeTraffic(naive, tiled, wavefronts)


# -- Level 3 ---------------------------------------------------------------------------------


def _is_cond(value: object) -> bool:
    return value in ("T", "F")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


# statement kind -> (allowed tuple lengths, check of one per-lane entry, what the entries are)
_SHAPES = {"if": ((3, 4), _is_cond, "an if condition"), "loop": ((3,), _is_count, "loop counts")}


def _shape(statement: object) -> tuple | None:
    if not isinstance(statement, tuple) or not statement or not isinstance(statement[0], str):
        return None
    shape = _SHAPES.get(statement[0])
    return shape if shape and len(statement) in shape[0] else None


def _check_program(program: Sequence) -> None:
    """ValueError for a malformed statement anywhere, reached or not."""
    for statement in program:
        if isinstance(statement, int):
            if statement < 0:
                raise ValueError(f"an instruction count must be at least 0, got {statement}")
        else:
            _check_branch(statement)


def _check_branch(statement: object) -> None:
    """An if or a loop: its per-lane entries, then its bodies."""
    shape = _shape(statement)
    if shape is None:
        raise ValueError(f"not a statement: {statement!r}")
    _, ok, what = shape
    if len(statement[1]) != WARP_SIZE or not all(ok(value) for value in statement[1]):
        raise ValueError(f"{what} must be {WARP_SIZE} valid entries, got {statement[1]!r}")
    for body in statement[2:]:
        _check_program(body)


class _Warp:
    """Counters of one warp; ``run`` executes a body with a set of active lanes."""

    def __init__(self) -> None:
        self.issued = self.thread_instructions = self.divergent = 0

    def issue(self, count: int, active: frozenset[int]) -> None:
        self.issued += count
        self.thread_instructions += count * len(active)

    def branch(self, taken: frozenset[int], rest: frozenset[int]) -> None:
        self.issue(1, taken | rest)
        if taken and rest:
            self.divergent += 1

    def run(self, program: Sequence, active: frozenset[int]) -> None:
        if not active:
            return
        for statement in program:
            if isinstance(statement, int):
                self.issue(statement, active)
            elif statement[0] == "if":
                rest = program[program.index(statement) + 1:]
                self.run_if(statement, active, rest)
                return
            else:
                self.run_loop(statement, active)
        # Reconvergence: the caller goes on with the lanes it had.

    def run_if(self, statement: tuple, active: frozenset[int], rest: Sequence) -> None:
        cond, bodies = statement[1], [*statement[2:], []]
        taken = frozenset(lane for lane in active if cond[lane] == "T")
        self.branch(taken, active - taken)
        self.run(list(bodies[0]) + list(rest), taken)
        self.run(list(bodies[1]) + list(rest), active - taken)

    def run_loop(self, statement: tuple, active: frozenset[int]) -> None:
        counts, body = statement[1], statement[2]
        trip, live = 0, active
        while live:
            going = frozenset(lane for lane in live if counts[lane] > trip)
            self.branch(going, live - going)
            self.run(body, going)
            live, trip = going, trip + 1


def run_warp(program: Sequence, lanes: int = 32) -> WarpRun:
    """Run ``program`` on one warp whose first ``lanes`` lanes are active."""
    if not 1 <= lanes <= WARP_SIZE:
        raise ValueError(f"lanes must be between 1 and {WARP_SIZE}, got {lanes}")
    _check_program(program)
    warp = _Warp()
    warp.run(program, frozenset(range(lanes)))
    return WarpRun(warp.issued, warp.thread_instructions, warp.divergent)


def warp_order(trip_counts: Sequence[int]) -> list[int]:
    """A permutation of the tasks: thread t of the block takes task order[t].

    Longest first: each full warp then holds tasks of similar length, and the
    last, partial warp gets the shortest ones, so no warp waits on a long task
    while most of its lanes sit idle.
    """
    return sorted(range(len(trip_counts)), key=lambda task: -trip_counts[task])


# -- Level 4 ---------------------------------------------------------------------------------


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")


def occupancy(threads_per_block: int, registers_per_thread: int,
              shared_bytes_per_block: int) -> Occupancy:
    """Blocks per SM, active warps, occupancy and what limits them."""
    _check_range("threads_per_block", threads_per_block, 1, MAX_THREADS_PER_BLOCK)
    _check_range("registers_per_thread", registers_per_thread, 1, MAX_REGISTERS_PER_THREAD)
    _check_range("shared_bytes_per_block", shared_bytes_per_block, 0, MAX_SHARED_BYTES_PER_BLOCK)
    warps = _ceil_div(threads_per_block, WARP_SIZE)
    registers_per_warp = WARP_SIZE * REGISTER_UNIT * _ceil_div(registers_per_thread, REGISTER_UNIT)
    shared = (SHARED_UNIT * _ceil_div(shared_bytes_per_block, SHARED_UNIT)
              + SHARED_RESERVED_PER_BLOCK)
    limits = {
        "warps": MAX_WARPS_PER_SM // warps,
        "registers": REGISTERS_PER_SM // registers_per_warp // warps,
        "shared_memory": SHARED_BYTES_PER_SM // shared,
        "blocks": MAX_BLOCKS_PER_SM,
    }
    blocks = min(limits.values())
    limiters = tuple(name for name in RESOURCES if limits[name] == blocks)
    return Occupancy(blocks, blocks * warps, blocks * warps / MAX_WARPS_PER_SM, limiters, limits)


def best_block_size(registers_per_thread: int, shared_bytes_per_block: int) -> int:
    """The multiple of 32 up to 1024 with the highest occupancy; the largest on a tie."""
    sizes = range(WARP_SIZE, MAX_THREADS_PER_BLOCK + 1, WARP_SIZE)
    return max(sizes, key=lambda size: (
        occupancy(size, registers_per_thread, shared_bytes_per_block).active_warps, size))
