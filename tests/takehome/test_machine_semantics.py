"""Every op and edge of the machine specification, on both machines."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from interviewer.takehome import reference

from .support import MACHINES, run_until_stopped

WORD = 2**32


@pytest.fixture(params=sorted(MACHINES))
def machine_class(request: pytest.FixtureRequest) -> type[reference.Machine]:
    """Each test runs on the readable and on the fast machine."""
    return MACHINES[request.param]


def execute(machine_class: type[reference.Machine], program: list[dict[str, list[tuple]]],
            mem: list[int] | None = None, *, pause: bool = False, debug: bool = False,
            value_trace: dict | None = None, n_cores: int = 1) -> reference.Machine:
    """Run a program to completion (or to the error it raises)."""
    machine = machine_class(list(mem or [0] * 32), program, None, n_cores=n_cores,
                            value_trace=value_trace or {})
    machine.enable_pause = pause
    machine.enable_debug = debug
    run_until_stopped(machine)
    return machine


def consts(*pairs: tuple[int, int]) -> list[dict[str, list[tuple]]]:
    """Bundles loading (address, value) constants, two per bundle."""
    slots = [("const", address, value) for address, value in pairs]
    return [{"load": slots[i : i + 2]} for i in range(0, len(slots), 2)]


ALU_CASES = [
    ("+", 7, 5, 12), ("+", WORD - 1, 2, 1),
    ("-", 7, 5, 2), ("-", 5, 7, WORD - 2),
    ("*", 6, 7, 42), ("*", 2**31, 4, 0),
    ("*", 0x12345678, 0x9ABCDEF0, (0x12345678 * 0x9ABCDEF0) % WORD),
    ("//", 17, 5, 3), ("cdiv", 17, 5, 4), ("cdiv", 15, 5, 3), ("cdiv", 0, 5, 0),
    ("^", 0b1100, 0b1010, 0b0110), ("&", 0b1100, 0b1010, 0b1000), ("|", 0b1100, 0b1010, 0b1110),
    ("<<", 1, 31, 2**31), ("<<", 0xFFFF, 20, 0xFFF00000), ("<<", 5, 32, 0), ("<<", 5, WORD - 1, 0),
    (">>", 2**31, 31, 1), (">>", 0xFFFFFFFF, 32, 0), (">>", 12345, WORD - 1, 0),
    ("%", 17, 5, 2), ("<", 3, 4, 1), ("<", 4, 4, 0), ("==", 4, 4, 1), ("==", 4, 5, 0),
]


@pytest.mark.parametrize(("op", "a", "b", "expected"), ALU_CASES)
def test_alu_op(machine_class: type[reference.Machine], op: str, a: int, b: int,
                expected: int) -> None:
    machine = execute(machine_class, [*consts((1, a), (2, b)), {"alu": [(op, 3, 1, 2)]}])
    assert machine.cores[0].scratch[3] == expected


@pytest.mark.parametrize(("op", "a", "b", "expected"), ALU_CASES)
def test_valu_op_is_the_alu_op_in_every_lane(machine_class: type[reference.Machine], op: str,
                                             a: int, b: int, expected: int) -> None:
    program = [
        *consts((1, a), (2, b)),
        {"valu": [("vbroadcast", 8, 1), ("vbroadcast", 16, 2)]},
        {"valu": [(op, 24, 8, 16)]},
    ]
    machine = execute(machine_class, program)
    assert machine.cores[0].scratch[24:32] == [expected] * 8


def test_valu_lanes_are_independent(machine_class: type[reference.Machine]) -> None:
    program = [*consts(*[(8 + i, i * 3) for i in range(8)], *[(16 + i, i) for i in range(8)]),
               {"valu": [("+", 24, 8, 16), ("*", 32, 8, 16)]}]
    scratch = execute(machine_class, program).cores[0].scratch
    assert scratch[24:32] == [4 * i for i in range(8)]
    assert scratch[32:40] == [3 * i * i for i in range(8)]


def test_multiply_add_reduces_both_steps(machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, 0x80000001), (2, 6), (3, WORD - 1)),
               {"valu": [("vbroadcast", 8, 1), ("vbroadcast", 16, 2), ("vbroadcast", 24, 3)]},
               {"valu": [("multiply_add", 32, 8, 16, 24)]}]
    expected = ((0x80000001 * 6) % WORD + WORD - 1) % WORD
    assert execute(machine_class, program).cores[0].scratch[32:40] == [expected] * 8


def test_loads(machine_class: type[reference.Machine]) -> None:
    mem = list(range(100, 132))
    program = [
        *consts((1, 5), (2, 20)),
        {"load": [("load", 3, 1), ("vload", 8, 2)]},
        {"alu": [("+", 17, 1, 1)]},  # s[17] = 10: the address lane 1 of load_offset uses
        {"load": [("load_offset", 15, 16, 1), ("const", 4, WORD + 9)]},
        {"load": [("const", 5, -1)]},
    ]
    scratch = execute(machine_class, program, mem).cores[0].scratch
    assert scratch[3] == 105
    assert scratch[8:16] == list(range(120, 128))
    assert scratch[16] == 110  # dest + offset <- mem[s[addr + offset]]
    assert scratch[4] == 9 and scratch[5] == WORD - 1


def test_stores(machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, 3), (2, 77), (4, 10)),
               {"valu": [("vbroadcast", 8, 2)]},
               {"store": [("store", 1, 2), ("vstore", 4, 8)]}]
    mem = execute(machine_class, program).mem
    assert mem[3] == 77 and mem[10:18] == [77] * 8 and mem[18] == 0


def test_machine_copies_the_memory_it_is_given(machine_class: type[reference.Machine]) -> None:
    original = [0] * 8
    machine = machine_class(original, [*consts((1, 2), (2, 9)), {"store": [("store", 1, 2)]}],
                            None)
    machine.run()
    assert machine.mem[2] == 9 and original == [0] * 8


def test_flow_data_ops(machine_class: type[reference.Machine]) -> None:
    program = [
        *consts((1, 1), (2, 11), (3, 22), (4, 0)),
        {"flow": [("select", 5, 1, 2, 3)]}, {"flow": [("select", 6, 4, 2, 3)]},
        {"flow": [("add_imm", 7, 2, -12)]}, {"flow": [("coreid", 9)]},
        {"flow": [("trace_write", 2)]}, {"flow": [("trace_write", 7)]},
        *consts(*[(16 + i, i % 2) for i in range(8)]),
        {"valu": [("vbroadcast", 24, 2), ("vbroadcast", 32, 3)]},
        {"flow": [("vselect", 40, 16, 24, 32)]},
    ]
    machine = execute(machine_class, program)
    scratch = machine.cores[0].scratch
    assert (scratch[5], scratch[6], scratch[7], scratch[9]) == (11, 22, WORD - 1, 0)
    assert machine.cores[0].trace_buf == [11, WORD - 1]
    assert scratch[40:48] == [22, 11] * 4


def test_all_slots_read_the_state_from_before_the_bundle(
        machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, 5), (2, 9)),
               {"alu": [("+", 1, 2, 0), ("+", 2, 1, 0)]},  # a swap: s[0] is 0
               {"load": [("const", 3, 7)], "alu": [("+", 4, 3, 3)]}]  # s[3] was 0 at the start
    scratch = execute(machine_class, program).cores[0].scratch
    assert (scratch[1], scratch[2], scratch[4]) == (9, 5, 0)


def test_a_load_sees_memory_from_before_a_store_in_its_bundle(
        machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, 4), (2, 50)),
               {"store": [("store", 1, 2)], "load": [("load", 3, 1)]}]
    machine = execute(machine_class, program, [0, 0, 0, 0, 33, 0])
    assert machine.cores[0].scratch[3] == 33 and machine.mem[4] == 50


def test_write_conflicts_later_slot_wins(machine_class: type[reference.Machine]) -> None:
    program = [
        *consts((1, 1), (2, 2)),
        {"alu": [("+", 5, 1, 0), ("+", 5, 2, 0)]},  # within an engine
        {"load": [("const", 6, 10)], "alu": [("+", 6, 2, 0)]},  # load first, then alu
        {"alu": [("+", 7, 2, 0)], "load": [("const", 7, 10)]},  # alu first, then load
        *consts((3, 3)),
        {"store": [("store", 3, 1), ("store", 3, 2)]},
    ]
    machine = execute(machine_class, program)
    scratch = machine.cores[0].scratch
    assert (scratch[5], scratch[6], scratch[7], machine.mem[3]) == (2, 2, 10, 2)


def test_jumps(machine_class: type[reference.Machine]) -> None:
    program = [
        *consts((1, 1), (2, 3)),                     # 0
        {"flow": [("jump", 4)]},                     # 1
        {"load": [("const", 10, 99)]},               # 2: skipped
        {"flow": [("halt",)]},                       # 3
        {"flow": [("cond_jump", 0, 2)], "alu": [("+", 11, 1, 1)]},   # 4: not taken; alu runs
        {"flow": [("cond_jump_rel", 1, 1)]},         # 5: taken, skips 6
        {"flow": [("halt",)]},                       # 6
        {"load": [("const", 20, 7)], "flow": [("jump_indirect", 2)]},  # 7: to 3, const lands
    ]
    machine = execute(machine_class, program)
    core = machine.cores[0]
    assert (core.scratch[10], core.scratch[11], core.scratch[20]) == (0, 2, 7)
    assert core.pc == 4 and core.state == reference.CoreState.STOPPED
    assert machine.cycle == 6


def test_a_backward_loop(machine_class: type[reference.Machine]) -> None:
    program = [
        *consts((1, 1), (2, 5)),                        # 0: s[3] counts, s[2] is the limit
        {"alu": [("+", 3, 3, 1)]},                      # 1
        {"alu": [("<", 4, 3, 2)]},                      # 2
        {"flow": [("cond_jump_rel", 4, -3)]},           # 3: back to 1 while s[3] < 5
    ]
    machine = execute(machine_class, program)
    assert machine.cores[0].scratch[3] == 5 and machine.cycle == 1 + 3 * 5
    assert machine.cores[0].pc == 4


def test_cycle_costs(machine_class: type[reference.Machine]) -> None:
    program = [{}, {"debug": [("comment", "free")]}, {"alu": []}, {"debug": [], "store": []},
               {"load": [("const", 1, 1)]}]
    machine = execute(machine_class, program)
    assert machine.cycle == 3 and machine.cores[0].pc == 5


def test_debug_slots_have_no_limit(machine_class: type[reference.Machine]) -> None:
    program = [{"debug": [("comment", str(i)) for i in range(100)]}]
    assert execute(machine_class, program, debug=True).cycle == 0


def test_halt_finishes_its_bundle(machine_class: type[reference.Machine]) -> None:
    program = [{"flow": [("halt",)], "load": [("const", 1, 5)]}, {"load": [("const", 2, 5)]}]
    machine = execute(machine_class, program)
    assert machine.cores[0].scratch[1:3] == [5, 0] and machine.cycle == 1
    assert machine.cores[0].pc == 1


def test_pause_and_resume(machine_class: type[reference.Machine]) -> None:
    program = [{"load": [("const", 1, 1)]}, {"flow": [("pause",)]}, {"load": [("const", 2, 2)]},
               {"flow": [("pause",)]}]
    machine = machine_class([0] * 4, program, None)
    machine.run()
    core = machine.cores[0]
    assert core.state == reference.CoreState.PAUSED and core.pc == 2 and machine.cycle == 2
    assert core.scratch[2] == 0
    machine.run()
    assert core.state == reference.CoreState.PAUSED and core.pc == 4 and core.scratch[2] == 2
    machine.run()
    assert core.state == reference.CoreState.STOPPED and machine.cycle == 4


def test_pause_does_nothing_when_disabled(machine_class: type[reference.Machine]) -> None:
    program = [{"flow": [("pause",)]}, {"load": [("const", 2, 2)]}]
    machine = machine_class([0] * 4, program, None)
    machine.enable_pause = False
    machine.run()
    assert machine.cores[0].state == reference.CoreState.STOPPED and machine.cycle == 2


def test_two_cores_run_in_lockstep(machine_class: type[reference.Machine]) -> None:
    program = [{"flow": [("coreid", 1)]}, {"load": [("const", 2, 4)]},
               {"alu": [("+", 3, 1, 2)]}, {"store": [("store", 3, 1)]}]
    machine = execute(machine_class, program, [0] * 8, n_cores=2)
    assert machine.mem[4:6] == [0, 1] and machine.cycle == 4
    assert [core.scratch[1] for core in machine.cores] == [0, 1]


@pytest.mark.parametrize(("bundle", "error"), [
    ({"alu": [("+", 1, 1, 1)] * 13}, AssertionError),
    ({"valu": [("+", 8, 8, 8)] * 7}, AssertionError),
    ({"load": [("const", 1, 1)] * 3}, AssertionError),
    ({"store": [("store", 1, 1)] * 3}, AssertionError),
    ({"flow": [("coreid", 1), ("coreid", 2)]}, AssertionError),
    ({"alu": [("nand", 1, 1, 1)]}, NotImplementedError),
    ({"valu": [("nand", 8, 8, 8)]}, NotImplementedError),
    ({"load": [("peek", 1, 1)]}, NotImplementedError),
    ({"store": [("poke", 1, 1)]}, NotImplementedError),
    ({"flow": [("teleport", 1)]}, NotImplementedError),
])
def test_invalid_bundles_fail(machine_class: type[reference.Machine], bundle: dict,
                              error: type[Exception]) -> None:
    with pytest.raises(error):
        execute(machine_class, [bundle])


def test_unknown_engine_fails(machine_class: type[reference.Machine]) -> None:
    with pytest.raises(KeyError):
        execute(machine_class, [{"gpu": []}])


def test_an_invalid_bundle_that_never_runs_is_harmless(
        machine_class: type[reference.Machine]) -> None:
    program = [{"flow": [("halt",)]}, {"alu": [("nand", 1, 1, 1)] * 20}]
    assert execute(machine_class, program).cycle == 1


@pytest.mark.parametrize("op", ["//", "%", "cdiv"])
def test_division_by_zero_fails(machine_class: type[reference.Machine], op: str) -> None:
    with pytest.raises(ZeroDivisionError):
        execute(machine_class, [*consts((1, 5)), {"alu": [(op, 2, 1, 0)]}])


def test_valu_division_by_zero_fails(machine_class: type[reference.Machine]) -> None:
    with pytest.raises(ZeroDivisionError):
        execute(machine_class, [*consts((1, 5)), {"valu": [("//", 8, 0, 16)]}])


@pytest.mark.parametrize("bundle", [
    {"store": [("store", 1, 2)]},
    {"store": [("vstore", 3, 2)]},
    {"load": [("vload", 8, 3)]},
    {"load": [("load", 8, 1)]},
])
def test_memory_access_past_the_end_fails(machine_class: type[reference.Machine],
                                          bundle: dict) -> None:
    with pytest.raises(IndexError):
        execute(machine_class, [*consts((1, 16), (3, 12)), bundle], [0] * 16)


def test_an_error_leaves_pc_past_the_failing_bundle(machine_class: type[reference.Machine]) -> None:
    machine = machine_class([0] * 4, [*consts((1, 5)), {"alu": [("+", 2, 1, 1)]},
                                      {"alu": [("//", 3, 1, 0)]}], None)
    with pytest.raises(ZeroDivisionError):
        machine.run()
    assert machine.cycle == 2 and machine.cores[0].pc == 3


def test_shift_by_a_huge_count_is_quick(machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, WORD - 1), (2, WORD - 1))] + [{"alu": [("<<", 3, 1, 2)] * 12}] * 50
    started = time.perf_counter()
    machine = execute(machine_class, program)
    assert machine.cores[0].scratch[3] == 0
    assert time.perf_counter() - started < 1.0


def test_debug_compare_checks_and_names_what_differs(
        machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, 7)), {"debug": [("compare", 1, ("round", 0, "val"))]}]
    execute(machine_class, program, debug=True, value_trace={("round", 0, "val"): 7})
    with pytest.raises(AssertionError) as failure:
        execute(machine_class, program, debug=True, value_trace={("round", 0, "val"): 8})
    message = str(failure.value)
    assert "7" in message and "8" in message and "('round', 0, 'val')" in message
    assert "pc 1" in message
    execute(machine_class, program, debug=False, value_trace={("round", 0, "val"): 8})


def test_debug_vcompare(machine_class: type[reference.Machine]) -> None:
    program = [*consts((1, 3)), {"valu": [("vbroadcast", 8, 1)]},
               {"debug": [("vcompare", 8, [("k", i) for i in range(8)])]}]
    execute(machine_class, program, debug=True, value_trace={("k", i): 3 for i in range(8)})
    wrong = {("k", i): 3 for i in range(8)} | {("k", 5): 4}
    with pytest.raises(AssertionError, match="pc 2"):
        execute(machine_class, program, debug=True, value_trace=wrong)


def test_trace_file(machine_class: type[reference.Machine], tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    program = [*consts((1, 2), (2, 3)), {"alu": [("+", 3, 1, 2), ("*", 4, 1, 2)]},
               {"debug": [("comment", "x")]}]
    debug_info = reference.DebugInfo({3: ("total", 1), 4: ("product", 1)})
    machine = machine_class([0] * 4, program, debug_info, trace=True)
    machine.run()
    events = json.loads((tmp_path / "trace.json").read_text())["traceEvents"]
    names = {e["args"]["name"] for e in events if e["ph"] == "M"}
    assert {"alu-0", "alu-11", "valu-5", "load-1", "store-1", "flow-0", "total"} <= names
    slots = [(e["cat"], e["name"], e["ts"]) for e in events if e["ph"] == "X" and "cat" in e
             and e["cat"] != "scratch"]
    assert slots == [("load", "const", 0), ("load", "const", 0), ("alu", "+", 1), ("alu", "*", 1)]
    changes = [e["name"] for e in events if e.get("cat") == "scratch"]
    assert changes == ["total = 5", "product = 6"]


def test_out_of_range_memory_words_behave_like_the_reference() -> None:
    program: list[dict[str, Any]] = [*consts((1, 0), (2, 1)), {"load": [("load", 3, 1)]},
                                     {"alu": [("^", 4, 3, 2), ("+", 5, 3, 2)]}]
    results = [execute(machine, program, [2**40 + 6, 0]).cores[0].scratch[3:6]
               for machine in MACHINES.values()]
    assert results[0] == results[1] == [2**40 + 6, 7, 7]  # loads copy, arithmetic reduces


def test_a_negative_pc_indexes_from_the_end(machine_class: type[reference.Machine]) -> None:
    """Like Python list indexing: pc -2 runs the second-to-last bundle, then pc -1 the last."""
    program = [{"flow": [("jump", -2)]}, {"load": [("const", 1, 9)]}, {"flow": [("halt",)]}]
    machine = execute(machine_class, program)
    assert machine.cores[0].scratch[1] == 9 and machine.cores[0].pc == 0 and machine.cycle == 3
