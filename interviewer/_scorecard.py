"""The result of scoring: plain data, rendered by rich, Jinja2 or JSON.

``as_dict`` is the stable JSON schema documented in docs/scoring.md; its
``schema`` field changes only when a field's meaning does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 1
FEEDBACK_KINDS = ("must-fix", "should-fix", "note", "strength")


@dataclass(frozen=True)
class LevelResult:
    level: int
    title: str
    passed: int
    total: int
    failing: tuple[str, ...] = ()

    @property
    def all_passed(self) -> bool:
        return self.total > 0 and self.passed == self.total


@dataclass(frozen=True)
class ItemResult:
    """One rubric item: its credit (None when it could not be assessed) and why."""

    id: str
    title: str
    weight: float
    credit: float | None
    evidence: str
    kind: str

    @property
    def met(self) -> bool:
        return self.credit is not None and self.credit >= 0.999


@dataclass(frozen=True)
class FeedbackItem:
    """Recommendation first, then the reason; kind: strength, must-fix, should-fix or note."""

    kind: str
    item: str
    text: str
    evidence: str


@dataclass(frozen=True)
class Scorecard:
    question: str
    title: str
    folder: str
    verdict: str
    detail: str
    levels: tuple[LevelResult, ...]
    metrics: dict[str, Any]
    items: tuple[ItemResult, ...]
    score: float
    grade: str
    capped_by: str | None
    feedback: tuple[FeedbackItem, ...]
    process: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Deterministic figures the passing hidden tests measured (cycles, misses, utilisation).
    measures: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema"] = SCHEMA_VERSION
        return data
