"""Load a candidate's KernelBuilder from a take-home workspace and build the kernel.

A workspace is a folder holding ``perf_takehome.py`` (and usually the
candidate's ``problem.py``, which perf_takehome imports). Loading must not
leak between workspaces, so the modules named ``perf_takehome`` and
``problem`` are removed from ``sys.modules`` before and after, and anything
the candidate's code prints is captured instead of reaching the terminal.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CANDIDATE_MODULES = ("perf_takehome", "problem")
FULL_SIZE = (10, 16, 256)
"""(forest height, rounds, batch size) of the graded problem."""


@dataclass
class BuiltKernel:
    """A built program and what building it printed."""

    instrs: list[Any]
    debug_info: Any
    output: str


def n_nodes_for(forest_height: int) -> int:
    """Number of nodes of a perfect tree of this height."""
    return 2 ** (forest_height + 1) - 1


@contextlib.contextmanager
def candidate_import_path(workspace: Path):  # type: ignore[no-untyped-def]
    """Make the workspace importable for the duration, then restore sys.path and sys.modules."""
    saved = {name: sys.modules.pop(name) for name in CANDIDATE_MODULES if name in sys.modules}
    sys.path.insert(0, str(workspace))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(workspace))
        for name in CANDIDATE_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def build_workspace_kernel(
    workspace: Path, forest_height: int, rounds: int, batch_size: int
) -> BuiltKernel:
    """Import the workspace's perf_takehome and build its kernel for the given size."""
    workspace = Path(workspace).resolve()
    if not (workspace / "perf_takehome.py").is_file():
        raise FileNotFoundError(f"no perf_takehome.py in {workspace}")
    captured = io.StringIO()
    with candidate_import_path(workspace), contextlib.redirect_stdout(captured):
        module = importlib.import_module("perf_takehome")
        builder = module.KernelBuilder()
        builder.build_kernel(forest_height, n_nodes_for(forest_height), batch_size, rounds)
        debug_info = builder.debug_info()
    return BuiltKernel(builder.instrs, debug_info, captured.getvalue())
