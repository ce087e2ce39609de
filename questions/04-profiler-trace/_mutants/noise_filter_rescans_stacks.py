"""Mutant: the noise filter counts the samples of each call by walking forward
through the samples and re-reading every stack's prefix up to the call's depth,
so deep stacks are read a quadratic number of times (correct output, far too
many reads).
"""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple


class Event(NamedTuple):
    kind: str
    ts: int
    name: str


def _raw_calls(ordered):
    """Level 2 events as (kind, ts, call id) and each call's (name, depth, first sample)."""
    raw, calls, open_ids, previous = [], [], [], []
    for index, (ts, stack) in enumerate(ordered):
        frames = list(stack)
        common = 0
        while common < min(len(previous), len(frames)) and previous[common] == frames[common]:
            common += 1
        while len(open_ids) > common:
            raw.append(("end", ts, open_ids.pop()))
        for depth in range(common, len(frames)):
            calls.append((frames[depth], depth, index))
            open_ids.append(len(calls) - 1)
            raw.append(("start", ts, len(calls) - 1))
        previous = frames
    return raw, calls


def _seen(ordered, path, first):
    count = 0
    for _, stack in ordered[first:]:
        if len(stack) < len(path) or tuple(stack[: len(path)]) != path:
            break
        count += 1
    return count


def convert(samples, min_samples=1, min_duration=0):
    ordered = sorted(samples, key=itemgetter(0))
    raw, calls = _raw_calls(ordered)
    keep = []
    for name, depth, first in calls:
        path = tuple(ordered[first][1][: depth + 1])
        seen = _seen(ordered, path, first)
        end = first + seen
        end_ts = ordered[end][0] if end < len(ordered) else ordered[-1][0]
        keep.append(seen >= min_samples and end_ts - ordered[first][0] >= min_duration)
    return [Event(kind, ts, calls[cid][0]) for kind, ts, cid in raw if keep[cid]]
