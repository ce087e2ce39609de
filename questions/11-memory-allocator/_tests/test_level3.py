"""Level 3 hidden tests: realloc, the slab allocator, and its visit budget.

The tests build their own copy of the provided helpers (Heap and workload),
so the visits they count and the trace they replay do not depend on the
solution's copy.
"""

from __future__ import annotations

import bisect
import random
import re

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

# Visits of the reference SlabAllocator on workload(11) over Heap(1 << 20), and the budget.
REFERENCE_VISITS = 5177
VISIT_BUDGET = 2 * REFERENCE_VISITS


def names_offset(error, offset):
    return re.search(rf"(?<![\d-]){offset}(?!\d)", str(error.value)) is not None


def allocator(solution, size=1024):
    heap = Heap(size)
    return heap, solution.Allocator(heap)


def slabs(solution, size=16384):
    heap = Heap(size)
    return heap, solution.SlabAllocator(heap)


class LiveSet:
    """Checks that live allocations are aligned, inside the heap and never overlap."""

    def __init__(self, heap_size):
        self.heap_size = heap_size
        self.starts, self.ends = [], {}

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

    def remove(self, offset):
        del self.starts[bisect.bisect_left(self.starts, offset)]
        del self.ends[offset]


# -- Allocator.realloc -------------------------------------------------------------------------


def test_realloc_to_the_same_rounded_size_stays_put(solution):
    heap, alloc = allocator(solution, 256)
    a = alloc.malloc(40)
    alloc.malloc(16)
    assert alloc.realloc(a, 48) == a
    assert alloc.realloc(a, 33) == a
    assert heap.layout()[0] == (0, 48, False)


def test_realloc_shrinks_in_place_and_frees_the_tail(solution):
    heap, alloc = allocator(solution, 256)
    a, b = alloc.malloc(64), alloc.malloc(16)
    assert alloc.realloc(a, 20) == a
    assert heap.layout() == [(0, 32, False), (32, 32, True), (64, 16, False), (80, 176, True)]
    assert b == 64


def test_realloc_shrink_merges_the_tail_with_a_free_neighbour(solution):
    heap, alloc = allocator(solution, 256)
    a, b = alloc.malloc(64), alloc.malloc(64)
    alloc.free(b)
    assert alloc.realloc(a, 16) == a
    assert heap.layout() == [(0, 16, False), (16, 240, True)]


def test_realloc_grows_into_the_free_block_after_it(solution):
    heap, alloc = allocator(solution, 512)
    p, q = alloc.malloc(64), alloc.malloc(64)
    assert alloc.realloc(q, 200) == q
    assert heap.layout() == [(0, 64, False), (64, 208, False), (272, 240, True)]
    assert p == 0


def test_realloc_grow_can_use_the_whole_neighbour_edge(solution):
    heap, alloc = allocator(solution, 256)
    a, b, c = alloc.malloc(32), alloc.malloc(64), alloc.malloc(16)
    alloc.free(b)
    assert alloc.realloc(a, 96) == a
    assert heap.layout() == [(0, 96, False), (96, 16, False), (112, 144, True)]
    assert c == 96


def test_realloc_grow_in_place_counts_only_the_bytes_it_takes(solution):
    heap, alloc = allocator(solution, 1 << 20)
    a = alloc.malloc(100)
    assert alloc.realloc(a, 1000) == a
    assert heap.peak == 1008, "growing in place must not mark the whole free neighbour used"
    assert heap.layout() == [(0, 1008, False), (1008, (1 << 20) - 1008, True)]


def test_realloc_moves_when_the_neighbour_is_too_small(solution):
    heap, alloc = allocator(solution, 512)
    p, q = alloc.malloc(64), alloc.malloc(64)
    alloc.realloc(q, 200)
    alloc.realloc(p, 20)             # (0, 32) used, (32, 32) free
    assert alloc.realloc(p, 100) == 272
    assert heap.layout() == [(0, 64, True), (64, 208, False), (272, 112, False),
                             (384, 128, True)]
    assert heap.peak == 384


def test_realloc_finds_the_new_place_before_freeing_the_old_one(solution):
    heap, alloc = allocator(solution, 512)
    x, a, _ = alloc.malloc(32), alloc.malloc(32), alloc.malloc(32)
    alloc.free(x)                    # free (0, 32) before a, b in use after it
    assert alloc.realloc(a, 48) == 96
    assert heap.layout() == [(0, 64, True), (64, 32, False), (96, 48, False), (144, 368, True)]


def test_realloc_after_a_move_frees_the_old_offset(solution):
    _, alloc = allocator(solution, 512)
    a = alloc.malloc(32)
    alloc.malloc(32)
    moved = alloc.realloc(a, 64)
    assert moved == 64
    with pytest.raises(solution.AllocatorError, match="double free"):
        alloc.free(a)
    alloc.free(moved)


def test_realloc_that_cannot_fit_returns_none_and_keeps_the_block_edge(solution):
    heap, alloc = allocator(solution, 256)
    a = alloc.malloc(64)
    alloc.malloc(64)
    before = heap.layout()
    assert alloc.realloc(a, 200) is None
    assert heap.layout() == before
    alloc.free(a)                    # still a live allocation


def test_realloc_of_an_offset_that_is_not_live_raises_edge(solution):
    _, alloc = allocator(solution, 256)
    a = alloc.malloc(32)
    alloc.malloc(32)
    alloc.free(a)
    for offset in (a, 8, 48):
        with pytest.raises(solution.AllocatorError) as error:
            alloc.realloc(offset, 16)
        assert names_offset(error, offset)


def test_realloc_to_a_size_below_one_raises_value_error_edge(solution):
    heap, alloc = allocator(solution, 256)
    a = alloc.malloc(32)
    with pytest.raises(ValueError):
        alloc.realloc(a, 0)
    assert heap.layout()[0] == (0, 32, False)


# -- SlabAllocator -----------------------------------------------------------------------------


def test_small_sizes_of_one_class_share_a_slab_in_ascending_order(solution):
    heap, alloc = slabs(solution)
    assert [alloc.malloc(size) for size in (24, 30, 17, 32)] == [0, 32, 64, 96]
    assert heap.layout() == [(0, 4096, False), (4096, 12288, True)]


def test_each_class_gets_its_own_slab(solution):
    heap, alloc = slabs(solution)
    assert alloc.malloc(24) == 0
    assert alloc.malloc(100) == 4096
    assert alloc.malloc(8) == 8192
    assert alloc.malloc(120) == 4096 + 128
    assert heap.layout() == [(0, 4096, False), (4096, 4096, False), (8192, 4096, False),
                             (12288, 4096, True)]


def test_size_class_boundaries_edge(solution):
    heap, alloc = slabs(solution, 65536)
    assert alloc.malloc(16) == 0             # class 16
    assert alloc.malloc(256) == 4096         # class 256
    assert alloc.malloc(257) == 8192         # large: 272 bytes by first fit
    assert alloc.malloc(241) == 4096 + 256   # rounds to 256: class 256
    assert alloc.malloc(1) == 16             # class 16 again
    assert heap.layout()[:4] == [(0, 4096, False), (4096, 4096, False),
                                 (8192, 272, False), (8464, 65536 - 8464, True)]


def test_large_sizes_use_first_fit_beside_the_slabs(solution):
    heap, alloc = slabs(solution)
    big = alloc.malloc(1000)
    small = alloc.malloc(20)
    assert (big, small) == (0, 1008)
    alloc.free(big)
    assert alloc.malloc(500) == 0
    assert heap.layout()[:3] == [(0, 512, False), (512, 496, True), (1008, 4096, False)]


def test_a_freed_slot_is_handed_out_first(solution):
    _, alloc = slabs(solution)
    a, b, c = alloc.malloc(64), alloc.malloc(64), alloc.malloc(64)
    alloc.free(a)
    alloc.free(c)
    assert alloc.malloc(50) == c     # the last slot freed comes back first
    assert alloc.malloc(50) == a
    assert alloc.malloc(50) == 192   # then the slab's untouched slots, lowest first
    assert b == 64


def test_a_full_slab_leads_to_a_new_slab(solution):
    heap, alloc = slabs(solution)
    got = [alloc.malloc(256) for _ in range(17)]
    assert got[:16] == list(range(0, 4096, 256))
    assert got[16] == 4096
    assert heap.layout()[:2] == [(0, 4096, False), (4096, 4096, False)]


def test_an_empty_slab_stays_in_the_heap_edge(solution):
    heap, alloc = slabs(solution)
    slots = [alloc.malloc(128) for _ in range(3)]
    for offset in slots:
        alloc.free(offset)
    assert heap.layout() == [(0, 4096, False), (4096, 12288, True)]
    assert alloc.malloc(128) == slots[-1]


def test_slab_double_free_and_invalid_free_edge(solution):
    heap, alloc = slabs(solution)
    a = alloc.malloc(32)
    alloc.malloc(32)
    alloc.free(a)
    with pytest.raises(solution.AllocatorError, match="double free") as error:
        alloc.free(a)                # slot 0, the slab's own offset, is free now
    assert names_offset(error, a)
    for offset in (40, 64, 4096):    # mid-slot, a slot never handed out, free space
        with pytest.raises(solution.AllocatorError, match="invalid free") as error:
            alloc.free(offset)
        assert names_offset(error, offset)
    assert heap.layout() == [(0, 4096, False), (4096, 12288, True)]


def test_slab_free_of_a_large_block_merges_it_edge(solution):
    heap, alloc = slabs(solution)
    big = alloc.malloc(3000)
    alloc.free(big)
    assert heap.layout() == [(0, 16384, True)]
    with pytest.raises(solution.AllocatorError, match="double free"):
        alloc.free(big)


def test_slab_realloc_within_the_class_stays_put(solution):
    _, alloc = slabs(solution)
    a = alloc.malloc(100)
    assert alloc.realloc(a, 128) == a
    assert alloc.realloc(a, 97) == a


def test_slab_realloc_across_classes_moves(solution):
    heap, alloc = slabs(solution)
    a = alloc.malloc(20)             # class 32 at 0
    b = alloc.realloc(a, 40)         # class 64: a new slab at 4096
    assert b == 4096
    assert alloc.malloc(30) == a     # the old slot was freed
    c = alloc.realloc(b, 300)        # large: first fit after the two slabs
    assert c == 8192
    d = alloc.realloc(c, 200)        # back to a slot of class 256, another slab
    assert d == 8192 + 304
    assert heap.layout()[:4] == [(0, 4096, False), (4096, 4096, False),
                                 (8192, 304, True), (8496, 4096, False)]


def test_slab_realloc_of_a_large_block_grows_in_place(solution):
    heap, alloc = slabs(solution)
    a = alloc.malloc(1000)
    assert alloc.realloc(a, 3000) == a
    assert alloc.realloc(a, 500) == a
    assert heap.layout() == [(0, 512, False), (512, 16384 - 512, True)]


def test_slab_realloc_of_a_freed_slot_raises_edge(solution):
    _, alloc = slabs(solution)
    a = alloc.malloc(16)
    alloc.free(a)
    with pytest.raises(solution.AllocatorError) as error:
        alloc.realloc(a, 32)
    assert names_offset(error, a)


def test_slab_malloc_returns_none_when_no_slab_fits_edge(solution):
    heap, alloc = slabs(solution, 2048)
    assert alloc.malloc(16) is None  # a slab needs 4096 bytes
    assert alloc.malloc(1000) == 0   # large sizes still fit
    assert heap.layout() == [(0, 1008, False), (1008, 1040, True)]


# -- the visit budget --------------------------------------------------------------------------


def test_slab_allocator_runs_the_workload_within_the_visit_budget_measured(solution, measure):
    trace = workload(11)
    heap = Heap(1 << 20, budget=VISIT_BUDGET)
    alloc = solution.SlabAllocator(heap)
    live, where = LiveSet(heap.size), {}
    for step, op in enumerate(trace):
        what = f"operation {step} {op}"
        try:
            if op[0] == "malloc":
                offset = alloc.malloc(op[2])
                assert offset is not None, f"{what}: failed on a heap with room to spare"
                live.add(offset, op[2], what)
                where[op[1]] = offset
            elif op[0] == "free":
                offset = where.pop(op[1])
                alloc.free(offset)
                live.remove(offset)
            else:
                offset = alloc.realloc(where[op[1]], op[2])
                assert offset is not None, f"{what}: failed on a heap with room to spare"
                live.remove(where[op[1]])
                live.add(offset, op[2], what)
                where[op[1]] = offset
        except BudgetExceeded:
            pytest.fail(f"more than {VISIT_BUDGET} block visits by {what}: small sizes must "
                        "come from slabs without walking the heap")
    measure("visits", heap.visits)
