"""What /run checks: the kernel of the workspace on two seeded problems, and its cycles.

The same as ``python tests/submission_tests.py`` in the workspace, on the
package's frozen machine and with fixed seeds so that the numbers repeat.
"""

from pathlib import Path

import pytest

from interviewer.takehome.checker import THRESHOLDS, check_workspace

RUNS = 2
SEED = 123


@pytest.fixture(scope="module")
def report():
    return check_workspace(Path.cwd(), runs=RUNS, seed=SEED)


@pytest.mark.parametrize("run", range(RUNS), ids=lambda run: f"problem_{run + 1}")
def test_correct_on_a_seeded_problem(report, run):
    assert report.error is None, report.error
    outcome = report.runs[run]
    assert outcome.error is None, outcome.error
    assert outcome.correct, "the output values differ from the reference kernel's"


@pytest.mark.parametrize("threshold", THRESHOLDS, ids=lambda t: f"{t}")
def test_fewer_cycles_than(report, threshold):
    assert report.correct, "a wrong result counts as twice the starter's cycles"
    assert report.cycles < threshold, f"{report.cycles} cycles"


def test_cycles_are_recorded(report, measure):
    assert report.correct, "a wrong result has no cycle count"
    measure("cycles", report.cycles)
