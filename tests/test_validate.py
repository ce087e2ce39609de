"""Loading and validation: every problem as path:line: message, and a broken
question never stops the others from loading."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer import load_bank, validate_path

from .conftest import FIXTURES, ROOT

GOOD = FIXTURES / "bank" / "01-word-counter"


@pytest.fixture
def question(tmp_path) -> Path:
    """A writable copy of the fixture question, in a bank folder of its own."""
    target = tmp_path / "bank" / GOOD.name
    shutil.copytree(GOOD, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def messages(folder: Path) -> list[str]:
    return [str(p) for p in validate_path(folder).errors]


def test_the_fixture_question_is_valid(question):
    assert messages(question) == []


def test_bad_yaml_names_its_line(question):
    script = question / "script.yaml"
    edit(script, "minutes: 45", "minutes: [45")
    [problem] = messages(question)
    assert problem.startswith(f"{script}:")
    assert "bad YAML" in problem


def test_unknown_key_names_key_and_line(question):
    script = question / "script.yaml"
    edit(script, "minutes: 45", "minutes: 45\nminuets: 45")
    [problem] = messages(question)
    assert problem == (f"{script}:{line_of(script, 'minuets')}: unknown key 'minuets' in top "
                       f"level (allowed: {problem.split('(allowed: ')[1]}")


def test_missing_required_key(question):
    script = question / "script.yaml"
    edit(script, "title: Word Counter\n", "")
    assert any("missing key 'title'" in m for m in messages(question))


def test_wrong_type_is_reported_at_the_value(question):
    script = question / "script.yaml"
    edit(script, "minutes: 45", "minutes: forty-five")
    [problem] = messages(question)
    assert f"{script}:{line_of(script, 'forty-five')}: minutes:" in problem


def test_missing_test_file(question):
    (question / "_tests" / "test_level2.py").unlink()
    assert any("test file '_tests/test_level2.py' does not exist" in m
               for m in messages(question))


def test_dangling_ids(question):
    edit(question / "_rubric.yaml", "core: level-1-correct", "core: level-9-correct")
    edit(question / "_followups.yaml", "after: level-2", "after: level-7")
    edit(question / "script.yaml", "- {level: 2, kind: nudge", "- {level: 5, kind: nudge")
    found = "\n".join(messages(question))
    assert "core item 'level-9-correct' is not a rubric item" in found
    assert "follow-up waits for level-7, which does not exist" in found
    assert "hint refers to level 5, which does not exist" in found


def test_duplicate_clarification_ids(question):
    edit(question / "script.yaml", "- id: ties", "- id: case")
    assert any("duplicate id 'case'" in m for m in messages(question))


def test_hint_that_is_code_is_refused(question):
    edit(question / "script.yaml", "text: Think about which structure maps a word to a number.",
         "text: \"def add(self, w): self.counts[w] += 1\"")
    assert any("hint reads like code" in m for m in messages(question))


def test_too_few_clarifications_is_a_warning_and_strict_error(question):
    report = validate_path(question)
    assert report.ok
    assert any("at least 10 clarifications" in str(p) for p in report.warnings)


def test_broken_question_does_not_stop_the_bank(tmp_path, question):
    broken = question.parent / "02-broken"
    shutil.copytree(question, broken)
    edit(broken / "script.yaml", 'id: "01"', 'id: "02"')
    edit(broken / "script.yaml", "category: known", "category: astrology")
    bank = load_bank(question.parent)
    assert list(bank.questions) == ["01"]
    assert any("category" in str(p) and "02-broken" in str(p) for p in bank.problems)


def test_a_bank_loaded_for_one_question_reads_only_its_folder(tmp_path, question):
    broken = question.parent / "02-broken"
    shutil.copytree(question, broken)
    edit(broken / "script.yaml", "category: known", "category: astrology")
    bank = load_bank(question.parent, only="1")
    assert list(bank.questions) == ["01"] and not bank.problems
    everything = load_bank(question.parent, only="07")   # no such folder: load them all
    assert list(everything.questions) == ["01"] and everything.problems


def test_validate_command_exit_code_and_output(question):
    edit(question / "script.yaml", "minutes: 45", "minutes: 5")
    result = subprocess.run([sys.executable, "-m", "interviewer", "validate", str(question)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{question / 'script.yaml'}:" in result.stdout
    assert "1 question(s) checked: 1 error(s)" in result.stdout
    assert "Traceback" not in result.stderr


def test_builtin_bank_validates_cleanly():
    report = validate_path(None)
    assert report.checked >= 1
    assert report.errors == []


BANK_FOLDERS = sorted(p for p in (ROOT / "questions").iterdir() if (p / "script.yaml").is_file())


@pytest.mark.parametrize("folder", BANK_FOLDERS, ids=lambda p: p.name)
def test_every_bank_question_meets_the_standard_strictly(folder):
    """Counts, and code: the reference passes, the starter fails, every mutant is caught."""
    report = validate_path(folder, strict=True)
    assert [str(p) for p in report.errors] == []


# -- strict: the code behaves as the question claims -----------------------------------------

STRONG_COUNTER = '''
class WordCounter:
    def __init__(self):
        self.counts = {}

    def add(self, word):
        self.counts[word] = self.counts.get(word, 0) + 1

    def count(self, word):
        return self.counts.get(word, 0)

    def top(self, n):
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [word for word, _ in ranked[:n]]
'''

MEASURED_TEST = '''

def test_counting_records_its_adds(solution, measure):
    counter = solution.WordCounter()
    for word in "abcab":
        counter.add(word)
    assert counter.count("a") == 2
    measure("adds", 5)
'''

MEASURE_ITEM = '''
  - id: cheap
    weight: 1
    title: Cheap counting
    kind: performance
    evidence: {measure: {name: adds, reference: 7}}
    met: Few operations.
    missed: Count fewer operations.
'''


def strict_errors(question: Path) -> list[str]:
    return [str(p) for p in validate_path(question, strict=True).errors
            if "the standard asks" not in str(p) and "missing " not in str(p)]


def test_strict_runs_the_reference_the_starter_and_every_mutant(question):
    reference = question.parent.parent / "tests" / "reference" / "01"
    reference.mkdir(parents=True)
    (reference / "strong.py").write_text(STRONG_COUNTER)
    (question / "_mutants").mkdir()
    (question / "_mutants" / "ignores_case.py").write_text(
        STRONG_COUNTER.replace("self.counts.get(word, 0) + 1", "self.counts.get(word, 0) + 1"
                               "\n        self.counts[word.lower()] = self.counts[word]"))
    (question / "_mutants" / "same_as_strong.py").write_text(STRONG_COUNTER)
    errors = strict_errors(question)
    assert len(errors) == 1, errors
    assert "mutant same_as_strong.py should fail the hidden tests but passed them all" in errors[0]


def test_strict_checks_the_reference_figure_of_each_measure_item(question):
    reference = question.parent.parent / "tests" / "reference" / "01"
    reference.mkdir(parents=True)
    (reference / "strong.py").write_text(STRONG_COUNTER)
    with (question / "_tests" / "test_level1.py").open("a") as tests:
        tests.write(MEASURED_TEST)
    with (question / "_rubric.yaml").open("a") as rubric:
        rubric.write(MEASURE_ITEM)
    line = line_of(question / "_rubric.yaml", "reference: 7")
    assert strict_errors(question) == [
        f"{question / '_rubric.yaml'}:{line}: reference adds is 7 here but the strong "
        f"reference records 5"]
    edit(question / "_rubric.yaml", "reference: 7", "reference: 5")
    assert strict_errors(question) == []


@pytest.mark.parametrize("text,is_code", [
    ("order: F0..F(m-1), then B0..B(m-1)", False),
    ("pop the smallest due time and credit it", False),
    ("call heapq.heappush(heap, item) on every insert", True),
    ("def helper(x):", True),
    ("self.counts[word] += 1", True),
])
def test_hints_that_read_like_code_are_told_from_pseudocode(text, is_code):
    from interviewer._semantics import looks_like_code

    assert looks_like_code(text) is is_code
