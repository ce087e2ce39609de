"""Mutant: fuses every stage with op1 + and op3 << into a multiply and an add.

(a + c) + (a << k) equals a * (1 + 2**k) + c, which saves an alu slot; but the
fourth stage is (a + c) ^ (a << k), where that identity does not hold, and this
kernel fuses it too because it checks op1 and op3 but not op2.
"""

from __future__ import annotations

import random
import unittest

from problem import (
    HASH_STAGES,
    N_CORES,
    SCRATCH_SIZE,
    SLOT_LIMITS,
    DebugInfo,
    Input,
    Instruction,
    Machine,
    Tree,
    build_mem_image,
    reference_kernel2,
)

BASELINE_CYCLES = 147734

TEMP_SETS = 64  # walker i uses temporaries TEMP_SETS apart from walker i + TEMP_SETS


class Scheduler:
    """First-fit list scheduling of single slots into bundles."""

    def __init__(self) -> None:
        self.bundles: list[dict[str, list[tuple]]] = []
        self.ready: dict[int, int] = {}  # word -> first cycle that sees its latest value
        self.last_read: dict[int, int] = {}  # word -> last cycle that reads it
        self.first_free: dict[str, int] = dict.fromkeys(SLOT_LIMITS, 0)

    def earliest(self, reads: list[int], writes: list[int]) -> int:
        """The first cycle after every producer, and not before a pending reader."""
        cycle = max((self.ready.get(word, 0) for word in reads), default=0)
        for word in writes:
            cycle = max(cycle, self.last_read.get(word, 0), self.ready.get(word, 0))
        return cycle

    def is_full(self, cycle: int, engine: str) -> bool:
        return len(self.bundles[cycle].get(engine, ())) >= SLOT_LIMITS[engine]

    def add(self, engine: str, slot: tuple, reads: list[int], writes: list[int]) -> None:
        """Schedule one slot that reads and writes the given words."""
        cycle = max(self.earliest(reads, writes), self.first_free[engine])
        while True:
            while cycle >= len(self.bundles):
                self.bundles.append({})
            if not self.is_full(cycle, engine):
                break
            cycle += 1
        self.bundles[cycle].setdefault(engine, []).append(slot)
        while self.first_free[engine] < len(self.bundles) and self.is_full(
            self.first_free[engine], engine
        ):
            self.first_free[engine] += 1
        for word in reads:
            self.last_read[word] = max(self.last_read.get(word, 0), cycle)
        for word in writes:
            self.ready[word] = cycle + 1


class KernelBuilder:
    """Builds the scalar, list-scheduled program."""

    def __init__(self) -> None:
        self.instrs: list[Instruction] = []
        self.scratch_debug: dict[int, tuple[str, int]] = {}
        self.scratch_ptr = 0
        self.consts: dict[int, int] = {}
        self.sched = Scheduler()

    def debug_info(self) -> DebugInfo:
        return DebugInfo(scratch_map=self.scratch_debug)

    def alloc(self, name: str, length: int = 1) -> int:
        address = self.scratch_ptr
        self.scratch_debug[address] = (name, length)
        self.scratch_ptr += length
        assert self.scratch_ptr <= SCRATCH_SIZE, "out of scratch space"
        return address

    def const(self, value: int) -> int:
        if value not in self.consts:
            address = self.alloc(f"const {value}")
            self.sched.add("load", ("const", address, value), [], [address])
            self.consts[value] = address
        return self.consts[value]

    def alu(self, op: str, dest: int, a: int, b: int) -> None:
        self.sched.add("alu", (op, dest, a, b), [a, b], [dest])

    def build_kernel(self, forest_height: int, n_nodes: int, batch_size: int, rounds: int) -> None:
        """Load every walker once, run all rounds in scratch, store every walker once."""
        pointers = {}
        for position, name in ((4, "forest_values_p"), (5, "inp_indices_p"), (6, "inp_values_p")):
            pointers[name] = self.alloc(name)
            self.sched.add("load", ("load", pointers[name], self.const(position)),
                           [self.const(position)], [pointers[name]])
        n_nodes_word = self.const(n_nodes)
        idx = self.alloc("idx", batch_size)
        val = self.alloc("val", batch_size)
        temps = self.alloc("temps", 2 * TEMP_SETS)
        self.transfer(idx, pointers["inp_indices_p"], batch_size, temps, store=False)
        self.transfer(val, pointers["inp_values_p"], batch_size, temps, store=False)
        for _ in range(rounds):
            for i in range(batch_size):
                t1 = temps + 2 * (i % TEMP_SETS)
                self.step(idx + i, val + i, t1, t1 + 1, pointers["forest_values_p"],
                          n_nodes_word)
        self.transfer(idx, pointers["inp_indices_p"], batch_size, temps, store=True)
        self.transfer(val, pointers["inp_values_p"], batch_size, temps, store=True)
        self.instrs = self.sched.bundles
        self.add_pauses()

    def transfer(self, base: int, pointer: int, count: int, temps: int, store: bool) -> None:
        """Move count words between memory at mem[pointer] and scratch at base."""
        for i in range(count):
            address = temps + 2 * (i % TEMP_SETS)
            self.alu("+", address, pointer, self.const(i))
            if store:
                self.sched.add("store", ("store", address, base + i), [address, base + i], [])
            else:
                self.sched.add("load", ("load", base + i, address), [address], [base + i])

    def step(self, idx: int, val: int, t1: int, t2: int, forest: int, n_nodes: int) -> None:
        """One walker, one round: gather its node, hash, choose a child, wrap."""
        one = self.const(1)
        self.alu("+", t1, forest, idx)
        self.sched.add("load", ("load", t1, t1), [t1], [t1])
        self.alu("^", val, val, t1)
        for op1, val1, op2, op3, val3 in HASH_STAGES:
            if (op1, op3) == ("+", "<<"):
                self.alu("*", val, val, self.const(1 + 2**val3))
                self.alu("+", val, val, self.const(val1))
                continue
            self.alu(op1, t1, val, self.const(val1))
            self.alu(op3, t2, val, self.const(val3))
            self.alu(op2, val, t1, t2)
        self.alu("&", t1, val, one)  # 0 when even, 1 when odd
        self.alu("+", t1, t1, one)  # the child offset: 1 or 2
        self.alu("+", idx, idx, idx)
        self.alu("+", idx, idx, t1)
        self.alu("<", t1, idx, n_nodes)  # 1 while still inside the tree
        self.alu("*", idx, idx, t1)  # falls back to the root otherwise

    def add_pauses(self) -> None:
        """Pause after the first and the last bundle, where the local test compares."""
        for bundle in (self.instrs[0], self.instrs[-1]):
            bundle["flow"] = [("pause",)]


def do_kernel_test(forest_height: int, rounds: int, batch_size: int, seed: int = 123) -> int:
    """Run the kernel against the reference, comparing values at each pause; return cycles."""
    random.seed(seed)
    forest = Tree.generate(forest_height)
    inp = Input.generate(forest, batch_size, rounds)
    mem = build_mem_image(forest, inp)
    kb = KernelBuilder()
    kb.build_kernel(forest.height, len(forest.values), len(inp.indices), rounds)
    machine = Machine(mem, kb.instrs, kb.debug_info(), n_cores=N_CORES, value_trace={})
    values = slice(mem[6], mem[6] + batch_size)
    for ref_mem in reference_kernel2(mem):
        machine.run()
        assert machine.mem[values] == ref_mem[values], f"wrong values at cycle {machine.cycle}"
    print("CYCLES:", machine.cycle, f"({BASELINE_CYCLES / machine.cycle:.2f}x)")
    return machine.cycle


class Tests(unittest.TestCase):
    def test_small_kernel(self) -> None:
        do_kernel_test(forest_height=4, rounds=3, batch_size=16)

    def test_kernel_cycles(self) -> None:
        do_kernel_test(forest_height=10, rounds=16, batch_size=256)


if __name__ == "__main__":
    unittest.main()
