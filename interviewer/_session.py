"""What every kind of interview shares around its pure engine.

``Interview`` (a coding question) and ``BehavioralInterview`` own different
things (a workspace and a test runner, or neither), but the same plumbing: an
engine folding events, an injected clock, the event log written before any
reply is returned, and the replies so far. That plumbing lives here once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ._clock import Clock
from ._events import Event
from ._log import EventLog
from ._replies import Reply


class Session:
    """The engine, clock, log and replies of one interview; subclasses set them up."""

    #: The slash commands this kind of interview knows, with what each does.
    COMMANDS: ClassVar[dict[str, str]] = {}
    engine: Any
    clock: Clock
    log: EventLog | None
    history: list[Reply]

    @property
    def state(self) -> Any:
        """The engine's state (phase, level or prompt, hints ...), for display and scoring."""
        return self.engine.state

    def transcript(self) -> str:
        return self.engine.transcript_text()

    def time_left(self) -> float | None:
        deadline = self.state.deadline
        return None if deadline is None else max(0.0, deadline - self.clock.now())

    @classmethod
    def commands(cls) -> dict[str, str]:
        return dict(cls.COMMANDS)

    def close(self) -> None:
        if self.log:
            self.log.close()

    def _log(self, event: Event) -> None:
        if self.log:
            self.log.append(event)

    def _handle(self, event: Event) -> list[Reply]:
        """Log ``event`` (before anything else: a crash then loses nothing), fold it, keep
        the replies."""
        self._log(event)
        replies = self.engine.handle(event)
        self.history.extend(replies)
        return replies
