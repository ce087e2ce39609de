"""Level 2 hidden tests: coalescing on free, and the fragmentation metrics.

The tests build their own copy of the provided Heap and compare long random
runs with a trusted model: with every free block merged with its free
neighbours, first fit is "the start of the lowest free gap large enough".
"""

from __future__ import annotations

import itertools
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


# ----------------------------------------------------------------------------------------------


def names_offset(error, offset):
    return re.search(rf"(?<![\d-]){offset}(?!\d)", str(error.value)) is not None


def allocator(solution, size=1024):
    heap = Heap(size)
    return heap, solution.Allocator(heap)


class GapModel:
    """A trusted model: the live allocations, and the free gaps between them."""

    def __init__(self, size):
        self.size = size
        self.live = {}               # offset -> rounded size

    def gaps(self):
        gaps, at = [], 0
        for offset in sorted(self.live):
            if offset > at:
                gaps.append((at, offset - at))
            at = offset + self.live[offset]
        if at < self.size:
            gaps.append((at, self.size - at))
        return gaps

    def malloc(self, size):
        need = -(-size // 16) * 16
        for offset, length in self.gaps():
            if length >= need:
                self.live[offset] = need
                return offset
        return None

    def free(self, offset):
        del self.live[offset]

    def layout(self):
        blocks = [(offset, length, True) for offset, length in self.gaps()]
        blocks += [(offset, length, False) for offset, length in self.live.items()]
        return sorted(blocks)


# -- coalescing --------------------------------------------------------------------------------


def test_free_merges_with_the_free_block_after_it(solution):
    heap, alloc = allocator(solution, 256)
    a, b = alloc.malloc(32), alloc.malloc(32)
    alloc.free(b)
    assert heap.layout() == [(0, 32, False), (32, 224, True)]
    alloc.free(a)
    assert heap.layout() == [(0, 256, True)]


def test_free_merges_with_the_free_block_before_it(solution):
    heap, alloc = allocator(solution, 256)
    a, b, c = alloc.malloc(32), alloc.malloc(32), alloc.malloc(32)
    alloc.free(a)
    alloc.free(b)
    assert heap.layout() == [(0, 64, True), (64, 32, False), (96, 160, True)]
    assert c == 64


def test_free_merges_with_both_neighbours_at_once(solution):
    heap, alloc = allocator(solution, 256)
    a, b, c, d = (alloc.malloc(32) for _ in range(4))
    alloc.free(a)
    alloc.free(c)
    alloc.free(b)
    assert heap.layout() == [(0, 96, True), (96, 32, False), (128, 128, True)]
    alloc.free(d)
    assert heap.layout() == [(0, 256, True)]


def test_merged_space_serves_a_request_no_single_hole_could(solution):
    heap, alloc = allocator(solution, 256)
    a, b, _ = alloc.malloc(64), alloc.malloc(64), alloc.malloc(128)
    alloc.free(a)
    alloc.free(b)
    assert alloc.malloc(128) == 0
    assert heap.layout() == [(0, 128, False), (128, 128, False)]


def test_freeing_the_only_block_restores_one_free_block_edge(solution):
    heap, alloc = allocator(solution, 1024)
    a = alloc.malloc(1024)
    alloc.free(a)
    assert heap.layout() == [(0, 1024, True)]
    assert alloc.malloc(1024) == 0


def test_random_run_matches_the_first_fit_model(solution):
    rng = random.Random(11)
    heap, alloc = allocator(solution, 8192)
    model = GapModel(8192)
    live = []
    for step in range(1500):
        if live and rng.random() < 0.45:
            offset = live.pop(rng.randrange(len(live)))
            alloc.free(offset)
            model.free(offset)
        else:
            size = rng.choice((1, 8, 16, 30, 64, 100, 250, 600, 1500))
            got, expected = alloc.malloc(size), model.malloc(size)
            assert got == expected, f"step {step}: malloc({size}) gave {got}, expected {expected}"
            if got is not None:
                live.append(got)
        if step % 50 == 0:
            assert heap.layout() == model.layout(), f"step {step}"
    assert heap.layout() == model.layout()


def test_no_two_free_blocks_are_ever_adjacent(solution):
    rng = random.Random(5)
    heap, alloc = allocator(solution, 4096)
    live = [alloc.malloc(rng.choice((16, 48, 80))) for _ in range(40)]
    rng.shuffle(live)
    for offset in live:
        alloc.free(offset)
        states = [free for _, _, free in heap.layout()]
        assert not any(a and b for a, b in itertools.pairwise(states))
    assert heap.layout() == [(0, 4096, True)]


def test_double_free_after_a_merge_is_still_detected_edge(solution):
    heap, alloc = allocator(solution, 256)
    a, b = alloc.malloc(32), alloc.malloc(32)
    alloc.free(b)                    # merged into the free tail
    with pytest.raises(solution.AllocatorError, match="double free") as error:
        alloc.free(b)
    assert names_offset(error, b)
    alloc.free(a)                    # merged into one free block
    with pytest.raises(solution.AllocatorError, match="double free"):
        alloc.free(a)
    assert heap.layout() == [(0, 256, True)]


def test_stale_offset_inside_a_new_block_is_a_double_free_edge(solution):
    heap, alloc = allocator(solution, 256)
    a, b = alloc.malloc(32), alloc.malloc(32)
    alloc.malloc(32)
    alloc.free(b)
    alloc.free(a)
    assert alloc.malloc(64) == 0     # covers both old blocks
    with pytest.raises(solution.AllocatorError, match="double free"):
        alloc.free(b)                # b was freed and never handed out again
    assert heap.layout()[0] == (0, 64, False)


# -- metrics -----------------------------------------------------------------------------------


def test_metrics_of_a_new_heap_edge(solution):
    _, alloc = allocator(solution, 1024)
    assert (alloc.largest_free(), alloc.total_free()) == (1024, 1024)
    assert alloc.fragmentation() == 0.0


def test_metrics_of_a_full_heap_edge(solution):
    _, alloc = allocator(solution, 256)
    alloc.malloc(256)
    assert (alloc.largest_free(), alloc.total_free()) == (0, 0)
    assert alloc.fragmentation() == 0.0


def test_fragmentation_of_two_holes(solution):
    _, alloc = allocator(solution, 256)
    x, y, z = alloc.malloc(32), alloc.malloc(64), alloc.malloc(32)
    alloc.free(x)
    alloc.free(z)
    assert (alloc.largest_free(), alloc.total_free()) == (160, 192)
    assert alloc.fragmentation() == pytest.approx(1 - 160 / 192)
    assert y == 32


def test_fragmentation_grows_with_scattered_holes(solution):
    _, alloc = allocator(solution, 1024)
    blocks = [alloc.malloc(64) for _ in range(16)]
    for offset in blocks[::2]:
        alloc.free(offset)
    assert (alloc.largest_free(), alloc.total_free()) == (64, 512)
    assert alloc.fragmentation() == pytest.approx(1 - 64 / 512)
    assert isinstance(alloc.fragmentation(), float)


def test_metrics_do_not_change_the_heap(solution):
    heap, alloc = allocator(solution, 512)
    a = alloc.malloc(100)
    alloc.malloc(50)
    alloc.free(a)
    before = heap.layout()
    alloc.largest_free(), alloc.total_free(), alloc.fragmentation()
    assert heap.layout() == before
    assert alloc.malloc(100) == a
