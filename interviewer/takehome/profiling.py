"""Run a kernel once on the reference machine while recording what executes.

The recording feeds the diagnostics: which bundle ran in which cycle, how
many slots of each engine were used, and the critical path of the run. It
uses the reference interpreter with a hook on each bundle, so it is exact
but slower than the fast machine; diagnostics run it once.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import reference
from .dependences import DependenceTracker
from .workspace_kernel import build_workspace_kernel

ENGINES = ("alu", "valu", "load", "store", "flow")


@dataclass
class Profile:
    """What one run of a kernel did."""

    program: list[Any]
    forest_height: int
    rounds: int
    batch_size: int
    seed: int | None
    cycles: int = 0
    correct: bool = False
    executed: list[tuple[int, int]] = field(default_factory=list)  # (cycle, pc) costing a cycle
    slots_used: Counter[str] = field(default_factory=Counter)
    critical_path: int = 0


class ProfilingMachine(reference.Machine):
    """The reference machine, noting each executed bundle before and after it runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.executed: list[tuple[int, int]] = []
        self.slots_used: Counter[str] = Counter()
        self.dependences = DependenceTracker()

    def execute_bundle(
        self, core: reference.Core, bundle: reference.Instruction, pc: int
    ) -> reference.PendingWrites:
        self.dependences.observe(bundle, core.scratch)
        writes = super().execute_bundle(core, bundle, pc)
        if any(engine != "debug" for engine in bundle):
            self.executed.append((self.cycle, pc))
            for engine, slots in bundle.items():
                if engine != "debug":
                    self.slots_used[engine] += len(slots)
        return writes


def profile_program(
    program: list[Any],
    debug_info: Any,
    forest_height: int,
    rounds: int,
    batch_size: int,
    seed: int | None = 123,
) -> Profile:
    """Run program on one problem (seeded unless seed is None) and record the run."""
    if seed is not None:
        random.seed(seed)
    forest = reference.Tree.generate(forest_height)
    inp = reference.Input.generate(forest, batch_size, rounds)
    mem = reference.build_mem_image(forest, inp)
    machine = ProfilingMachine(mem, program, debug_info, n_cores=reference.N_CORES)
    machine.enable_pause = False
    machine.enable_debug = False
    profile = Profile(program, forest_height, rounds, batch_size, seed)
    machine.run()
    *_, final = reference.reference_kernel2(mem)
    values = slice(final[6], final[6] + batch_size)
    profile.correct = machine.mem[values] == final[values]
    profile.cycles = machine.cycle
    profile.executed = machine.executed
    profile.slots_used = machine.slots_used
    profile.critical_path = machine.dependences.critical_path
    return profile


def profile_workspace(
    workspace: Path,
    forest_height: int = 10,
    rounds: int = 16,
    batch_size: int = 256,
    seed: int | None = 123,
) -> Profile:
    """Build the workspace's kernel and profile one run of it."""
    kernel = build_workspace_kernel(workspace, forest_height, rounds, batch_size)
    return profile_program(
        kernel.instrs, kernel.debug_info, forest_height, rounds, batch_size, seed
    )
