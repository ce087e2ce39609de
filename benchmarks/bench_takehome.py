"""Benchmark the fast take-home machine against the readable one.

Run on demand:  python benchmarks/bench_takehome.py [--repeats N]

For the scalar starter and for the vectorised test kernel (both at full size:
forest height 10, 16 rounds, batch 256) it prints the median time of
machine.run() on the readable machine, on the fast machine with its decoded
program cached (what every run after the first sees), and on the fast machine
decoding from scratch (the first run of a program), with the ratios.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from interviewer.takehome import fast_machine, program_decoder, reference  # noqa: E402
from interviewer.takehome.workspace_kernel import build_workspace_kernel  # noqa: E402

TAKEHOME = REPO / "takehome"
VECTOR_KERNEL = REPO / "tests" / "reference" / "00" / "strong.py"
FULL_SIZE = (10, 16, 256)


def problem_memory(seed: int = 1) -> list[int]:
    """A full-size problem's memory image."""
    random.seed(seed)
    forest = reference.Tree.generate(FULL_SIZE[0])
    inp = reference.Input.generate(forest, FULL_SIZE[2], FULL_SIZE[1])
    return reference.build_mem_image(forest, inp)


def time_run(machine_class: type, program: list, mem: list[int], cold: bool) -> tuple[float, int]:
    """Seconds of one machine.run() (pause and debug off), and the cycles."""
    if cold:
        program_decoder.clear_cache()
    machine = machine_class(mem, program, None)
    machine.enable_pause = False
    machine.enable_debug = False
    started = time.perf_counter()
    machine.run()
    return time.perf_counter() - started, machine.cycle


def median_run(machine_class: type, program: list, mem: list[int], repeats: int,
               cold: bool = False) -> tuple[float, int]:
    """Median seconds over repeats, and the cycles (identical every time)."""
    results = [time_run(machine_class, program, mem, cold) for _ in range(repeats)]
    assert len({cycles for _, cycles in results}) == 1
    return statistics.median(seconds for seconds, _ in results), results[0][1]


def vector_kernel_program() -> list:
    """The vectorised test kernel, built in a throwaway workspace."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        shutil.copyfile(TAKEHOME / "problem.py", workspace / "problem.py")
        shutil.copyfile(VECTOR_KERNEL, workspace / "perf_takehome.py")
        return build_workspace_kernel(workspace, *FULL_SIZE).instrs


def bench(name: str, program: list, repeats: int) -> None:
    """Print one kernel's line of figures."""
    mem = problem_memory()
    fast_machine.Machine(mem, program, None).run()  # warm the decode cache
    readable, cycles = median_run(reference.Machine, program, mem, repeats)
    warm, fast_cycles = median_run(fast_machine.Machine, program, mem, repeats)
    cold, _ = median_run(fast_machine.Machine, program, mem, repeats, cold=True)
    assert fast_cycles == cycles
    print(f"{name:12s} {len(program):>8} {cycles:>8} {readable * 1000:>10.1f} "
          f"{warm * 1000:>10.1f} {cold * 1000:>10.1f} {readable / warm:>8.1f}x "
          f"{readable / cold:>8.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per median (default 7)")
    args = parser.parse_args()
    print(f"medians of {args.repeats} runs of machine.run(), milliseconds")
    print(f"{'kernel':12s} {'bundles':>8} {'cycles':>8} {'readable':>10} {'fast':>10} "
          f"{'fast cold':>10} {'ratio':>9} {'cold ratio':>9}")
    bench("starter", build_workspace_kernel(TAKEHOME, *FULL_SIZE).instrs, args.repeats)
    bench("vectorised", vector_kernel_program(), args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
