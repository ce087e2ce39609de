"""Process evidence: what the transcript says about how the candidate worked.

Derived from the engine's state after the session (which is itself derived
from the log), so scoring a session and scoring its replay agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ._formats import get_format
from ._model import InterviewerNotes, Question
from ._state import PHASES, State


@dataclass(frozen=True)
class HintUse:
    level: int
    rung: int
    kind: str
    minute: float


@dataclass(frozen=True)
class FollowUpEvidence:
    id: str
    ask: str
    answered: bool
    concepts_named: int
    concepts_total: int
    named: tuple[str, ...]
    missed: tuple[str, ...]
    model_answer: str = ""

    @property
    def share(self) -> float:
        return self.concepts_named / self.concepts_total if self.concepts_total else 0.0


@dataclass(frozen=True)
class ProcessEvidence:
    important_asked: tuple[str, ...]
    important_missed: tuple[str, ...]
    asked_before_code: tuple[str, ...]
    clarifications_asked: int
    unanswered_questions: int
    hints: tuple[HintUse, ...]
    minutes_used: float
    minutes_box: int
    phase_minutes: dict[str, float] = field(default_factory=dict)
    level_minutes: dict[int, float] = field(default_factory=dict)
    followups: tuple[FollowUpEvidence, ...] = ()
    reached_followups: bool = False
    #: The format made hints free (practice): hint items are then not assessed.
    free_hints: bool = False
    paused_minutes: float = 0.0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["level_minutes"] = {str(k): v for k, v in self.level_minutes.items()}
        return data


def _spans(starts: dict, end: float) -> dict:
    """Minutes between consecutive start times, the last running to ``end``."""
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    spans = {}
    for index, (key, began) in enumerate(ordered):
        finish = ordered[index + 1][1] if index + 1 < len(ordered) else end
        spans[key] = round((finish - began) / 60, 1)
    return spans


def _followup_evidence(state: State, notes: InterviewerNotes) -> tuple[FollowUpEvidence, ...]:
    by_id = {f.id: f for f in notes.followups}
    evidence = []
    for record in state.followups:
        followup = by_id[record.id]
        named = set(record.concepts_named)
        labels = [group[0] for group in followup.concepts]
        evidence.append(FollowUpEvidence(
            id=record.id, ask=followup.ask, answered=bool(record.answer),
            concepts_named=len(named), concepts_total=len(followup.concepts),
            named=tuple(label for i, label in enumerate(labels) if i in named),
            missed=tuple(label for i, label in enumerate(labels) if i not in named),
            model_answer=followup.model_answer.strip(),
        ))
    return tuple(evidence)


def process_evidence(question: Question, notes: InterviewerNotes, state: State,
                     now: float) -> ProcessEvidence:
    """Summarise a session's state as evidence for the rubric."""
    important = question.important_clarifications
    coding_end = state.phase_started.get("followups", now)
    phase_starts = {p: t for p, t in state.phase_started.items() if p in PHASES}
    return ProcessEvidence(
        important_asked=tuple(c for c in important if c in state.clarifications),
        important_missed=tuple(c for c in important if c not in state.clarifications),
        asked_before_code=tuple(sorted(state.clarified_before_code)),
        clarifications_asked=len(state.clarifications),
        unanswered_questions=len(state.misses),
        hints=tuple(HintUse(h.level, h.rung, h.kind, round((h.at - state.started_at) / 60, 1))
                    for h in state.hints),
        minutes_used=round((coding_end - state.started_at) / 60, 1),
        minutes_box=state.minutes,
        phase_minutes=_spans(phase_starts, now),
        level_minutes=_spans(dict(state.level_opened), coding_end),
        followups=_followup_evidence(state, notes),
        reached_followups="followups" in state.phase_started,
        free_hints=get_format(state.format).free_hints,
        paused_minutes=round(state.paused_seconds(now) / 60, 1),
    )
