"""pytest plugin for the sandboxed child: the ``solution`` fixture and per-test results.

Results come from pytest's hooks, never from its text output. They are written
as JSON Lines, one record per event and flushed at once, so the parent still
has everything up to the moment the child ended, however it ended::

    {"event": "collected", "tests": [{"id": "test_level1.py::test_x", "level": 1}, ...]}
    {"event": "collect-error", "id": ..., "message": ...}
    {"event": "start", "id": ...}
    {"event": "import-start"}, {"event": "import-end"}   (around importing the entry)
    {"event": "result", "id", "level", "outcome", "duration", "message", "kind"}
    {"event": "finished", "status": 0}

``outcome`` is pass, fail, error or timeout; ``message`` is one short line
(never the test's code); ``kind`` names a cause the run's verdict cares about
(import, memory, processes, exit, timeout) or is null.

The plugin also keeps one misbehaving test from ending the run: a per-test
alarm turns an endless test into a timeout, ``sys.exit`` and ``os._exit`` in
the code under test become errors of that test, and a process the test forked
leaves as soon as it is back in pytest.

The file is copied into the sandbox and imported there on its own, so it
imports nothing from the interviewer package. Its configuration is a JSON
file named by the ``INTERVIEWER_SANDBOX_CONFIG`` environment variable.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import json
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, TextIO

import pytest

CONFIG_VARIABLE = "INTERVIEWER_SANDBOX_CONFIG"
MESSAGE_LIMIT = 300
#: After a timeout the alarm repeats this often, in case the code swallowed the first one.
_GRACE_SECONDS = 0.5
_LEVEL = re.compile(r"test_level(\d+)\.py$")
_REAL_EXIT = os._exit
_MAIN_PID = os.getpid()


class TestTimeout(BaseException):
    """Raised in the test by the alarm: a BaseException so ``except Exception`` keeps going."""


class ProcessExit(BaseException):
    """The code under test called ``os._exit``; raised instead of ending the process."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class SolutionImportError(Exception):
    """The entry module could not be imported; every test that needs it gets this."""

    def __init__(self, message: str, kind: str = "import") -> None:
        super().__init__(message)
        self.kind = kind


class CandidateInterrupt(Exception):
    """The code under test raised KeyboardInterrupt, which would otherwise end the session."""


@dataclass(frozen=True)
class Verdict:
    """One phase's (or one test's) outcome, message and cause."""

    outcome: str
    message: str = ""
    kind: str | None = None


PASSED = Verdict("pass")


@dataclass
class _Run:
    """What the plugin knows during the session."""

    config: dict[str, Any]
    out: TextIO
    current: str | None = None
    timed_out: set[str] = field(default_factory=set)
    phases: dict[str, list[tuple[Verdict, float]]] = field(default_factory=dict)
    module: ModuleType | None = None
    import_error: SolutionImportError | None = None

    @property
    def work(self) -> Path:
        return Path(self.config["work"])

    @property
    def entry(self) -> str:
        return str(self.config["entry"])

    def write(self, record: dict[str, Any]) -> None:
        """One JSON line, flushed; only ever from the main process, never a forked copy."""
        if os.getpid() == _MAIN_PID:
            self.out.write(json.dumps(record) + "\n")
            self.out.flush()


_RUN: _Run | None = None


def _run() -> _Run:
    if _RUN is None:
        raise RuntimeError(f"the sandbox plugin needs {CONFIG_VARIABLE}")
    return _RUN


# -- session -----------------------------------------------------------------------------------


_SAVED_STDOUT: list[TextIO] = []


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Read the configuration, install the guards, and silence pytest's own report.

    pytest's terminal reporter takes ``sys.stdout`` when it is configured, so
    it is handed a null file here and the real stdout comes back afterwards:
    the captured output is then only what the code under test printed, and
    pytest never prints a test's source. (Disabling the reporter instead would
    also lose the assertion explanations, which need its terminal writer.)
    """
    global _RUN
    path = os.environ.pop(CONFIG_VARIABLE, None)
    if path is None:
        return
    settings = json.loads(Path(path).read_text(encoding="utf-8"))
    _RUN = _Run(settings, open(settings["results"], "a", encoding="utf-8"))  # noqa: SIM115
    config.option.tbstyle = "no"  # reports are built from exceptions, not tracebacks
    sys.path.insert(0, settings["work"])  # as `python -m pytest` run in the solution folder
    os._exit = _guarded_exit
    signal.signal(signal.SIGALRM, _on_alarm)
    _SAVED_STDOUT.append(sys.stdout)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    _restore_stdout()


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _restore_stdout()


def _restore_stdout() -> None:
    if _SAVED_STDOUT:
        sys.stdout = _SAVED_STDOUT.pop()


def pytest_internalerror(excrepr: object, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    if _RUN is not None:
        _RUN.write({"event": "internal-error",
                    "message": _short(f"{excinfo.typename}: {_first_line(str(excinfo.value))}")})


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _RUN is not None:
        _RUN.write({"event": "finished", "status": int(exitstatus)})


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if _RUN is not None and report.failed:
        lines = [x for x in str(report.longrepr).splitlines() if x.strip()]
        message = lines[-1].strip().removeprefix("E").strip() if lines else "collection failed"
        _RUN.write({"event": "collect-error", "id": report.nodeid, "message": _short(message)})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out tests already reported by an earlier attempt (after a crash)."""
    if _RUN is None:
        return
    skip = set(_RUN.config.get("skip", ()))
    kept = [item for item in items if item.nodeid not in skip]
    dropped = [item for item in items if item.nodeid in skip]
    if dropped:
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Say which tests will run, then take the test files off the disk.

    Collection has compiled them, and no candidate code has run yet; without
    the files, that code cannot read the hidden tests, and a traceback it
    prints cannot show their lines.
    """
    if _RUN is None:
        return
    tests = [{"id": item.nodeid, "level": level_of(item.nodeid),
              "measures": "measure" in getattr(item, "fixturenames", ())}
             for item in session.items]
    _RUN.write({"event": "collected", "tests": tests})
    folder = Path(_RUN.config["tests"])
    for name in _RUN.config.get("hide", ()):
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def level_of(nodeid: str) -> int | None:
    """``test_level2.py::test_x`` -> 2; other files have no level."""
    match = _LEVEL.search(nodeid.split("::", 1)[0])
    return int(match.group(1)) if match else None


# -- one test ----------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    if _RUN is None:
        return (yield)
    _RUN.current = item.nodeid
    _RUN.write({"event": "start", "id": item.nodeid})
    signal.setitimer(signal.ITIMER_REAL, float(_RUN.config["test_seconds"]))
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _RUN.current = None
        _leave_if_forked()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    try:
        return (yield)
    except KeyboardInterrupt as exc:
        raise CandidateInterrupt().with_traceback(exc.__traceback__) from None
    finally:
        _leave_if_forked()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if _RUN is not None:
        verdict = _phase_verdict(report, call, item.nodeid)
        _RUN.phases.setdefault(item.nodeid, []).append((verdict, report.duration))
        if call.excinfo is not None:
            _forget(call.excinfo.tb)
    return report


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    if _RUN is None:
        return
    phases = _RUN.phases.pop(nodeid, [])
    verdict = _test_verdict(nodeid, [v for v, _ in phases])
    _RUN.write({"event": "result", "id": nodeid, "level": level_of(nodeid),
                "outcome": verdict.outcome, "duration": round(sum(d for _, d in phases), 6),
                "message": verdict.message, "kind": verdict.kind})
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _test_verdict(nodeid: str, phases: list[Verdict]) -> Verdict:
    """The first phase that did not pass decides; a test the alarm stopped is a timeout."""
    if nodeid in _run().timed_out:
        stopped = next((v for v in phases if v.outcome == "timeout"), None)
        seconds = float(_run().config["test_seconds"])
        return stopped or Verdict("timeout", f"took longer than {seconds:g} s and was stopped",
                                  "timeout")
    return next((v for v in phases if v.outcome != "pass"), PASSED)


def _phase_verdict(report: pytest.TestReport, call: pytest.CallInfo[None], nodeid: str) -> Verdict:
    if report.passed:
        return PASSED
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else "skipped"
        return Verdict("error", _short(f"not run: {reason}"))
    if call.excinfo is None:
        return Verdict("error", "failed")
    return describe(call.excinfo.value, report.when or "call")


def _forget(tb: TracebackType | None) -> None:
    """Drop the failed test's frames now: after a MemoryError they hold the memory."""
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            setattr(sys, name, None)
    with contextlib.suppress(RuntimeError):
        traceback.clear_frames(tb)


# -- what went wrong, in one line ----------------------------------------------------------------


def describe(exc: BaseException, when: str = "call") -> Verdict:
    """The outcome, message and cause of an exception raised in a test's phase."""
    run = _run()
    failed = "fail" if when == "call" else "error"
    if isinstance(exc, SolutionImportError):
        return Verdict("error", str(exc), exc.kind)
    if isinstance(exc, TestTimeout):
        return Verdict("timeout", str(exc), "timeout")
    if isinstance(exc, MemoryError):
        return Verdict("error", f"ran out of memory: the limit is {run.config['memory_mb']} MB"
                       f"{_where(exc)}", "memory")
    if isinstance(exc, ProcessExit):
        return Verdict("error", f"called os._exit({exc.status}), which would end the test "
                       f"process{_where(exc)}", "exit")
    if isinstance(exc, CandidateInterrupt):
        return Verdict("error", f"raised KeyboardInterrupt{_where(exc)}")
    if isinstance(exc, SystemExit):
        return Verdict("error", f"called sys.exit({_code(exc)}): return a value or raise "
                       f"instead{_where(exc)}")
    if _is_process_limit(exc):
        return Verdict("error", f"could not start another process or thread: the limit is "
                       f"{run.config['processes']}{_where(exc)}", "processes")
    if isinstance(exc, AssertionError):
        text = _first_line(str(exc)) or "assertion failed"
        return Verdict(failed, _short(text))
    if isinstance(exc, AttributeError) and exc.obj is not None and exc.obj is run.module:
        return Verdict(failed, f"{run.entry} does not define {exc.name!r}")
    return Verdict(failed, _short(f"{type(exc).__name__}: {_first_line(str(exc))}".rstrip(": ")
                                  + _where(exc)))


def _is_process_limit(exc: BaseException) -> bool:
    """fork/spawn refused (EAGAIN) or a thread refused: the process limit was reached."""
    if isinstance(exc, OSError) and exc.errno == errno.EAGAIN:
        return True
    return isinstance(exc, RuntimeError) and "can't start new thread" in str(exc)


def _code(exc: SystemExit) -> str:
    return "" if exc.code is None else repr(exc.code)


def _where(exc: BaseException) -> str:
    """`` (solution.py line 4)``: the innermost line of the candidate's code, if any."""
    place = _candidate_line(exc.__traceback__)
    return f" ({place[0]} line {place[1]})" if place else ""


def _at(exc: BaseException, entry: str) -> str:
    """`` at line 4`` in the entry file, `` in helper.py at line 4`` in another of its files."""
    place = _candidate_line(exc.__traceback__)
    if place is None:
        return ""
    return f" at line {place[1]}" if place[0] == entry else f" in {place[0]} at line {place[1]}"


def _candidate_line(tb: TracebackType | None) -> tuple[str, int] | None:
    if _RUN is None:
        return None
    work = str(_RUN.work) + os.sep
    found = None
    for frame, line in traceback.walk_tb(tb):
        name = frame.f_code.co_filename
        if name.startswith(work):
            found = (name[len(work):], line)
    return found


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


# -- guards ------------------------------------------------------------------------------------


def _on_alarm(signum: int, frame: object) -> None:
    """The current test ran too long: stop it, and keep stopping it if the code swallows that."""
    run = _RUN
    if run is None or run.current is None or os.getpid() != _MAIN_PID:
        return
    run.timed_out.add(run.current)
    signal.setitimer(signal.ITIMER_REAL, _GRACE_SECONDS)
    raise TestTimeout(f"took longer than {float(run.config['test_seconds']):g} s and was stopped")


def _guarded_exit(status: int) -> None:
    """``os._exit`` in a test raises instead; anywhere else (a forked child) it exits."""
    inside_test = _RUN is not None and _RUN.current is not None
    main = os.getpid() == _MAIN_PID and threading.current_thread() is threading.main_thread()
    if inside_test and main:
        raise ProcessExit(status)
    _REAL_EXIT(status)


def _leave_if_forked() -> None:
    """A process forked by the code under test must not go on running the session."""
    if os.getpid() != _MAIN_PID:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        _REAL_EXIT(0)


# -- the solution fixture ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def solution() -> ModuleType:
    """The candidate's entry module, imported once from the copied solution folder."""
    run = _run()
    if run.import_error is not None:
        raise run.import_error
    if run.module is None:
        run.module = _import_entry(run)
    return run.module


@pytest.fixture
def measure() -> Callable[[str, float], None]:
    """Record a deterministic performance figure (operations, misses, bytes) for the rubric.

    ``measure("misses", 1234)`` in a hidden test reports that figure; a name
    recorded several times is summed. A failing test that takes this fixture
    voids the names recorded in its file (see ``_testrun``).
    """
    run = _run()
    test_id = run.current

    def record(name: str, value: float) -> None:
        run.write({"event": "measure", "id": test_id, "name": str(name), "value": float(value)})

    return record


def _import_entry(run: _Run) -> ModuleType:
    path = run.work / run.entry
    if not path.is_file():
        run.import_error = SolutionImportError(f"{run.entry} was not found in the solution folder")
        raise run.import_error
    name = Path(run.entry).stem
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    run.write({"event": "import-start"})
    try:
        spec.loader.exec_module(module)
    except TestTimeout:
        sys.modules.pop(name, None)
        seconds = float(run.config["test_seconds"])
        message = f"{run.entry} did not finish importing within {seconds:g} s"
        run.import_error = SolutionImportError(message)
        raise TestTimeout(message) from None
    except BaseException as exc:
        sys.modules.pop(name, None)
        run.import_error = _import_failure(run.entry, exc)
        _forget(exc.__traceback__)
        raise run.import_error from None
    finally:
        run.write({"event": "import-end"})
    return module


def _import_failure(entry: str, exc: BaseException) -> SolutionImportError:
    """``solution.py failed to import: SyntaxError at line 3: invalid syntax`` and the like."""
    prefix = f"{entry} failed to import:"
    if isinstance(exc, SyntaxError):
        where = f" at line {exc.lineno}" if exc.lineno else ""
        file = Path(exc.filename).name if exc.filename else entry
        if exc.filename and file != entry:
            where = f" in {file}{where}"
        return SolutionImportError(_short(f"{prefix} {type(exc).__name__}{where}: {exc.msg}"))
    where = _at(exc, entry)
    if isinstance(exc, SystemExit):
        return SolutionImportError(f"{prefix} it called sys.exit({_code(exc)}){where}")
    if isinstance(exc, ProcessExit):
        return SolutionImportError(f"{prefix} it called os._exit({exc.status}){where}")
    if isinstance(exc, MemoryError):
        limit = _run().config["memory_mb"]
        return SolutionImportError(f"{prefix} it ran out of memory (the limit is {limit} MB)"
                                   f"{where}", "memory")
    text = _first_line(str(exc))
    detail = f"{type(exc).__name__}{where}" + (f": {text}" if text else "")
    return SolutionImportError(_short(f"{prefix} {detail}"))
