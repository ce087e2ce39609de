"""Shared fixtures: banks, a manual clock, and helpers to build events."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Parsed question files are cached per user; the tests keep theirs apart.
os.environ.setdefault("INTERVIEWER_CACHE_DIR", tempfile.mkdtemp(prefix="interviewer-cache-"))

from interviewer import ManualClock, load_bank
from interviewer._events import TestOutcome, TestsRan

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_bank():
    """A tiny, stable bank (one two-level question) for engine behaviour."""
    bank = load_bank(FIXTURES / "bank")
    assert not bank.problems, bank.problems
    return bank


@pytest.fixture(scope="session")
def bank():
    """The built-in bank."""
    return load_bank()


@pytest.fixture
def clock():
    return ManualClock()


def submission(at: float, level: int, results: dict[int, tuple[int, int]]) -> TestsRan:
    """A /submit result with ``passed`` of ``total`` tests per level."""
    outcomes = []
    for lv, (passed, total) in results.items():
        outcomes += [TestOutcome(f"test_l{lv}_{i}", lv, "pass" if i < passed else "fail")
                     for i in range(total)]
    return TestsRan(at, kind="submit", level=level, outcomes=tuple(outcomes))
