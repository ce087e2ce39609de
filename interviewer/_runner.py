"""Run the candidate's code for ``/run`` and ``/submit``, in the sandbox.

The results become a ``TestsRan`` event, so the engine stays pure and a replay
shows the same results without running anything again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ._events import TestOutcome
from ._model import Question


@dataclass(frozen=True)
class RunResult:
    """What a test run produced, before it is stamped with a time."""

    verdict: str
    detail: str
    outcomes: tuple[TestOutcome, ...]
    measures: Mapping[str, float] = field(default_factory=dict)


class Runner(Protocol):
    def run_examples(self, question: Question, workspace: Path) -> RunResult:
        """The public examples of QUESTION.md."""
        ...

    def run_hidden(self, question: Question, workspace: Path, level: int) -> RunResult:
        """The hidden tests of ``level`` and every level before it."""
        ...


class SandboxRunner:
    """Runs tests in a child process with the question's limits."""

    def run_examples(self, question: Question, workspace: Path) -> RunResult:
        return self._run(question, workspace, [question.folder / question.examples])

    def run_hidden(self, question: Question, workspace: Path, level: int, *,
                   fail_fast: bool = False) -> RunResult:
        files = [question.folder / lv.tests for lv in question.levels if lv.id <= level]
        return self._run(question, workspace, files, fail_fast)

    def _run(self, question: Question, workspace: Path, files: list[Path],
             fail_fast: bool = False) -> RunResult:
        from ._sandbox import Limits
        from ._testrun import run_tests

        limits = Limits(**vars(question.limits)) if question.limits else Limits()
        report = run_tests(workspace, files, entry=question.entry, limits=limits,
                           fail_fast=fail_fast)
        outcomes = tuple(
            TestOutcome(_short_name(r.id), r.level, r.outcome, r.message) for r in report.results
        )
        return RunResult(report.verdict, report.detail, outcomes, dict(report.measures))


def _short_name(test_id: str) -> str:
    """``test_level1.py::test_get_missing`` -> ``test_get_missing``."""
    return test_id.rsplit("::", 1)[-1]
