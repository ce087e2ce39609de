"""The README stays true: its quick start is what CI runs, and its bank table is the bank."""

from __future__ import annotations

import re

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    [command] = re.findall(r"^    (pip install -e .*pytest.*)$", README, re.MULTILINE)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_bank_table_lists_every_question_with_its_formats(bank):
    rows = re.findall(r"^\| (\d\d) \| (.+?) \| (.+?) \|$", README, re.MULTILINE)
    assert [row[0] for row in rows] == list(bank.questions)
    for question_id, _, formats in rows:
        assert formats.split(", ") == list(bank.get(question_id).formats), question_id
