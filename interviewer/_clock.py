"""Clocks are injected so the engine never reads the wall clock itself.

A session's times are seconds since the epoch (UTC); tests and scripted
practice use ``ManualClock`` and move it by hand.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> float:
        return round(time.time(), 3)


class ManualClock:
    """A clock that moves only when told to: deterministic sessions and tests."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, *, minutes: float = 0.0, seconds: float = 0.0) -> None:
        """Move time forward; time never goes back."""
        delta = minutes * 60 + seconds
        if delta < 0:
            raise ValueError("a clock cannot move backwards")
        self._now += delta


def format_duration(seconds: float) -> str:
    """``1h 05m``, ``12m 30s``, ``45m`` or ``45s``: how an interviewer says time left."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s" if secs else f"{minutes}m"
    return f"{secs}s"
