"""Memory allocator: an average attempt.

Correct through level 3, but clumsy: sizes are rounded in three places, free
looks its block up in the heap on every call, the slab allocator searches a
list of every slab to find a slot's home, and the replay runs the level 3 slab
allocator unchanged, so empty slabs are never given back.
"""

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


# -- Level 1 and 2 ---------------------------------------------------------------------------


class Allocator:
    def __init__(self, heap):
        self.heap = heap
        self.freed = set()

    def malloc(self, size):
        if size < 1:
            raise ValueError("bad size")
        need = size
        if need % 16 != 0:
            need = need + (16 - need % 16)
        block = self.heap.first
        while block is not None:
            if block.free and block.size >= need:
                if block.size > need:
                    self.heap.split(block, need)
                block.free = False
                if block.offset in self.freed:
                    self.freed.remove(block.offset)
                return block.offset
            block = block.next
        return None

    def find(self, offset):
        block = self.heap.block_at(offset)
        if block is not None and not block.free:
            return block
        if offset in self.freed:
            raise AllocatorError("double free of offset " + str(offset))
        raise AllocatorError("invalid free of offset " + str(offset))

    def free(self, offset):
        block = self.find(offset)
        block.free = True
        self.freed.add(offset)
        nxt = block.next
        if nxt is not None and nxt.free:
            self.heap.merge(block)
        prv = block.prev
        if prv is not None and prv.free:
            self.heap.merge(prv)

    def largest_free(self):
        best = 0
        for offset, size, free in self.heap.layout():
            if free and size > best:
                best = size
        return best

    def total_free(self):
        total = 0
        for offset, size, free in self.heap.layout():
            if free:
                total += size
        return total

    def fragmentation(self):
        total = self.total_free()
        if total == 0:
            return 0.0
        return 1 - self.largest_free() / total

    def realloc(self, offset, size):
        if size < 1:
            raise ValueError("bad size")
        block = self.find(offset)
        need = size
        if need % 16 != 0:
            need = need + (16 - need % 16)
        if need == block.size:
            return offset
        if need < block.size:
            rest = self.heap.split(block, need)
            nxt = rest.next
            if nxt is not None and nxt.free:
                self.heap.merge(rest)
            return offset
        nxt = block.next
        if nxt is not None and nxt.free and block.size + nxt.size >= need:
            if block.size + nxt.size > need:
                self.heap.split(nxt, need - block.size)
            self.heap.merge(block)
            return offset
        new = self.malloc(size)
        if new is None:
            return None
        self.free(offset)
        return new


# -- Level 3 ---------------------------------------------------------------------------------


class SlabAllocator:
    def __init__(self, heap):
        self.inner = Allocator(heap)
        self.free_slots = {16: [], 32: [], 64: [], 128: [], 256: []}
        self.slabs = []          # (base, cls)
        self.live_slots = {}     # offset -> cls
        self.large = set()
        self.freed = set()

    def get_class(self, size):
        need = size
        if need % 16 != 0:
            need = need + (16 - need % 16)
        for cls in SIZE_CLASSES:
            if need <= cls:
                return cls
        return None

    def malloc(self, size):
        if size < 1:
            raise ValueError("bad size")
        cls = self.get_class(size)
        if cls is None:
            offset = self.inner.malloc(size)
            if offset is not None:
                self.large.add(offset)
                self.freed.discard(offset)
            return offset
        if len(self.free_slots[cls]) == 0:
            base = self.inner.malloc(SLAB_BYTES)
            if base is None:
                return None
            self.slabs.append((base, cls))
            slot = base + SLAB_BYTES - cls
            while slot >= base:
                self.free_slots[cls].append(slot)
                slot -= cls
        offset = self.free_slots[cls].pop()
        self.live_slots[offset] = cls
        self.freed.discard(offset)
        return offset

    def free(self, offset):
        if offset in self.live_slots:
            cls = self.live_slots.pop(offset)
            for base, slab_cls in self.slabs:
                if base <= offset < base + SLAB_BYTES:
                    self.free_slots[slab_cls].append(offset)
            self.freed.add(offset)
        elif offset in self.large:
            self.large.remove(offset)
            self.inner.free(offset)
            self.freed.add(offset)
        elif offset in self.freed:
            raise AllocatorError("double free of offset " + str(offset))
        else:
            raise AllocatorError("invalid free of offset " + str(offset))

    def realloc(self, offset, size):
        if size < 1:
            raise ValueError("bad size")
        if offset in self.live_slots:
            if self.get_class(size) == self.live_slots[offset]:
                return offset
        elif offset in self.large:
            if self.get_class(size) is None:
                new = self.inner.realloc(offset, size)
                if new is not None and new != offset:
                    self.large.remove(offset)
                    self.large.add(new)
                    self.freed.add(offset)
                return new
        elif offset in self.freed:
            raise AllocatorError("double free of offset " + str(offset))
        else:
            raise AllocatorError("invalid free of offset " + str(offset))
        new = self.malloc(size)
        if new is None:
            return None
        self.free(offset)
        return new


# -- Level 4 ---------------------------------------------------------------------------------


def replay(trace, heap):
    alloc = SlabAllocator(heap)
    where = {}
    offsets = []
    failed = 0
    moved = 0
    for op in trace:
        if op[0] == "malloc":
            off = alloc.malloc(op[2])
            if off is None:
                failed += 1
            else:
                where[op[1]] = off
            offsets.append(off)
        elif op[0] == "free":
            if op[1] in where:
                alloc.free(where[op[1]])
                del where[op[1]]
            offsets.append(None)
        else:
            if op[1] in where:
                off = alloc.realloc(where[op[1]], op[2])
                if off is None:
                    failed += 1
                else:
                    if off != where[op[1]]:
                        moved += 1
                    where[op[1]] = off
                offsets.append(off)
            else:
                offsets.append(None)
    return Report(heap.peak, failed, moved, offsets)
