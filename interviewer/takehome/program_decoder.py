"""Decode a whole program once into flat arrays the fast machine can run without lookups.

Programs repeat themselves: the scalar starter has about 197 000 bundles but
fewer than a thousand distinct ones. So each bundle gets a cheap canonical key
(its ``marshal`` bytes), each distinct key is decoded once, and the per-bundle
arrays are built with C-level ``map`` calls.

The result is cached per program list, so a harness that runs the same kernel
on several problems decodes it once. A cached entry is reused only while the
list has the same length and holds the very same bundle objects; a program is
expected not to be edited in place (bundle dicts changed) after it has run.
"""

from __future__ import annotations

import marshal
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import is_
from typing import Any

from .bundle_decoder import (
    INTERPRETED,
    PLAIN,
    DecodedBundle,
    decode_bundle,
    decode_plain_slot,
)
from .slot_closures import SlotRun

DEBUG_ONLY = ("debug-only",)
"""Key shared by all bundles that hold only debug slots (they never cost a cycle)."""

MARSHAL_VERSION = 2
"""Version 2 writes no back-references, which makes it the fastest for small objects."""

CACHE_SIZE = 4

BundleRun = Callable[[list[int], list[int], Any], Any]
"""One callable per bundle, called as run(scratch, memory, core)."""


def do_nothing(s: list[int], m: list[int], c: Any) -> None:
    """The callable of a bundle with no effect (debug slots only, or empty engine lists)."""


def in_sequence(steps: tuple[SlotRun, ...]) -> BundleRun:
    """One callable running a bundle's slot closures in their safe order."""

    def run(s: list[int], m: list[int], c: Any) -> None:
        for step in steps:
            step(s, m, c)

    return run


def bundle_callable(bundle: DecodedBundle) -> BundleRun:
    """The cheapest callable for a plain bundle: its only closure when it has one."""
    if len(bundle.steps) == 1:
        return bundle.steps[0]
    if not bundle.steps:
        return do_nothing
    return in_sequence(bundle.steps)


@dataclass(frozen=True)
class DecodedProgram:
    """Per-bundle arrays for one program under one set of machine flags."""

    runs: list[BundleRun]  # what a plain bundle does, per position
    special: bytes  # 1 where the bundle leaves the straight-line loop
    costs: bytes  # 1 where the bundle costs a cycle
    keys: list[Any]  # the key of each position's bundle
    distinct: dict[Any, DecodedBundle]  # the decoded bundle of each key

    def __len__(self) -> int:
        return len(self.costs)

    def bundle_at(self, index: int) -> DecodedBundle:
        """The decoded bundle at a position (kind and slot closures)."""
        return self.distinct[self.keys[index]]


@dataclass
class ProgramImage:
    """The flag-independent part: the key of each position, one bundle per key."""

    program: list[Any]
    snapshot: list[Any]
    keys: list[Any]
    representatives: dict[Any, Any]
    decoded: dict[tuple[bool, bool, int], DecodedProgram] = field(default_factory=dict)

    def still_matches(self, program: list[Any]) -> bool:
        """Whether program still holds the same bundle objects as when it was decoded."""
        return len(program) == len(self.snapshot) and all(map(is_, program, self.snapshot))


_images: OrderedDict[int, ProgramImage] = OrderedDict()


def is_debug_only(bundle: Any) -> bool:
    """Whether a bundle holds debug slots and nothing else."""
    return type(bundle) is dict and len(bundle) == 1 and "debug" in bundle


def bundle_keys(program: list[Any]) -> list[Any]:
    """A hashable key per bundle; equal keys mean equal bundles."""
    dumps = marshal.dumps
    try:
        return [
            DEBUG_ONLY if "debug" in b and len(b) == 1 and type(b) is dict
            else dumps(b, MARSHAL_VERSION)
            for b in program
        ]
    except (ValueError, TypeError):  # objects marshal cannot write (e.g. numpy ints)
        return [safe_key(b) for b in program]


def safe_key(bundle: Any) -> Any:
    """The key of one bundle when marshal cannot handle the whole program."""
    if is_debug_only(bundle):
        return DEBUG_ONLY
    try:
        return marshal.dumps(bundle, MARSHAL_VERSION)
    except (ValueError, TypeError):
        return ("unique", id(bundle))  # never shared: decoded on its own


def representatives(keys: list[Any], program: list[Any]) -> dict[Any, Any]:
    """One bundle per distinct key, rebuilt from the key when that is cheaper."""
    distinct = dict.fromkeys(keys)
    if not all(type(key) is bytes or key is DEBUG_ONLY for key in distinct):
        return dict(zip(keys, program, strict=True))
    return {key: (marshal.loads(key) if key is not DEBUG_ONLY else {"debug": []})
            for key in distinct}


def build_image(program: list[Any]) -> ProgramImage:
    """Key every bundle so that each distinct one is decoded once."""
    keys = bundle_keys(program)
    return ProgramImage(
        program=program,
        snapshot=list(program),
        keys=keys,
        representatives=representatives(keys, program),
    )


def program_image(program: list[Any]) -> ProgramImage:
    """The cached image of program, rebuilt if the list changed."""
    image = _images.get(id(program))
    if image is not None and image.program is program and image.still_matches(program):
        _images.move_to_end(id(program))
        return image
    image = build_image(program)
    _images[id(program)] = image
    while len(_images) > CACHE_SIZE:
        _images.popitem(last=False)
    return image


def decode_representative(
    bundle: Any, *, enable_debug: bool, enable_pause: bool, scratch_size: int
) -> DecodedBundle:
    """Decode one distinct bundle; bundles of debug slots only are handled without decoding."""
    if is_debug_only(bundle):
        return DecodedBundle(INTERPRETED if enable_debug else PLAIN, (), 0)
    return decode_bundle(
        bundle, enable_debug=enable_debug, enable_pause=enable_pause, scratch_size=scratch_size
    )


SPECIAL_FLAG = 2
"""Bit set in a position's flag byte when the bundle leaves the straight-line loop."""
COST_OF_FLAGS = bytes([0, 1, 0, 1]) + bytes(252)
SPECIAL_OF_FLAGS = bytes([0, 0, 1, 1]) + bytes(252)


def flag_byte(bundle: DecodedBundle) -> int:
    """Cost in bit 0, "leaves the straight-line loop" in bit 1."""
    return bundle.cost | (SPECIAL_FLAG if bundle.kind != PLAIN else 0)


def decode_program(
    program: list[Any], *, enable_debug: bool, enable_pause: bool, scratch_size: int
) -> DecodedProgram:
    """The decoded arrays for program under the given flags (cached)."""
    image = program_image(program)
    flags = (enable_debug, enable_pause, scratch_size)
    if flags in image.decoded:
        return image.decoded[flags]
    distinct = {
        key: decode_representative(
            bundle, enable_debug=enable_debug, enable_pause=enable_pause, scratch_size=scratch_size
        )
        for key, bundle in image.representatives.items()
    }
    run_of = {key: bundle_callable(bundle) for key, bundle in distinct.items()}
    flag_of = {key: flag_byte(bundle) for key, bundle in distinct.items()}
    flag_bytes = bytes(map(flag_of.__getitem__, image.keys))
    decoded = DecodedProgram(
        runs=list(map(run_of.__getitem__, image.keys)),
        special=flag_bytes.translate(SPECIAL_OF_FLAGS),
        costs=flag_bytes.translate(COST_OF_FLAGS),
        keys=image.keys,
        distinct=distinct,
    )
    image.decoded[flags] = decoded
    return decoded


def clear_cache() -> None:
    """Forget every decoded program and slot (benchmarks use this to measure cold decoding)."""
    _images.clear()
    decode_plain_slot.cache_clear()
