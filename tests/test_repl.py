"""The REPL, driven both through a pipe and through a real pseudo-terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from .conftest import FIXTURES, ROOT

BANK = FIXTURES / "bank"


def run_cli(args: list[str], stdin: str, data_dir: Path, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(data_dir), "--bank", str(BANK),
         *args],
        input=stdin, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )


def session_logs(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "sessions").glob("*/events.jsonl"))


def test_piped_session_has_no_escape_codes_and_shows_the_question(tmp_path):
    result = run_cli(["--question", "01", "--format", "live", "--seed", "1"],
                     "are words case sensitive?\n/next\n/hint\n/quit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    statement = (BANK / "01-word-counter" / "QUESTION.md").read_text()
    assert statement in result.stdout
    assert "Words are case sensitive." in result.stdout
    assert "Think about which structure" in result.stdout
    assert "you> /hint" in result.stdout


def test_question_markdown_shows_code_blocks_verbatim():
    import io

    from rich.console import Console

    from interviewer._repl import QuestionMarkdown

    code = "db.set('a', 'b', 'c')\nassert db.get('a', 'b') == 'c'  # [x] *not* markup"
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system=None)
    console.print(QuestionMarkdown(f"# Title\n\nSome *text*.\n\n```python\n{code}\n```\n"))
    shown = console.file.getvalue()
    for row in code.splitlines():
        assert row in shown
    assert "Some text." in shown


def test_piped_selection_of_format_and_question(tmp_path):
    result = run_cli(["--seed", "2"], "codesignal\n01\n/time\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Questions" in result.stdout and "Word Counter" in result.stdout
    assert "left of 45m" in result.stdout or "to go, out of 45m" in result.stdout
    assert "End of input" in result.stdout


def test_random_pick_is_reproducible_with_a_seed(tmp_path):
    first = run_cli(["--format", "live", "--question", "random", "--seed", "9"], "", tmp_path)
    second = run_cli(["--format", "live", "--question", "random", "--seed", "9"], "",
                     tmp_path / "b")
    assert first.returncode == second.returncode == 0
    assert "Word Counter" in first.stdout and "Word Counter" in second.stdout


@pytest.mark.parametrize("line", ["/frobnicate", "", "x" * 10_000, "/run ../_rubric.yaml",
                                  "/hint _followups.yaml", "\t\t", "/"])
def test_bad_input_never_gives_a_traceback(tmp_path, line):
    result = run_cli(["--question", "01", "--format", "live", "--seed", "1"],
                     f"{line}\nhello?\n", tmp_path)
    assert result.returncode == 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "interviewer:" in result.stdout


def test_a_question_that_does_not_exist_is_a_clear_error(tmp_path):
    result = run_cli(["--question", "42", "--format", "live"], "", tmp_path)
    assert result.returncode == 2
    assert "no question '42'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_question_outside_the_format_names_its_formats(tmp_path):
    result = run_cli(["--question", "01", "--format", "perf-deep-dive"], "", tmp_path)
    assert result.returncode == 2
    assert "question 01 is not offered in format 'perf-deep-dive'" in result.stderr
    assert "its formats: live, codesignal" in result.stderr and "Traceback" not in result.stderr


def test_unknown_format_is_a_clear_error(tmp_path):
    result = run_cli(["--question", "01", "--format", "marathon"], "", tmp_path)
    assert result.returncode == 2 and "unknown format 'marathon'" in result.stderr


def test_unwritable_workspace_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli(["--question", "01", "--format", "live", "--workspace",
                      str(blocker / "ws")], "", tmp_path)
    assert result.returncode == 2
    assert "cannot prepare the workspace" in result.stderr
    assert "Traceback" not in result.stderr


def test_resume_and_replay_from_the_command_line(tmp_path):
    run_cli(["--question", "01", "--format", "live", "--seed", "4"],
            "are words case sensitive?\n/next\n", tmp_path)
    [log] = session_logs(tmp_path)
    resumed = run_cli(["resume"], "what does count return for a word never added?\n/quit\n",
                      tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "Words are case sensitive." in resumed.stdout   # the transcript so far
    assert "Zero." in resumed.stdout
    replay = run_cli(["replay", log.parent.name], "", tmp_path)
    assert replay.returncode == 0
    assert "Words are case sensitive." in replay.stdout and "Zero." in replay.stdout
    again = run_cli(["replay", str(log)], "", tmp_path)
    assert again.stdout == replay.stdout


def test_resume_with_no_sessions_is_a_clear_error(tmp_path):
    result = run_cli(["resume"], "", tmp_path)
    assert result.returncode == 2 and "no sessions yet" in result.stderr


def test_replay_of_a_damaged_log_names_the_line(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_text('{"type": "started", "at": 1.0, "question": "01"}\nnot json\n{}\n')
    result = run_cli(["replay", str(log)], "", tmp_path)
    assert result.returncode == 2
    assert f"{log}:2: not JSON" in result.stderr


# -- the real terminal path --------------------------------------------------------------------


def spawn(tmp_path: Path, *args: str, **env: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "interviewer", "--data-dir", str(tmp_path), "--bank", str(BANK), *args],
        cwd=str(ROOT), encoding="utf-8", timeout=30, dimensions=(40, 140),
        env={"PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": str(tmp_path),
             "PYTHONPATH": str(ROOT), **env},
    )
    return child


CURSOR_POSITION_REQUEST = "\x1b[6n"


def expect(child: pexpect.spawn, pattern: str) -> None:
    """Wait for ``pattern``, answering prompt-toolkit's cursor-position requests on the way.

    A real terminal answers them; without an answer prompt-toolkit draws no toolbar.
    """
    while child.expect_exact([CURSOR_POSITION_REQUEST, pattern]) == 0:
        child.send("\x1b[20;1R")


def test_terminal_session_with_completion_toolbar_history_and_ctrl_c(tmp_path):
    child = spawn(tmp_path, "--question", "01", "--format", "live", "--seed", "1")
    expect(child, "you>")
    expect(child, "phase: clarify")                     # the bottom toolbar
    child.send("/hi\t")                                # tab completion
    expect(child, "/hint")
    child.send("\r")
    expect(child, "Hint (nudge, 1 of 3)")
    expect(child, "you>")
    child.sendcontrol("c")
    expect(child, "Quit now")
    child.send("y\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    history = (tmp_path / "input-history").read_text()
    assert "/hint" in history
    [log] = session_logs(tmp_path)
    assert '"name": "quit"' in log.read_text()


def test_the_interviewer_speaks_up_while_the_candidate_is_quiet(tmp_path):
    # A one-minute live interview: clarifying ends after ten seconds with no input.
    child = spawn(tmp_path, "--question", "01", "--format", "live", "--minutes", "1",
                  INTERVIEWER_IDLE_CHECK_SECONDS="0.5")
    expect(child, "you>")
    expect(child, "phase: implement")                  # the toolbar says coding has begun
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    [log] = session_logs(tmp_path)
    assert '"type": "tick"' in log.read_text()


def test_terminal_ctrl_d_saves_and_exits(tmp_path):
    child = spawn(tmp_path, "--question", "01", "--format", "live")
    expect(child, "you>")
    child.sendcontrol("d")
    expect(child, "saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_missing_dependency_is_one_line_not_a_traceback(tmp_path):
    code = ("import runpy, sys; sys.modules['rich'] = None; sys.argv = ['interviewer', 'list'];"
            "runpy.run_module('interviewer', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert "the dependency 'rich' is not installed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt,question", [("codesignal", "02"), ("live", "04"),
                                          ("perf-deep-dive", "09"), ("gpu-deep-dive", "15"),
                                          ("practice", "06")])
def test_every_format_plays_from_the_repl_to_its_report(tmp_path, fmt, question):
    result = subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(tmp_path), "--format", fmt,
         "--question", question, "--seed", "2"],
        input="/next\n/hint\n/feedback\n/feedback\n/grade\n/quit\n", capture_output=True,
        text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "\x1b[" not in result.stdout
    out = result.stdout
    assert "Hint (nudge, 1 of" in out and "Feedback for question" in out
    if fmt == "practice":
        assert "Grade: not shown in practice" in out
    else:
        assert "Grade: " in out.split("Feedback for question")[1].splitlines()[1]


def test_save_refuses_the_bank_and_the_solution_but_not_elsewhere(tmp_path, fixture_bank):
    from interviewer import Interview, ManualClock
    from interviewer._repl import _save_refusal

    interview = Interview.start(fixture_bank, "01", workspace=tmp_path / "ws",
                                clock=ManualClock())
    question_file = interview.question.folder / "QUESTION.md"
    assert "question bank" in _save_refusal(interview, question_file)
    refused = _save_refusal(interview, tmp_path / "ws" / "solution.py")
    assert refused == "Not saving over your solution solution.py; choose another path."
    assert "is a folder" in _save_refusal(interview, tmp_path)
    assert _save_refusal(interview, tmp_path / "transcript.txt") is None
