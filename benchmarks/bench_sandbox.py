"""What the sandbox costs: ``run_tests`` against a bare ``python -m pytest`` of the same tests.

Both run a small correct solution against one file of 30 tests, each in a
child process, several times; the script prints the medians and the ratio.
The bare run gets a ``conftest.py`` that provides the same ``solution``
fixture. It is measured twice: with pytest's installed plugins (what a plain
``python -m pytest`` does on this machine) and with plugin autoloading off,
as the sandbox runs it; the ratio is taken against the faster of the two.

    python benchmarks/bench_sandbox.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewer._sandbox import Limits
from interviewer._testrun import run_tests

SOLUTION = '''\
class Counter:
    def __init__(self):
        self.counts = {}

    def add(self, word):
        self.counts[word] = self.counts.get(word, 0) + 1

    def count(self, word):
        return self.counts.get(word, 0)

    def top(self, n):
        return sorted(self.counts, key=lambda w: (-self.counts[w], w))[:n]
'''

CONFTEST = '''\
import importlib

import pytest


@pytest.fixture(scope="session")
def solution():
    return importlib.import_module("solution")
'''


def _tests(count: int) -> str:
    """``count`` small tests, a third of each kind."""
    parts = []
    for i in range(count):
        kind = i % 3
        n = i % 3 + 1
        if kind == 0:
            body = (f"    c = solution.Counter()\n    c.add('w{i}')\n"
                    f"    assert c.count('w{i}') == 1\n")
        elif kind == 1:
            body = f"    assert solution.Counter().count('missing{i}') == 0\n"
        else:
            body = (f"    c = solution.Counter()\n    for w in 'b a b c b a'.split():\n"
                    f"        c.add(w)\n    assert c.top({n}) == ['b', 'a', 'c'][:{n}]\n")
        parts.append(f"def test_{i:02d}(solution):\n{body}")
    return "\n\n".join(parts)


def time_runs(action: Callable[[], object], repeats: int) -> list[float]:
    action()  # warm the file cache
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--tests", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as scratch:
        root = Path(scratch)
        workspace, bare = root / "workspace", root / "bare"
        for folder in (workspace, bare):
            folder.mkdir()
            (folder / "solution.py").write_text(SOLUTION)
        tests = root / "test_level1.py"
        tests.write_text(_tests(args.tests))
        (bare / "test_level1.py").write_text(tests.read_text())
        (bare / "conftest.py").write_text(CONFTEST)

        def sandboxed() -> None:
            report = run_tests(workspace, [tests], limits=Limits())
            assert report.verdict == "completed" and report.passed() == args.tests, report

        def plain(autoload: bool) -> Callable[[], None]:
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            if not autoload:
                env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                       "test_level1.py"]

            def run() -> None:
                subprocess.run(command, cwd=bare, env=env, check=True, capture_output=True)

            return run

        rows = [
            ("run_tests (sandbox)", time_runs(sandboxed, args.repeats)),
            ("python -m pytest", time_runs(plain(True), args.repeats)),
            ("python -m pytest, no plugin autoload", time_runs(plain(False), args.repeats)),
        ]

    print(f"{args.tests} tests, median of {args.repeats} runs")
    for name, times in rows:
        print(f"  {name:<40} {statistics.median(times) * 1000:7.1f} ms")
    sandbox = statistics.median(rows[0][1])
    fastest_bare = min(statistics.median(times) for _, times in rows[1:])
    print(f"  overhead ratio (sandbox / fastest bare run): {sandbox / fastest_bare:.2f}x")


if __name__ == "__main__":
    main()
