"""Helpers shared by the take-home tests: vectors, machines, workspaces and hashing."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

from interviewer.takehome import fast_machine, reference

REPO = Path(__file__).resolve().parents[2]
TAKEHOME = REPO / "takehome"
#: Question 00's strong reference: a vectorised kernel, never shipped to candidates.
VECTOR_KERNEL = REPO / "tests" / "reference" / "00" / "strong.py"
VECTORS = REPO / "tests" / "data" / "takehome" / "vectors.jsonl.gz"
MACHINES: dict[str, type[reference.Machine]] = {
    "readable": reference.Machine,
    "fast": fast_machine.Machine,
}
MAX_RUNS = 1000


def words_hash(words: list[int]) -> str:
    """The vectors' hash of a list of words."""
    return hashlib.sha256(",".join(str(w) for w in words).encode()).hexdigest()


@cache
def vectors() -> tuple[dict[str, Any], ...]:
    """Every golden vector, in file order."""
    with gzip.open(VECTORS, "rt", encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle)


def vectors_of_kind(kind: str) -> list[dict[str, Any]]:
    """The vectors of one kind ("program" or "problem")."""
    return [vector for vector in vectors() if vector["kind"] == kind]


def as_program(bundles: list[dict[str, list[list[Any]]]]) -> list[dict[str, list[tuple]]]:
    """JSON bundles with slots as tuples, as kernels build them."""
    return [{engine: [tuple(slot) for slot in slots] for engine, slots in b.items()}
            for b in bundles]


def run_until_stopped(machine: reference.Machine) -> int:
    """Call run() until every core is STOPPED (at most MAX_RUNS calls); return the calls."""
    runs = 0
    while runs < MAX_RUNS and any(
        core.state != reference.CoreState.STOPPED for core in machine.cores
    ):
        machine.run()
        runs += 1
    return runs


def outcome(machine_class: type[reference.Machine], mem: list[int], program: list[Any],
            pause: bool = False, debug: bool = False) -> dict[str, Any]:
    """Run a program as the vectors do and summarise the result like their expect field."""
    machine = machine_class(mem, program, None)
    machine.enable_debug = debug
    machine.enable_pause = pause
    try:
        runs = run_until_stopped(machine)
    except Exception as error:
        return {"error": type(error).__name__, "message": str(error)}
    core = machine.cores[0]
    return {
        "cycles": machine.cycle,
        "runs": runs,
        "mem": words_hash(machine.mem),
        "scratch": words_hash(core.scratch),
        "trace_buf": words_hash(core.trace_buf),
        "pc": core.pc,
    }


def make_workspace(tmp_path: Path, kernel: Path | None = None) -> Path:
    """A copy of the shipped take-home, optionally with perf_takehome.py replaced by kernel."""
    workspace = tmp_path / "workspace"
    shutil.copytree(TAKEHOME, workspace, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if kernel is not None:
        shutil.copyfile(kernel, workspace / "perf_takehome.py")
    return workspace


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python that can import the package from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("TAKEHOME_MACHINE", None)
    env.update(extra)
    return env


PYTHON = sys.executable
