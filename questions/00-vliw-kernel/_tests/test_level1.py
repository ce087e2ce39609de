"""Hidden check of the take-home: the frozen harness, correctness on eight problems, cycles.

The kernel is built from the workspace (the sandbox's working folder) and run
on the package's own machine and problem generator, never the workspace's
copies, so editing problem.py changes nothing here. The problems are seeded,
so the same kernel always gets the same verdict, and the seeds are not the
public ones.

Thresholds down to 1790 cycles (about the best human result in two hours) are
tests a strong kernel passes; the record-level ones below it are rewarded by
the rubric's cycle bands and shown by /run, not required here.
"""

from pathlib import Path

import pytest

from interviewer.takehome.checker import THRESHOLDS, check_workspace

GRADED = tuple(t for t in THRESHOLDS if t >= 1790)

RUNS = 8
SEED = 52_117


@pytest.fixture(scope="module")
def report():
    return check_workspace(Path.cwd(), runs=RUNS, seed=SEED)


def test_harness_folder_is_unchanged(report):
    assert not report.harness_modified, f"modified: {', '.join(report.harness_modified)}"


def test_kernel_builds(report):
    assert report.error is None, report.error


@pytest.mark.parametrize("run", range(RUNS), ids=lambda run: f"problem_{run + 1}")
def test_correct_on_a_fresh_problem(report, run):
    assert report.error is None, report.error
    outcome = report.runs[run]
    assert outcome.error is None, outcome.error
    assert outcome.correct, "the output values differ from the reference kernel's"


@pytest.mark.parametrize("threshold", GRADED, ids=lambda t: f"{t}")
def test_fewer_cycles_than(report, threshold):
    assert report.correct, "a wrong result counts as twice the starter's cycles"
    assert report.cycles < threshold, f"{report.cycles} cycles"


def test_cycles_are_recorded(report, measure):
    assert report.correct, "a wrong result has no cycle count"
    measure("cycles", report.cycles)
    for use in report.utilisation:
        measure(f"{use.engine} utilisation %", round(100 * use.utilisation, 1))
