"""Loading and validation: every problem as path:line: message, and a broken
question never stops the others from loading."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer import load_bank, validate_path

from .conftest import FIXTURES

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
