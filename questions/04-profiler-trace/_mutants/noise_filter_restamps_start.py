"""Mutant: a kept call's start is stamped with the sample in which it reached
min_samples samples, not with the first sample that showed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

START = "start"
END = "end"


class Event(NamedTuple):
    """One trace event: a call starting or ending at a sample's timestamp."""

    kind: str
    ts: int
    name: str


class _Call(NamedTuple):
    """An open call: its frame name, where it started, and its start event's slot."""

    name: str
    ts: int
    index: int
    slot: int


class _Filter(NamedTuple):
    """The level 3 and 4 thresholds a call must reach to be reported."""

    min_samples: int
    min_duration: int

    def keeps(self, call: _Call, end_index: int, end_ts: int) -> bool:
        """Whether a call that lasts until sample ``end_index`` (at ``end_ts``) is reported."""
        seen = end_index - call.index
        return seen >= self.min_samples and end_ts - call.ts >= self.min_duration


def _common_prefix(calls: list[_Call], frames: list[str]) -> int:
    """How many leading frames the open calls and the new stack share."""
    limit = min(len(calls), len(frames))
    for depth in range(limit):
        if calls[depth].name != frames[depth]:
            return depth
    return limit


class _Trace:
    """The events so far (None marks a dropped start) and the calls still open."""

    def __init__(self, rule: _Filter) -> None:
        self.rule = rule
        self.out: list[Event | None] = []
        self.calls: list[_Call] = []
        self.times: list[int] = []

    def _restamp(self, call: _Call) -> None:
        confirmed = self.times[call.index + max(self.rule.min_samples, 1) - 1]
        self.out[call.slot] = Event(START, confirmed, call.name)

    def step(self, index: int, ts: int, stack: Sequence[str]) -> None:
        """Apply one sample: end the calls that left, start the new frames."""
        self.times.append(ts)
        frames = list(stack)
        keep = _common_prefix(self.calls, frames)
        while len(self.calls) > keep:
            self._close(self.calls.pop(), index, ts)
        for name in frames[keep:]:
            self.calls.append(_Call(name, ts, index, len(self.out)))
            self.out.append(Event(START, ts, name))

    def _close(self, call: _Call, index: int, ts: int) -> None:
        if self.rule.keeps(call, index, ts):
            self._restamp(call)
            self.out.append(Event(END, ts, call.name))
        else:
            self.out[call.slot] = None

    def finish(self, count: int, last_ts: int) -> list[Event]:
        """Settle the calls still open after the last sample; they get no end event."""
        for call in self.calls:
            if not self.rule.keeps(call, count, last_ts):
                self.out[call.slot] = None
            else:
                self._restamp(call)
        return [event for event in self.out if event is not None]


def convert(
    samples: Sequence[tuple[int, Sequence[str]]],
    min_samples: int = 1,
    min_duration: int = 0,
) -> list[Event]:
    """Start and end events for the calls the samples show, in trace order."""
    ordered = sorted(samples, key=itemgetter(0))
    if not ordered:
        return []
    trace = _Trace(_Filter(min_samples, min_duration))
    for index, (ts, stack) in enumerate(ordered):
        trace.step(index, ts, stack)
    return trace.finish(len(ordered), ordered[-1][0])
