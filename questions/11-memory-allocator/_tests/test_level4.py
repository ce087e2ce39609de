"""Level 4 hidden tests: replaying traces, and the peak footprint of the replay.

The tests build their own copy of the provided helpers (Heap and workload).
Every report is checked against the trace: live allocations aligned, inside
the heap and never overlapping, failures and moves counted right, and the
peak equal to the test heap's own record. The policy is the solution's.
"""

from __future__ import annotations

import bisect
import random

import pytest

# -- a copy of the provided helpers of starter.py; the solution's copy is not used --

ALIGN = 16                              # every block starts at, and is sized in, multiples of 16
SIZE_CLASSES = (16, 32, 64, 128, 256)   # the slab classes of level 3
SLAB_BYTES = 4096                       # the size of one slab in level 3



class BudgetExceeded(Exception):
    """Raised by a Heap with a budget once its visit count goes over it."""


class Block:
    """One block of the heap: ``size`` bytes from ``offset``, free or in use.

    ``offset`` and ``size`` are read-only (change them with ``Heap.split`` and
    ``Heap.merge``). ``free`` may be read and set: set it to False to mark the
    block used, to True to mark it free. Reading ``next`` or ``prev`` (the
    neighbour in address order, or None) is one counted visit.
    """

    __slots__ = ("_free", "_heap", "_next", "_offset", "_prev", "_size")

    def __init__(self, heap: Heap, offset: int, size: int) -> None:
        self._heap: Heap | None = heap
        self._offset, self._size, self._free = offset, size, True
        self._next: Block | None = None
        self._prev: Block | None = None

    @property
    def offset(self) -> int:
        return self._offset

    @property
    def size(self) -> int:
        return self._size

    @property
    def free(self) -> bool:
        return self._free

    @free.setter
    def free(self, value: bool) -> None:
        self._owner()._mark(self, bool(value))

    @property
    def next(self) -> Block | None:
        """Counted: the block right after this one, or None for the last block."""
        self._owner()._step()
        return self._next

    @property
    def prev(self) -> Block | None:
        """Counted: the block right before this one, or None for the first block."""
        self._owner()._step()
        return self._prev

    def _owner(self) -> Heap:
        if self._heap is None:
            raise ValueError(f"{self!r} was merged into the block before it and no longer exists")
        return self._heap

    def __repr__(self) -> str:
        state = "free" if self._free else "used"
        return f"Block(offset={self._offset}, size={self._size}, {state})"


class Heap:
    """A fixed arena of ``size`` bytes, cut into blocks kept in address order.

    A new heap is one free block covering everything. Counted visits (each adds
    1 to ``visits``): ``first``, ``last``, ``block_at``, ``Block.next``,
    ``Block.prev``, and ``layout`` (one per block). Free of charge: ``split``,
    ``merge``, reading ``offset``, ``size`` and ``free``, and setting ``free``.
    With a ``budget``, the visit that goes over it raises ``BudgetExceeded``.

    ``peak`` is the highest end offset (offset + size) any used block has
    reached. A block counts from the moment it is marked used or grows by a
    merge; a split of that same block as the very next heap call is taken
    into account first, so "mark used, then split" and "merge, then split"
    both count only the size the block ends up with.
    """

    def __init__(self, size: int, budget: int | None = None) -> None:
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0 or size % ALIGN:
            raise ValueError(f"the heap size must be a positive multiple of {ALIGN}, got {size!r}")
        self._size = size
        self._budget = budget
        self._visits = 0
        self._peak = 0
        self._pending: Block | None = None
        self._first = self._last = Block(self, 0, size)
        self._starts: dict[int, Block] = {0: self._first}

    @property
    def size(self) -> int:
        """The arena's size in bytes."""
        return self._size

    @property
    def visits(self) -> int:
        """How many counted visits have been made so far."""
        return self._visits

    @property
    def peak(self) -> int:
        """The highest end offset any used block has reached (0 before any)."""
        self._settle()
        return self._peak

    @property
    def first(self) -> Block:
        """Counted: the block at offset 0."""
        self._step()
        return self._first

    @property
    def last(self) -> Block:
        """Counted: the block that ends at ``size``."""
        self._step()
        return self._last

    def block_at(self, offset: int) -> Block | None:
        """Counted: the block that starts exactly at ``offset``, or None."""
        self._step()
        return self._starts.get(offset)

    def split(self, block: Block, size: int) -> Block:
        """Free: cut ``block`` in two; it keeps its first ``size`` bytes and its state.

        The remaining bytes become a new free block right after it, which is
        returned. ``size`` must be a multiple of 16 with 0 < size < block.size.
        """
        self._own(block)
        if (not isinstance(size, int) or isinstance(size, bool) or size <= 0
                or size >= block._size or size % ALIGN):
            raise ValueError(f"cannot split {block!r} at {size!r}: need a multiple of "
                             f"{ALIGN} between 0 and {block._size} (both excluded)")
        if block is not self._pending:
            self._settle()
        rest = Block(self, block._offset + size, block._size - size)
        block._size = size
        rest._prev, rest._next = block, block._next
        if block._next is None:
            self._last = rest
        else:
            block._next._prev = rest
        block._next = rest
        self._starts[rest._offset] = rest
        return rest

    def merge(self, block: Block) -> Block:
        """Free: ``block`` absorbs the block right after it, which must be free.

        ``block`` keeps its state (free or used) and is returned; the absorbed
        block no longer exists.
        """
        self._own(block)
        after = block._next
        if after is None or not after._free:
            raise ValueError(f"{block!r} has no free block right after it to merge")
        self._settle()
        block._size += after._size
        block._next = after._next
        if after._next is None:
            self._last = block
        else:
            after._next._prev = block
        del self._starts[after._offset]
        after._heap = after._next = after._prev = None
        if not block._free:
            self._pending = block
        return block

    def layout(self) -> list[tuple[int, int, bool]]:
        """Counted, one visit per block: (offset, size, free) of every block in address order."""
        self._settle()
        blocks = []
        block = self._first
        while block is not None:
            self._visit()
            blocks.append((block._offset, block._size, block._free))
            block = block._next
        return blocks

    # -- internals --

    def _own(self, block: Block) -> None:
        if not isinstance(block, Block) or block._owner() is not self:
            raise ValueError(f"{block!r} is not a block of this heap")

    def _mark(self, block: Block, free: bool) -> None:
        self._settle()
        block._free = free
        if not free:
            self._pending = block

    def _settle(self) -> None:
        block, self._pending = self._pending, None
        if block is not None and block._heap is self and not block._free:
            self._peak = max(self._peak, block._offset + block._size)

    def _step(self) -> None:
        self._settle()
        self._visit()

    def _visit(self) -> None:
        self._visits += 1
        if self._budget is not None and self._visits > self._budget:
            raise BudgetExceeded(f"more than {self._budget} block visits")


_SMALL_SIZES = (8, 16, 24, 32, 48, 64, 64, 96, 128, 160, 256)


def workload(seed: int = 11, rounds: int = 30) -> list[tuple]:
    """A deterministic trace of a server's allocations: about 30,000 operations.

    Each round allocates a burst of 300 to 800 small objects, grows one
    buffer by doubling it with realloc, frees the burst again in random order
    (about 1 in 100 small objects survives for 1 to 3 more rounds), and then
    allocates 2 to 5 large blocks of 2,000 to 12,000 bytes, keeping at most
    six of them alive. Operations are ("malloc", id, size), ("realloc", id,
    size) and ("free", id); ids count up from 0 and each malloc has a new one.
    """
    rng = random.Random(seed)
    trace: list[tuple] = []
    ids = iter(range(10**9))

    def malloc(size: int) -> int:
        block_id = next(ids)
        trace.append(("malloc", block_id, size))
        return block_id

    survivors: list[tuple[int, int]] = []
    large: list[int] = []
    for round_no in range(rounds):
        burst = [malloc(rng.choice(_SMALL_SIZES)) for _ in range(rng.randint(300, 800))]
        buffer, size = malloc(rng.randint(100, 400)), 256
        for _ in range(rng.randint(2, 6)):
            size *= 2
            trace.append(("realloc", buffer, size + rng.randint(0, 100)))
        rng.shuffle(burst)
        for block_id in burst:
            if rng.random() < 0.01:
                survivors.append((round_no + rng.randint(1, 3), block_id))
            else:
                trace.append(("free", block_id))
        trace.append(("free", buffer))
        for expiry, block_id in survivors:
            if expiry <= round_no:
                trace.append(("free", block_id))
        survivors = [(expiry, block_id) for expiry, block_id in survivors if expiry > round_no]
        for _ in range(rng.randint(2, 5)):
            large.append(malloc(rng.randint(2000, 12000)))
        while len(large) > 6:
            trace.append(("free", large.pop(rng.randrange(len(large)))))
    return trace


# ----------------------------------------------------------------------------------------------

SEEDS = (11, 12, 13)
# Peak footprint of the reference replay on workload(seed) over Heap(1 << 20).
REFERENCE_PEAK = {11: 163584, 12: 152544, 13: 147040}
FOOTPRINT_BOUND = 1.15
VISIT_BUDGET = 50_000


class LiveSet:
    """Checks that live allocations are aligned, inside the heap and never overlap."""

    def __init__(self, heap_size):
        self.heap_size = heap_size
        self.starts, self.ends = [], {}
        self.highest = 0

    def add(self, offset, size, what):
        end = offset + -(-size // 16) * 16
        assert isinstance(offset, int) and offset % 16 == 0, f"{what}: offset {offset!r}"
        assert offset >= 0 and end <= self.heap_size, f"{what}: [{offset}, {end}) is outside"
        at = bisect.bisect_left(self.starts, offset)
        if at < len(self.starts):
            assert end <= self.starts[at], f"{what}: [{offset}, {end}) overlaps {self.starts[at]}"
        if at:
            before = self.starts[at - 1]
            assert self.ends[before] <= offset, f"{what}: {offset} overlaps the block at {before}"
        self.starts.insert(at, offset)
        self.ends[offset] = end
        self.highest = max(self.highest, end)

    def remove(self, offset):
        del self.starts[bisect.bisect_left(self.starts, offset)]
        del self.ends[offset]


def used_blocks(heap):
    """(start, end) of every used block, read without counting visits."""
    used, block = [], heap._first
    while block is not None:
        if not block._free:
            used.append((block._offset, block._offset + block._size))
        block = block._next
    return used


def check_report(trace, heap, report):
    """Check ``report`` against ``trace`` and the test heap; answer its peak."""
    assert len(report) == 4, "replay must return a Report"
    peak, failed, moved, offsets = report
    offsets = list(offsets)
    assert len(offsets) == len(trace), f"{len(offsets)} offsets for {len(trace)} operations"
    live, where = LiveSet(heap.size), {}
    counted_failed = counted_moved = 0
    for step, (op, offset) in enumerate(zip(trace, offsets, strict=True)):
        what = f"operation {step} {op}"
        kind, block_id = op[0], op[1]
        if kind != "malloc" and block_id not in where:
            assert offset is None, f"{what}: its malloc failed, so it is skipped"
        elif kind == "free":
            assert offset is None, f"{what}: a free has no offset (None)"
            live.remove(where.pop(block_id))
        elif offset is None:
            counted_failed += 1
        else:
            if kind == "realloc":
                counted_moved += offset != where[block_id]
                live.remove(where[block_id])
            live.add(offset, op[2], what)
            where[block_id] = offset
    assert failed == counted_failed, (
        f"reported {failed} failures, the offsets show {counted_failed}")
    assert moved == counted_moved, f"reported {moved} moves, the offsets show {counted_moved}"
    assert peak == heap.peak, f"reported a peak of {peak}, the heap's peak is {heap.peak}"
    assert live.highest <= heap.peak, "an allocation reached above every used block"
    used = used_blocks(heap)
    for start in live.starts:
        at = bisect.bisect_right(used, (start, float("inf"))) - 1
        assert at >= 0 and used[at][0] <= start and live.ends[start] <= used[at][1], (
            f"the live allocation at {start} is not inside a used block of the heap")
    return peak


_RUNS: dict[int, tuple] = {}


def replay_workload(solution, seed):
    """Replay workload(seed) once per seed over a budgeted heap and check the report."""
    if seed not in _RUNS:
        trace = workload(seed)
        heap = Heap(1 << 20, budget=VISIT_BUDGET)
        try:
            report = solution.replay(trace, heap)
        except BudgetExceeded:
            pytest.fail(f"the replay of workload({seed}) made more than {VISIT_BUDGET} visits")
        _RUNS[seed] = (check_report(trace, heap, report), report.failed, heap.visits)
    return _RUNS[seed]


SMALL_TRACE = [
    ("malloc", 0, 100), ("malloc", 1, 20), ("realloc", 0, 300),
    ("free", 1), ("malloc", 2, 5000), ("realloc", 2, 40), ("free", 0),
]


# -- what a report holds -----------------------------------------------------------------------


def test_replay_reports_one_entry_per_operation(solution):
    heap = Heap(1 << 16)
    report = solution.replay(SMALL_TRACE, heap)
    check_report(SMALL_TRACE, heap, report)
    assert report.failed == 0
    assert report.offsets[3] is None and report.offsets[6] is None
    assert all(report.offsets[i] is not None for i in (0, 1, 2, 4, 5))


def test_replay_reports_the_peak_of_the_heap(solution):
    heap = Heap(1 << 16)
    report = solution.replay(SMALL_TRACE, heap)
    assert report.peak_footprint == heap.peak
    assert report.peak_footprint >= 5008 + 304 - 304   # 5000 bytes were live at once


def test_replay_reads_any_iterable_once(solution):
    heap = Heap(1 << 16)
    report = solution.replay(iter(SMALL_TRACE), heap)
    check_report(SMALL_TRACE, heap, report)


def test_replay_of_an_empty_trace_edge(solution):
    heap = Heap(1024)
    report = solution.replay([], heap)
    assert tuple(report) == (0, 0, 0, [])


def test_replay_counts_failures_and_skips_their_ids_edge(solution):
    trace = [("malloc", 0, 3000), ("malloc", 1, 3000), ("free", 1), ("realloc", 1, 100),
             ("realloc", 0, 3500), ("free", 0), ("malloc", 2, 100)]
    heap = Heap(4096)
    report = solution.replay(trace, heap)
    check_report(trace, heap, report)
    assert report.offsets[1] is None        # 6,000 bytes never fit in 4,096
    assert report.offsets[2] is None and report.offsets[3] is None
    assert report.failed == 1 + (report.offsets[4] is None) + (report.offsets[0] is None)


def test_replay_counts_reallocs_that_move(solution):
    trace = [("malloc", 0, 64), ("malloc", 1, 64), ("realloc", 0, 2000), ("realloc", 1, 64),
             ("free", 1), ("realloc", 0, 16)]
    heap = Heap(1 << 16)
    report = solution.replay(trace, heap)
    check_report(trace, heap, report)
    assert report.offsets[3] == report.offsets[1]   # same size: stays put


def test_replay_on_a_nearly_full_heap_stays_valid_edge(solution):
    trace = workload(12)[:4000]
    heap = Heap(24576)
    report = solution.replay(trace, heap)
    check_report(trace, heap, report)
    assert report.failed > 0


# -- the workload ------------------------------------------------------------------------------


def test_workload_seed_11_replays_validly_within_the_visit_budget(solution):
    _, failed, visits = replay_workload(solution, 11)
    assert failed == 0 and visits <= VISIT_BUDGET


def test_workload_seed_12_replays_validly_within_the_visit_budget(solution):
    _, failed, visits = replay_workload(solution, 12)
    assert failed == 0 and visits <= VISIT_BUDGET


def test_workload_seed_13_replays_validly_within_the_visit_budget(solution):
    _, failed, visits = replay_workload(solution, 13)
    assert failed == 0 and visits <= VISIT_BUDGET


def test_peak_footprint_stays_within_the_bound_measured(solution, measure):
    peaks = {seed: replay_workload(solution, seed)[0] for seed in SEEDS}
    total, reference = sum(peaks.values()), sum(REFERENCE_PEAK.values())
    assert total <= FOOTPRINT_BOUND * reference, (
        f"peaks {peaks} add up to {total}; the bound is {FOOTPRINT_BOUND * reference:.0f} "
        f"({FOOTPRINT_BOUND} times the reference's {reference})")
    measure("peak_footprint", total)
