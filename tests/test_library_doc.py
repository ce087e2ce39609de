"""The scripted practice session in docs/library.md runs as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from .conftest import ROOT


def doc_code() -> str:
    text = (ROOT / "docs" / "library.md").read_text()
    [block] = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return block


def test_the_doc_session_is_about_twenty_lines():
    lines = [line for line in doc_code().splitlines() if line.strip()]
    assert 15 <= len(lines) <= 25


def test_the_doc_session_runs_and_plays_question_01(monkeypatch):
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(doc_code(), "docs/library.md", "exec"), namespace)
    printed = out.getvalue()
    interview = namespace["interview"]
    assert "level 1:" in printed and "hidden tests passed" in printed
    assert interview.state.phase == "followups"
    assert len(interview.state.hints) == 1
    assert interview.state.followups[0].answer
    assert "[00:00] interviewer:" in printed
    assert Path(namespace["workspace"], "solution.py").is_file()
