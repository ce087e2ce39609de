"""Mutant: never writes the new indices back to memory.

The starter with paired slots, which reloads each walker's index and value from
memory every round, but stores only the value: every round then starts from the
index the walker had at the start, the root.
"""

from __future__ import annotations

import random
import unittest

from problem import (
    HASH_STAGES,
    N_CORES,
    SCRATCH_SIZE,
    DebugInfo,
    Engine,
    Input,
    Instruction,
    Machine,
    Tree,
    build_mem_image,
    reference_kernel,
    reference_kernel2,
)

BASELINE_CYCLES = 147734
"""Cycles of this starter at full size (forest height 10, 16 rounds, batch 256)."""

HEADER_NAMES = (
    "rounds",
    "n_nodes",
    "batch_size",
    "forest_height",
    "forest_values_p",
    "inp_indices_p",
    "inp_values_p",
)
"""The first seven memory words, in order (see build_mem_image)."""


class KernelBuilder:
    """Builds the program (a list of bundles) and names its scratch variables."""

    def __init__(self) -> None:
        self.instrs: list[Instruction] = []
        self.scratch: dict[str, int] = {}
        self.scratch_debug: dict[int, tuple[str, int]] = {}
        self.scratch_ptr = 0
        self.const_map: dict[int, int] = {}

    def debug_info(self) -> DebugInfo:
        """Names of scratch addresses, for traces and error messages."""
        return DebugInfo(scratch_map=self.scratch_debug)

    def build(self, slots: list[tuple[Engine, tuple]]) -> list[Instruction]:
        """Pack slots into bundles: here one slot per bundle, the simplest valid choice."""
        return [{engine: [slot]} for engine, slot in slots]

    def add(self, engine: Engine, slot: tuple) -> None:
        """Append one bundle holding a single slot."""
        self.instrs.append({engine: [slot]})

    def alloc_scratch(self, name: str | None = None, length: int = 1) -> int:
        """Reserve scratch words; a name makes them show up in traces."""
        address = self.scratch_ptr
        if name is not None:
            self.scratch[name] = address
            self.scratch_debug[address] = (name, length)
        self.scratch_ptr += length
        assert self.scratch_ptr <= SCRATCH_SIZE, "out of scratch space"
        return address

    def scratch_const(self, value: int, name: str | None = None) -> int:
        """The scratch address holding a constant, loading it on first use."""
        if value not in self.const_map:
            address = self.alloc_scratch(name)
            self.add("load", ("const", address, value))
            self.const_map[value] = address
        return self.const_map[value]

    def bundle(self, **slots: list[tuple]) -> None:
        """Append one bundle holding the given slots per engine."""
        self.instrs.append(dict(slots))

    def build_hash(self, val_hash_addr: int, tmp1: int, tmp2: int, round: int, i: int) -> None:
        """The six hash stages: the two independent ops of a stage share a bundle."""
        for k, (op1, val1, op2, op3, val3) in enumerate(HASH_STAGES):
            c1, c3 = self.scratch_const(val1), self.scratch_const(val3)
            self.bundle(alu=[(op1, tmp1, val_hash_addr, c1), (op3, tmp2, val_hash_addr, c3)])
            self.add("alu", (op2, val_hash_addr, tmp1, tmp2))
            self.add("debug", ("compare", val_hash_addr, (round, i, "hash_stage", k)))

    def build_kernel(self, forest_height: int, n_nodes: int, batch_size: int, rounds: int) -> None:
        """Emit the whole kernel: every round, every walker, fully unrolled."""
        tmp1 = self.alloc_scratch("tmp1")
        tmp2 = self.alloc_scratch("tmp2")
        tmp3 = self.alloc_scratch("tmp3")
        for position, name in enumerate(HEADER_NAMES):
            self.alloc_scratch(name)
            self.add("load", ("const", tmp1, position))
            self.add("load", ("load", self.scratch[name], tmp1))
        for value in (0, 1, 2):
            self.scratch_const(value)
        for value in range(batch_size):
            self.scratch_const(value)

        # The local test runs the machine up to this pause, then to the end.
        self.add("flow", ("pause",))
        self.add("debug", ("comment", "starting loop"))

        temps = {name: self.alloc_scratch(name) for name in
                 ("idx", "val", "node_val", "addr_idx", "addr_val")}
        for round in range(rounds):
            for i in range(batch_size):
                self.build_walker_step(round, i, tmp1, tmp2, tmp3, temps)

        self.add("flow", ("pause",))

    def build_walker_step(self, round: int, i: int, tmp1: int, tmp2: int, tmp3: int,
                          t: dict[str, int]) -> None:
        """One walker, one round: load, hash, choose a child, wrap, store."""
        s = self.scratch
        zero, one, two = (self.scratch_const(v) for v in (0, 1, 2))
        i_const = self.scratch_const(i)
        idx, val, node_val = t["idx"], t["val"], t["node_val"]
        self.bundle(alu=[("+", t["addr_idx"], s["inp_indices_p"], i_const),
                         ("+", t["addr_val"], s["inp_values_p"], i_const)])
        self.bundle(load=[("load", idx, t["addr_idx"]), ("load", val, t["addr_val"])])
        self.bundle(debug=[("compare", idx, (round, i, "idx")), ("compare", val, (round, i, "val"))])
        self.add("alu", ("+", tmp1, s["forest_values_p"], idx))
        self.add("load", ("load", node_val, tmp1))
        self.add("debug", ("compare", node_val, (round, i, "node_val")))
        self.add("alu", ("^", val, val, node_val))
        self.build_hash(val, tmp1, tmp2, round, i)
        self.add("debug", ("compare", val, (round, i, "hashed_val")))
        # idx = 2*idx + (1 if val % 2 == 0 else 2)
        self.bundle(alu=[("%", tmp1, val, two), ("*", idx, idx, two)])
        self.add("alu", ("==", tmp1, tmp1, zero))
        self.add("flow", ("select", tmp3, tmp1, one, two))
        self.add("alu", ("+", idx, idx, tmp3))
        self.add("debug", ("compare", idx, (round, i, "next_idx")))
        # idx = 0 if idx >= n_nodes else idx
        self.add("alu", ("<", tmp1, idx, s["n_nodes"]))
        self.add("flow", ("select", idx, tmp1, idx, zero))
        self.add("debug", ("compare", idx, (round, i, "wrapped_idx")))
        # mem[inp_indices_p + i] = idx; mem[inp_values_p + i] = val
        self.add("store", ("store", t["addr_val"], val))


def do_kernel_test(
    forest_height: int,
    rounds: int,
    batch_size: int,
    seed: int = 123,
    trace: bool = False,
    prints: bool = False,
) -> int:
    """Build the kernel, run it against the reference with debug checks on; return cycles.

    The machine runs up to each pause and its memory is compared with the
    reference kernel at the matching point.
    """
    print(f"{forest_height=}, {rounds=}, {batch_size=}")
    random.seed(seed)
    forest = Tree.generate(forest_height)
    inp = Input.generate(forest, batch_size, rounds)
    mem = build_mem_image(forest, inp)

    kb = KernelBuilder()
    kb.build_kernel(forest.height, len(forest.values), len(inp.indices), rounds)

    value_trace: dict = {}
    machine = Machine(mem, kb.instrs, kb.debug_info(), n_cores=N_CORES,
                      value_trace=value_trace, trace=trace)
    machine.prints = prints
    inp_values_p = mem[6]
    for ref_mem in reference_kernel2(mem, value_trace):
        machine.run()
        got = machine.mem[inp_values_p : inp_values_p + len(inp.values)]
        want = ref_mem[inp_values_p : inp_values_p + len(inp.values)]
        assert got == want, f"wrong values at cycle {machine.cycle}"

    print("CYCLES:", machine.cycle)
    print(f"Speedup over baseline: {BASELINE_CYCLES / machine.cycle:.2f}x")
    return machine.cycle


class Tests(unittest.TestCase):
    """Quick local checks; the graded harness is tests/submission_tests.py."""

    def test_reference_kernels_agree(self) -> None:
        """The object kernel and the flat-memory kernel compute the same values."""
        random.seed(7)
        forest = Tree.generate(4)
        inp = Input.generate(forest, 16, 5)
        mem = build_mem_image(forest, inp)
        reference_kernel(forest, inp)
        for _ in reference_kernel2(mem):
            pass
        self.assertEqual(mem[mem[6] : mem[6] + 16], inp.values)

    def test_small_kernel(self) -> None:
        """A small problem, quick to debug."""
        do_kernel_test(forest_height=4, rounds=3, batch_size=16)

    def test_kernel_cycles(self) -> None:
        """The full-size problem the harness grades."""
        do_kernel_test(forest_height=10, rounds=16, batch_size=256)


if __name__ == "__main__":
    unittest.main()
