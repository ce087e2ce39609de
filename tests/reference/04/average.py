"""Stack samples to trace events: the average reference.

Levels 1 to 3 are right and the work stays linear, but the code is one long
function with deep nesting, it compares the previous and the current stack
frame by frame (reading both again), and at level 4 it never applies the
minimum duration to calls still open after the last sample.
"""

from typing import NamedTuple


class Event(NamedTuple):
    kind: str
    ts: int
    name: str


def convert(samples, min_samples=1, min_duration=0):
    samples = sorted(samples, key=lambda s: s[0])
    raw = []
    frames = []
    prev = []
    for i in range(len(samples)):
        ts = samples[i][0]
        stack = samples[i][1]
        k = 0
        while k < len(prev) and k < len(stack):
            if prev[k] == stack[k]:
                k = k + 1
            else:
                break
        while len(frames) > k:
            frame = frames.pop()
            frame["end"] = i
            frame["end_ts"] = ts
            raw.append(("end", ts, frame))
        for j in range(k, len(stack)):
            frame = {"name": stack[j], "start": i, "start_ts": ts, "end": None, "end_ts": None}
            frames.append(frame)
            raw.append(("start", ts, frame))
        prev = stack
    result = []
    for kind, ts, frame in raw:
        if frame["end"] is None:
            if len(samples) - frame["start"] >= min_samples:
                result.append(Event(kind, ts, frame["name"]))
        else:
            if frame["end"] - frame["start"] >= min_samples:
                if frame["end_ts"] - frame["start_ts"] >= min_duration:
                    result.append(Event(kind, ts, frame["name"]))
    return result
