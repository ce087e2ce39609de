"""Every question plays from start to feedback in each of its formats.

The flow is what is under test here: phases, levels opening, follow-ups and
the feedback report, for every (question, format) pair of the bank. Running
the real hidden tests and scoring is covered by the calibration tests, so the
runner here reports every test of the levels asked for as passed, and the
scorer reads that back as a grade.
"""

from __future__ import annotations

import pytest

from interviewer import Interview, ManualClock, load_bank
from interviewer._events import TestOutcome
from interviewer._runner import RunResult

BANK = load_bank()
PAIRS = [(q.id, fmt) for q in BANK for fmt in (*q.formats, "practice")]


class PassingRunner:
    """Every test of the levels asked for passes; one named test per level."""

    def run_examples(self, question, workspace) -> RunResult:
        return RunResult("completed", "", (TestOutcome("test_example", None, "pass"),))

    def run_hidden(self, question, workspace, level) -> RunResult:
        outcomes = tuple(TestOutcome(f"test_level{lv.id}", lv.id, "pass")
                         for lv in question.levels if lv.id <= level)
        return RunResult("completed", "", outcomes)


def reported(interview: Interview) -> tuple[str, float, str]:
    levels = len(interview.state.levels_passed)
    return "Hire", 0.75, f"Grade: Hire ({levels} levels passed)"


@pytest.mark.parametrize("question_id,fmt", PAIRS, ids=[f"{q}-{f}" for q, f in PAIRS])
def test_question_plays_to_feedback(tmp_path, question_id, fmt):
    clock = ManualClock()
    question = BANK.get(question_id)
    interview = Interview.start(BANK, question_id, workspace=tmp_path / "ws", clock=clock,
                                format=fmt, seed=11, runner=PassingRunner(), scorer=reported,
                                minutes=120 if fmt == "takehome" else None)
    assert question.statement in [r.text for r in interview.history]
    interview.say(question.clarifications[0].examples[0])
    assert interview.state.clarifications == [question.clarifications[0].id]
    interview.command("/next")
    assert interview.state.phase == "implement"
    for level in question.levels:
        clock.advance(minutes=5)
        interview.command("/submit")
        assert level.id in interview.state.levels_passed, (fmt, level.id)
    clock.advance(minutes=5)
    interview.say("I'm done")
    for _ in range(20):
        if interview.state.phase != "followups":
            break
        interview.say("I would measure first, then profile the hot path and cache results.")
    assert interview.state.followups, "no follow-up was asked"
    report = " ".join(r.text for r in interview.command("/feedback"))
    assert f"Grade: Hire ({len(question.levels)} levels passed)" in report
    assert interview.state.phase == "feedback"
