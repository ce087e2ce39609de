"""Play a scripted session file (``tests/reference/<id>/*.session.yaml``) through the library."""

from __future__ import annotations

from pathlib import Path

import yaml

from interviewer import Interview, ManualClock

from .conftest import ROOT

REFERENCE = ROOT / "tests" / "reference"


def play(bank, question_id: str, session_file: Path, workspace: Path,
         log_path: Path | None = None) -> Interview:
    """Run every step of the session file, then ask for feedback."""
    script = yaml.safe_load(session_file.read_text())
    clock = ManualClock()
    interview = Interview.start(bank, question_id, workspace=workspace, clock=clock,
                                format=script.get("format"), seed=script.get("seed", 0),
                                log_path=log_path)
    entry = interview.workspace / interview.question.entry
    for step in script["steps"]:
        [(kind, value)] = step.items()
        if kind == "advance":
            clock.advance(minutes=value)
            interview.tick()
        elif kind in ("say", "answer"):
            interview.say(value)
        elif kind == "command":
            interview.command(value)
        elif kind == "write":
            entry.write_bytes((session_file.parent / value).read_bytes())
        else:
            raise ValueError(f"{session_file}: unknown step '{kind}'")
    interview.command("/feedback")
    return interview
