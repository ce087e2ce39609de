"""The question as data: frozen value objects built from a question folder.

Secrecy by construction: ``Question`` holds only what the candidate may meet
(the statement, the script's answers and hints, which are given one by one).
Follow-ups and the rubric live in ``InterviewerNotes``, a separate type that
the candidate-facing path never renders wholesale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

HINT_KINDS = ("nudge", "direction", "pseudocode")
FORMATS = ("takehome", "codesignal", "live", "perf-deep-dive", "gpu-deep-dive", "practice")
CATEGORIES = ("takehome", "known", "performance", "gpu")


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Level:
    """One progressive level; its hidden tests add to those of the levels before."""

    id: int
    title: str
    tests: str
    minutes: int | None = None


@dataclass(frozen=True)
class Clarification:
    """A question the candidate may ask, with the answer the interviewer gives."""

    id: str
    examples: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    answer: str
    important: bool = False
    level: int | None = None


@dataclass(frozen=True)
class Hint:
    """One rung of a level's hint ladder: prose or pseudocode, never code."""

    level: int
    kind: str
    text: str
    after_minutes: float = 0.0


@dataclass(frozen=True)
class Limits:
    """Sandbox limits for running the candidate's code."""

    wall_seconds: float = 60.0
    cpu_seconds: int = 30
    memory_mb: int = 1024
    output_kb: int = 1024
    processes: int = 64
    test_seconds: float | None = None


@dataclass(frozen=True)
class Question:
    """Everything about a question that the candidate may meet during a session."""

    id: str
    title: str
    category: str
    formats: tuple[str, ...]
    minutes: int
    folder: Path
    statement: str
    levels: tuple[Level, ...]
    clarifications: tuple[Clarification, ...]
    hints: tuple[Hint, ...]
    entry: str = "solution.py"
    starter: str = "starter.py"
    examples: str = "examples.py"
    summary: str = ""
    gating: str = "time"
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    #: Standard-library names the candidate must not use, each with the reason they are told.
    forbidden_libraries: Mapping[str, str] = field(default_factory=lambda: _frozen({}))
    phases: Mapping[str, int] = field(default_factory=lambda: _frozen({}))
    idle_minutes: float = 10.0
    failed_runs: int = 3
    limits: Limits = field(default_factory=Limits)

    def level(self, level_id: int) -> Level:
        """The level with this id (levels are numbered from 1)."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(f"question {self.id} has no level {level_id}")

    def hint_ladder(self, level_id: int) -> tuple[Hint, ...]:
        """The hints of one level, in the order they are given."""
        return tuple(hint for hint in self.hints if hint.level == level_id)

    @property
    def important_clarifications(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.clarifications if c.important)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question, asked one at a time after the implementation."""

    id: str
    difficulty: int
    topic: str
    ask: str
    concepts: tuple[tuple[str, ...], ...]
    after: str = "implement"
    probe: str = ""
    model_answer: str = ""

    @property
    def after_level(self) -> int:
        """The level the candidate must have reached; 0 for any implementation."""
        return int(self.after.split("-")[1]) if self.after.startswith("level-") else 0


@dataclass(frozen=True)
class RubricItem:
    """One weighted checklist item with the evidence that decides it."""

    id: str
    weight: float
    title: str
    evidence: Mapping[str, Any]
    met: str
    missed: str
    kind: str = "correctness"
    severity: str = "should-fix"

    @property
    def evidence_kind(self) -> str:
        return next(iter(self.evidence))


@dataclass(frozen=True)
class Rubric:
    items: tuple[RubricItem, ...]
    bands: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    #: Items whose miss caps the grade at Lean No Hire: the part of the question
    #: that a hire must get right (one level, or several on progressive questions).
    core: tuple[str, ...] = ()


@dataclass(frozen=True)
class InterviewerNotes:
    """What only the interviewer sees until its time: follow-ups and the rubric."""

    followups: tuple[FollowUp, ...]
    rubric: Rubric
