"""Decode one bundle into a sequence of slot closures that can run one after another.

The machine's rule is that every slot reads the state from before the bundle
and all writes land at its end. Running the closures one by one, each writing
at once, gives the same result whenever no slot reads or overwrites a word
that an earlier-running slot wrote. So the decoder orders the slots:

* a slot that reads a scratch word runs before any slot that writes it;
* two slots writing the same word keep their order (the later one wins);
* every memory load runs before every memory store, and stores keep their order.

If those constraints form a cycle (two slots swapping values, say), no order
works and the bundle is left to the reference interpreter, as are bundles that
are invalid (their error must surface only when they execute) and bundles
whose debug checks are on.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

from .reference import SLOT_LIMITS
from .slot_closures import NotCompilable, SlotCode, SlotRun, decode_slot

PLAIN = 0
"""Runs inside a straight-line stretch: its closures return nothing."""
CONTROL = 1
"""Contains a jump, halt or pause: one closure returns a ControlResult."""
INTERPRETED = 2
"""Executed by the reference interpreter (exact errors, debug checks, rare hazards)."""

DEBUG_CHECK_OPS = frozenset({"compare", "vcompare"})


class DecodedBundle(NamedTuple):
    """What the fast machine needs to execute a bundle and count its cycle."""

    kind: int
    steps: tuple[SlotRun, ...]
    cost: int  # 1 if the bundle uses any engine other than "debug"


def bundle_cost(bundle: Any) -> int:
    """A bundle costs a cycle if it has any key other than "debug" (even an empty list)."""
    return 1 if any(engine != "debug" for engine in bundle) else 0


def has_active_debug(slots: Any) -> bool:
    """Whether debug slots would do anything (compare checks, or malformed slots that fail)."""
    for slot in slots:
        if not isinstance(slot, tuple | list) or not slot or slot[0] in DEBUG_CHECK_OPS:
            return True
    return False


def decode_bundle(
    bundle: Any, *, enable_debug: bool, enable_pause: bool, scratch_size: int
) -> DecodedBundle:
    """Decode a bundle, choosing the reference interpreter when closures cannot be exact."""
    try:
        cost = bundle_cost(bundle)
        codes = decode_slots(bundle, enable_debug, enable_pause, scratch_size)
        ordered = order_slots(codes)
    except (NotCompilable, TypeError, AttributeError, ValueError):
        ordered = None
    if ordered is None:
        return DecodedBundle(INTERPRETED, (), cost if isinstance(bundle, dict) else 0)
    kind = CONTROL if any(code.is_control for code in ordered) else PLAIN
    steps = tuple(code.run for code in ordered if code.run is not None)
    return DecodedBundle(kind, steps, cost)


def decode_slots(
    bundle: dict[str, Any], enable_debug: bool, enable_pause: bool, scratch_size: int
) -> list[SlotCode]:
    """Every slot of the bundle in execution order (engine order, then slot order)."""
    codes: list[SlotCode] = []
    for engine, slots in bundle.items():
        if engine == "debug":
            if enable_debug and has_active_debug(slots):
                raise NotCompilable("debug checks run in the reference interpreter")
            continue
        if engine not in SLOT_LIMITS or len(slots) > SLOT_LIMITS[engine]:
            raise NotCompilable(f"unknown engine or too many slots: {engine!r}")
        for slot in slots:
            codes.append(decode_recurring_slot(engine, slot, scratch_size, enable_pause))
    return codes


@lru_cache(maxsize=1 << 16)
def decode_plain_slot(
    engine: str, slot: tuple, scratch_size: int, enable_pause: bool
) -> SlotCode:
    """decode_slot, remembered: a kernel repeats the same slot in many bundles, and the
    closures hold no state, so sharing them is safe."""
    return decode_slot(engine, slot, scratch_size=scratch_size, enable_pause=enable_pause)


def decode_recurring_slot(
    engine: str, slot: Any, scratch_size: int, enable_pause: bool
) -> SlotCode:
    """Decode a slot, through the cache when it is an op name and plain ints.

    Only such slots are cached: equality would confuse 1 with 1.0 or True.
    """
    plain = type(slot) is tuple and bool(slot) and type(slot[0]) is str
    if plain and all(type(operand) is int for operand in slot[1:]):
        return decode_plain_slot(engine, slot, scratch_size, enable_pause)
    return decode_slot(engine, slot, scratch_size=scratch_size, enable_pause=enable_pause)


def order_slots(codes: list[SlotCode]) -> list[SlotCode] | None:
    """An order in which immediate writes equal end-of-bundle writes, or None if none exists."""
    if len(codes) <= 1 or free_of_hazards(codes):
        return codes
    must_precede = precedence(codes)
    ordered: list[SlotCode] = []
    placed = [False] * len(codes)
    waiting_on = [0] * len(codes)
    for later_slots in must_precede:
        for later in later_slots:
            waiting_on[later] += 1
    for _ in range(len(codes)):
        # Take the earliest slot (in the bundle's own order) that nothing blocks.
        ready = next((i for i in range(len(codes)) if not placed[i] and waiting_on[i] == 0), None)
        if ready is None:
            return None  # a cycle: the bundle swaps values between slots
        placed[ready] = True
        ordered.append(codes[ready])
        for later in must_precede[ready]:
            waiting_on[later] -= 1
    return ordered


def free_of_hazards(codes: list[SlotCode]) -> bool:
    """True when no slot reads or rewrites another's output and loads never meet stores."""
    written: set[int] = set()
    writes = 0
    for code in codes:
        written.update(code.writes)
        writes += len(code.writes)
    if len(written) != writes:  # two slots write the same word
        return False
    if any((code.reads & written) - code.writes for code in codes):
        return False  # reading its own destination is fine; reading another's is not
    loads = any(code.reads_memory for code in codes)
    return not (loads and any(code.writes_memory for code in codes))


def precedence(codes: list[SlotCode]) -> list[set[int]]:
    """For each slot, the set of slots that must run after it."""
    writers: dict[int, list[int]] = {}
    for j, code in enumerate(codes):
        for word in code.writes:
            writers.setdefault(word, []).append(j)
    after: list[set[int]] = [set() for _ in codes]
    for i, code in enumerate(codes):
        for word in code.reads:
            for j in writers.get(word, ()):
                if j != i:
                    after[i].add(j)  # read the old value before it is overwritten
    for same_word in writers.values():
        for earlier, later in pairwise(same_word):
            if earlier != later:
                after[earlier].add(later)  # the later write must win
    loads = [i for i, code in enumerate(codes) if code.reads_memory]
    stores = [i for i, code in enumerate(codes) if code.writes_memory]
    for i in loads:
        after[i].update(stores)
    for earlier, later in pairwise(stores):
        after[earlier].add(later)
    return after
