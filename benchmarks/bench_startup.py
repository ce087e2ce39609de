"""Start-up time: ``--help`` and the first prompt of a session, as medians.

Run on demand: ``python benchmarks/bench_startup.py``. Targets: ``--help``
under 0.3 s and the first prompt under 0.6 s. Besides wall-clock time it
prints the CPU time the interviewer had used when its first prompt appeared
(from ``/proc``), which other load on the machine does not inflate.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 9


def _time_help() -> float:
    began = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "interviewer", "--help"], cwd=str(ROOT))
    child.expect(pexpect.EOF)
    child.close()
    return time.perf_counter() - began


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a running process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_first_prompt(data_dir: str) -> tuple[float, float]:
    began = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "interviewer", "--data-dir", data_dir,
                                           "--question", "01", "--format", "codesignal"],
                          cwd=str(ROOT), encoding="utf-8", timeout=30)
    # Answer prompt-toolkit's cursor-position request, as a real terminal does.
    while child.expect_exact(["\x1b[6n", "you>"]) == 0:
        child.send("\x1b[1;1R")
    elapsed = time.perf_counter() - began
    cpu = _cpu_seconds(child.pid)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed, cpu


def _compile_bytecode() -> None:
    """Write fresh .pyc files, as an installed package has: with stale or missing bytecode
    (for instance under PYTHONDONTWRITEBYTECODE) every start compiles the engine again and
    the figures measure the compiler, not the interviewer."""
    import compileall

    compileall.compile_dir(str(ROOT / "interviewer"), quiet=1)


def main() -> None:
    _compile_bytecode()
    help_times = [_time_help() for _ in range(REPEATS)]
    with tempfile.TemporaryDirectory() as data_dir:
        prompts = [_time_first_prompt(data_dir) for _ in range(REPEATS)]
    prompt_times = [wall for wall, _ in prompts]
    for name, times, target in (("--help", help_times, 0.3),
                                ("first prompt", prompt_times, 0.6),
                                ("  its CPU", [cpu for _, cpu in prompts], 0.6)):
        median = statistics.median(times)
        print(f"{name:<13} median {median * 1000:6.0f} ms  (target {target * 1000:.0f} ms, "
              f"{median / target:.2f}x of target, {REPEATS} runs)")


if __name__ == "__main__":
    main()
