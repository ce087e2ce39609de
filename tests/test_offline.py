"""Offline by construction: whole sessions run with socket creation blocked."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

from interviewer import Interview, ManualClock

from .conftest import FIXTURES, ROOT
from .test_interview import GOOD_SOLUTION

BLOCKER = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("network access is blocked in this test")

socket.socket = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def test_library_session_needs_no_socket(tmp_path, fixture_bank, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the interviewer reached for the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    clock = ManualClock()
    interview = Interview.start(fixture_bank, "01", workspace=tmp_path / "ws", clock=clock)
    interview.say("are words case sensitive?")
    interview.command("/next")
    (interview.workspace / "solution.py").write_text(GOOD_SOLUTION)
    interview.command("/run")
    interview.command("/submit")
    interview.say("I'm done")
    interview.say("A dict with pointer overhead in bytes per entry.")
    interview.say("A heap gives log n updates.")
    interview.command("/feedback")
    assert interview.state.phase == "feedback"


def test_repl_session_runs_with_sockets_blocked(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(BLOCKER))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "solution.py").write_text(GOOD_SOLUTION)
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(tmp_path / "data"), "--bank",
         str(FIXTURES / "bank"), "--question", "01", "--format", "live", "--workspace",
         str(workspace)],
        input="are words case sensitive?\n/next\n/run\n/submit\nI'm done\n/feedback\n",
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{site}:{ROOT}", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Examples: 2 of 2 passed." in result.stdout
    assert "Grade:" in result.stdout


def test_the_blocker_really_blocks(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(BLOCKER))
    result = subprocess.run([sys.executable, "-c", "import socket; socket.socket()"],
                            capture_output=True, text=True, env={"PYTHONPATH": str(site)})
    assert "network access is blocked" in result.stderr
    assert result.returncode != 0
