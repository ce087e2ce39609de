"""The fast machine: same constructor, attributes, results and errors as the reference, faster.

It subclasses the reference machine, so every attribute (mem, cycle, cores,
prints, enable_pause, enable_debug, program, debug_info, value_trace) and the
slow path are the reference's own. run() takes the fast path unless the
machine traces or prints, or some word is outside [0, 2**32) (the closures'
invariant); then it simply runs the reference interpreter.

The fast path decodes the program once (see program_decoder), then runs each
straight-line stretch of bundles as a loop of closure calls, counting its
cycles afterwards with one ``bytes.count``. Bundles that jump, halt, pause or
need the reference interpreter end a stretch and are handled one at a time.
"""

from __future__ import annotations

from typing import Any

from . import reference
from .bundle_decoder import CONTROL, INTERPRETED
from .program_decoder import DecodedProgram, decode_program
from .slot_closures import HALT, JUMP_BY, JUMP_TO, MASK

RUNNING = reference.CoreState.RUNNING
PAUSED = reference.CoreState.PAUSED
STOPPED = reference.CoreState.STOPPED


class Machine(reference.Machine):
    """Drop-in replacement for the reference Machine that runs programs much faster."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execution_deltas: list[int] = []

    # -- public --------------------------------------------------------------

    def run(self) -> None:
        """Run until no core is RUNNING, exactly like the reference."""
        if self.tracer is not None or self.prints or not self.fast_path_applies():
            super().run()
            return
        for core in self.cores:
            if core.state == PAUSED:
                core.state = RUNNING
        decoded = decode_program(
            self.program,
            enable_debug=self.enable_debug,
            enable_pause=self.enable_pause,
            scratch_size=len(self.cores[0].scratch),
        )
        self.prepare_counts(len(decoded))
        if len(self.cores) == 1:
            self.run_single_core(self.cores[0], decoded)
        else:
            self.run_lockstep(decoded)

    def bundle_execution_counts(self) -> list[int]:
        """How many times each bundle of the program has executed so far."""
        counts: list[int] = []
        running = 0
        for delta in self.execution_deltas[: len(self.program)]:
            running += delta
            counts.append(running)
        return counts + [0] * (len(self.program) - len(counts))

    # -- reference path hooks ------------------------------------------------

    def step(self, core: reference.Core, bundle: reference.Instruction) -> bool:
        """The reference step, also counting executions (for utilisation figures)."""
        self.prepare_counts(len(self.program))
        index = core.pc if core.pc >= 0 else core.pc + len(self.program)
        if 0 <= index < len(self.program):
            self.execution_deltas[index] += 1
            self.execution_deltas[index + 1] -= 1
        return super().step(core, bundle)

    # -- fast path -----------------------------------------------------------

    def fast_path_applies(self) -> bool:
        """Whether every word is an int in [0, 2**32) and all scratch pads have one size."""
        if not self.cores or len({len(core.scratch) for core in self.cores}) != 1:
            return False
        return all(
            words_in_range(words) for words in (self.mem, *(core.scratch for core in self.cores))
        )

    def prepare_counts(self, n_bundles: int) -> None:
        """Size the execution-count array (a difference array: +1 at start, -1 after end)."""
        if len(self.execution_deltas) != n_bundles + 1:
            self.execution_deltas = [0] * (n_bundles + 1)

    def run_single_core(self, core: reference.Core, decoded: DecodedProgram) -> None:
        """Run one core through straight-line stretches and special bundles."""
        runs, special, costs = decoded.runs, decoded.special, decoded.costs
        deltas = self.execution_deltas
        n = len(decoded)
        scratch, mem = core.scratch, self.mem
        pc = core.pc
        cycles = 0
        stretch_start = -1
        index = 0
        special_pc: int | None = None
        try:
            while core.state == RUNNING:
                if pc >= n:
                    core.state = STOPPED
                    break
                if pc < 0:
                    special_pc = pc
                    index = self.index_of(pc, n)
                    pc = self.execute_at(core, index, pc + 1, decoded)
                    cycles += costs[index]
                    special_pc = None
                    continue
                end = special.find(1, pc)
                if end < 0:
                    end = n
                if end > pc:
                    stretch_start = pc
                    for index in range(pc, end):
                        runs[index](scratch, mem, core)
                    stretch_start = -1
                    cycles += costs.count(1, pc, end)
                    deltas[pc] += 1
                    deltas[end] -= 1
                    pc = end
                    continue
                special_pc = pc
                cost = costs[pc]
                pc = self.execute_at(core, pc, pc + 1, decoded)
                cycles += cost
                special_pc = None
        except BaseException:
            # Leave pc just past the failing bundle and count the cycles before it.
            if stretch_start >= 0:  # bundle number index failed
                cycles += costs.count(1, stretch_start, index)
                pc = index + 1
            elif special_pc is not None:
                pc = special_pc + 1
            raise
        finally:
            core.pc = pc
            self.cycle += cycles

    def run_lockstep(self, decoded: DecodedProgram) -> None:
        """Several cores: one bundle per running core per pass, as the reference does."""
        n = len(decoded)
        while any(core.state == RUNNING for core in self.cores):
            pass_costs_a_cycle = False
            for core in self.cores:
                if core.state != RUNNING:
                    continue
                if core.pc >= n:
                    core.state = STOPPED
                    continue
                index = self.index_of(core.pc, n)
                pc = core.pc
                core.pc = pc + 1
                core.pc = self.execute_at(core, index, pc + 1, decoded)
                if decoded.costs[index]:
                    pass_costs_a_cycle = True
            if pass_costs_a_cycle:
                self.cycle += 1

    @staticmethod
    def index_of(pc: int, n: int) -> int:
        """The bundle a pc designates; a negative pc counts from the end, as list indexing does."""
        index = pc + n if pc < 0 else pc
        if index < 0:
            raise IndexError(f"pc {pc} is outside a program of {n} bundles")
        return index

    def execute_at(
        self, core: reference.Core, index: int, next_pc: int, decoded: DecodedProgram
    ) -> int:
        """Execute bundle number index with pc already advanced to next_pc; return the new pc."""
        self.execution_deltas[index] += 1
        self.execution_deltas[index + 1] -= 1
        bundle = decoded.bundle_at(index)
        if bundle.kind == INTERPRETED:
            core.pc = next_pc
            self.execute_bundle(core, self.program[index], next_pc - 1)
            return core.pc
        result = None
        if bundle.kind != CONTROL:
            decoded.runs[index](core.scratch, self.mem, core)
            return next_pc
        for step in bundle.steps:
            outcome = step(core.scratch, self.mem, core)
            if outcome is not None:
                result = outcome
        if result is None:
            return next_pc
        code, value = result
        if code == JUMP_TO:
            return value
        if code == JUMP_BY:
            return next_pc + value
        core.state = STOPPED if code == HALT else PAUSED
        return next_pc


def words_in_range(words: list[Any]) -> bool:
    """Whether every item is a plain int word (bools and other types fail)."""
    if not words:
        return True
    return set(map(type, words)) == {int} and min(words) >= 0 and max(words) <= MASK
