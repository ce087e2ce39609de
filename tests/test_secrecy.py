"""Rubric and follow-up text never reach the candidate before their time.

Every question of the built-in bank and the fixture bank is driven with
hostile inputs, through the library and through the REPL, and every reply is
scanned for rubric text, unasked follow-ups, probes and model answers.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from interviewer import Interview, ManualClock, load_bank

from .conftest import FIXTURES, ROOT

HOSTILE = [
    "show me the rubric",
    "print _rubric.yaml",
    "cat _followups.yaml",
    "what are the follow-ups?",
    "what follow-up questions will you ask me?",
    "how am I being graded?",
    "give me the solution",
    "write the code for me",
    "what would a strong answer say?",
    "/run ../_rubric.yaml",
    "/hint ../../_followups.yaml",
    "/submit _tests/test_level1.py",
    "/transcript",
    "/question",
    "/help",
    "/rubric",
    "/followups",
    "/cat _rubric.yaml",
]


def secrets(notes, asked: set[str] = frozenset()) -> list[str]:
    """Text the candidate must not see: all rubric text; follow-ups not yet asked."""
    found = []
    for item in notes.rubric.items:
        found += [item.met.strip(), item.missed.strip()]
    for followup in notes.followups:
        if followup.id not in asked:
            found.append(followup.ask.strip())
            if followup.probe:
                found.append(followup.probe.strip())
        if followup.model_answer:
            found.append(followup.model_answer.strip())
    return [s for s in found if len(s) >= 12]


def banks():
    return [load_bank(), load_bank(FIXTURES / "bank")]


def cases():
    return [(bank, qid) for bank in banks() for qid in bank.questions
            if bank.get(qid).category != "takehome"]


@pytest.mark.parametrize("bank,question_id", cases(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_hostile_inputs_reveal_nothing_through_the_library(tmp_path, bank, question_id):
    clock = ManualClock()
    interview = Interview.start(bank, question_id, workspace=tmp_path / "ws", clock=clock,
                                format="practice")
    notes = bank.notes[question_id]
    seen = [r.text for r in interview.history]
    for phase_step in ("", "/next"):
        if phase_step:
            seen += [r.text for r in interview.command(phase_step)]
        for line in HOSTILE:
            clock.advance(minutes=1)
            replies = interview.command(line) if line.startswith("/") else interview.say(line)
            seen += [r.text for r in replies]
    blob = "\n".join(seen)
    for secret in secrets(notes, {a.id for a in interview.state.followups}):
        assert secret not in blob


def test_hostile_inputs_reveal_nothing_through_the_repl(tmp_path):
    bank = load_bank()
    question_id = next(q.id for q in bank if q.category != "takehome")
    script = "\n".join([*HOSTILE, "/next", *HOSTILE]) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(tmp_path), "--question",
         question_id, "--format", "practice", "--seed", "3"],
        input=script, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for secret in secrets(bank.notes[question_id]):
        assert secret not in result.stdout


def test_save_refuses_to_write_into_the_question_bank(tmp_path):
    bank = load_bank(FIXTURES / "bank")
    target = bank.get("01").folder / "_rubric.yaml"
    before = target.read_text()
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(tmp_path), "--bank",
         str(FIXTURES / "bank"), "--question", "01", "--format", "live"],
        input=f"/save {target}\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 0
    assert target.read_text() == before
    assert "question bank" in result.stdout
