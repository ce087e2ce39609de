"""Export a recorded run in Chrome's Trace Event Format (opens in Perfetto, offline too).

One track per engine slot (alu-0 .. alu-11, valu-0 .., load-0 .., store-0 ..,
flow-0), one event of one unit per executed slot at ts = cycle, named by its
op, with the bundle's pc and the slot in the event's arguments.
"""

from __future__ import annotations

from typing import Any

from .profiling import ENGINES, Profile
from .reference import SLOT_LIMITS


def slot_track(engine: str, index: int) -> int:
    """Thread id of an engine slot: tracks are numbered engine after engine."""
    first = sum(SLOT_LIMITS[e] for e in ENGINES[: ENGINES.index(engine)])
    return first + index


def track_names() -> list[dict[str, Any]]:
    """Metadata events naming the process and each slot track."""
    events: list[dict[str, Any]] = [
        {"name": "process_name", "ph": "M", "pid": 0, "args": {"name": "core 0"}}
    ]
    for engine in ENGINES:
        for index in range(SLOT_LIMITS[engine]):
            events.append(
                {"name": "thread_name", "ph": "M", "pid": 0, "tid": slot_track(engine, index),
                 "args": {"name": f"{engine}-{index}"}}
            )
    return events


def chrome_trace(profile: Profile) -> dict[str, Any]:
    """The whole trace as one JSON-ready document."""
    events = track_names()
    for cycle, pc in profile.executed:
        bundle = profile.program[pc]
        for engine in ENGINES:
            for index, slot in enumerate(bundle.get(engine, ())):
                events.append(
                    {"name": str(slot[0]), "cat": engine, "ph": "X", "pid": 0,
                     "tid": slot_track(engine, index), "ts": cycle, "dur": 1,
                     "args": {"pc": pc, "slot": repr(tuple(slot))}}
                )
    return {"traceEvents": events, "displayTimeUnit": "ns"}
