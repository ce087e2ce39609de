"""The starter's cycle count, the graded harness, the checker and harness integrity."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from interviewer.takehome import (
    BASELINE_CYCLES,
    THRESHOLDS,
    check_harness,
    check_workspace,
    fast_machine,
    reference,
)
from interviewer.takehome.harness_integrity import HARNESS_SHA256, harness_hashes
from interviewer.takehome.workspace_kernel import build_workspace_kernel

from .support import PYTHON, REPO, TAKEHOME, VECTOR_KERNEL, child_env, make_workspace

FRAGMENT = (4, 3, 16)  # forest height, rounds, batch: small problems for quick checks


@pytest.fixture(scope="module")
def starter_full_size() -> list:
    """The shipped starter's program at full size (built once for the module)."""
    return build_workspace_kernel(TAKEHOME, 10, 16, 256).instrs


def test_the_starter_takes_the_public_cycle_count(starter_full_size: list) -> None:
    random.seed(2024)
    forest = reference.Tree.generate(10)
    inp = reference.Input.generate(forest, 256, 16)
    mem = reference.build_mem_image(forest, inp)
    machine = fast_machine.Machine(mem, starter_full_size, None)
    machine.enable_pause = False
    machine.enable_debug = False
    machine.run()
    assert machine.cycle == BASELINE_CYCLES == 147734
    *_, final = reference.reference_kernel2(mem)
    assert machine.mem == final


def test_the_starter_has_one_slot_per_bundle(starter_full_size: list) -> None:
    assert all(sum(len(slots) for slots in bundle.values()) == 1 for bundle in starter_full_size)


def test_the_starters_local_test_passes_with_debug_checks(tmp_path: Path) -> None:
    """perf_takehome's own do_kernel_test: pauses, debug compares, reference comparison."""
    code = ("import perf_takehome as p; import sys; "
            "sys.exit(0 if p.do_kernel_test(4, 3, 16) == 1768 else 1)")
    result = subprocess.run([PYTHON, "-c", code], cwd=TAKEHOME, capture_output=True, text=True,
                            env=child_env(), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CYCLES: 1768" in result.stdout


def run_harness(workspace: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "tests/submission_tests.py"], cwd=workspace,
                          capture_output=True, text=True, env=child_env(**env), timeout=120)


def threshold_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if "threshold" in line]


def test_the_harness_grades_the_starter(tmp_path: Path) -> None:
    """The shipped take-home as is: correct, 147734 cycles, every threshold failed."""
    result = run_harness(make_workspace(tmp_path))
    assert result.returncode == 1
    assert "PASS  correctness" in result.stdout
    lines = threshold_lines(result.stdout)
    assert [line.split("threshold")[1].split("cycles:")[0].strip() for line in lines] == [
        str(threshold) for threshold in THRESHOLDS]
    assert all(line.startswith("FAIL") and "147734 cycles, 1.00x" in line for line in lines)


def test_the_harness_grades_a_vectorised_kernel(tmp_path: Path) -> None:
    """A public-style kernel file runs unchanged through the harness, on the fast machine."""
    workspace = make_workspace(tmp_path, VECTOR_KERNEL)
    result = run_harness(workspace)
    lines = threshold_lines(result.stdout)
    assert len(lines) == len(THRESHOLDS)
    assert "PASS  correctness" in result.stdout and "fast (interviewer package)" in result.stdout
    cycles = int(lines[0].split("cycles:")[1].split()[0])
    assert cycles < 2164
    passed = [threshold for threshold in THRESHOLDS if cycles < threshold]
    assert sum(line.startswith("PASS") for line in lines) == len(passed)
    assert f"{BASELINE_CYCLES / cycles:.2f}x" in lines[0]
    assert result.returncode == (0 if len(passed) == len(THRESHOLDS) else 1)


def test_the_harness_falls_back_to_the_frozen_copy(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path, VECTOR_KERNEL)
    result = run_harness(workspace, TAKEHOME_MACHINE="readable")
    assert "readable (frozen copy)" in result.stdout
    assert len(threshold_lines(result.stdout)) == len(THRESHOLDS)


def test_a_wrong_kernel_costs_twice_the_starter(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path, VECTOR_KERNEL)
    kernel = workspace / "perf_takehome.py"
    kernel.write_text(kernel.read_text().replace('self.valu("^", val, val, node)',
                                                 'self.valu("+", val, val, node)'))
    result = run_harness(workspace)
    assert result.returncode == 1
    assert "FAIL  correctness" in result.stdout
    assert all(f"{2 * BASELINE_CYCLES} cycles" in line for line in threshold_lines(result.stdout))


def test_the_checker_grades_a_vectorised_kernel(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path, VECTOR_KERNEL)
    report = check_workspace(workspace, runs=2, seed=5)
    assert report.correct and report.error is None
    assert [run.seed for run in report.runs] == [5, 6]
    assert report.cycles < 2164 and report.speedup == BASELINE_CYCLES / report.cycles
    assert report.thresholds["2164"] and not report.thresholds["1363"]
    assert report.thresholds_passed == sum(report.cycles < t for t in THRESHOLDS)
    uses = {use.engine: use for use in report.utilisation}
    assert uses["valu"].slots_used > 8000 and uses["load"].utilisation > 0.5
    assert report.busiest_engine in ("load", "valu")
    assert report.harness_modified == []


def test_the_checker_command_prints_one_json_document(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path, VECTOR_KERNEL)
    height, rounds, batch = FRAGMENT
    result = subprocess.run(
        [PYTHON, "-m", "interviewer.takehome.check", str(workspace), "--json", "--runs", "2",
         "--height", str(height), "--rounds", str(rounds), "--batch", str(batch)],
        capture_output=True, text=True, env=child_env(), timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["correct"] is True and len(document["runs"]) == 2
    assert set(document["utilisation"]) == {"alu", "valu", "load", "store", "flow"}
    assert document["machine"] == "fast"


@pytest.mark.parametrize("machine", ["fast", "readable"])
def test_the_checker_agrees_across_machines(tmp_path: Path, machine: str) -> None:
    workspace = make_workspace(tmp_path)
    report = check_workspace(workspace, runs=1, seed=3, machine=machine,
                             forest_height=4, rounds=3, batch_size=16)
    assert report.correct and report.cycles == 1768
    assert [use.slots_used for use in report.utilisation] == [1392, 0, 182, 96, 98]


def test_the_checker_reports_a_broken_kernel(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    (workspace / "perf_takehome.py").write_text("raise RuntimeError('unfinished')\n")
    report = check_workspace(workspace, runs=1)
    assert not report.correct and "unfinished" in (report.error or "")
    assert report.cycles == 2 * BASELINE_CYCLES and report.thresholds_passed == 0


def test_the_checker_reports_a_crashing_program(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    (workspace / "perf_takehome.py").write_text(
        "class KernelBuilder:\n"
        "    def __init__(self):\n        self.instrs = []\n"
        "    def debug_info(self):\n        return None\n"
        "    def build_kernel(self, h, n, b, r):\n"
        "        self.instrs = [{'alu': [('//', 0, 0, 1)]}]\n")
    report = check_workspace(workspace, runs=1, forest_height=2, rounds=1, batch_size=8)
    assert not report.correct and "ZeroDivisionError" in (report.runs[0].error or "")


def test_the_checker_does_not_leak_candidate_modules(tmp_path: Path) -> None:
    first = make_workspace(tmp_path / "a")
    second = make_workspace(tmp_path / "b", VECTOR_KERNEL)
    cycles = [check_workspace(ws, runs=1, seed=1, forest_height=4, rounds=3,
                              batch_size=16).cycles for ws in (first, second)]
    assert cycles[0] == 1768 and cycles[1] < 200


def test_shipped_harness_hashes_are_current() -> None:
    current = harness_hashes(TAKEHOME)
    assert current == HARNESS_SHA256, (
        f"the shipped harness changed: set HARNESS_SHA256 in "
        f"interviewer/takehome/harness_integrity.py to {current}")


def test_check_harness_reports_modified_missing_and_added_files(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    assert check_harness(workspace) == []
    (workspace / "perf_takehome.py").write_text("# edited: allowed\n")
    (workspace / "problem.py").write_text("# edited: allowed\n")
    assert check_harness(workspace) == []
    with (workspace / "tests" / "frozen_problem.py").open("a") as handle:
        handle.write("\n# tweak\n")
    (workspace / "tests" / "submission_tests.py").unlink()
    (workspace / "tests" / "sitecustomize.py").write_text("")
    assert check_harness(workspace) == [
        "tests/frozen_problem.py", "tests/sitecustomize.py", "tests/submission_tests.py"]


def test_frozen_copies_are_identical() -> None:
    """problem.py, the harness's frozen copy and the package's reference are one file."""
    problem = (TAKEHOME / "problem.py").read_bytes()
    assert (TAKEHOME / "tests" / "frozen_problem.py").read_bytes() == problem
    assert (REPO / "interviewer" / "takehome" / "reference.py").read_bytes() == problem
