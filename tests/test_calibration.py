"""Calibration: scripted strong, average and weak sessions get the grades they deserve.

Every question's ``tests/reference/<id>/`` is picked up: each ``<name>.session.yaml``
is played through the library and must earn one of the grades its name stands for.
"""

from __future__ import annotations

import pytest

from .play import REFERENCE, play

DESERVED = {
    "strong": {"Strong Hire", "Hire"},
    "average": {"Hire", "Lean Hire"},
    "weak": {"Lean No Hire", "No Hire"},
}

SESSIONS = sorted(
    (path.parent.name, path.name.removesuffix(".session.yaml"))
    for path in REFERENCE.glob("*/*.session.yaml")
)
STRONG = sorted(path.parent.name for path in REFERENCE.glob("*/strong.py"))


def test_every_reference_folder_has_a_strong_and_a_weak_session():
    by_question: dict[str, set[str]] = {}
    for question_id, name in SESSIONS:
        by_question.setdefault(question_id, set()).add(name)
    assert by_question, "no reference sessions found"
    for question_id, names in by_question.items():
        assert {"strong", "weak"} <= names, question_id
        assert names <= set(DESERVED), (question_id, names - set(DESERVED))


@pytest.mark.parametrize("question_id,name", SESSIONS)
def test_scripted_session_gets_its_grade(bank, tmp_path, question_id, name):
    session = REFERENCE / question_id / f"{name}.session.yaml"
    interview = play(bank, question_id, session, tmp_path / "ws")
    card = interview.last_scorecard
    assert interview.state.phase == "feedback"
    assert card.grade in DESERVED[name], (card.grade, card.score)
    assert f"Grade: {card.grade}" in interview.transcript()


@pytest.mark.parametrize("question_id", STRONG)
def test_strong_reference_alone_gets_strong_hire(bank, tmp_path, question_id):
    from interviewer._scoring import score_solution
    from interviewer._workspace import prepare_workspace

    question = bank.get(question_id)
    folder = prepare_workspace(question, tmp_path / "solution")
    (folder / question.entry).write_bytes((REFERENCE / question_id / "strong.py").read_bytes())
    card = score_solution(question, bank.notes[question_id], folder)
    assert card.grade == "Strong Hire", [i for i in card.items if not i.met]
    assert all(level.all_passed for level in card.levels)


def test_scoring_is_deterministic(bank, tmp_path):
    session = REFERENCE / "01" / "average.session.yaml"
    first = play(bank, "01", session, tmp_path / "a").last_scorecard.as_dict()
    second = play(bank, "01", session, tmp_path / "b").last_scorecard.as_dict()
    first.pop("folder"), second.pop("folder")
    assert first == second
