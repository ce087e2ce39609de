"""``BehavioralInterview``: a behavioural session you can drive from code, the REPL or a test.

The same surface as ``Interview`` where the REPL and the commands touch it
(``say``, ``command``, ``tick``, ``transcript``, ``time_left``, ``state``,
``history``, ``close``), around the pure ``BehavioralEngine``. There is no
workspace and no code to run: the clock, the event log and the report are
all it owns. Each event is logged before the engine's replies are returned,
so the log alone rebuilds the session, and the deadline, stored as the start
time plus the time box, does not move when a session is quit and resumed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ._behavioral_bank import BehavioralBank
from ._behavioral_engine import COMMANDS, FEEDBACK, FORMAT, BehavioralEngine, plan_prompts
from ._clock import Clock, SystemClock
from ._events import LogError, Started
from ._log import EventLog, read_log
from ._replies import Reply
from ._session import Session

DEFAULT_MINUTES = 30


@dataclass(frozen=True)
class SessionTitle:
    """What the toolbar and the session list show in place of a question."""

    id: str = FORMAT
    title: str = "Behavioural interview"
    category: str = FORMAT
    levels: tuple = ()


def is_behavioral_log(log_path: Path) -> bool:
    """Whether a session log is a behavioural one (its first event says so)."""
    try:
        with log_path.open(encoding="utf-8") as handle:
            first = json.loads(handle.readline() or "{}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(first, dict) and first.get("format") == FORMAT


class BehavioralInterview(Session):
    """One behavioural interview: answer the prompts, type commands, read the replies."""

    COMMANDS = COMMANDS

    question = SessionTitle()

    def __init__(self, bank: BehavioralBank, *, clock: Clock | None = None,
                 log: EventLog | None = None) -> None:
        self.bank = bank
        self.clock: Clock = clock or SystemClock()
        self.log = log
        self.engine = BehavioralEngine(bank)
        self.history: list[Reply] = []
        self.last_scorecard = None      # the BehavioralReport, set at /feedback

    # -- starting and resuming ------------------------------------------------------------

    @classmethod
    def start(cls, bank: BehavioralBank, *, minutes: int | None = DEFAULT_MINUTES,
              seed: int = 0, first: str | None = None, clock: Clock | None = None,
              log_path: Path | None = None) -> BehavioralInterview:
        """Plan the prompts (``first`` asked first, if given), log the start, greet.

        ``KeyError`` for an unknown ``first``; ``ValueError`` for an empty bank.
        """
        box = DEFAULT_MINUTES if minutes is None else minutes
        plan = plan_prompts(bank, box, seed, first)
        interview = cls(bank, clock=clock, log=EventLog(log_path) if log_path else None)
        interview._feed(Started(interview.clock.now(), question=FORMAT, format=FORMAT,
                                seed=seed, minutes=box, prompts=plan))
        return interview

    @classmethod
    def resume(cls, bank: BehavioralBank, log_path: Path, *,
               clock: Clock | None = None) -> BehavioralInterview:
        """Rebuild a session from its log and continue appending to it."""
        interview = cls.replay(bank, log_path)
        interview.clock = clock or SystemClock()
        interview.log = EventLog(log_path)
        return interview

    @classmethod
    def replay(cls, bank: BehavioralBank, log_path: Path) -> BehavioralInterview:
        """Fold a log through a fresh engine; nothing is written."""
        events = read_log(log_path).events
        started = events[0]
        if not isinstance(started, Started) or started.format != FORMAT:
            raise LogError(f"{log_path}:1: not a behavioural session log")
        interview = cls(bank)
        for event in events:
            interview.history.extend(interview.engine.handle(event))
        if interview.state.phase == FEEDBACK:
            from ._behavioral_report import build_report

            interview.last_scorecard = build_report(interview.engine)
        return interview

    # -- what the candidate does ----------------------------------------------------------

    def say(self, text: str) -> list[Reply]:
        """The candidate says something: usually (part of) an answer."""
        return self._feed(self._said(text))

    def command(self, line: str) -> list[Reply]:
        """The candidate types a command such as ``/next`` or ``/hint``."""
        return self._feed(self._commanded(line))

    def tick(self) -> list[Reply]:
        """Let time pass; the interviewer may remind. Logged only if it spoke."""
        return self._quiet_tick()

    def bank_folder(self) -> Path:
        return self.bank.root.resolve()

    # -- internals ------------------------------------------------------------------------

    def _feedback(self) -> list[Reply]:
        from ._behavioral_report import build_report, render_report

        report = build_report(self.engine)
        self.last_scorecard = report
        return self._report(report.grade, report.score, render_report(report))
