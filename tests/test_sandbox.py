"""The sandbox: hostile solutions get a clear verdict, and the interviewer is untouched.

Every solution here lives in ``tests/fixtures/sandbox/<name>/`` and answers
the tiny question in ``tests/fixtures/sandbox/question/``: ``add`` (level 1,
three tests) and ``scale`` (level 2, two tests). Limits are small so the file
stays fast.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path

import pytest

from interviewer._sandbox import Limits, choose_identity, run_limited
from interviewer._testrun import TAIL_BYTES, RunReport, run_tests

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sandbox"
QUESTION = FIXTURES / "question"
LEVELS = (QUESTION / "_tests" / "test_level1.py", QUESTION / "_tests" / "test_level2.py")
FAST = Limits(wall_seconds=5, cpu_seconds=4, memory_mb=256, output_kb=64, processes=32,
              test_seconds=1)
ADD = ("test_add_small", "test_add_negative", "test_add_zero")
SCALE = ("test_scale", "test_scale_empty")
RLIMITS = ("RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE",
           "RLIMIT_CORE")
SIGNALS = (signal.SIGALRM, signal.SIGXCPU, signal.SIGCHLD, signal.SIGINT, signal.SIGTERM)


def _state() -> dict[str, object]:
    """What a sandbox run must not change in the interviewer's own process."""
    return {
        "rlimits": {name: resource.getrlimit(getattr(resource, name)) for name in RLIMITS},
        "signals": {sig: signal.getsignal(sig) for sig in SIGNALS},
        "timer": signal.getitimer(signal.ITIMER_REAL),
        "cwd": os.getcwd(),
        "env": {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
        "exit": os._exit,
        "socket": socket.socket.__init__,
        "stdout": sys.stdout,
        "uid": (os.getuid(), os.geteuid()),
    }


def _live_children() -> list[int]:
    """Processes whose parent is this one and that are not zombies."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] not in (b"Z", b"X"):
            found.append(int(name))
    return found


@pytest.fixture(autouse=True)
def interviewer_untouched(tmp_path, monkeypatch):
    """After every test: same limits, handlers, cwd and environment; no child left running,
    and the sandbox folder (made in a temp dir of this test's own) removed."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    before = _state()
    yield
    assert _state() == before
    assert _live_children() == []
    assert list(temp.iterdir()) == []


def solution(tmp_path: Path, name: str) -> Path:
    """A private copy of a fixture solution (so a failure cannot damage the fixture)."""
    folder = tmp_path / name
    shutil.copytree(FIXTURES / name, folder)
    return folder


def run(folder: Path, limits: Limits = FAST, files=LEVELS) -> RunReport:
    return run_tests(folder, files, limits=limits)


def outcomes(report: RunReport) -> dict[str, tuple[str, str]]:
    """``{test name: (outcome, message)}``."""
    return {r.id.rsplit("::", 1)[-1]: (r.outcome, r.message) for r in report.results}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


# -- well-behaved solutions ---------------------------------------------------------------------


def test_correct_solution_passes_every_level(tmp_path):
    report = run(solution(tmp_path, "correct"))
    assert report.verdict == "completed"
    assert report.detail == "All 5 tests passed."
    assert report.by_level() == {1: (3, 3), 2: (2, 2)}
    assert (report.passed(), report.total()) == (5, 5)
    assert [r.id for r in report.results] == [f"test_level1.py::{n}" for n in ADD] + \
        [f"test_level2.py::{n}" for n in SCALE]
    assert all(r.duration >= 0 for r in report.results)


def test_partly_wrong_solution_gets_per_level_counts(tmp_path):
    report = run(solution(tmp_path, "partly_wrong"))
    assert report.verdict == "completed"
    assert report.detail == "4 of 5 tests passed."
    assert report.by_level() == {1: (3, 3), 2: (1, 2)}
    assert (report.passed(2), report.total(2)) == (1, 2)
    assert outcomes(report)["test_scale"] == ("fail", "assert [4, 5] == [3, 6]")


def test_public_examples_have_no_level(tmp_path):
    report = run(solution(tmp_path, "correct"), files=(QUESTION / "examples.py",))
    assert report.verdict == "completed"
    assert [(r.id, r.level, r.outcome) for r in report.results] == \
        [("examples.py::test_example_add", None, "pass")]
    assert report.by_level() == {None: (1, 1)}


def test_no_test_files_means_no_tests(tmp_path):
    report = run(solution(tmp_path, "correct"), files=())
    assert (report.verdict, report.results) == ("no-tests", ())


def test_runs_are_deterministic(tmp_path):
    folder = solution(tmp_path, "hash_seed")
    first, second = run(folder), run(folder)
    assert first.output_tail == second.output_tail
    assert first.output_tail.startswith("hash: ")


# -- import failures -----------------------------------------------------------------------------


def test_syntax_error_is_an_import_error_for_every_test(tmp_path):
    report = run(solution(tmp_path, "syntax_error"))
    assert report.verdict == "import-error"
    expected = "solution.py failed to import: SyntaxError at line 3: expected ':'"
    assert report.detail == expected + "."
    assert set(outcomes(report).values()) == {("error", expected)}
    assert report.total() == 5


def test_sys_exit_at_import_is_an_import_error(tmp_path):
    report = run(solution(tmp_path, "sys_exit_import"))
    assert report.verdict == "import-error"
    message = "solution.py failed to import: it called sys.exit('bye') at line 3"
    assert set(outcomes(report).values()) == {("error", message)}


def test_missing_entry_file_is_an_import_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    report = run(folder)
    assert report.verdict == "import-error"
    assert set(outcomes(report).values()) == {
        ("error", "solution.py was not found in the solution folder")}


def test_missing_function_fails_only_its_tests(tmp_path):
    report = run(solution(tmp_path, "missing_function"))
    assert report.verdict == "completed"
    assert report.by_level() == {1: (3, 3), 2: (0, 2)}
    assert outcomes(report)["test_scale"] == ("fail", "solution.py does not define 'scale'")


# -- time ------------------------------------------------------------------------------------------


def test_infinite_loop_times_out_that_test_and_the_others_run(tmp_path):
    report = run(solution(tmp_path, "infinite_loop"))
    assert report.verdict == "timeout"
    assert report.detail.startswith("test_add_negative took longer than 1 s and was stopped")
    assert outcomes(report)["test_add_negative"] == \
        ("timeout", "took longer than 1 s and was stopped")
    assert report.passed() == 4
    assert report.duration < 4


def test_loop_that_swallows_the_timeout_is_killed_and_the_rest_still_run(tmp_path):
    report = run(solution(tmp_path, "stubborn_loop"))
    assert report.verdict == "timeout"
    assert outcomes(report)["test_add_negative"] == \
        ("timeout", "took longer than 1 s and did not stop")
    assert report.passed() == 4


def test_wall_clock_limit_is_the_backstop(tmp_path):
    limits = Limits(wall_seconds=2, cpu_seconds=10, memory_mb=256, output_kb=64, processes=32,
                    test_seconds=30)
    report = run(solution(tmp_path, "infinite_loop"), limits)
    assert report.verdict == "timeout"
    assert report.detail == ("The run took longer than its 2 s limit and was stopped; "
                             "4 tests did not finish.")
    got = outcomes(report)
    assert got["test_add_small"] == ("pass", "")
    assert got["test_add_negative"] == ("timeout", "stopped: the run reached its 2 s time limit")
    assert got["test_scale"] == ("timeout", "did not run: the run reached its 2 s time limit")
    assert report.duration < 3.5


def test_cpu_limit_stops_a_busy_loop(tmp_path):
    limits = Limits(wall_seconds=8, cpu_seconds=1, memory_mb=256, output_kb=64, processes=32,
                    test_seconds=6)
    report = run(solution(tmp_path, "infinite_loop"), limits)
    assert report.verdict == "cpu"
    assert report.detail.startswith("Your code used more than 1 s of CPU time")
    assert outcomes(report)["test_add_negative"] == \
        ("timeout", "stopped: the run used its 1 s of CPU time")
    assert report.duration < 4


# -- memory, output, processes -----------------------------------------------------------------


def test_memory_growth_hits_the_memory_limit(tmp_path):
    report = run(solution(tmp_path, "memory_growth"))
    assert report.verdict == "memory"
    assert report.detail == ("Your code used more than the 256 MB memory limit in "
                             "test_add_negative. 4 of 5 tests passed.")
    assert outcomes(report)["test_add_negative"] == \
        ("error", "ran out of memory: the limit is 256 MB (solution.py line 5)")


def test_fifty_megabytes_of_output_stop_the_run_early(tmp_path):
    report = run(solution(tmp_path, "big_output"))
    assert report.verdict == "output-limit"
    assert report.detail.startswith("Your code printed more than 64 KB, so the run was stopped")
    assert outcomes(report)["test_add_small"] == \
        ("error", "stopped: the run printed more than 64 KB")
    assert outcomes(report)["test_scale"] == \
        ("error", "did not run: the run printed more than 64 KB")
    assert 0 < len(report.output_tail) <= TAIL_BYTES
    assert report.duration < 3


def test_fork_bomb_is_held_by_the_process_limit(tmp_path):
    report = run(solution(tmp_path, "fork_bomb"))
    assert report.verdict == "processes"
    assert report.detail.startswith("Your code tried to start more than 32 processes or threads"
                                    " in test_add_negative")
    assert outcomes(report)["test_add_negative"] == (
        "error", "could not start another process or thread: the limit is 32 (solution.py line 7)")
    assert report.passed() == 4


def test_process_count_is_watched_from_outside(tmp_path):
    """Without a user id of its own (root may ignore RLIMIT_NPROC), the parent counts and kills."""
    marker = "37.4242"
    script = ("import subprocess, time\n"
              "kids = []\n"
              "for _ in range(40):\n"
              "    try:\n"
              f"        kids.append(subprocess.Popen(['sleep', '{marker}']))\n"
              "    except OSError:\n"
              "        print('refused', flush=True)\n"
              "        break\n"
              "    time.sleep(0.02)\n"
              "time.sleep(30)\n")
    limits = Limits(wall_seconds=10, cpu_seconds=10, memory_mb=256, output_kb=64, processes=8)
    result = run_limited([sys.executable, "-c", script], cwd=tmp_path, env=dict(os.environ),
                         limits=limits, identity=None)
    if os.geteuid() == 0:
        assert result.verdict == "processes"
    else:  # RLIMIT_NPROC holds for other users: the kernel refused first
        assert b"refused" in result.output
    assert result.duration < 8
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _cmdline_has(p, marker)]


def _cmdline_has(pid: str, text: str) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return text.encode() in handle.read()
    except OSError:
        return False


# -- ending the process --------------------------------------------------------------------------


def test_os_exit_in_a_test_is_an_error_of_that_test(tmp_path):
    report = run(solution(tmp_path, "os_exit"))
    assert report.verdict == "crashed"
    message = "called os._exit(3), which would end the test process (solution.py line 6)"
    assert outcomes(report)["test_add_zero"] == ("error", message)
    assert report.detail == f"test_add_zero {message}. 4 of 5 tests passed."
    assert report.passed() == 4


def test_process_killed_mid_test_resumes_with_the_other_tests(tmp_path):
    report = run(solution(tmp_path, "crash_signal"))
    assert report.verdict == "crashed"
    assert outcomes(report)["test_add_zero"] == \
        ("error", "the test process was killed by signal 9 (SIGKILL) during this test")
    assert report.detail.startswith("The test process was killed by signal 9 (SIGKILL) during "
                                    "test_add_zero; the other tests ran in a fresh process")
    assert report.passed() == 4


def test_process_killed_while_importing_is_an_import_error(tmp_path):
    report = run(solution(tmp_path, "crash_at_import"))
    assert report.verdict == "import-error"
    message = ("solution.py ended the test process while importing: it was killed by signal 11 "
               "(SIGSEGV)")
    assert set(outcomes(report).values()) == {("error", message)}
    assert report.detail == message + "."


def test_sys_exit_and_keyboard_interrupt_inside_a_call_fail_only_that_test(tmp_path):
    report = run(solution(tmp_path, "sys_exit_call"))
    assert report.verdict == "completed"
    got = outcomes(report)
    assert got["test_add_negative"] == \
        ("error", "called sys.exit(1): return a value or raise instead (solution.py line 6)")
    assert got["test_scale_empty"] == ("error", "raised KeyboardInterrupt (solution.py line 12)")
    assert report.passed() == 3


# -- files and network -----------------------------------------------------------------------------


def test_writes_outside_the_copy_leave_the_original_alone(tmp_path):
    folder = solution(tmp_path, "write_outside")
    (folder / "target.txt").write_text(str(folder))
    before = snapshot(folder)
    report = run(folder)
    assert report.verdict == "completed"
    assert report.passed() == 5
    assert "HOME inside: True" in report.output_tail
    assert "TMPDIR inside: True" in report.output_tail
    # Run as root, the child has a user id of its own and cannot write root's folders;
    # run as an ordinary user it is that user, and only the copy protects the original.
    dropped = choose_identity() is not None
    refused = "PermissionError" if dropped else "written"
    assert f"original folder: {refused}" in report.output_tail
    assert f"parent folder: {refused}" in report.output_tail
    after = snapshot(folder)
    if not dropped:  # the one write that reached the original: by its absolute path
        assert after.pop("pwned.txt") == b"written by the solution\n"
    assert after == before


def test_deleting_files_in_the_copy_leaves_the_original_intact(tmp_path):
    folder = solution(tmp_path, "delete_files")
    before = snapshot(folder)
    report = run(folder)
    assert report.verdict == "completed"
    assert report.passed() == 5
    assert snapshot(folder) == before
    assert set(before) == {"solution.py", "data.txt", "data/inner.txt"}


def test_socket_connection_is_blocked(tmp_path):
    folder = solution(tmp_path, "socket_connect")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        (folder / "port.txt").write_text(str(server.getsockname()[1]))
        report = run(folder)
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected
    assert report.verdict == "completed"
    blocked = "PermissionError: [Errno 13] network access is disabled in the sandbox"
    got = outcomes(report)
    assert got["test_add_small"] == ("fail", f"{blocked} (solution.py line 7)")
    assert got["test_scale"] == ("fail", f"{blocked} (solution.py line 13)")
    assert report.passed() == 0


def test_hidden_tests_are_not_readable_by_the_solution(tmp_path):
    report = run(solution(tmp_path, "peek_tests"))
    assert report.verdict == "completed"
    shown = report.output_tail + "".join(r.message for r in report.results)
    assert "solution.add(" not in shown
    assert "def test_" not in shown
    assert 'File "tests/test_level1.py"' in report.output_tail  # the stack, without its lines


# -- limits and the sandbox itself -----------------------------------------------------------------


def test_limits_reject_nonsense_and_accept_a_question_s_limits():
    from interviewer._model import Limits as QuestionLimits

    with pytest.raises(ValueError, match="wall_seconds"):
        Limits(wall_seconds=0)
    with pytest.raises(ValueError, match="processes"):
        Limits(processes=-1)
    assert Limits(**vars(QuestionLimits())) == Limits()
    assert Limits(wall_seconds=60).per_test_seconds == 10
    assert Limits(wall_seconds=4).per_test_seconds == 1
    assert Limits(test_seconds=2.5).per_test_seconds == 2.5


def test_a_command_that_cannot_start_is_a_sandbox_error(tmp_path):
    result = run_limited(["/nonexistent/command"], cwd=tmp_path, env={}, limits=FAST)
    assert result.verdict == "sandbox-error"
    assert result.message.startswith("cannot run /nonexistent/command")


def test_missing_test_file_is_the_caller_s_mistake(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.py"):
        run_tests(solution(tmp_path, "correct"), [tmp_path / "nope.py"])


# -- deterministic performance figures -------------------------------------------------------

MEASURED = '''
def test_counts_calls(solution, measure):
    assert solution.add(1, 2) == 3
    measure("calls", 2)


def test_counts_more_calls(solution, measure):
    measure("calls", 3)
    measure("bytes", 64)
    assert solution.add(2, 2) == 4


def test_counts_failing(solution, measure):
    assert solution.add(1, 1) == 3
    measure("probes", 10)
'''

UNMEASURED_FAILURE = '''


def test_fails_without_measuring(solution):
    assert solution.add(1, 1) == 3
'''


def test_measures_are_summed_per_name_when_every_measuring_test_passes(tmp_path):
    tests = tmp_path / "test_level1.py"
    tests.write_text(MEASURED.split("\n\ndef test_counts_failing")[0] + UNMEASURED_FAILURE)
    report = run_tests(FIXTURES / "correct", [tests], limits=FAST)
    assert [r.outcome for r in report.results] == ["pass", "pass", "fail"]
    assert report.measures == {"calls": 5.0, "bytes": 64.0}


def test_a_failing_measuring_test_voids_the_figures_of_its_file(tmp_path):
    tests = tmp_path / "test_level1.py"
    tests.write_text(MEASURED)
    other = tmp_path / "test_level2.py"
    other.write_text('''
def test_counts_scales(solution, measure):
    assert solution.scale([1], 2) == [2]
    measure("scales", 1)
''')
    report = run_tests(FIXTURES / "correct", [tests, other], limits=FAST)
    assert [r.outcome for r in report.results] == ["pass", "pass", "fail", "pass"]
    assert report.measures == {"scales": 1.0}


def test_a_measuring_test_that_fails_before_any_figure_of_its_file_voids_all(tmp_path):
    recorded = tmp_path / "test_level1.py"
    recorded.write_text(MEASURED.split("\n\ndef test_counts_failing")[0])
    silent = tmp_path / "test_level2.py"
    silent.write_text('''
def test_fails_before_measuring(solution, measure):
    assert solution.add(1, 1) == 3
    measure("calls", 100)
''')
    report = run_tests(FIXTURES / "correct", [recorded, silent], limits=FAST)
    assert [r.outcome for r in report.results] == ["pass", "pass", "fail"]
    assert report.measures == {}


def test_fail_fast_stops_at_the_first_test_that_does_not_pass():
    report = run_tests(FIXTURES / "partly_wrong", LEVELS, limits=FAST, fail_fast=True)
    outcomes = [r.outcome for r in report.results]
    assert "fail" in outcomes and outcomes.index("fail") == len(
        [o for o in outcomes if o == "pass"])
    assert all(r.message == "did not run" for r in report.results[outcomes.index("fail") + 1:])
    assert report.verdict == "completed"
