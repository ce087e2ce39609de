"""The question standard, as checks: minimum counts, and the behaviour of the
reference, the starter and the mutants against the hidden tests.

Counts are cheap and run on every ``validate``; running code is slower and
runs only with ``--strict``.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ._loader import QuestionFiles
from ._problems import Problem

MIN_CLARIFICATIONS, MIN_IMPORTANT, MIN_PHRASINGS = 10, 4, 3
MIN_HINTS_PER_LEVEL, MIN_FOLLOWUPS, MIN_RUBRIC = 3, 5, 8
MIN_TESTS, MIN_MUTANTS = 30, 5


def count_tests(path: Path) -> int:
    """Test functions in a pytest file (module level and in classes)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return 0
    return sum(
        1 for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test")
    )


def reference_dir(files: QuestionFiles) -> Path:
    """``tests/reference/<id>/`` beside the bank the question belongs to."""
    return files.folder.parent.parent / "tests" / "reference" / files.script.data["id"]


def matcher_set(files: QuestionFiles) -> Path:
    matcher_data = files.folder.parent.parent / "tests" / "data" / "matcher"
    return matcher_data / f"{files.script.data['id']}.yaml"


def _short(files: QuestionFiles, where: tuple, what: str, have: int, need: int) -> list[Problem]:
    if have >= need:
        return []
    return [files.script.problem(where, f"the standard asks for at least {need} {what}; "
                                        f"found {have}", "warning")]


def _clarification_counts(files: QuestionFiles) -> list[Problem]:
    clarifications = files.script.data["clarifications"]
    problems = _short(files, ("clarifications",), "clarifications", len(clarifications),
                      MIN_CLARIFICATIONS)
    problems += _short(files, ("clarifications",), "important clarifications",
                       sum(bool(c.get("important")) for c in clarifications), MIN_IMPORTANT)
    for index, clarification in enumerate(clarifications):
        problems += _short(files, ("clarifications", index, "examples"),
                           f"example phrasings for '{clarification['id']}'",
                           len(clarification["examples"]), MIN_PHRASINGS)
    return problems


def _hint_counts(files: QuestionFiles) -> list[Problem]:
    problems = []
    hints = files.script.data["hints"]
    for level in files.script.data["levels"]:
        kinds = [h["kind"] for h in hints if h["level"] == level["id"]]
        problems += _short(files, ("hints",), f"hints for level {level['id']}", len(kinds),
                           MIN_HINTS_PER_LEVEL)
        missing = [k for k in ("nudge", "direction", "pseudocode") if k not in kinds]
        if missing:
            problems.append(files.script.problem(("hints",), f"level {level['id']}'s hint ladder "
                                                             f"lacks: {', '.join(missing)}",
                                                 "warning"))
    return problems


def _file_counts(files: QuestionFiles) -> list[Problem]:
    levels = files.script.data["levels"]
    problems = []
    if files.script.data["category"] != "takehome":   # the take-home's tests are its harness
        tests = sum(count_tests(files.folder / level["tests"]) for level in levels)
        problems += _short(files, ("levels",), "hidden tests", tests, MIN_TESTS)
    mutants = sorted((files.folder / "_mutants").glob("*.py"))
    problems += _short(files, ("id",), "mutants in _mutants/", len(mutants), MIN_MUTANTS)
    problems += _short(files, ("id",), "follow-ups", len(files.followups.data), MIN_FOLLOWUPS)
    problems += _short(files, ("id",), "rubric items", len(files.rubric.data["items"]),
                       MIN_RUBRIC)
    for needed in (reference_dir(files) / "strong.py", matcher_set(files)):
        if not needed.is_file():
            problems.append(files.script.problem(("id",), f"missing {needed}", "warning"))
    return problems


def check_standard(files: QuestionFiles) -> list[Problem]:
    """Shortfalls against the question standard, as warnings."""
    return _clarification_counts(files) + _hint_counts(files) + _file_counts(files)


# -- running code (strict) -------------------------------------------------------------------

Verdict = Callable[[], Problem | None]


def check_behaviour(files: QuestionFiles) -> list[Problem]:
    """Reference passes everything, starter fails, every mutant is caught."""
    from ._loader import load_question
    from ._runner import SandboxRunner

    question, _ = load_question(files.folder)
    runner = SandboxRunner()
    last = question.levels[-1].id
    checks: list[Verdict] = []

    def expect(path: Path, should_pass: bool, what: str) -> Verdict:
        def run() -> Problem | None:
            if not path.is_file():
                return Problem(path, 1, f"missing {what}")
            # Something that should fail need only fail once: stop at its first failure.
            result = _run_file(runner, question, path, last, fail_fast=not should_pass)
            passed = result.verdict == "completed" and all(o.outcome == "pass"
                                                           for o in result.outcomes)
            if passed and should_pass:
                return _check_reference_figures(files, result.measures)
            if passed == should_pass:
                return None
            failed = [o.name for o in result.outcomes if o.outcome != "pass"][:3]
            detail = (f"failed {', '.join(failed)}" if failed else result.detail or
                      result.verdict)
            verb = "should pass every hidden test but" if should_pass else \
                "should fail the hidden tests but passed them all"
            return Problem(path, 1, f"{what} {verb}" + (f": {detail}" if should_pass else ""))
        return run

    checks.append(expect(reference_dir(files) / "strong.py", True, "the strong reference"))
    checks.append(expect(files.folder / question.starter, False, "the starter"))
    for mutant in sorted((files.folder / "_mutants").glob("*.py")):
        checks.append(expect(mutant, False, f"mutant {mutant.name}"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return [p for p in pool.map(lambda check: check(), checks) if p is not None]


def _check_reference_figures(files: QuestionFiles, measures: Mapping[str, float]
                             ) -> Problem | None:
    """Each rubric ``measure`` item states the figure the strong reference really records."""
    for index, item in enumerate(files.rubric.data["items"]):
        spec = item["evidence"].get("measure")
        if not spec:
            continue
        where = ("items", index, "evidence", "measure", "reference")
        value = measures.get(spec["name"])
        if value is None:
            return files.rubric.problem(where, f"the strong reference records no figure "
                                               f"'{spec['name']}'")
        if not math.isclose(value, spec["reference"], rel_tol=1e-9):
            return files.rubric.problem(where, f"reference {spec['name']} is "
                                               f"{spec['reference']:g} here but the strong "
                                               f"reference records {value:g}")
    return None


def _run_file(runner, question, solution: Path, level: int, fail_fast: bool = False):
    """Run one solution file as the candidate's entry, in a fresh workspace."""
    import tempfile

    from ._workspace import prepare_workspace

    with tempfile.TemporaryDirectory(prefix="interviewer-check-") as scratch:
        prepare_workspace(question, Path(scratch))
        (Path(scratch) / question.entry).write_bytes(solution.read_bytes())
        return runner.run_hidden(question, Path(scratch), level, fail_fast=fail_fast)
