"""Memory allocator mutant: realloc moves every block that grows, even when the free neighbour has room."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import NamedTuple

# -- provided ----------------------------------------------------------------------------------

ALIGN = 16                              # every block starts at, and is sized in, multiples of 16
SIZE_CLASSES = (16, 32, 64, 128, 256)   # the slab classes of level 3
SLAB_BYTES = 4096                       # the size of one slab in level 3


class AllocatorError(Exception):
    """A free or realloc of an offset that is not a live allocation."""


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


class Report(NamedTuple):
    """What ``replay`` reports about one trace."""

    peak_footprint: int          # the heap's peak after the whole trace
    failed: int                  # malloc and realloc operations that returned None
    moved: int                   # realloc operations that returned a different offset
    offsets: list[int | None]    # per operation: the offset malloc or realloc gave, else None


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


# -- helpers -----------------------------------------------------------------------------------


def _rounded(size: int) -> int:
    """``size`` rounded up to a multiple of ALIGN; ValueError below 1."""
    if size < 1:
        raise ValueError(f"sizes start at 1 byte, got {size}")
    return -(-size // ALIGN) * ALIGN


def _size_class(size: int) -> int | None:
    """The smallest slab class that holds ``size`` bytes, or None for a large size."""
    need = _rounded(size)
    return next((cls for cls in SIZE_CLASSES if need <= cls), None)


def _not_live(offset: int, freed: set[int]) -> AllocatorError:
    kind = "double free" if offset in freed else "invalid free"
    return AllocatorError(f"{kind} of offset {offset}")


# -- Level 1 and 2: first fit with splitting and coalescing ----------------------------------


class Allocator:
    """First fit over the blocks of ``heap``, which it manages alone.

    ``_live`` maps the offset of every allocation to its block (what a header
    in front of the data gives a real allocator); ``_freed`` holds the offsets
    that were handed out and freed since, to tell a double free from an
    invalid one.
    """

    def __init__(self, heap: Heap) -> None:
        self.heap = heap
        self._live: dict[int, Block] = {}
        self._freed: set[int] = set()

    def malloc(self, size: int) -> int | None:
        need = _rounded(size)
        block = self._first_fit(need)
        if block is None:
            return None
        if block.size > need:
            self.heap.split(block, need)
        block.free = False
        self._live[block.offset] = block
        self._freed.discard(block.offset)
        return block.offset

    def free(self, offset: int) -> None:
        block = self._block(offset)
        del self._live[offset]
        self._freed.add(offset)
        block.free = True
        self._merge_after(block)
        before = block.prev
        if before is not None and before.free:
            self.heap.merge(before)

    def largest_free(self) -> int:
        return max(self._free_sizes(), default=0)

    def total_free(self) -> int:
        return sum(self._free_sizes())

    def fragmentation(self) -> float:
        sizes = self._free_sizes()
        total = sum(sizes)
        return 1.0 - max(sizes) / total if total else 0.0

    def realloc(self, offset: int, size: int) -> int | None:
        need = _rounded(size)
        block = self._block(offset)
        if need < block.size:
            self._merge_after(self.heap.split(block, need))
            return offset
        if need == block.size:
            return offset
        moved = self.malloc(size)
        if moved is not None:
            self.free(offset)
        return moved

    # -- internals --

    def _first_fit(self, need: int) -> Block | None:
        block = self.heap.first
        while block is not None and not (block.free and block.size >= need):
            block = block.next
        return block

    def _block(self, offset: int) -> Block:
        block = self._live.get(offset)
        if block is None:
            raise _not_live(offset, self._freed)
        return block

    def _merge_after(self, block: Block) -> None:
        after = block.next
        if after is not None and after.free:
            self.heap.merge(block)

    def _grow_in_place(self, block: Block, need: int) -> bool:
        after = block.next
        extra = need - block.size
        if after is None or not after.free or after.size < extra:
            return False
        if after.size > extra:
            self.heap.split(after, extra)
        self.heap.merge(block)
        return True

    def _free_sizes(self) -> list[int]:
        return [size for _, size, free in self.heap.layout() if free]


# -- Level 3: size-class slabs -----------------------------------------------------------------

_LARGE = 0   # the "class" of every size above the largest slab class


class _Slab:
    """One slab: its base, its class and how many of its slots are live."""

    __slots__ = ("base", "cls", "live")

    def __init__(self, base: int, cls: int) -> None:
        self.base, self.cls, self.live = base, cls, 0


class SlabAllocator:
    """Small sizes from slabs of one size class each; larger ones by first fit.

    Each class keeps one stack of free slots, the next one to hand out on
    top, so malloc and free of a small size never walk the heap: only carving
    a new slab (one first-fit search per slab) does. ``_home`` maps every
    carved slot to its slab; ``_live`` maps every live offset to its slab, or
    to None for a large block.
    """

    def __init__(self, heap: Heap) -> None:
        self.inner = Allocator(heap)
        self._stacks: dict[int, list[int]] = {cls: [] for cls in SIZE_CLASSES}
        self._home: dict[int, _Slab] = {}
        self._live: dict[int, _Slab | None] = {}
        self._freed: set[int] = set()

    def malloc(self, size: int) -> int | None:
        cls = _size_class(size)
        offset = self.inner.malloc(size) if cls is None else self._malloc_slot(cls)
        if offset is not None:
            self._live[offset] = self._home.get(offset) if cls else None
            self._freed.discard(offset)
        return offset

    def free(self, offset: int) -> None:
        if offset not in self._live:
            raise _not_live(offset, self._freed)
        slab = self._live.pop(offset)
        self._freed.add(offset)
        if slab is None:
            self.inner.free(offset)
        else:
            self._free_slot(slab, offset)

    def realloc(self, offset: int, size: int) -> int | None:
        if offset not in self._live:
            raise _not_live(offset, self._freed)
        slab = self._live[offset]
        new_class = _size_class(size) or _LARGE
        if slab is not None and slab.cls == new_class:
            return offset
        if slab is None and new_class == _LARGE:
            return self._realloc_large(offset, size)
        moved = self.malloc(size)
        if moved is not None:
            self.free(offset)
        return moved

    # -- internals --

    def _malloc_slot(self, cls: int) -> int | None:
        stack = self._stacks[cls]
        if not stack and not self._carve(cls):
            return None
        offset = stack.pop()
        self._home[offset].live += 1
        return offset

    def _carve(self, cls: int) -> bool:
        base = self.inner.malloc(SLAB_BYTES)
        if base is None:
            return False
        slab = _Slab(base, cls)
        slots = range(base + SLAB_BYTES - cls, base - 1, -cls)   # lowest on top
        self._stacks[cls].extend(slots)
        self._home.update(dict.fromkeys(slots, slab))
        return True

    def _free_slot(self, slab: _Slab, offset: int) -> None:
        self._stacks[slab.cls].append(offset)
        slab.live -= 1

    def _realloc_large(self, offset: int, size: int) -> int | None:
        moved = self.inner.realloc(offset, size)
        if moved is not None and moved != offset:
            del self._live[offset]
            self._live[moved] = None
            self._freed.add(offset)
            self._freed.discard(moved)
        return moved


# -- Level 4: trace-driven evaluation ----------------------------------------------------------


class ReleasingSlabAllocator(SlabAllocator):
    """SlabAllocator that gives a slab back to the heap once its last live slot is freed.

    Bursts of short-lived small objects then leave no empty slabs behind, so
    the large blocks that follow can reuse their space instead of growing the
    footprint.
    """

    def _free_slot(self, slab: _Slab, offset: int) -> None:
        super()._free_slot(slab, offset)
        if slab.live:
            return
        end = slab.base + SLAB_BYTES
        stack = self._stacks[slab.cls]
        stack[:] = [slot for slot in stack if not slab.base <= slot < end]
        for slot in range(slab.base, end, slab.cls):
            del self._home[slot]
        self.inner.free(slab.base)


class _Replay:
    """The state of one replay: where each id lives, and the figures so far."""

    def __init__(self, heap: Heap) -> None:
        self.allocator = ReleasingSlabAllocator(heap)
        self.where: dict[int, int] = {}
        self.offsets: list[int | None] = []
        self.failed = self.moved = 0

    def run(self, op: tuple) -> None:
        kind, block_id = op[0], op[1]
        offset = None
        if kind == "malloc":
            offset = self._malloc(block_id, op[2])
        elif block_id not in self.where:
            pass                       # its malloc failed, so the operation is skipped
        elif kind == "free":
            self.allocator.free(self.where.pop(block_id))
        else:
            offset = self._realloc(block_id, op[2])
        self.offsets.append(offset)

    def _malloc(self, block_id: int, size: int) -> int | None:
        offset = self.allocator.malloc(size)
        if offset is None:
            self.failed += 1
        else:
            self.where[block_id] = offset
        return offset

    def _realloc(self, block_id: int, size: int) -> int | None:
        old = self.where[block_id]
        offset = self.allocator.realloc(old, size)
        if offset is None:
            self.failed += 1
        else:
            self.moved += offset != old
            self.where[block_id] = offset
        return offset


def replay(trace: Iterable[tuple], heap: Heap) -> Report:
    """Run ``trace`` on a ReleasingSlabAllocator over ``heap`` and report what happened."""
    state = _Replay(heap)
    for op in trace:
        state.run(op)
    return Report(heap.peak, state.failed, state.moved, state.offsets)
