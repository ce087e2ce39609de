"""Property tests: the fast machine gives exactly what the readable machine gives.

Random programs mix every engine and op, with write conflicts, hazards inside
bundles, pauses, halts, forward jumps and invalid bundles. Jumps only go
forward (jump_indirect reads reserved words that only the prologue writes),
so every program ends.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewer.takehome import fast_machine, reference

from .support import MACHINES, outcome

ALU_OPS = ["+", "-", "*", "//", "cdiv", "^", "&", "|", "<<", ">>", "%", "<", "=="]
WORDS = 64  # scratch words programs play with; reserved jump targets live just above
RESERVED = list(range(WORDS, WORDS + 4))
MEM_WORDS = 96
LIMITS = {"alu": 12, "valu": 6, "load": 2, "store": 2, "flow": 1}

small = st.integers(0, MEM_WORDS + 8)
word = st.one_of(small, st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 31, 32, 2**31]))
scalar = st.integers(0, WORDS - 1)
vector = st.integers(0, WORDS - 8)


def alu_slot(draw: Any) -> tuple:
    return (draw(st.sampled_from(ALU_OPS)), draw(scalar), draw(scalar), draw(scalar))


def valu_slot(draw: Any) -> tuple:
    kind = draw(st.sampled_from(["op", "op", "vbroadcast", "multiply_add"]))
    if kind == "vbroadcast":
        return ("vbroadcast", draw(vector), draw(scalar))
    if kind == "multiply_add":
        return ("multiply_add", draw(vector), draw(vector), draw(vector), draw(vector))
    return (draw(st.sampled_from(ALU_OPS)), draw(vector), draw(vector), draw(vector))


def load_slot(draw: Any) -> tuple:
    kind = draw(st.sampled_from(["load", "load_offset", "vload", "const", "const"]))
    if kind == "load_offset":
        return ("load_offset", draw(vector), draw(vector), draw(st.integers(0, 7)))
    if kind == "const":
        return ("const", draw(scalar), draw(st.one_of(small, word, st.integers(-5, -1))))
    return (kind, draw(vector if kind == "vload" else scalar), draw(scalar))


def store_slot(draw: Any) -> tuple:
    if draw(st.booleans()):
        return ("store", draw(scalar), draw(scalar))
    return ("vstore", draw(scalar), draw(vector))


def flow_slot(draw: Any, pc: int, length: int) -> tuple:
    kind = draw(st.sampled_from(["select", "vselect", "add_imm", "trace_write", "coreid", "halt",
                                 "pause", "cond_jump", "cond_jump_rel", "jump", "jump_indirect"]))
    forward = st.integers(pc + 1, length + 1)
    if kind == "select":
        return ("select", draw(scalar), draw(scalar), draw(scalar), draw(scalar))
    if kind == "vselect":
        return ("vselect", draw(vector), draw(vector), draw(vector), draw(vector))
    if kind == "add_imm":
        return ("add_imm", draw(scalar), draw(scalar), draw(st.integers(-(2**32), 2**32)))
    if kind in ("trace_write", "coreid"):
        return (kind, draw(scalar))
    if kind == "cond_jump":
        return ("cond_jump", draw(scalar), draw(forward))
    if kind == "cond_jump_rel":
        return ("cond_jump_rel", draw(scalar), draw(st.integers(0, 3)))
    if kind == "jump":
        return ("jump", draw(forward))
    if kind == "jump_indirect" and pc < length - 4:
        return ("jump_indirect", draw(st.sampled_from(RESERVED)))
    return (kind,) if kind in ("halt", "pause") else ("coreid", draw(scalar))


def bundle(draw: Any, pc: int, length: int) -> dict[str, list[tuple]]:
    engines = draw(st.lists(st.sampled_from([*LIMITS, "debug"]), unique=True, max_size=4))
    result: dict[str, list[tuple]] = {}
    for engine in engines:
        if engine == "debug":
            result[engine] = [("comment", "x")]
            continue
        too_many = draw(st.integers(0, 40)) == 0  # now and then, an invalid bundle
        count = LIMITS[engine] + 1 if too_many else draw(st.integers(0, LIMITS[engine]))
        makers = {"alu": alu_slot, "valu": valu_slot, "load": load_slot, "store": store_slot}
        if engine == "flow":
            result[engine] = [flow_slot(draw, pc, length) for _ in range(count)]
        else:
            result[engine] = [makers[engine](draw) for _ in range(count)]
    return result


@st.composite
def programs(draw: Any) -> tuple[list[int], list[dict[str, list[tuple]]], bool]:
    """(memory, program, enable_pause)."""
    length = draw(st.integers(1, 30))
    prologue = [{"load": [("const", RESERVED[i], draw(st.integers(length - 3, length + 6))),
                          ("const", RESERVED[i + 1], draw(st.integers(length - 3, length + 6)))]}
                for i in (0, 2)]
    body = [bundle(draw, pc + len(prologue), length + len(prologue)) for pc in range(length)]
    mem = draw(st.lists(word, min_size=MEM_WORDS, max_size=MEM_WORDS))
    return mem, prologue + body, draw(st.booleans())


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(programs())
def test_random_programs_give_identical_results(case: tuple) -> None:
    mem, program, pause = case
    readable = outcome(MACHINES["readable"], mem, program, pause=pause)
    fast = outcome(MACHINES["fast"], mem, program, pause=pause)
    if "error" in readable:
        assert fast.get("error") == readable["error"]
    else:
        assert fast == readable


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_programs_on_two_cores(case: tuple) -> None:
    mem, program, pause = case
    results = []
    for machine_class in (reference.Machine, fast_machine.Machine):
        machine = machine_class(mem, program, None, n_cores=2)
        machine.enable_pause, machine.enable_debug = pause, False
        try:
            for _ in range(100):
                machine.run()
            results.append((machine.cycle, machine.mem,
                            [(c.pc, c.state, c.scratch, c.trace_buf) for c in machine.cores]))
        except Exception as error:
            results.append(type(error))
    assert results[0] == results[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 2))
def test_a_decoded_program_is_reused_safely(case: tuple, runs_before: int) -> None:
    """Running the same program list on several machines (cached decoding) changes nothing."""
    mem, program, pause = case
    first = outcome(MACHINES["fast"], mem, program, pause=pause)
    for _ in range(runs_before):
        outcome(MACHINES["fast"], mem, program, pause=not pause)
    assert outcome(MACHINES["fast"], mem, program, pause=pause) == first
