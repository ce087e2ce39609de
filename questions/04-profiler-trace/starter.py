"""Profiler: turn stack samples into start and end trace events.

Fill in ``convert``; QUESTION.md describes every level. Keep the names
``Event`` and ``convert`` and the parameters of ``convert``; add private
helpers freely. Standard library only.

``Stack`` is the instrumented stack some hidden tests pass in. It is here so
that you can count your own reads; the tests bring their own copy, so
changing this one changes nothing for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple


class Event(NamedTuple):
    """One trace event. ``kind`` is "start" or "end"; ``ts`` is the sample's timestamp."""

    kind: str
    ts: int
    name: str


def convert(
    samples: Sequence[tuple[int, Sequence[str]]],
    min_samples: int = 1,
    min_duration: int = 0,
) -> list[Event]:
    """The start and end events of the calls that ``samples`` show.

    ``samples`` is a list of ``(ts, stack)`` pairs; each stack lists function
    names with the outermost frame first. Level 3 adds ``min_samples`` (report
    only calls seen in at least that many samples), level 4 adds
    ``min_duration`` (report only calls that last at least that long) and
    samples in any order. The defaults report every call.
    """
    raise NotImplementedError


class Stack(Sequence):
    """A read-only call stack that counts how many of its frames are read.

    Every frame handed out counts as one read, however it is asked for:
    ``stack[i]``, iteration, ``list(stack)``, a slice (one read per frame in
    it), ``in``, ``==`` against another sequence. ``len(stack)`` is free.
    ``stack.reads`` is the count so far.
    """

    __slots__ = ("_frames", "reads")

    def __init__(self, frames: Sequence[str]) -> None:
        self._frames = tuple(frames)
        self.reads = 0

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, index):
        item = self._frames[index]
        self.reads += len(item) if isinstance(index, slice) else 1
        return item

    def __iter__(self) -> Iterator[str]:
        for frame in self._frames:
            self.reads += 1
            yield frame

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # a stack is compared by content, so it cannot be a dict key

    def __repr__(self) -> str:
        return f"Stack({list(self._frames)!r})"
