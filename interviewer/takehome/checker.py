"""Grade a take-home workspace: correctness on several problems, cycles, thresholds.

This is what scoring runs (in a child process, through ``check.py``). It builds
the workspace's kernel at full size, runs it on the package's own machine and
problem generator (never the workspace's copies), compares the output values
with the frozen reference kernel and reports cycles, speed-up over the
starter, thresholds passed and slot utilisation.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import reference
from .analysis import EngineUse, engine_uses
from .fast_machine import Machine as FastMachine
from .harness_integrity import check_harness
from .profiling import ENGINES
from .workspace_kernel import FULL_SIZE, build_workspace_kernel

BASELINE_CYCLES = 147734
THRESHOLDS = (147734, 18532, 2164, 1790, 1579, 1548, 1487, 1363)
WRONG_RESULT_CYCLES = 2 * BASELINE_CYCLES
MACHINES = ("fast", "readable")
MAX_OUTPUT_CHARS = 2000


@dataclass(frozen=True)
class RunOutcome:
    """One run on one problem."""

    seed: int | None
    correct: bool
    cycles: int
    error: str | None = None


@dataclass
class CheckReport:
    """Everything the check found; to_dict() is the --json document."""

    workspace: str
    machine: str
    forest_height: int
    rounds: int
    batch_size: int
    runs: list[RunOutcome] = field(default_factory=list)
    correct: bool = False
    cycles: int = WRONG_RESULT_CYCLES  # graded: worst run, or the penalty for a wrong result
    speedup: float = BASELINE_CYCLES / WRONG_RESULT_CYCLES
    thresholds: dict[str, bool] = field(default_factory=dict)  # "147734" -> passed
    thresholds_passed: int = 0
    utilisation: list[EngineUse] = field(default_factory=list)
    busiest_engine: str | None = None
    bundles: int = 0
    harness_modified: list[str] = field(default_factory=list)
    error: str | None = None
    kernel_output: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (utilisation keyed by engine)."""
        data = asdict(self)
        data["utilisation"] = {
            use.engine: {key: value for key, value in asdict(use).items() if key != "engine"}
            for use in self.utilisation
        }
        return data


class CountingReferenceMachine(reference.Machine):
    """The readable machine, also counting how often each bundle runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts = [0] * len(self.program)

    def step(self, core: reference.Core, bundle: reference.Instruction) -> bool:
        self.counts[core.pc] += 1
        return super().step(core, bundle)

    def bundle_execution_counts(self) -> list[int]:
        """How many times each bundle has executed."""
        return self.counts


def machine_class(machine: str) -> type[reference.Machine]:
    """The machine to grade with."""
    if machine not in MACHINES:
        raise ValueError(f"machine must be one of {MACHINES}, not {machine!r}")
    return FastMachine if machine == "fast" else CountingReferenceMachine


def slots_used(program: list[Any], counts: list[int]) -> dict[str, int]:
    """Slots executed per engine, from per-bundle execution counts."""
    used = dict.fromkeys(ENGINES, 0)
    for bundle, count in zip(program, counts, strict=False):
        if count:
            for engine, slots in bundle.items():
                if engine in used:
                    used[engine] += count * len(slots)
    return used


def run_problem(
    program: list[Any], debug_info: Any, report: CheckReport, seed: int | None, machine: str
) -> tuple[RunOutcome, reference.Machine | None]:
    """Run the kernel on one fresh problem and judge its output values."""
    if seed is not None:
        random.seed(seed)
    forest = reference.Tree.generate(report.forest_height)
    inp = reference.Input.generate(forest, report.batch_size, report.rounds)
    mem = reference.build_mem_image(forest, inp)
    sim = machine_class(machine)(mem, program, debug_info, n_cores=reference.N_CORES)
    sim.enable_pause = False
    sim.enable_debug = False
    try:
        sim.run()
    except Exception as error:
        return RunOutcome(seed, False, sim.cycle, f"{type(error).__name__}: {error}"), None
    *_, final = reference.reference_kernel2(mem)
    values = slice(final[6], final[6] + report.batch_size)
    return RunOutcome(seed, sim.mem[values] == final[values], sim.cycle), sim


def check_workspace(
    workspace: Path,
    *,
    runs: int = 8,
    seed: int | None = None,
    machine: str = "fast",
    forest_height: int = FULL_SIZE[0],
    rounds: int = FULL_SIZE[1],
    batch_size: int = FULL_SIZE[2],
) -> CheckReport:
    """Build and grade the kernel of a workspace; seeds are seed, seed+1, ... if seed is given."""
    machine_class(machine)  # reject an unknown machine before doing any work
    workspace = Path(workspace).resolve()
    report = CheckReport(str(workspace), machine, forest_height, rounds, batch_size)
    report.harness_modified = check_harness(workspace)
    try:
        kernel = build_workspace_kernel(workspace, forest_height, rounds, batch_size)
    except Exception as error:
        report.error = f"building the kernel failed: {type(error).__name__}: {error}"
        return grade(report)
    report.kernel_output = kernel.output[-MAX_OUTPUT_CHARS:]
    report.bundles = len(kernel.instrs)
    for number in range(runs):
        run_seed = None if seed is None else seed + number
        outcome, sim = run_problem(kernel.instrs, kernel.debug_info, report, run_seed, machine)
        report.runs.append(outcome)
        if sim is not None and not report.utilisation:
            used = slots_used(kernel.instrs, sim.bundle_execution_counts())
            report.utilisation = engine_uses(used, sim.cycle)
    return grade(report)


def grade(report: CheckReport) -> CheckReport:
    """Fill in the verdict: correctness, graded cycles, speed-up and thresholds."""
    report.correct = bool(report.runs) and all(run.correct for run in report.runs)
    measured = max((run.cycles for run in report.runs), default=0)
    report.cycles = measured if report.correct else WRONG_RESULT_CYCLES
    report.speedup = BASELINE_CYCLES / report.cycles if report.cycles else float("inf")
    report.thresholds = {str(t): report.cycles < t for t in THRESHOLDS}
    report.thresholds_passed = sum(report.thresholds.values())
    if report.utilisation:
        report.busiest_engine = max(report.utilisation, key=lambda use: use.utilisation).engine
    return report
