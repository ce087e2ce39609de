"""The interview formats a candidate can choose, as data.

A format decides the shape of a session around the same question data: how
long it is, whether the interviewer moves the phases on with the clock (and
where), how many follow-ups it asks, how levels open, and whether the clock can
be paused or the grade waits until asked. The engine reads these facts; it has
no format names of its own beyond the data here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._loader import Bank


@dataclass(frozen=True)
class PhasePlan:
    """Where the clock moves the phases on, as shares of the time box.

    ``clarify`` is the share after which clarifying ends and coding starts;
    ``followups`` the share kept at the end for the follow-up discussion.
    """

    clarify: float
    followups: float

    def clarify_seconds(self, box_seconds: float) -> float:
        return self.clarify * box_seconds

    def followup_seconds(self, box_seconds: float) -> float:
        return self.followups * box_seconds


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    time: str
    shape: str
    #: Time boxes (minutes) the candidate chooses from at the start; empty: the question's own.
    minute_choices: tuple[int, ...] = ()
    #: Phase moves driven by the clock; None: the candidate moves on (and time up ends coding).
    plan: PhasePlan | None = None
    #: Most follow-ups asked; None: every one the candidate's level allows.
    max_followups: int | None = None
    #: How levels open: "pass", "free", or None for the question's own gating.
    gating: str | None = None
    timed: bool = True
    pausable: bool = False
    #: The grade stays out of the report until the candidate asks for it.
    grade_on_request: bool = False
    #: Hints cost nothing in the rubric.
    free_hints: bool = False
    #: Only the last accepted submission is scored, not the workspace at the end.
    scores_last_submission: bool = False
    #: Submissions after the deadline are refused.
    refuses_late_submissions: bool = False


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("takehome", "Take-home", "2-4 h (choose)",
           "optimise a kernel on a simulated VLIW SIMD machine", minute_choices=(120, 180, 240)),
    Format("codesignal", "CodeSignal assessment", "90 min",
           "four gated levels, partial credit per level", gating="pass",
           scores_last_submission=True, refuses_late_submissions=True),
    Format("live", "Live coding", "45-60 min",
           "about 10 min clarifying, 25-35 coding, 10-15 follow-ups, moved on by the clock",
           plan=PhasePlan(clarify=1 / 6, followups=1 / 4), max_followups=4),
    Format("perf-deep-dive", "Performance deep dive", "60 min",
           "shorter coding, more follow-ups on performance",
           plan=PhasePlan(clarify=1 / 12, followups=1 / 2)),
    Format("gpu-deep-dive", "GPU deep dive", "60 min",
           "shorter coding, more follow-ups on GPU topics",
           plan=PhasePlan(clarify=1 / 12, followups=1 / 2)),
    Format("practice", "Practice", "untimed",
           "any question, hints free, pause allowed, no grade unless asked",
           gating="free", timed=False, pausable=True, grade_on_request=True, free_hints=True),
    Format("behavioral", "Behavioural", "30-45 min",
           "prompts, probing follow-ups, per-answer feedback", minute_choices=(30, 45)),
)}


def startable_formats(bank: Bank, prompts: int = 0) -> list[str]:
    """The formats a session can start in: practice always, behavioural with ``prompts``
    behavioural prompts, and every other format the question ``bank`` offers a question in."""
    def offered(name: str) -> bool:
        if name == "practice":
            return True
        return prompts > 0 if name == "behavioral" else bool(bank.for_format(name))

    return [name for name in FORMATS if offered(name)]


def get_format(name: str) -> Format:
    """The format called ``name``; formats not listed here (old logs) behave like live."""
    return FORMATS.get(name) or FORMATS["live"]
