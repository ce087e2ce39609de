"""The take-home machine of question 00: a small simulated VLIW SIMD machine.

Public API:

* :class:`Machine`: the fast machine, a drop-in for the reference ``Machine``.
* :mod:`reference`: the frozen readable machine and problem (the copy scoring trusts).
* :func:`check_workspace`: grade a workspace's kernel (correctness, cycles, thresholds).
* :func:`check_harness`: which frozen harness files a workspace has modified.
* :func:`analyze_workspace`: slot utilisation, resource bound and critical path.
"""

from __future__ import annotations

from . import reference
from .analysis import Analysis, analyze_workspace
from .checker import BASELINE_CYCLES, THRESHOLDS, CheckReport, check_workspace
from .fast_machine import Machine
from .harness_integrity import check_harness

__all__ = [
    "BASELINE_CYCLES",
    "THRESHOLDS",
    "Analysis",
    "CheckReport",
    "Machine",
    "analyze_workspace",
    "check_harness",
    "check_workspace",
    "reference",
]
