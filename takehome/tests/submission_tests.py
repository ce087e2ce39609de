"""The graded harness: correctness on fresh random problems, then the cycle thresholds.

Run it from the take-home folder:

    python tests/submission_tests.py

It builds your kernel once (forest height 10, 16 rounds, batch 256), runs it on
8 freshly generated problems with pausing and debug checks off, compares the
output values with reference_kernel2, and prints one line per threshold. A
wrong result counts as twice the starter's cycles.

The machine is the fast one from the interviewer package when that package is
importable, else the frozen readable copy beside this file. Set
TAKEHOME_MACHINE=readable or TAKEHOME_MACHINE=fast to choose. Do not edit the
files in this folder: the graded copy is frozen and edits are detected.
"""

from __future__ import annotations

import os
import sys
import unittest
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # frozen_problem
sys.path.insert(1, str(HERE.parent))  # perf_takehome (and the candidate's problem.py)

from frozen_problem import (  # noqa: E402
    N_CORES,
    Input,
    Tree,
    build_mem_image,
    reference_kernel2,
)
from frozen_problem import Machine as FrozenMachine  # noqa: E402
from perf_takehome import KernelBuilder  # noqa: E402

BASELINE_CYCLES = 147734
THRESHOLDS = (147734, 18532, 2164, 1790, 1579, 1548, 1487, 1363)
FOREST_HEIGHT = 10
ROUNDS = 16
BATCH_SIZE = 256
CORRECTNESS_RUNS = 8
WRONG_RESULT_CYCLES = 2 * BASELINE_CYCLES


def choose_machine() -> tuple[str, Any]:
    """The machine class to grade with, and a label saying which one it is."""
    choice = os.environ.get("TAKEHOME_MACHINE", "").strip().lower()
    if choice not in ("", "fast", "readable"):
        raise SystemExit(f"TAKEHOME_MACHINE must be 'fast' or 'readable', not {choice!r}")
    if choice == "readable":
        return "readable (frozen copy)", FrozenMachine
    try:
        from interviewer.takehome import Machine as FastMachine
    except Exception as error:  # the package is absent or broken: grade on the frozen copy
        if choice == "fast":
            message = f"TAKEHOME_MACHINE=fast, but interviewer is not importable: {error}"
            raise SystemExit(message) from error
        return "readable (frozen copy; the interviewer package is not installed)", FrozenMachine
    return "fast (interviewer package)", FastMachine


MACHINE_LABEL, MACHINE = choose_machine()


@cache
def kernel() -> KernelBuilder:
    """The candidate's kernel, built once for the full-size problem."""
    kb = KernelBuilder()
    kb.build_kernel(FOREST_HEIGHT, 2 ** (FOREST_HEIGHT + 1) - 1, BATCH_SIZE, ROUNDS)
    return kb


def run_on_fresh_problem(kb: KernelBuilder) -> tuple[bool, int]:
    """Run the kernel on a new random problem; return (values correct, cycles)."""
    forest = Tree.generate(FOREST_HEIGHT)
    inp = Input.generate(forest, BATCH_SIZE, ROUNDS)
    mem = build_mem_image(forest, inp)
    machine = MACHINE(mem, kb.instrs, kb.debug_info(), n_cores=N_CORES)
    machine.enable_pause = False
    machine.enable_debug = False
    machine.run()
    *_, ref_mem = reference_kernel2(mem)  # run the reference to its end
    values_p = ref_mem[6]
    wanted = ref_mem[values_p : values_p + BATCH_SIZE]
    return machine.mem[values_p : values_p + BATCH_SIZE] == wanted, machine.cycle


@cache
def graded_cycles() -> tuple[bool, int]:
    """(all runs correct, cycles): the most cycles of any run, or the penalty if one was wrong."""
    worst = 0
    for _ in range(CORRECTNESS_RUNS):
        try:
            correct, cycles = run_on_fresh_problem(kernel())
        except Exception as error:  # a crashing kernel is a wrong kernel
            print(f"the kernel failed: {type(error).__name__}: {error}")
            return False, WRONG_RESULT_CYCLES
        if not correct:
            return False, WRONG_RESULT_CYCLES
        worst = max(worst, cycles)
    return True, worst


class CorrectnessTests(unittest.TestCase):
    """The output values must match the reference on every fresh problem."""

    def test_kernel_correctness(self) -> None:
        correct, _ = graded_cycles()
        print(f"{'PASS' if correct else 'FAIL'}  correctness on {CORRECTNESS_RUNS} random "
              f"problems ({MACHINE_LABEL} machine)")
        self.assertTrue(correct, "the kernel's output values differ from reference_kernel2")


class SpeedTests(unittest.TestCase):
    """One test per public threshold: fewer cycles than the threshold passes."""


def add_threshold_test(rank: int, threshold: int) -> None:
    """Attach test_threshold_<rank>_<threshold> to SpeedTests (ranks keep them in order)."""

    def test(self: SpeedTests) -> None:
        _, cycles = graded_cycles()
        passed = cycles < threshold
        print(f"{'PASS' if passed else 'FAIL'}  threshold {threshold:>6} cycles: "
              f"{cycles} cycles, {BASELINE_CYCLES / cycles:.2f}x speed-up over the starter")
        self.assertLess(cycles, threshold)

    test.__doc__ = f"Fewer than {threshold} cycles."
    setattr(SpeedTests, f"test_threshold_{rank}_{threshold}", test)


for rank, threshold in enumerate(THRESHOLDS, start=1):
    add_threshold_test(rank, threshold)


if __name__ == "__main__":
    # No progress dots: they would interleave with the lines printed above.
    unittest.main(verbosity=0)
