"""Run a question's tests against a solution in the sandbox: structured per-test results.

``run_tests`` copies the solution and the tests into a sandbox folder, runs
pytest there in a child process with the sandbox plugin, and turns the
plugin's records into a ``RunReport``. The parent never parses pytest's text.

If the child dies in the middle of a test (a crash, or a test that ignored its
alarm), that test is reported and the tests not yet run get a fresh child, a
few times at most, within what is left of the wall-clock limit.

Verdicts (``RunReport.verdict``), most serious first:

========================  ================================================================
``sandbox-error``         the sandbox itself could not start or apply a limit
``memory``                the code used more memory than ``memory_mb``
``cpu``                   the run used more CPU time than ``cpu_seconds``
``processes``             the code started more processes or threads than ``processes``
``output-limit``          the run printed more than ``output_kb``
``timeout``               a test took longer than its share, or the run than ``wall_seconds``
``import-error``          the entry file could not be imported (each test says why)
``crashed``               the test process ended unexpectedly, or tests could not be loaded
``no-tests``              there was no test to run
``completed``             every test ran and reported (passed or not)
========================  ================================================================
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ._sandbox import Limits, ProcessResult, SandboxDir, choose_identity, run_limited, sandbox_dir

VERDICTS = ("sandbox-error", "memory", "cpu", "processes", "output-limit", "timeout",
            "import-error", "crashed", "no-tests", "completed")
OUTCOMES = ("pass", "fail", "error", "timeout")

#: The plugin module's name inside the sandbox, and how it finds its configuration.
PLUGIN_MODULE = "interviewer_sandbox_plugin"
CONFIG_VARIABLE = "INTERVIEWER_SANDBOX_CONFIG"
#: Fresh child processes after a crash, at most.
MAX_ATTEMPTS = 4
#: How long past its own limit a test may ignore the alarm before the parent kills it.
KILL_GRACE_SECONDS = 2.0
TAIL_BYTES = 4096
_LIMIT_VERDICTS = ("timeout", "cpu", "memory", "output-limit", "processes")


@dataclass(frozen=True)
class TestResult:
    """One test: ``id`` is ``test_level1.py::test_name``; never the test's code."""

    __test__ = False  # not a pytest test class

    id: str
    level: int | None
    outcome: str
    duration: float = 0.0
    message: str = ""


class LevelCount(NamedTuple):
    passed: int
    total: int


@dataclass(frozen=True)
class RunReport:
    """What a test run gave: results, a verdict (see ``VERDICTS``), a sentence for the candidate."""

    results: tuple[TestResult, ...]
    verdict: str
    detail: str
    duration: float
    output_tail: str = ""
    #: Deterministic performance figures the passing tests recorded (``measure`` fixture).
    measures: Mapping[str, float] = field(default_factory=dict)

    def passed(self, level: int | None = None) -> int:
        """Tests that passed, over all levels or in one level."""
        return sum(r.outcome == "pass" for r in self.results if level in (None, r.level))

    def total(self, level: int | None = None) -> int:
        """Tests that ran or should have, over all levels or in one level."""
        return sum(level in (None, r.level) for r in self.results)

    def by_level(self) -> dict[int | None, LevelCount]:
        """(passed, total) per level in level order; tests without a level come last, as None."""
        counts: dict[int | None, LevelCount] = {}
        for level in sorted({r.level for r in self.results}, key=lambda x: (x is None, x or 0)):
            chosen = [r for r in self.results if r.level == level]
            counts[level] = LevelCount(sum(r.outcome == "pass" for r in chosen), len(chosen))
        return counts


def run_tests(
    solution_dir: Path,
    test_files: Sequence[Path],
    *,
    entry: str = "solution.py",
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
    support_files: Sequence[Path] = (),
    fail_fast: bool = False,
) -> RunReport:
    """Run ``test_files`` against the ``entry`` module of ``solution_dir`` in the sandbox.

    ``support_files`` (a conftest, data) are copied beside the tests. With
    ``fail_fast`` the run stops at the first test that does not pass (enough to
    show that a mutant is caught). Raises only for the caller's mistakes
    (missing test files, a missing folder); whatever the solution does ends up
    in the report.
    """
    started = time.monotonic()
    files = tuple(Path(f) for f in test_files)
    support = tuple(Path(f) for f in support_files)
    _check_inputs(Path(solution_dir), files, support)
    if not files:
        return RunReport((), "no-tests", "There are no tests to run.", 0.0)
    try:
        with sandbox_dir(Path(solution_dir), choose_identity()) as box:
            session = _Session(box, files, support, entry, limits, started, fail_fast)
            session.run()
            return session.report()
    except OSError as error:
        return RunReport((), "sandbox-error", f"The sandbox could not be prepared: {error}.",
                         time.monotonic() - started)


def _check_inputs(solution_dir: Path, files: Sequence[Path], support: Sequence[Path]) -> None:
    if not solution_dir.is_dir():
        raise NotADirectoryError(f"solution folder not found: {solution_dir}")
    missing = [str(f) for f in (*files, *support) if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"test files not found: {', '.join(missing)}")
    names = [f.name for f in (*files, *support)]
    if len(set(names)) != len(names):
        raise ValueError(f"test and support files need distinct names: {names}")


# -- one run, over one or more child processes ------------------------------------------------


@dataclass
class _Tracker:
    """Follows the plugin's records while the child runs."""

    path: Path
    test_seconds: float
    offset: int = 0
    buffer: bytes = b""
    records: list[dict[str, Any]] = field(default_factory=list)
    current: str | None = None
    since: float = 0.0
    importing: bool = False
    finished: bool = False

    def poll(self) -> list[dict[str, Any]]:
        """Records written since the last call (a torn last line waits for the next)."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except OSError:
            return []
        self.offset += len(data)
        lines = (self.buffer + data).split(b"\n")
        self.buffer = lines.pop()
        fresh = [record for line in lines if (record := _parse(line)) is not None]
        for record in fresh:
            self._follow(record)
        self.records += fresh
        return fresh

    def _follow(self, record: dict[str, Any]) -> None:
        event = record.get("event")
        if event == "start":
            self.current, self.since = str(record.get("id")), time.monotonic()
        elif event == "result":
            self.current = None
        elif event in ("import-start", "import-end"):
            self.importing = event == "import-start"
        elif event == "finished":
            self.finished = True

    def watch(self) -> str | None:
        """Stop the child when a test ignored its alarm well past its limit."""
        self.poll()
        if self.current and time.monotonic() - self.since > self.test_seconds + KILL_GRACE_SECONDS:
            return "test-timeout"
        return None


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


class _Session:
    """The results of one ``run_tests`` call, gathered over its attempts."""

    def __init__(self, box: SandboxDir, files: tuple[Path, ...], support: tuple[Path, ...],
                 entry: str, limits: Limits, started: float, fail_fast: bool = False) -> None:
        self.box, self.files, self.support = box, files, support
        self.entry, self.limits, self.started = entry, limits, started
        self.fail_fast = fail_fast
        self.order: list[str] = []
        self.levels: dict[str, int | None] = {}
        self.results: dict[str, TestResult] = {}
        self.kinds: dict[str, str | None] = {}
        self.measured: list[tuple[str, str, float]] = []
        self.measuring: set[str] = set()   # tests that take the measure fixture
        self.collect_errors: list[str] = []
        self.internal_errors: list[str] = []
        self.status: int | None = None
        self.crashes: list[str] = []
        self.stop: str | None = None
        self.setup_error: str | None = None
        self.output = bytearray()
        self.output_size = 0
        self.cpu = 0.0
        self.collected = False
        shutil.copyfile(Path(__file__).with_name("_pytest_plugin.py"),
                        box.boot / f"{PLUGIN_MODULE}.py")
        (box.boot / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")

    def run(self) -> None:
        for attempt in range(MAX_ATTEMPTS):
            if not self._attempt(attempt):
                return

    def _attempt(self, attempt: int) -> bool:
        """One child process; True when another should run the tests it did not reach."""
        wall = self.limits.wall_seconds - (time.monotonic() - self.started)
        if wall <= 0:
            self.stop = "timeout"
            return False
        reported = len(self.results)
        self.box.install((*self.files, *self.support), self.box.tests)
        tracker = _Tracker(self.box.run / f"results-{attempt}.jsonl",
                           self.limits.per_test_seconds)
        config = self._write_config(attempt, tracker.path)
        result = run_limited(
            self._argv(), cwd=self.box.work, env=self._env(config), limits=self.limits,
            identity=self.box.identity, wall_seconds=wall,
            cpu_seconds=self.limits.cpu_seconds - self.cpu,
            output_bytes=self.limits.output_bytes - self.output_size, watch=tracker.watch)
        tracker.poll()
        self._absorb(result, tracker)
        # Another attempt only after progress, so a crash before any test cannot loop.
        return self._after(result, tracker) and len(self.results) > reported

    def _write_config(self, attempt: int, results: Path) -> Path:
        path = self.box.run / f"config-{attempt}.json"
        path.write_text(json.dumps({
            "results": str(results), "entry": self.entry, "work": str(self.box.work),
            "tests": str(self.box.tests), "hide": [f.name for f in self.files],
            "skip": sorted(self.results), "test_seconds": self.limits.per_test_seconds,
            "memory_mb": self.limits.memory_mb, "processes": self.limits.processes,
        }), encoding="utf-8")
        return path

    def _argv(self) -> list[str]:
        box = self.box
        return [sys.executable, "-m", "pytest", "-c", str(box.boot / "pytest.ini"),
                "--rootdir", str(box.tests), "--confcutdir", str(box.tests),
                "-p", "no:cacheprovider", "-p", PLUGIN_MODULE,
                "-s", "--continue-on-collection-errors", *(["-x"] if self.fail_fast else []),
                *(str(box.tests / f.name) for f in self.files)]

    def _env(self, config: Path) -> dict[str, str]:
        """A small, fixed environment: home and temp inside the sandbox, a fixed hash seed."""
        box = self.box
        return {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(box.home), "TMPDIR": str(box.tmp), "TMP": str(box.tmp),
            "TEMP": str(box.tmp), "USER": "sandbox", "LOGNAME": "sandbox",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
            "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
            "PYTHONPATH": str(box.boot), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            CONFIG_VARIABLE: str(config),
        }

    def _absorb(self, result: ProcessResult, tracker: _Tracker) -> None:
        self.output += result.output
        self.output_size += result.output_size
        self.cpu += result.cpu_seconds
        for record in tracker.records:
            self._record(record)

    def _record(self, record: dict[str, Any]) -> None:
        event = record.get("event")
        if event == "collected":
            self.collected = True
            for test in record.get("tests", ()):
                if test["id"] not in self.levels:
                    self.order.append(test["id"])
                    self.levels[test["id"]] = test.get("level")
                if test.get("measures"):
                    self.measuring.add(test["id"])
        elif event == "internal-error":
            self.internal_errors.append(str(record.get("message")))
        elif event == "finished":
            self.status = int(record.get("status", 0))
        elif event == "collect-error":
            self.collect_errors.append(f"{record.get('id')}: {record.get('message')}")
        elif event == "measure":
            self.measured.append((str(record.get("id")), str(record.get("name")),
                                  float(record.get("value", 0.0))))
        elif event == "result":
            self._set(record["id"], record.get("outcome", "error"), record.get("message", ""),
                      record.get("kind"), float(record.get("duration", 0.0)))

    def _set(self, test_id: str, outcome: str, message: str, kind: str | None,
             duration: float = 0.0) -> None:
        if test_id not in self.levels:
            self.order.append(test_id)
            self.levels[test_id] = _level_of(test_id)
        self.results[test_id] = TestResult(test_id, self.levels[test_id], outcome, duration,
                                           message)
        self.kinds[test_id] = kind

    def _stopped_at_a_failure(self) -> bool:
        return self.fail_fast and any(r.outcome != "pass" for r in self.results.values())

    def _after(self, result: ProcessResult, tracker: _Tracker) -> bool:
        """Decide from how the child ended; True to run the remaining tests again."""
        running = tracker.current
        if result.verdict == "sandbox-error":
            self.setup_error = result.message
            return False
        if result.verdict == "exited" and tracker.finished:
            if len(self.results) < len(self.order) and not self._stopped_at_a_failure():
                why = self.internal_errors[0] if self.internal_errors else f"status {self.status}"
                self.crashes.append(f"the test run stopped early ({why})")
            return False
        if result.verdict in _LIMIT_VERDICTS:
            self.stop = result.verdict
            if running:
                outcome, message = _stopped(result.verdict, self.limits, running=True)
                self._set(running, outcome, message, result.verdict, result.duration)
            return False
        if result.verdict == "test-timeout":
            if running:
                seconds = self.limits.per_test_seconds
                self._set(running, "timeout", f"took longer than {seconds:g} s and did not stop",
                          "timeout", time.monotonic() - tracker.since)
        else:
            self._crashed(running, result, tracker.importing)
        return len(self.results) < len(self.order) and not self._stopped_at_a_failure()

    def _crashed(self, running: str | None, result: ProcessResult, importing: bool) -> None:
        how = _ending(result.returncode)
        if importing:
            message = f"{self.entry} ended the test process while importing: it {how}"
            for test_id in self.order:
                if test_id not in self.results:
                    self._set(test_id, "error", message, "import")
        elif running:
            self._set(running, "error", f"the test process {how} during this test", "crash")
            self.crashes.append(f"the test process {how} during {_name(running)}")
        elif not self.collected:
            last = _last_line(self._tail())
            self.crashes.append(f"the test process {how} before the tests were collected"
                                + (f" ({last})" if last else ""))
        else:
            self.crashes.append(f"the test process {how} between tests")

    # -- the report ----------------------------------------------------------------------

    def report(self) -> RunReport:
        results = tuple(self.results.get(i) or self._unreported(i) for i in self.order)
        verdict = self._verdict(results)
        return RunReport(results, verdict, self._detail(verdict, results),
                         round(time.monotonic() - self.started, 3), self._tail(),
                         self._measures(results))

    def _measures(self, results: tuple[TestResult, ...]) -> dict[str, float]:
        """Each recorded figure summed per name; void where a measuring test of its file failed.

        A test that fails before it records anything would otherwise leave a partial
        sum, and a solution that fails measured tests would look cheaper than one that
        passes. The test's file (its level) is what ties it to the names it would record;
        when nothing in that file recorded a figure, every figure is void.
        """
        passed = {r.id for r in results if r.outcome == "pass"}
        failed_files = {_file_of(test_id) for test_id in self.measuring - passed}
        recording_files = {_file_of(test_id) for test_id, _, _ in self.measured}
        if failed_files - recording_files:   # no way to tell which names it would record
            return {}
        void = {name for test_id, name, _ in self.measured if _file_of(test_id) in failed_files}
        totals: dict[str, float] = {}
        for _, name, value in self.measured:
            if name not in void:
                totals[name] = totals.get(name, 0.0) + value
        return totals

    def _unreported(self, test_id: str) -> TestResult:
        if self.stop:
            outcome, message = _stopped(self.stop, self.limits, running=False)
        elif self.crashes:
            outcome, message = "error", "did not run: the test process kept ending unexpectedly"
        else:
            outcome, message = "error", "did not run"
        return TestResult(test_id, self.levels[test_id], outcome, 0.0, message)

    def _verdict(self, results: tuple[TestResult, ...]) -> str:
        kinds = set(self.kinds.values())
        if self.setup_error is not None:
            return "sandbox-error"
        for limit in ("memory", "cpu", "processes", "output-limit"):
            if self.stop == limit or limit in kinds:
                return limit
        if self.stop == "timeout" or any(r.outcome == "timeout" for r in results):
            return "timeout"
        if "import" in kinds:
            return "import-error"
        if self.crashes or self.collect_errors or "exit" in kinds:
            return "crashed"
        return "completed" if results else "no-tests"

    def _detail(self, verdict: str, results: tuple[TestResult, ...]) -> str:
        return _DETAILS[verdict](self, results)

    def _first(self, kind: str) -> TestResult | None:
        return next((self.results[i] for i in self.order
                     if i in self.results and self.kinds.get(i) == kind), None)

    def _tail(self) -> str:
        text = bytes(self.output[-TAIL_BYTES:]).decode("utf-8", "replace")
        for folder, shown in ((self.box.work, ""), (self.box.tests, "tests/"),
                              (self.box.root, "sandbox/")):
            text = text.replace(f"{folder}{os.sep}", shown).replace(str(folder), shown or ".")
        return text


# -- sentences -----------------------------------------------------------------------------------


def _stopped(verdict: str, limits: Limits, *, running: bool) -> tuple[str, str]:
    """Outcome and message for a test the run's end caught running, or never reached."""
    why = {
        "timeout": f"the run reached its {limits.wall_seconds:g} s time limit",
        "cpu": f"the run used its {limits.cpu_seconds:g} s of CPU time",
        "memory": f"the run used more than {limits.memory_mb} MB of memory",
        "output-limit": f"the run printed more than {limits.output_kb} KB",
        "processes": f"the run started more than {limits.processes} processes",
    }[verdict]
    outcome = "timeout" if verdict in ("timeout", "cpu") else "error"
    return outcome, f"stopped: {why}" if running else f"did not run: {why}"


def _ending(code: int | None) -> str:
    if code is None:
        return "ended"
    if code < 0:
        try:
            return f"was killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"


def _file_of(test_id: str) -> str:
    """``test_level2.py::test_x`` -> ``test_level2.py``."""
    return test_id.split("::", 1)[0]


def _name(test_id: str) -> str:
    return test_id.rsplit("::", 1)[-1]


def _level_of(test_id: str) -> int | None:
    match = re.search(r"test_level(\d+)\.py$", test_id.split("::", 1)[0])
    return int(match.group(1)) if match else None


def _last_line(text: str) -> str:
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return lines[-1][:200] if lines else ""


def _count(results: tuple[TestResult, ...]) -> str:
    passed = sum(r.outcome == "pass" for r in results)
    if passed == len(results):
        return f"All {len(results)} tests passed." if len(results) != 1 else "The test passed."
    return f"{passed} of {len(results)} tests passed."


def _completed(session: _Session, results: tuple[TestResult, ...]) -> str:
    return _count(results)


def _import_error(session: _Session, results: tuple[TestResult, ...]) -> str:
    first = session._first("import")
    return (first.message if first else f"{session.entry} failed to import") + "."


def _timeout(session: _Session, results: tuple[TestResult, ...]) -> str:
    limits = session.limits
    if session.stop == "timeout":
        left = sum(r.outcome == "timeout" for r in results)
        return (f"The run took longer than its {limits.wall_seconds:g} s limit and was "
                f"stopped; {left} test{'s' if left != 1 else ''} did not finish.")
    slow = [r for r in results if r.outcome == "timeout"]
    if len(slow) == 1 and slow[0].message.startswith(session.entry):
        return slow[0].message + "; is there an endless loop at import time?"
    names = ", ".join(_name(r.id) for r in slow[:3]) + (" ..." if len(slow) > 3 else "")
    return (f"{names} took longer than {limits.per_test_seconds:g} s and "
            f"{'was' if len(slow) == 1 else 'were'} stopped (an endless loop?); "
            f"the other tests still ran. {_count(results)}")


def _memory(session: _Session, results: tuple[TestResult, ...]) -> str:
    first = session._first("memory")
    where = f" in {_name(first.id)}" if first else ""
    return (f"Your code used more than the {session.limits.memory_mb} MB memory limit{where}. "
            f"{_count(results)}")


def _cpu(session: _Session, results: tuple[TestResult, ...]) -> str:
    return (f"Your code used more than {session.limits.cpu_seconds:g} s of CPU time, so the run "
            f"was stopped. {_count(results)}")


def _processes(session: _Session, results: tuple[TestResult, ...]) -> str:
    first = session._first("processes")
    where = f" in {_name(first.id)}" if first else ""
    return (f"Your code tried to start more than {session.limits.processes} processes or "
            f"threads{where} and was stopped. {_count(results)}")


def _output(session: _Session, results: tuple[TestResult, ...]) -> str:
    return (f"Your code printed more than {session.limits.output_kb} KB, so the run was "
            f"stopped; print less. {_count(results)}")


def _crashed(session: _Session, results: tuple[TestResult, ...]) -> str:
    exited = session._first("exit")
    if session.crashes:
        text = session.crashes[0][0].upper() + session.crashes[0][1:]
        skipped = sum(r.message.startswith("did not run") for r in results)
        if skipped:
            more = (f"; it ended {len(session.crashes)} times, so {skipped} "
                    f"test{'s' if skipped != 1 else ''} did not run")
        else:
            more = "; the other tests ran in a fresh process" if len(results) > 1 else ""
        return f"{text}{more}. {_count(results)}" if results else f"{text}."
    if exited:
        return f"{_name(exited.id)} {exited.message}. {_count(results)}"
    return f"The tests could not be loaded: {session.collect_errors[0]}."


def _no_tests(session: _Session, results: tuple[TestResult, ...]) -> str:
    return "No tests were found to run."


def _sandbox_error(session: _Session, results: tuple[TestResult, ...]) -> str:
    return f"The sandbox could not start: {session.setup_error}."


_DETAILS = {
    "completed": _completed, "import-error": _import_error, "timeout": _timeout,
    "memory": _memory, "cpu": _cpu, "processes": _processes, "output-limit": _output,
    "crashed": _crashed, "no-tests": _no_tests, "sandbox-error": _sandbox_error,
}
