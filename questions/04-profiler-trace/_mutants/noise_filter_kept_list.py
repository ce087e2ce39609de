"""Mutant: the noise filter collects the ids of the calls to keep in a list and
tests every event against that list, which is quadratic in the number of calls
(correct output, far too slow on long traces).
"""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple


class Event(NamedTuple):
    kind: str
    ts: int
    name: str


def convert(samples, min_samples=1, min_duration=0):
    ordered = sorted(samples, key=itemgetter(0))
    raw = []       # (kind, ts, name, call id)
    calls = []     # [first index, first ts, seen, duration]
    open_ids = []
    previous = []
    for index, (ts, stack) in enumerate(ordered):
        frames = list(stack)
        common = 0
        while common < min(len(previous), len(frames)) and previous[common] == frames[common]:
            common += 1
        for _ in range(len(previous) - common):
            cid = open_ids.pop()
            calls[cid][2] = index - calls[cid][0]
            calls[cid][3] = ts - calls[cid][1]
            raw.append(("end", ts, previous[len(open_ids)], cid))
        for name in frames[common:]:
            open_ids.append(len(calls))
            calls.append([index, ts, None, None])
            raw.append(("start", ts, name, len(calls) - 1))
        previous = frames
    for cid in open_ids:
        calls[cid][2] = len(ordered) - calls[cid][0]
        calls[cid][3] = ordered[-1][0] - calls[cid][1]
    kept = [cid for cid, call in enumerate(calls)
            if call[2] >= min_samples and call[3] >= min_duration]
    return [Event(kind, ts, name) for kind, ts, name, cid in raw if cid in kept]
