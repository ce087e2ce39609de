"""The session's event log: append-only JSON Lines, flushed per event.

A crash loses nothing already typed: each event is written and synced before
the engine's reply is shown. Reading tolerates a torn last line (the write a
crash interrupted) but reports any other damage with its line number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ._events import Event, LogError, event_from_json


class EventLog:
    """Appends events to a JSON Lines file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")

    def append(self, event: Event) -> None:
        self._file.write(event.to_json() + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


@dataclass
class ReadLog:
    """Events read back from a log, and what had to be skipped."""

    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_log(path: Path) -> ReadLog:
    """Every event in ``path``; ``LogError`` naming ``path:line`` for damage before the end."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LogError(f"{path}: cannot read the session log: {error}") from None
    result = ReadLog()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            result.events.append(event_from_json(text))
        except LogError as error:
            if number == len(lines):
                result.warnings.append(f"{path}:{number}: ignored a torn last line ({error})")
                continue
            raise LogError(f"{path}:{number}: {error}") from None
    if not result.events:
        raise LogError(f"{path}: the session log is empty")
    return result
