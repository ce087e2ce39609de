"""The golden vectors from the public machine, against both of our machines."""

from __future__ import annotations

import random

import pytest

from interviewer.takehome import reference

from .support import MACHINES, as_program, outcome, vectors, vectors_of_kind, words_hash

PROGRAMS = vectors_of_kind("program")
PROBLEMS = vectors_of_kind("problem")
MYHASH_INPUTS = (0, 1, 2**31, 2**32 - 1, 123456789)


def test_the_vector_file_is_complete() -> None:
    """250 lines: a header, 244 programs (4 of them failing) and 5 problems."""
    assert len(vectors()) == 250
    assert vectors()[0]["kind"] == "header"
    assert len(PROGRAMS) == 244
    assert sum("error" in vector["expect"] for vector in PROGRAMS) == 4
    assert len(PROBLEMS) == 5


@pytest.mark.parametrize("machine", sorted(MACHINES))
@pytest.mark.parametrize("vector", PROGRAMS, ids=lambda vector: str(vector["id"]))
def test_program_vector(vector: dict, machine: str) -> None:
    """Same cycles, run() calls, pc and final mem/scratch/trace_buf; failing programs fail."""
    got = outcome(MACHINES[machine], vector["mem"], as_program(vector["program"]),
                  pause=vector["pause"])
    expect = vector["expect"]
    if "error" in expect:
        assert "error" in got, f"the public machine raised {expect['error']}"
    else:
        assert got == expect


@pytest.mark.parametrize("vector", PROBLEMS, ids=lambda vector: f"seed{vector['seed']}")
def test_problem_vector(vector: dict) -> None:
    """Seeded generation, the memory image, reference_kernel2 and myhash match the public code."""
    random.seed(vector["seed"])
    forest = reference.Tree.generate(vector["height"])
    inp = reference.Input.generate(forest, vector["batch"], vector["rounds"])
    mem = reference.build_mem_image(forest, inp)
    assert len(mem) == vector["mem_len"]
    assert words_hash(mem) == vector["mem"]
    trace: dict = {}
    *_, final = reference.reference_kernel2(list(mem), trace)
    assert words_hash(final) == vector["final_mem"]
    assert len(trace) == vector["trace_keys"]
    assert [reference.myhash(a) for a in MYHASH_INPUTS] == vector["myhash"]


@pytest.mark.parametrize("vector", PROBLEMS[1:], ids=lambda vector: f"seed{vector['seed']}")
def test_reference_kernel_on_objects_agrees(vector: dict) -> None:
    """reference_kernel (objects) gives the values reference_kernel2 (flat memory) gives."""
    random.seed(vector["seed"])
    forest = reference.Tree.generate(vector["height"])
    inp = reference.Input.generate(forest, vector["batch"], vector["rounds"])
    mem = reference.build_mem_image(forest, inp)
    *_, final = reference.reference_kernel2(mem)
    reference.reference_kernel(forest, inp)
    assert final[final[5] : final[5] + vector["batch"]] == inp.indices
    assert final[final[6] :] == inp.values
