"""The simulated VLIW SIMD machine of the performance take-home, and the problem it runs.

Read this file to learn the machine. It is written to be read, not to be fast:
every rule of the machine appears once, in the order a bundle is executed.

The machine in one paragraph: memory and a per-core scratch pad hold 32-bit
unsigned words. A program is a list of bundles; a bundle maps an engine name
("alu", "valu", "load", "store", "flow", "debug") to a list of slots (tuples
whose first item names the op). All slots of a bundle read the state as it was
when the bundle started; their writes are applied together at its end, scratch
first, then memory. Each bundle that uses any engine other than "debug" costs
one cycle, and the cycle count is the score.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

# "valu" and "debug" are engines too; kernels use them as dictionary keys.
Engine = Literal["alu", "valu", "load", "store", "flow", "debug"]
Instruction = dict[Engine, list[tuple]]

SLOT_LIMITS: dict[str, int] = {
    "alu": 12,
    "valu": 6,
    "load": 2,
    "store": 2,
    "flow": 1,
    "debug": 64,
}
VLEN = 8
N_CORES = 1
SCRATCH_SIZE = 1536

WORD_MODULUS = 2**32
"""Every arithmetic result is reduced modulo this before it is written."""

TRACE_FILE = "trace.json"
"""Where a machine built with trace=True writes its Chrome trace."""


def cdiv(a: int, b: int) -> int:
    """Ceiling division of non-negative integers."""
    return (a + b - 1) // b


@dataclass
class DebugInfo:
    """Names for scratch addresses, so traces can show variables by name.

    scratch_map maps a scratch address to (name, length in words).
    """

    scratch_map: dict[int, tuple[str, int]]


class CoreState(Enum):
    """What a core is doing; run() returns when no core is RUNNING."""

    RUNNING = 1
    PAUSED = 2
    STOPPED = 3


@dataclass
class Core:
    """One core: its own scratch pad, trace buffer and program counter."""

    id: int
    scratch: list[int]
    trace_buf: list[int]
    pc: int = 0
    state: CoreState = CoreState.RUNNING


# ---------------------------------------------------------------------------
# Arithmetic shared by the alu and valu engines
# ---------------------------------------------------------------------------


def shift_left(a: int, b: int) -> int:
    """a << b, except that a shift by 32 or more is 0 (the bits fall off the word).

    Checking first avoids building an enormous integer for a huge shift count.
    """
    if b >= 32:
        return 0
    return a << b


ALU_OPS: dict[str, Callable[[int, int], int]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "//": lambda a, b: a // b,
    "cdiv": cdiv,
    "^": lambda a, b: a ^ b,
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "<<": shift_left,
    ">>": lambda a, b: a >> b,
    "%": lambda a, b: a % b,
    "<": lambda a, b: int(a < b),
    "==": lambda a, b: int(a == b),
}


def alu_result(op: str, a: int, b: int) -> int:
    """Apply an alu op to two words and reduce the result to a word."""
    if op not in ALU_OPS:
        raise NotImplementedError(f"unknown alu op {op!r}")
    return ALU_OPS[op](a, b) % WORD_MODULUS


# ---------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------


class PendingWrites:
    """Writes produced by one bundle, applied only when the bundle ends.

    Kept as ordered lists so that when two slots write the same address, the
    slot executed later is applied later and wins.
    """

    def __init__(self) -> None:
        self.scratch: list[tuple[int, int]] = []
        self.memory: list[tuple[int, int]] = []


class Machine:
    """A VLIW SIMD machine that runs a program of bundles on one or more cores.

    Attributes read by harnesses: mem, cycle, cores, prints, enable_pause,
    enable_debug, program, debug_info, value_trace.
    """

    def __init__(
        self,
        mem_dump: list[int],
        program: list[Instruction],
        debug_info: DebugInfo,
        n_cores: int = 1,
        scratch_size: int = SCRATCH_SIZE,
        trace: bool = False,
        value_trace: dict[Any, int] = {},  # noqa: B006 - the public signature
    ) -> None:
        self.mem = list(mem_dump)  # a copy: the caller's list is not changed
        self.program = program
        self.debug_info = debug_info
        self.cores = [Core(i, [0] * scratch_size, []) for i in range(n_cores)]
        self.cycle = 0
        self.prints = False
        self.enable_pause = True
        self.enable_debug = True
        self.value_trace = value_trace
        self.trace = trace
        self.tracer = ChromeTracer(debug_info) if trace else None

    # -- running -------------------------------------------------------------

    def run(self) -> None:
        """Run until no core is RUNNING (all stopped, or paused by a pause op).

        Paused cores resume. Each pass lets every running core execute one
        bundle; the pass costs a cycle if any of those bundles used an engine
        other than "debug".
        """
        for core in self.cores:
            if core.state == CoreState.PAUSED:
                core.state = CoreState.RUNNING
        while any(core.state == CoreState.RUNNING for core in self.cores):
            pass_costs_a_cycle = False
            for core in self.cores:
                if core.state != CoreState.RUNNING:
                    continue
                if core.pc >= len(self.program):
                    core.state = CoreState.STOPPED
                    continue
                bundle = self.program[core.pc]
                if self.step(core, bundle):
                    pass_costs_a_cycle = True
            if pass_costs_a_cycle:
                self.cycle += 1
        if self.tracer is not None:
            self.tracer.write(TRACE_FILE)

    def step(self, core: Core, bundle: Instruction) -> bool:
        """Fetch-and-execute one bundle; return whether it costs a cycle.

        The program counter moves past the bundle before it executes, so a
        jump inside the bundle simply overwrites it.
        """
        pc = core.pc
        core.pc += 1
        if self.prints:
            print(f"core {core.id} cycle {self.cycle} pc {pc}: {bundle}")
        writes = self.execute_bundle(core, bundle, pc)
        if self.tracer is not None:
            self.tracer.record_bundle(core, bundle, self.cycle, writes)
        return any(engine != "debug" for engine in bundle)

    def execute_bundle(self, core: Core, bundle: Instruction, pc: int) -> PendingWrites:
        """Execute every slot of a bundle, then apply its writes (and return them).

        Engines run in the dictionary's key order and slots in list order;
        all of them read the state from before the bundle.
        """
        writes = PendingWrites()
        for engine, slots in bundle.items():
            if engine == "debug":
                if self.enable_debug:
                    for slot in slots:
                        self.debug(core, slot, pc)
                continue
            if engine not in SLOT_LIMITS:
                raise KeyError(f"unknown engine {engine!r} at pc {pc}")
            assert len(slots) <= SLOT_LIMITS[engine], (
                f"{len(slots)} {engine} slots at pc {pc}; the limit is {SLOT_LIMITS[engine]}"
            )
            execute_slot = self.engine_executor(engine)
            for slot in slots:
                execute_slot(core, slot, writes)
        for address, value in writes.scratch:
            core.scratch[address] = value
        for address, value in writes.memory:
            self.mem[address] = value
        return writes

    def engine_executor(self, engine: str) -> Callable[[Core, tuple, PendingWrites], None]:
        """The method that executes one slot of the given engine."""
        executors = {
            "alu": self.alu,
            "valu": self.valu,
            "load": self.load,
            "store": self.store,
            "flow": self.flow,
        }
        return executors[engine]

    # -- engines -------------------------------------------------------------

    def alu(self, core: Core, slot: tuple, writes: PendingWrites) -> None:
        """(op, dest, a, b): dest <- s[a] OP s[b]."""
        op, dest, a, b = slot
        s = core.scratch
        writes.scratch.append((dest, alu_result(op, s[a], s[b])))

    def valu(self, core: Core, slot: tuple, writes: PendingWrites) -> None:
        """Vector ops on VLEN consecutive scratch words."""
        s = core.scratch
        op = slot[0]
        if op == "vbroadcast":
            _, dest, src = slot
            for i in range(VLEN):
                writes.scratch.append((dest + i, s[src]))
        elif op == "multiply_add":
            _, dest, a, b, c = slot
            for i in range(VLEN):
                product = (s[a + i] * s[b + i]) % WORD_MODULUS
                writes.scratch.append((dest + i, (product + s[c + i]) % WORD_MODULUS))
        else:
            _, dest, a, b = slot
            for i in range(VLEN):
                writes.scratch.append((dest + i, alu_result(op, s[a + i], s[b + i])))

    def load(self, core: Core, slot: tuple, writes: PendingWrites) -> None:
        """Reads from memory (or a constant) into scratch."""
        s = core.scratch
        op = slot[0]
        if op == "load":
            _, dest, addr = slot
            writes.scratch.append((dest, self.mem[s[addr]]))
        elif op == "load_offset":
            _, dest, addr, offset = slot
            writes.scratch.append((dest + offset, self.mem[s[addr + offset]]))
        elif op == "vload":
            _, dest, addr = slot
            for i in range(VLEN):
                writes.scratch.append((dest + i, self.mem[s[addr] + i]))
        elif op == "const":
            _, dest, value = slot
            writes.scratch.append((dest, value % WORD_MODULUS))
        else:
            raise NotImplementedError(f"unknown load op {op!r}")

    def store(self, core: Core, slot: tuple, writes: PendingWrites) -> None:
        """Writes from scratch into memory (applied after the scratch writes)."""
        s = core.scratch
        op = slot[0]
        if op == "store":
            _, addr, src = slot
            writes.memory.append((s[addr], s[src]))
        elif op == "vstore":
            _, addr, src = slot
            for i in range(VLEN):
                writes.memory.append((s[addr] + i, s[src + i]))
        else:
            raise NotImplementedError(f"unknown store op {op!r}")

    def flow(self, core: Core, slot: tuple, writes: PendingWrites) -> None:
        """Selects, jumps and core control. A jump changes core.pc at once."""
        s = core.scratch
        op = slot[0]
        if op == "select":
            _, dest, cond, a, b = slot
            writes.scratch.append((dest, s[a] if s[cond] != 0 else s[b]))
        elif op == "vselect":
            _, dest, cond, a, b = slot
            for i in range(VLEN):
                chosen = s[a + i] if s[cond + i] != 0 else s[b + i]
                writes.scratch.append((dest + i, chosen))
        elif op == "add_imm":
            _, dest, a, imm = slot
            writes.scratch.append((dest, (s[a] + imm) % WORD_MODULUS))
        elif op == "halt":
            core.state = CoreState.STOPPED
        elif op == "pause":
            if self.enable_pause:
                core.state = CoreState.PAUSED
        elif op == "trace_write":
            _, val = slot
            core.trace_buf.append(s[val])
        elif op == "cond_jump":
            _, cond, addr = slot
            if s[cond] != 0:
                core.pc = addr
        elif op == "cond_jump_rel":
            _, cond, offset = slot
            if s[cond] != 0:
                core.pc += offset  # pc already points past this bundle
        elif op == "jump":
            _, addr = slot
            core.pc = addr
        elif op == "jump_indirect":
            _, addr = slot
            core.pc = s[addr]
        elif op == "coreid":
            _, dest = slot
            writes.scratch.append((dest, core.id))
        else:
            raise NotImplementedError(f"unknown flow op {op!r}")

    def debug(self, core: Core, slot: tuple, pc: int) -> None:
        """Check scratch against the reference trace; other debug ops do nothing."""
        s = core.scratch
        op = slot[0]
        if op == "compare":
            _, loc, key = slot
            expected = self.value_trace[key]
            assert s[loc] == expected, (
                f"debug compare failed at pc {pc}: scratch[{loc}] is {s[loc]}, "
                f"expected {expected} for key {key!r}"
            )
        elif op == "vcompare":
            _, loc, keys = slot
            expected_lanes = [self.value_trace[key] for key in keys]
            actual_lanes = s[loc : loc + VLEN]
            assert actual_lanes == expected_lanes, (
                f"debug vcompare failed at pc {pc}: scratch[{loc}:{loc + VLEN}] is "
                f"{actual_lanes}, expected {expected_lanes} for keys {keys!r}"
            )


# ---------------------------------------------------------------------------
# Tracing in Chrome's Trace Event Format (open trace.json in Perfetto)
# ---------------------------------------------------------------------------

TRACE_ENGINES = ("alu", "valu", "load", "store", "flow")


class ChromeTracer:
    """Collects one event per executed slot and the changes of named scratch variables.

    Each engine slot gets its own track (alu-0 .. alu-11, valu-0 .., load-0 ..,
    store-0 .., flow-0); each event lasts one unit at ts = cycle. Each named
    scratch variable gets a track too, with an event at every cycle whose
    bundle changed its value.
    """

    def __init__(self, debug_info: DebugInfo | None) -> None:
        self.events: list[dict[str, Any]] = []
        scratch_map = debug_info.scratch_map if debug_info is not None else {}
        self.variables = list(scratch_map.items())
        # Which variables cover each scratch address, so a write finds them quickly.
        self.variables_at: dict[int, list[int]] = {}
        for number, (address, (_name, length)) in enumerate(self.variables):
            for word in range(address, address + length):
                self.variables_at.setdefault(word, []).append(number)
        self.last_values: dict[tuple[int, int], tuple[int, ...]] = {}
        self.named_cores: set[int] = set()

    def slot_track(self, engine: str, index: int) -> int:
        """A stable thread id for an engine slot."""
        first = sum(SLOT_LIMITS[e] for e in TRACE_ENGINES[: TRACE_ENGINES.index(engine)])
        return first + index

    def variables_pid(self, core: Core) -> int:
        """The process id grouping a core's variable tracks."""
        return 1000 + core.id

    def name_tracks(self, core: Core) -> None:
        """Metadata events that label a core's tracks the first time it appears."""
        self.named_cores.add(core.id)
        labels = [(core.id, "process_name", None, f"core {core.id}")]
        for engine in TRACE_ENGINES:
            for index in range(SLOT_LIMITS[engine]):
                labels.append(
                    (core.id, "thread_name", self.slot_track(engine, index), f"{engine}-{index}")
                )
        labels.append((self.variables_pid(core), "process_name", None, f"core {core.id} variables"))
        for number, (_address, (name, _length)) in enumerate(self.variables):
            labels.append((self.variables_pid(core), "thread_name", number, name))
        for pid, kind, tid, label in labels:
            event: dict[str, Any] = {"name": kind, "ph": "M", "pid": pid, "args": {"name": label}}
            if tid is not None:
                event["tid"] = tid
            self.events.append(event)

    def record_bundle(
        self, core: Core, bundle: Instruction, cycle: int, writes: PendingWrites
    ) -> None:
        """Add the events of one executed bundle (its writes already applied)."""
        if core.id not in self.named_cores:
            self.name_tracks(core)
        for engine, slots in bundle.items():
            if engine not in TRACE_ENGINES:
                continue
            for index, slot in enumerate(slots):
                self.events.append(
                    {"name": str(slot[0]), "cat": engine, "ph": "X", "pid": core.id,
                     "tid": self.slot_track(engine, index), "ts": cycle, "dur": 1,
                     "args": {"slot": repr(slot)}}
                )
        touched = {n for address, _ in writes.scratch for n in self.variables_at.get(address, ())}
        for number in sorted(touched):
            self.record_variable(core, number, cycle)

    def record_variable(self, core: Core, number: int, cycle: int) -> None:
        """Emit an event on a variable's track if its value changed."""
        address, (name, length) = self.variables[number]
        value = tuple(core.scratch[address : address + length])
        if self.last_values.get((core.id, number)) == value:
            return
        self.last_values[(core.id, number)] = value
        shown = value[0] if length == 1 else list(value)
        self.events.append(
            {"name": f"{name} = {shown}", "cat": "scratch", "ph": "X",
             "pid": self.variables_pid(core), "tid": number, "ts": cycle, "dur": 1,
             "args": {"address": address, "value": shown}}
        )

    def write(self, path: str) -> None:
        """Write all events collected so far as one JSON document."""
        with open(path, "w") as handle:
            json.dump({"traceEvents": self.events, "displayTimeUnit": "ns"}, handle)


# ---------------------------------------------------------------------------
# The problem: walking a forest with a hash
# ---------------------------------------------------------------------------


@dataclass
class Tree:
    """A perfect binary tree of node values, stored in heap order (children of i: 2i+1, 2i+2)."""

    height: int
    values: list[int]

    @staticmethod
    def generate(height: int) -> Tree:
        """Random node values from the global random module (seed it to reproduce)."""
        n_nodes = 2 ** (height + 1) - 1
        values = [random.randint(0, 2**30 - 1) for _ in range(n_nodes)]
        return Tree(height, values)


@dataclass
class Input:
    """A batch of walkers: where each one is in the tree and its running value."""

    indices: list[int]
    values: list[int]
    rounds: int

    @staticmethod
    def generate(forest: Tree, batch_size: int, rounds: int) -> Input:
        """Every walker starts at the root with a random value."""
        indices = [0] * batch_size
        values = [random.randint(0, 2**30 - 1) for _ in range(batch_size)]
        return Input(indices, values, rounds)


HASH_STAGES: list[tuple[str, int, str, str, int]] = [
    ("+", 0x7ED55D16, "+", "<<", 12),
    ("^", 0xC761C23C, "^", ">>", 19),
    ("+", 0x165667B1, "+", "<<", 5),
    ("+", 0xD3A2646C, "^", "<<", 9),
    ("+", 0xFD7046C5, "+", "<<", 3),
    ("^", 0xB55A4F09, "^", ">>", 16),
]


def hash_stage(a: int, stage: tuple[str, int, str, str, int]) -> int:
    """One stage: op2(op1(a, val1), op3(a, val3)), each step reduced to a word."""
    op1, val1, op2, op3, val3 = stage
    left = alu_result(op1, a, val1)
    right = alu_result(op3, a, val3)
    return alu_result(op2, left, right)


def myhash(a: int) -> int:
    """The 32-bit hash every walker applies once per round."""
    for stage in HASH_STAGES:
        a = hash_stage(a, stage)
    return a


def next_index(idx: int, val: int, n_nodes: int) -> int:
    """Go left on an even value, right on an odd one; fall off the bottom back to the root."""
    idx = 2 * idx + (1 if val % 2 == 0 else 2)
    return 0 if idx >= n_nodes else idx


def reference_kernel(tree: Tree, inp: Input) -> None:
    """The kernel on the problem objects, updating inp in place."""
    for _ in range(inp.rounds):
        for i in range(len(inp.indices)):
            idx = inp.indices[i]
            val = myhash(inp.values[i] ^ tree.values[idx])
            inp.indices[i] = next_index(idx, val, len(tree.values))
            inp.values[i] = val


HEADER_WORDS = 7
"""rounds, n_nodes, batch_size, forest_height and three pointers."""


def build_mem_image(tree: Tree, inp: Input) -> list[int]:
    """The flat memory a kernel receives: header, tree values, indices, values.

    The image ends right after the last input value: there is no free room.
    """
    n_nodes = len(tree.values)
    batch_size = len(inp.indices)
    forest_values_p = HEADER_WORDS
    inp_indices_p = forest_values_p + n_nodes
    inp_values_p = inp_indices_p + batch_size
    header = [
        inp.rounds,
        n_nodes,
        batch_size,
        tree.height,
        forest_values_p,
        inp_indices_p,
        inp_values_p,
    ]
    return header + list(tree.values) + list(inp.indices) + list(inp.values)


def reference_kernel2(
    mem: list[int], trace: dict[Any, int] = {}  # noqa: B006 - the public signature
) -> Generator[list[int], None, None]:
    """The kernel on a flat memory image, in place.

    Yields mem before any work and again at the end, so a harness can run a
    machine up to each pause and compare. Records every intermediate value in
    trace under keys (round, i, name) that kernels' debug compare slots use.
    """
    rounds, n_nodes, batch_size, _height, forest_values_p, inp_indices_p, inp_values_p = mem[
        :HEADER_WORDS
    ]
    yield mem
    for h in range(rounds):
        for i in range(batch_size):
            idx = mem[inp_indices_p + i]
            trace[(h, i, "idx")] = idx
            val = mem[inp_values_p + i]
            trace[(h, i, "val")] = val
            node_val = mem[forest_values_p + idx]
            trace[(h, i, "node_val")] = node_val
            val ^= node_val
            for k, stage in enumerate(HASH_STAGES):
                val = hash_stage(val, stage)
                trace[(h, i, "hash_stage", k)] = val
            trace[(h, i, "hashed_val")] = val
            idx = 2 * idx + (1 if val % 2 == 0 else 2)
            trace[(h, i, "next_idx")] = idx
            idx = 0 if idx >= n_nodes else idx
            trace[(h, i, "wrapped_idx")] = idx
            mem[inp_indices_p + i] = idx
            mem[inp_values_p + i] = val
    yield mem
