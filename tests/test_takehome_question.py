"""Question 00 end to end: the time box choice, /run and /submit, and a withheld score."""

from __future__ import annotations

import subprocess
import sys

from interviewer._scoring import score_solution
from interviewer._workspace import prepare_workspace

from .conftest import ROOT

STRONG = ROOT / "tests" / "reference" / "00" / "strong.py"


def test_the_takehome_asks_for_its_time_box_and_runs_the_kernel(tmp_path):
    script = "5\n3\n/next\n/run\n/time\n/quit\n"
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(tmp_path), "--question", "00",
         "--format", "takehome", "--seed", "2"], input=script, capture_output=True, text=True,
        timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "time box in hours (2, 3, 4) [2]: 5" in out and "Please choose 2, 3, 4 hours." in out
    assert "You have 3h 00m" in out
    assert "PASS    test_correct_on_a_seeded_problem[problem_1]" in out
    assert "FAIL    test_fewer_cycles_than[147734]: 147734 cycles" in out
    assert "Measured: cycles 147734" in out
    [workspace] = (tmp_path / "sessions").glob("*/workspace")
    assert (workspace / "tests" / "submission_tests.py").is_file()
    assert (workspace / "problem.py").is_file()


def test_a_modified_harness_withholds_the_grade(bank, tmp_path):
    question = bank.get("00")
    workspace = prepare_workspace(question, tmp_path / "ws")
    (workspace / question.entry).write_bytes(STRONG.read_bytes())
    with (workspace / "tests" / "submission_tests.py").open("a") as harness:
        harness.write("\n# tuned\n")
    card = score_solution(question, bank.notes["00"], workspace)
    assert card.grade == "Withheld" and card.score == 0.0
    assert card.feedback[0].kind == "must-fix"
    assert card.feedback[0].evidence == "modified: tests/submission_tests.py"
    assert card.extra["harness_modified"] == ["tests/submission_tests.py"]
    assert card.measures["cycles"] == 1702


def test_the_strong_kernel_is_graded_by_its_cycles(bank, tmp_path):
    question = bank.get("00")
    workspace = prepare_workspace(question, tmp_path / "ws")
    (workspace / question.entry).write_bytes(STRONG.read_bytes())
    card = score_solution(question, bank.notes["00"], workspace)
    cycles = next(item for item in card.items if item.id == "cycles")
    assert cycles.met and cycles.evidence.startswith("1702 cycles")
    assert card.measures["load utilisation %"] > 90
    assert card.grade == "Strong Hire"
