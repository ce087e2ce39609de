"""Level 1 hidden tests: malloc and free, first fit with splitting, alignment, errors.

The tests build their own copy of the provided Heap, so the layout and the
visit counts they check do not depend on the solution's copy. No test of this
level depends on free blocks merging (that is level 2).
"""

from __future__ import annotations

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


# -- placement ---------------------------------------------------------------------------------


def test_first_malloc_starts_at_offset_zero(solution):
    _, alloc = allocator(solution)
    assert alloc.malloc(100) == 0


def test_sizes_round_up_to_multiples_of_sixteen(solution):
    heap, alloc = allocator(solution)
    assert [alloc.malloc(size) for size in (1, 16, 17, 33, 48)] == [0, 16, 32, 64, 112]
    assert heap.layout()[:5] == [(0, 16, False), (16, 16, False), (32, 32, False),
                                 (64, 48, False), (112, 48, False)]


def test_malloc_splits_the_free_block_and_keeps_the_rest_free(solution):
    heap, alloc = allocator(solution, 256)
    assert alloc.malloc(40) == 0
    assert heap.layout() == [(0, 48, False), (48, 208, True)]


def test_first_fit_takes_the_lowest_free_block_large_enough(solution):
    heap, alloc = allocator(solution, 512)
    a, b, c, d = (alloc.malloc(size) for size in (32, 16, 64, 16))   # 0, 32, 48, 112
    assert (a, b, c, d) == (0, 32, 48, 112)
    alloc.free(a)                    # hole of 32 at 0 (its neighbour b is in use)
    alloc.free(c)                    # hole of 64 at 48 (b and d are in use)
    assert alloc.malloc(40) == 48    # the hole at 0 is too small
    assert alloc.malloc(20) == 0     # the hole at 0 is the first that fits
    assert heap.layout() == [(0, 32, False), (32, 16, False), (48, 48, False),
                             (96, 16, True), (112, 16, False), (128, 384, True)]


def test_a_hole_is_split_and_its_rest_serves_later_requests(solution):
    _, alloc = allocator(solution, 512)
    first, keep = alloc.malloc(96), alloc.malloc(16)
    alloc.free(first)
    assert alloc.malloc(32) == 0
    assert alloc.malloc(32) == 32
    assert alloc.malloc(32) == 64
    assert alloc.malloc(16) == keep + 16


def test_exact_fit_takes_the_whole_block_without_a_split_edge(solution):
    heap, alloc = allocator(solution, 64)
    assert alloc.malloc(64) == 0
    assert heap.layout() == [(0, 64, False)]


def test_the_heap_fills_up_exactly_edge(solution):
    _, alloc = allocator(solution, 1024)
    assert [alloc.malloc(16) for _ in range(64)] == list(range(0, 1024, 16))
    assert alloc.malloc(1) is None


def test_malloc_returns_none_and_changes_nothing_when_nothing_fits_edge(solution):
    heap, alloc = allocator(solution, 256)
    alloc.malloc(100)
    before = heap.layout()
    assert alloc.malloc(200) is None
    assert heap.layout() == before
    assert alloc.malloc(144) == 112   # exactly the 144 bytes that are left


def test_request_larger_than_the_heap_edge(solution):
    heap, alloc = allocator(solution, 256)
    assert alloc.malloc(257) is None
    assert heap.layout() == [(0, 256, True)]


def test_malloc_rejects_sizes_below_one_edge(solution):
    heap, alloc = allocator(solution, 256)
    for size in (0, -16):
        with pytest.raises(ValueError):
            alloc.malloc(size)
    assert heap.layout() == [(0, 256, True)]


def test_peak_follows_the_highest_used_block(solution):
    heap, alloc = allocator(solution, 1024)
    alloc.malloc(100)
    alloc.malloc(30)
    assert heap.peak == 144


def test_freed_block_is_reused_at_the_same_offset(solution):
    heap, alloc = allocator(solution, 256)
    a, b = alloc.malloc(32), alloc.malloc(32)
    alloc.free(a)
    assert heap.layout()[0] == (0, 32, True)
    assert alloc.malloc(30) == a
    alloc.free(a)                    # handed out again, so it can be freed again
    alloc.free(b)


# -- errors ------------------------------------------------------------------------------------


def test_double_free_raises_and_names_the_offset_edge(solution):
    _, alloc = allocator(solution, 256)
    alloc.malloc(16)
    b = alloc.malloc(16)
    alloc.malloc(16)
    alloc.free(b)
    with pytest.raises(solution.AllocatorError, match="double free") as error:
        alloc.free(b)
    assert names_offset(error, b)


def test_free_of_an_offset_never_allocated_is_invalid_edge(solution):
    _, alloc = allocator(solution, 256)
    with pytest.raises(solution.AllocatorError, match="invalid free") as error:
        alloc.free(0)                # nothing was ever allocated
    assert names_offset(error, 0)
    alloc.malloc(64)
    with pytest.raises(solution.AllocatorError, match="invalid free") as error:
        alloc.free(32)               # inside a live block, not its start
    assert names_offset(error, 32)


def test_free_of_misaligned_or_out_of_range_offsets_is_invalid_edge(solution):
    _, alloc = allocator(solution, 256)
    alloc.malloc(64)
    for offset in (5, -16, 256, 10**6):
        with pytest.raises(solution.AllocatorError, match="invalid free") as error:
            alloc.free(offset)
        assert names_offset(error, offset)


def test_a_failed_free_changes_nothing_edge(solution):
    heap, alloc = allocator(solution, 256)
    a = alloc.malloc(32)
    alloc.malloc(32)
    alloc.free(a)
    before = heap.layout()
    for offset in (a, 48, 7):
        with pytest.raises(solution.AllocatorError):
            alloc.free(offset)
    assert heap.layout() == before
    assert alloc.malloc(32) == a


def test_an_error_is_an_allocator_error_not_a_key_error_edge(solution):
    _, alloc = allocator(solution, 256)
    assert issubclass(solution.AllocatorError, Exception)
    with pytest.raises(solution.AllocatorError) as error:
        alloc.free(48)
    assert not isinstance(error.value, KeyError)
