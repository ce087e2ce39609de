"""The scorer an ``Interview`` uses for ``/feedback``: score the workspace with the
session's process evidence, and keep the plain-text report for the transcript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._formats import get_format
from ._process import process_evidence
from ._report import render_text
from ._scoring import score_solution

if TYPE_CHECKING:
    from ._interview import Interview


def default_scorer(interview: Interview) -> tuple[str, float, str]:
    """(grade, score, report text) for the interview's workspace and transcript."""
    process = process_evidence(interview.question, interview.notes, interview.state,
                               interview.clock.now())
    card = score_solution(interview.question, interview.notes, interview.solution_folder(),
                          process=process, runner=interview.runner)
    interview.last_scorecard = card
    if get_format(interview.state.format).grade_on_request:
        return card.grade, card.score, render_text(card, show_grade=False)
    return card.grade, card.score, render_text(card)
