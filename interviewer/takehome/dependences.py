"""Critical path of a run: the longest chain of read-after-write dependences.

Every executed slot takes one cycle and can start only after the slots that
produced the words it reads (scratch words, and memory words at the addresses
it actually used). The longest such chain is a lower bound on the cycles of
any schedule of the same slots, however wide the machine.

The chain follows the executed path, so loops count once per iteration. What
is approximated: control dependences are ignored (a slot does not wait for the
jump that led to it, as if every branch were known in advance), and so are
write-after-read and write-after-write conflicts (as if words were renamed).
"""

from __future__ import annotations

from typing import Any

from .slot_closures import VLEN, NotCompilable, SlotCode, decode_slot

LARGE_SCRATCH = 1 << 30
"""Bound used only to validate addresses while extracting reads and writes."""


def static_access(engine: str, slot: Any, cache: dict[Any, SlotCode | None]) -> SlotCode | None:
    """The scratch words a slot reads and writes (None for slots that do nothing to analyse)."""
    key = (engine, tuple(slot) if isinstance(slot, list) else slot)
    if key not in cache:
        try:
            cache[key] = decode_slot(engine, slot, scratch_size=LARGE_SCRATCH, enable_pause=True)
        except (NotCompilable, TypeError):
            cache[key] = None
    return cache[key]


def memory_addresses(slot: Any, scratch: list[int]) -> list[int]:
    """The memory words a load or store slot touches, given the scratch before the bundle."""
    op = slot[0]
    if op == "load_offset":
        return [scratch[slot[2] + slot[3]]]
    if op in ("load", "store"):
        return [scratch[slot[2] if op == "load" else slot[1]]]
    base = scratch[slot[2] if op == "vload" else slot[1]]
    return list(range(base, base + VLEN))


class DependenceTracker:
    """Follows a run bundle by bundle and keeps the longest dependence chain."""

    def __init__(self) -> None:
        self.scratch_ready: dict[int, int] = {}
        self.memory_ready: dict[int, int] = {}
        self.critical_path = 0
        self.cache: dict[Any, SlotCode | None] = {}

    def observe(self, bundle: dict[str, Any], scratch: list[int]) -> None:
        """Account for one bundle, given the scratch as it was before the bundle."""
        scratch_updates: list[tuple[int, int]] = []
        memory_updates: list[tuple[int, int]] = []
        for engine, slots in bundle.items():
            if engine == "debug":
                continue
            for slot in slots:
                access = static_access(engine, slot, self.cache)
                if access is not None:
                    self.observe_slot(slot, access, scratch, scratch_updates, memory_updates)
        self.scratch_ready.update(scratch_updates)  # later slots win, as in the machine
        self.memory_ready.update(memory_updates)

    def observe_slot(
        self,
        slot: Any,
        access: SlotCode,
        scratch: list[int],
        scratch_updates: list[tuple[int, int]],
        memory_updates: list[tuple[int, int]],
    ) -> None:
        """The cycle at which one slot's result is ready, recorded for its writes."""
        ready = max((self.scratch_ready.get(word, 0) for word in access.reads), default=0)
        addresses = (
            memory_addresses(slot, scratch) if access.reads_memory or access.writes_memory else []
        )
        if access.reads_memory:
            ready = max([ready, *(self.memory_ready.get(a, 0) for a in addresses)])
        done = ready + 1
        self.critical_path = max(self.critical_path, done)
        scratch_updates.extend((word, done) for word in access.writes)
        if access.writes_memory:
            memory_updates.extend((address, done) for address in addresses)
