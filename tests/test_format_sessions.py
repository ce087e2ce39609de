"""Each format end to end: a scripted session with a fake clock, from the greeting to
the report, through the real sandbox and scorer.

Each test asserts what makes its format what it is: who moves the phases on, the
reminders, how levels open, what happens after the deadline, and the grade. The
candidate's code and follow-up answers are the strong references of
``tests/reference/``, so the grades are the ones a strong candidate earns.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interviewer import Interview, ManualClock

from .conftest import ROOT

REFERENCE = ROOT / "tests" / "reference"
GOOD = ("Strong Hire", "Hire")


class Session:
    """An interview driven by a test: a manual clock, a log, every reply kept."""

    def __init__(self, bank, question_id: str, fmt: str, tmp_path: Path,
                 minutes: int | None = None) -> None:
        self.clock = ManualClock()
        self.log = tmp_path / "session" / "events.jsonl"
        self.interview = Interview.start(bank, question_id, workspace=tmp_path / "ws",
                                         format=fmt, seed=4, clock=self.clock,
                                         log_path=self.log, minutes=minutes)
        self.said = [reply.text for reply in self.interview.history]
        self.answers = _strong_answers(question_id)

    @property
    def phase(self) -> str:
        return self.interview.state.phase

    def _keep(self, replies) -> str:
        texts = [reply.text for reply in replies]
        self.said += texts
        return "\n".join(texts)

    def at(self, minute: float) -> str:
        """Move the clock to ``minute`` of the session and let the interviewer speak."""
        now = self.clock.now() - self.interview.state.started_at
        self.clock.advance(seconds=max(0.0, minute * 60 - now))
        return self._keep(self.interview.tick())

    def say(self, text: str) -> str:
        return self._keep(self.interview.say(text))

    def command(self, line: str) -> str:
        return self._keep(self.interview.command(line))

    def write_strong(self) -> None:
        entry = self.interview.workspace / self.interview.question.entry
        qid = self.interview.question.id
        entry.write_bytes((REFERENCE / qid / "strong.py").read_bytes())

    def answer_followups(self) -> int:
        """Answer each follow-up with the strong session's answer until the wrap-up."""
        answered = 0
        while self.phase == "followups":
            self.say(self.answers[answered % len(self.answers)])
            answered += 1
        return answered

    def feedback(self) -> str:
        report = self.command("/feedback")
        assert self.phase == "feedback"
        return report


def _strong_answers(question_id: str) -> list[str]:
    script = yaml.safe_load((REFERENCE / question_id / "strong.session.yaml").read_text())
    return [step["answer"] for step in script["steps"] if "answer" in step]


def _reminders(session: Session) -> set[str]:
    return set(session.interview.state.reminders)


def test_codesignal_gates_levels_refuses_late_submissions_and_scores_the_last(bank, tmp_path):
    s = Session(bank, "01", "codesignal", tmp_path)
    assert "1h 30m" in s.said[-1]
    s.at(2)
    s.command("/next")
    assert "needs to pass" in s.command("/next") or "passing first" in s.said[-1]
    assert s.interview.state.level == 1                   # gated: no pass, no level 2
    s.write_strong()
    levels = len(s.interview.question.levels)
    for level in range(1, levels + 1):
        s.at(2 + level * 8)
        s.command("/submit")
        assert level in s.interview.state.levels_passed
    assert s.at(45.5) and "half" in _reminders(s)
    s.at(75.5)
    s.at(85.5)
    assert {"15", "5"} <= _reminders(s) and s.phase == "implement"   # no clock-driven moves
    (s.interview.workspace / "solution.py").write_text("class InMemoryDB:\n    pass\n")
    s.at(90.5)
    assert s.phase == "followups" and "up" in _reminders(s)
    assert "can't accept another submission" in s.command("/submit")
    s.answer_followups()
    assert s.phase == "wrapup"
    report = s.feedback()
    assert "Grade:" in report
    card = s.interview.last_scorecard
    assert all(level.passed == level.total for level in card.levels)   # the last submission
    assert card.grade in GOOD


def test_live_is_moved_on_by_the_clock_and_asks_at_most_four_followups(bank, tmp_path):
    s = Session(bank, "03", "live", tmp_path)
    s.say("Should the crawl stay on the start URL's host?")
    s.at(9.5)
    assert s.phase == "clarify"
    s.at(10)
    assert s.phase == "implement"                         # nobody typed /next
    s.write_strong()
    for minute in (14, 20, 26, 32):
        s.at(minute)
        s.command("/submit")
    assert "half" in _reminders(s)
    moved = s.at(45)
    assert s.phase == "followups" and "15m" in moved
    assert "15" in _reminders(s)                          # folded into the announcement
    asked = s.answer_followups()
    assert len(s.interview.state.followups) <= 4 and asked >= 1
    assert s.phase == "wrapup"
    s.at(55.5)
    assert "5" in _reminders(s)
    report = s.feedback()
    assert "Grade:" in report and s.interview.last_scorecard.grade in GOOD


@pytest.mark.parametrize("question_id,fmt", [("07", "perf-deep-dive"),
                                             ("13", "gpu-deep-dive")])
def test_deep_dives_code_briefly_and_ask_every_followup(bank, tmp_path, question_id, fmt):
    s = Session(bank, question_id, fmt, tmp_path)
    s.at(5)
    assert s.phase == "implement"
    s.write_strong()
    for minute in (8, 12, 16, 20, 24):
        s.at(minute)
        s.command("/submit")
    assert s.interview.state.levels_passed == set(range(1, len(s.interview.question.levels) + 1))
    moved = s.at(30)
    assert s.phase == "followups" and "30m" in moved and "half" in _reminders(s)
    s.answer_followups()
    followups = bank.notes[question_id].followups
    asked = s.interview.state.followups
    assert len(asked) == len(followups) or "up" in _reminders(s)
    assert len(asked) > 4                                 # more than live would ask
    report = s.feedback()
    assert "Grade:" in report and s.interview.last_scorecard.grade in GOOD


def test_takehome_runs_to_its_box_and_grades_by_cycles(bank, tmp_path):
    s = Session(bank, "00", "takehome", tmp_path, minutes=120)
    assert "2h 00m" in s.said[-1]
    s.at(5)
    assert s.phase == "clarify"                           # the candidate moves on, not the clock
    s.command("/next")
    s.write_strong()
    s.at(60.5)
    assert "half" in _reminders(s)
    results = s.command("/submit")
    assert "Measured:" in results and "cycles 1702" in results
    s.at(105.5)
    s.at(115.5)
    assert {"15", "5"} <= _reminders(s) and s.phase == "implement"
    s.at(120.5)
    assert s.phase == "followups"                         # time up ends the coding
    s.answer_followups()
    report = s.feedback()
    card = s.interview.last_scorecard
    assert "cycles" in report and card.measures["cycles"] == 1702
    assert card.grade in GOOD


def test_practice_pauses_gives_free_hints_and_keeps_the_grade_until_asked(bank, tmp_path):
    s = Session(bank, "05", "practice", tmp_path)
    assert s.interview.time_left() is None and s.interview.state.minutes == 0
    s.command("/next")
    for _ in range(3):
        s.command("/hint")
    assert "paused" in s.command("/pause").lower()
    assert s.at(50) == ""                                 # away: no offer, no reminder
    assert "running again" in s.command("/run")
    s.write_strong()
    for minute in (55, 60, 65):
        s.at(minute)
        s.command("/submit")
    s.command("/next")
    s.answer_followups()
    report = s.feedback()
    assert "not shown in practice" in report
    card = s.interview.last_scorecard
    assert f"Grade: {card.grade}" not in report
    hint_items = [item for item in card.items if item.evidence.startswith(("hints", "no hints"))]
    assert hint_items and all(item.credit is None for item in hint_items)   # hints are free
    assert "Paused: " in report
    assert card.grade in s.command("/grade")
    assert not _reminders(s)
