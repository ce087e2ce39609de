"""What every kind of interview shares around its pure engine.

``Interview`` (a coding question) and ``BehavioralInterview`` own different
things (a workspace and a test runner, or neither), but the same plumbing: an
engine folding events, an injected clock, the event log written before any
reply is returned, and the replies so far. That plumbing lives here once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from ._clock import Clock
from ._events import Commanded, Event, Said, Scored, Ticked
from ._log import EventLog
from ._replies import REQUEST, Reply

MAX_UTTERANCE = 4000   # longer pastes are cut, so one paste cannot flood the transcript


class Session:
    """The engine, clock, log and replies of one interview; subclasses set them up."""

    #: The slash commands this kind of interview knows, with what each does.
    COMMANDS: ClassVar[dict[str, str]] = {}
    engine: Any
    clock: Clock
    log: EventLog | None
    history: list[Reply]
    #: The report's ``Scored`` event, once there is one.
    last_scored: Scored | None = None
    #: Called with the interview once its report is in the log; the CLI records the
    #: session in the practice history here.
    on_scored: Callable[[Any], None] | None = None

    @property
    def state(self) -> Any:
        """The engine's state (phase, level or prompt, hints ...), for display and scoring."""
        return self.engine.state

    def transcript(self) -> str:
        return self.engine.transcript_text()

    def time_left(self) -> float | None:
        deadline = self.state.deadline
        return None if deadline is None else max(0.0, deadline - self.clock.now())

    def bank_folder(self) -> Path | None:
        """The folder of questions or prompts this session reads: never written to."""
        return None

    def solution_file(self) -> Path | None:
        """The candidate's code, when there is any: never overwritten by a transcript."""
        return None

    @classmethod
    def commands(cls) -> dict[str, str]:
        return dict(cls.COMMANDS)

    def close(self) -> None:
        if self.log:
            self.log.close()

    def _log(self, event: Event) -> None:
        if self.log:
            self.log.append(event)

    def _said(self, text: str) -> Said:
        return Said(self.clock.now(), text=text[:MAX_UTTERANCE])

    def _commanded(self, line: str) -> Commanded:
        """``/Hint  now`` -> the command ``hint`` with its argument, cut like an utterance."""
        name, _, argument = line.strip().lstrip("/").partition(" ")
        return Commanded(self.clock.now(), name=name.lower(), argument=argument[:MAX_UTTERANCE])

    def _quiet_tick(self) -> list[Reply]:
        """Let time pass. The tick is logged only if the interviewer spoke: a replay needs
        the ticks that said something, not the thousands that did not."""
        event = Ticked(self.clock.now())
        said = self.engine.handle(event)
        if said:
            self._log(event)
        self.history.extend(said)
        return said

    def _report(self, grade: str, score: float, summary: str) -> list[Reply]:
        """Log and fold the report's ``Scored`` event, then tell ``on_scored``."""
        self.last_scored = Scored(self.clock.now(), grade=grade, score=score, summary=summary)
        replies = self._feed(self.last_scored)
        if self.on_scored is not None:
            self.on_scored(self)
        return replies

    def _feed(self, event: Event) -> list[Reply]:
        """Handle ``event``; what the candidate sees, with the report when it was asked for."""
        replies = self._handle(event)
        shown = [reply for reply in replies if reply.kind != REQUEST]
        if any(reply.kind == REQUEST and reply.text == "feedback" for reply in replies):
            shown += self._feedback()
        return shown

    def _feedback(self) -> list[Reply]:
        """Score the session and ``_report`` it; each kind of interview scores its own way."""
        raise NotImplementedError

    def _handle(self, event: Event) -> list[Reply]:
        """Log ``event`` (before anything else: a crash then loses nothing), fold it, keep
        the replies."""
        self._log(event)
        replies = self.engine.handle(event)
        self.history.extend(replies)
        return replies
