"""Scoring: evidence kinds, grade bands and the core cap, feedback order, reports and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer._events import TestOutcome
from interviewer._evidence import Context, evaluate
from interviewer._grade import cap, grade_for
from interviewer._metrics import FunctionComplexity, Metrics
from interviewer._process import FollowUpEvidence, HintUse, ProcessEvidence
from interviewer._report import process_lines, render_text, write_report
from interviewer._scorecard import SCHEMA_VERSION
from interviewer._scoring import score_solution

from .conftest import ROOT
from .play import REFERENCE, play

METRICS = Metrics(file="solution.py", functions=(
    FunctionComplexity("DB.get", 3, 2, "A"), FunctionComplexity("DB.scan", 9, 12, "C")),
    maintainability=45.0, maintainability_rank="A", sloc=80, comments=8)


def outcomes(*spec: tuple[str, int, str]) -> tuple[TestOutcome, ...]:
    return tuple(TestOutcome(name, level, outcome) for name, level, outcome in spec)


def process(**changes) -> ProcessEvidence:
    base = dict(important_asked=("missing",), important_missed=("order", "ttl"),
                asked_before_code=("missing",), clarifications_asked=3, unanswered_questions=1,
                hints=(HintUse(2, 1, "nudge", 20.0), HintUse(2, 2, "direction", 25.0)),
                minutes_used=50.0, minutes_box=60, phase_minutes={"clarify": 5.0},
                level_minutes={1: 20.0, 2: 30.0},
                followups=(FollowUpEvidence("scale", "How would it scale?", True, 2, 4,
                                            ("shard", "replica"), ("cache", "queue"),
                                            "Shard by key and replicate."),),
                reached_followups=True)
    return ProcessEvidence(**{**base, **changes})


def ctx(**changes) -> Context:
    base = dict(outcomes=outcomes(("test_a", 1, "pass"), ("test_b_edge", 1, "fail"),
                                  ("test_c", 2, "pass"), ("test_d_edge", 2, "pass")),
                level_files={"_tests/test_level1.py": 1, "_tests/test_level2.py": 2},
                metrics=METRICS, process=process())
    return Context(**{**base, **changes})


# -- evidence kinds ----------------------------------------------------------------------------

def test_tests_evidence_gives_the_fraction_passed_and_names_the_failures():
    credit, text = evaluate("tests", {"level": 1}, ctx())
    assert credit == 0.5 and "1 of 2 tests passed" in text and "test_b_edge" in text


def test_tests_evidence_selects_by_file_and_by_name_and_honours_min_fraction():
    assert evaluate("tests", {"file": "_tests/test_level2.py"}, ctx())[0] == 1.0
    assert evaluate("tests", {"match": "edge"}, ctx())[0] == 0.5
    assert evaluate("tests", {"match": "edge", "min_fraction": 0.5}, ctx())[0] == 1.0
    assert evaluate("tests", {"level": 9}, ctx()) == (0.0, "no matching tests ran")


def test_radon_evidence_names_the_worst_function_and_counts_each_threshold():
    credit, text = evaluate("radon", {"max_cc": 10, "min_mi": 40}, ctx())
    assert credit == 0.5
    assert "worst complexity 12 (DB.scan, rank C), limit 10" in text
    assert evaluate("radon", {"max_average_cc": 8, "max_sloc": 100}, ctx())[0] == 1.0
    broken = Metrics(file="solution.py", error="could not measure solution.py: bad")
    assert evaluate("radon", {"max_cc": 10}, ctx(metrics=broken)) == (
        0.0, "could not measure solution.py: bad")


def test_code_quality_is_not_judged_while_most_tests_fail():
    failing = outcomes(("test_a", 1, "fail"), ("test_b", 1, "fail"), ("test_c", 2, "pass"))
    credit, text = evaluate("radon", {"max_cc": 10}, ctx(outcomes=failing))
    assert credit is None and text.startswith("not assessed: 1 of 3 hidden tests pass")


def test_clarification_evidence_counts_important_ones_asked_before_code():
    credit, text = evaluate("clarifications", {"important": 2, "before_code": True}, ctx())
    assert credit == 0.5 and "(missing)" in text and "not asked: order, ttl" in text


def test_hint_evidence_costs_per_hint_over_the_allowance_and_caps_deep_rungs():
    assert evaluate("hints", {"max": 1}, ctx())[0] == 0.75
    assert evaluate("hints", {"max": 2, "max_rung": "nudge"}, ctx())[0] == 0.5
    credit, text = evaluate("hints", {"max": 2}, ctx())
    assert credit == 1.0 and "level 2 rung 2 (direction)" in text


def test_time_evidence_compares_with_the_box_and_needs_the_followups_reached():
    assert evaluate("time", {"within_box": True}, ctx())[0] == 1.0
    late = process(minutes_used=75.0)
    assert evaluate("time", {}, ctx(process=late))[0] == 0.75
    unfinished = process(reached_followups=False)
    credit, text = evaluate("time", {"within_box": True}, ctx(process=unfinished))
    assert credit == 0.0 and text.endswith("did not finish")


def test_followup_evidence_is_the_share_of_concepts_named_against_the_need():
    credit, text = evaluate("followups", {"min_concepts": 0.8}, ctx())
    assert credit == pytest.approx(0.625) and "naming 50%" in text
    assert evaluate("followups", {"min_answered": 2}, ctx())[0] == 0.0


def test_a_skipped_followup_counts_as_naming_nothing():
    skipped = FollowUpEvidence("memory", "How much memory?", False, 0, 3, (), ("a", "b", "c"))
    asked = process(followups=(*process().followups, skipped))
    credit, text = evaluate("followups", {"min_concepts": 0.5}, ctx(process=asked))
    assert credit == pytest.approx(0.5) and "1 of 2 follow-up(s) asked were answered" in text


def test_process_evidence_is_not_assessed_without_a_transcript():
    for kind in ("clarifications", "hints", "time", "followups"):
        assert evaluate(kind, {}, ctx(process=None)) == (None, "no transcript")


def test_measure_evidence_compares_with_the_reference_figure():
    spec = {"name": "misses", "reference": 100, "max_ratio": 1.2}
    assert evaluate("measure", spec, ctx(measures={"misses": 110}))[0] == 1.0
    credit, text = evaluate("measure", spec, ctx(measures={"misses": 400}))
    assert credit == 0.3 and "4.00x the reference" in text
    assert evaluate("measure", spec, ctx()) == (0.0, "no passing test measured misses")


def test_cycle_evidence_takes_the_best_band_reached():
    spec = {"bands": [{"max_cycles": 2000, "credit": 1.0}, {"max_cycles": 20000, "credit": 0.5}]}
    assert evaluate("cycles", spec, ctx(cycles=1500))[0] == 1.0
    assert evaluate("cycles", spec, ctx(cycles=18000))[0] == 0.5
    assert evaluate("cycles", spec, ctx(cycles=99999))[0] == 0.0
    assert evaluate("cycles", spec, ctx())[0] == 0.0


# -- grades ------------------------------------------------------------------------------------

@pytest.mark.parametrize("score,grade", [(0.9, "Strong Hire"), (0.85, "Strong Hire"),
                                         (0.7, "Hire"), (0.6, "Lean Hire"),
                                         (0.45, "Lean No Hire"), (0.1, "No Hire")])
def test_default_bands(score, grade):
    assert grade_for(score) == grade


def test_bands_can_be_set_per_question_and_the_cap_only_lowers():
    assert grade_for(0.8, {"strong-hire": 0.78}) == "Strong Hire"
    assert cap("Strong Hire") == "Lean No Hire"
    assert cap("No Hire") == "No Hire"


# -- the whole scorecard -----------------------------------------------------------------------

def solution_folder(tmp_path: Path, name: str, question_id: str = "01") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "solution.py").write_bytes((REFERENCE / question_id / f"{name}.py").read_bytes())
    return folder


def test_a_missed_core_level_caps_the_grade_and_feedback_puts_must_fix_first(bank, tmp_path):
    card = score_solution(bank.get("01"), bank.notes["01"], solution_folder(tmp_path, "weak"))
    assert card.capped_by == "level-3-correct" and card.grade == "Lean No Hire"
    kinds = [entry.kind for entry in card.feedback]
    assert kinds == sorted(kinds, key=["must-fix", "should-fix", "note", "strength"].index)
    assert card.feedback[0].item == "level-3-correct"
    assert card.levels[2].failing and card.levels[2].passed < card.levels[2].total


def test_reports_name_failing_tests_but_never_show_test_code(bank, tmp_path):
    card = score_solution(bank.get("01"), bank.notes["01"], solution_folder(tmp_path, "weak"))
    text = render_text(card)
    hidden = (bank.get("01").folder / "_tests" / "test_level3.py").read_text()
    failing = card.levels[2].failing[0]
    assert failing in text
    for line in hidden.splitlines():
        if line.strip().startswith(("assert", "db.")):
            assert line.strip() not in text


def test_report_files_read_on_their_own_and_the_html_needs_no_network(bank, tmp_path):
    interview = play(bank, "01", REFERENCE / "01" / "average.session.yaml", tmp_path / "ws")
    card = interview.last_scorecard
    write_report(card, tmp_path / "out.md")
    write_report(card, tmp_path / "out.html")
    markdown = (tmp_path / "out.md").read_text()
    html = (tmp_path / "out.html").read_text()
    for document in (markdown, html):
        assert card.grade in document and "How you worked" in document
        assert "Time per level: level 1" in document and "Model answers" in document
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "<script src" not in html
    with pytest.raises(ValueError, match=r"must end in \.md or \.html"):
        write_report(card, tmp_path / "out.pdf")


def test_process_lines_say_how_the_candidate_worked():
    lines = process_lines(process().as_dict())
    assert "Hints taken: level 2 rung 1 (nudge) at minute 20, level 2 rung 2 (direction) " \
           "at minute 25" in lines
    assert "Time per level: level 1 20 min, level 2 30 min" in lines
    assert ("Follow-up scale: named 2 of 4 expected concepts (shard, replica); "
            "not named: cache, queue") in lines


def test_json_document_is_stable(bank, tmp_path):
    card = score_solution(bank.get("01"), bank.notes["01"], solution_folder(tmp_path, "strong"))
    data = json.loads(json.dumps(card.as_dict()))
    assert data["schema"] == SCHEMA_VERSION
    assert set(data) == {"schema", "question", "title", "folder", "verdict", "detail", "levels",
                         "metrics", "items", "score", "grade", "capped_by", "feedback",
                         "process", "extra", "measures"}
    assert set(data["items"][0]) == {"id", "title", "weight", "credit", "evidence", "kind"}
    assert set(data["feedback"][0]) == {"kind", "item", "text", "evidence"}
    assert set(data["levels"][0]) == {"level", "title", "passed", "total", "failing"}


# -- the command line --------------------------------------------------------------------------

def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interviewer", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd),
                               "PYTHONPATH": str(ROOT)})


def test_score_one_folder_as_json(tmp_path):
    folder = solution_folder(tmp_path, "strong")
    result = run_cli(["score", str(folder), "--question", "01", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["grade"] == "Strong Hire" and data["verdict"] == "completed"


def test_score_a_glob_of_folders_in_one_table_with_a_summary(tmp_path):
    (tmp_path / "all").mkdir()
    for name in ("strong", "weak"):
        solution_folder(tmp_path / "all", name)
    (tmp_path / "all" / "notes.txt").write_text("not a solution")
    result = run_cli(["score", str(tmp_path / "all" / "*"), "--question", "01"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Strong Hire" in result.stdout and "Lean No Hire" in result.stdout
    assert "2 folders: 1 Strong Hire, 1 Lean No Hire" in result.stdout


def test_score_errors_are_one_clear_line(tmp_path):
    missing = run_cli(["score", str(tmp_path / "nope"), "--question", "01"], tmp_path)
    assert missing.returncode == 2 and "nope: not a folder" in missing.stderr
    (tmp_path / "a").mkdir()
    unknown = run_cli(["score", str(tmp_path / "a")], tmp_path)
    assert unknown.returncode == 2 and "which question?" in unknown.stderr
    (tmp_path / "b").mkdir()
    two = run_cli(["score", str(tmp_path / "a"), str(tmp_path / "b"), "--question", "01",
                   "--report", str(tmp_path / "r.md")], tmp_path)
    assert two.returncode == 2 and "--report writes one folder's report" in two.stderr
    for result in (missing, unknown, two):
        assert "Traceback" not in result.stderr


def test_score_finds_the_question_and_transcript_from_a_session(tmp_path):
    data = tmp_path / "data"
    script = "what does get return for a missing field?\n/next\n/quit\n"
    started = subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(data), "--question", "01",
         "--format", "codesignal", "--seed", "3"], input=script, capture_output=True, text=True,
        timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                          "PYTHONPATH": str(ROOT)})
    assert started.returncode == 0, started.stderr
    [session] = (data / "sessions").iterdir()
    (session / "workspace" / "solution.py").write_bytes((REFERENCE / "01" / "strong.py")
                                                        .read_bytes())
    result = run_cli(["score", str(session), "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["question"] == "01"
    assert card["process"]["important_asked"] == ["missing-field"]


def test_metrics_count_each_method_once_and_leave_out_the_provided_helpers(tmp_path):
    from interviewer._metrics import measure

    starter = tmp_path / "starter.py"
    starter.write_text("class Helper:\n    def size(self, x):\n        if x:\n"
                       "            return 1\n        return 0\n\n\n"
                       "def solve(x):\n    raise NotImplementedError\n")
    solution = tmp_path / "solution.py"
    solution.write_text(starter.read_text().replace(
        "    raise NotImplementedError\n",
        "    for item in x:\n        if item:\n            return item\n    return None\n"))
    names = [f.name for f in measure(solution).functions]
    assert sorted(names) == ["Helper.size", "solve"]
    assert [f.name for f in measure(solution, provided=starter).functions] == ["solve"]
    assert measure(starter, provided=starter).functions == ()
