"""Calibration: scripted strong, average and weak sessions get the grades they deserve."""

from __future__ import annotations

import pytest

from .play import REFERENCE, play

EXPECTED = {
    ("01", "strong"): {"Strong Hire", "Hire"},
    ("01", "average"): {"Hire", "Lean Hire"},
    ("01", "weak"): {"Lean No Hire", "No Hire"},
}


@pytest.mark.parametrize("question_id,name", sorted(EXPECTED))
def test_scripted_session_gets_its_grade(bank, tmp_path, question_id, name):
    session = REFERENCE / question_id / f"{name}.session.yaml"
    interview = play(bank, question_id, session, tmp_path / "ws")
    card = interview.last_scorecard
    assert interview.state.phase == "feedback"
    assert card.grade in EXPECTED[(question_id, name)], card.grade
    assert f"Grade: {card.grade}" in interview.transcript()


def test_strong_reference_alone_gets_strong_hire(bank, tmp_path):
    from interviewer._scoring import score_solution

    folder = tmp_path / "solution"
    folder.mkdir()
    (folder / "solution.py").write_bytes((REFERENCE / "01" / "strong.py").read_bytes())
    card = score_solution(bank.get("01"), bank.notes["01"], folder)
    assert card.grade == "Strong Hire"
    assert all(level.all_passed for level in card.levels)


def test_scoring_is_deterministic(bank, tmp_path):
    session = REFERENCE / "01" / "average.session.yaml"
    first = play(bank, "01", session, tmp_path / "a").last_scorecard.as_dict()
    second = play(bank, "01", session, tmp_path / "b").last_scorecard.as_dict()
    first.pop("folder"), second.pop("folder")
    assert first == second
