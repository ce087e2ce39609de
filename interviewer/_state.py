"""The interview's state: what has happened so far, as the engine sees it.

Plain mutable data owned by one ``Engine``. It is never persisted: the event
log is the record, and folding it again rebuilds this exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLARIFY, IMPLEMENT, FOLLOWUPS, WRAPUP, FEEDBACK, ENDED = (
    "clarify", "implement", "followups", "wrapup", "feedback", "ended",
)
PHASES = (CLARIFY, IMPLEMENT, FOLLOWUPS, WRAPUP, FEEDBACK, ENDED)


@dataclass
class HintTaken:
    level: int
    rung: int          # 1-based position in the level's ladder
    kind: str          # nudge, direction, pseudocode
    at: float


@dataclass
class FollowUpAnswer:
    id: str
    asked_at: float
    answer: str = ""
    probed: bool = False
    skipped: bool = False
    concepts_named: tuple[int, ...] = ()


@dataclass
class Submission:
    level: int
    at: float
    passed: dict[int, int]
    total: dict[int, int]
    verdict: str


@dataclass
class State:
    question: str = ""
    format: str = "live"
    seed: int = 0
    workspace: str = ""
    minutes: int = 0
    started_at: float = 0.0
    phase: str = CLARIFY
    phase_started: dict[str, float] = field(default_factory=dict)
    level: int = 1
    level_opened: dict[int, float] = field(default_factory=dict)
    levels_passed: set[int] = field(default_factory=set)
    clarifications: list[str] = field(default_factory=list)     # ids, first time asked
    clarified_before_code: set[str] = field(default_factory=set)
    misses: list[str] = field(default_factory=list)             # questions nothing matched
    hints: list[HintTaken] = field(default_factory=list)
    followups: list[FollowUpAnswer] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    runs: int = 0
    failing_streak: int = 0
    first_code_at: float | None = None
    last_change_at: float | None = None
    last_offer_at: float | None = None
    reminders: set[str] = field(default_factory=set)
    language_redirects: int = 0
    foreign_code: bool = False                                  # workspace holds another language
    paused_since: float | None = None
    pauses: list[tuple[float, float]] = field(default_factory=list)
    grade: str = ""                                             # set when the report is made
    score: float = 0.0
    feedback_confirmed: bool = False                            # asked once while coding
    replies: int = 0                                            # counter for voice variants

    @property
    def deadline(self) -> float | None:
        """Absolute end of the time box; None when untimed."""
        return self.started_at + self.minutes * 60 if self.minutes else None

    def paused_seconds(self, now: float) -> float:
        """Seconds spent paused up to ``now``, the pause in progress included."""
        ongoing = now - self.paused_since if self.paused_since is not None else 0.0
        return sum(end - began for began, end in self.pauses) + ongoing

    @property
    def hints_taken(self) -> int:
        return len(self.hints)

    def hints_for(self, level: int) -> int:
        return sum(1 for hint in self.hints if hint.level == level)

    def enter(self, phase: str, at: float) -> None:
        self.phase = phase
        self.phase_started.setdefault(phase, at)
