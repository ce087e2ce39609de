"""Detect edits to the frozen harness files of a take-home workspace.

The graded harness (``tests/submission_tests.py``) and its frozen machine
(``tests/frozen_problem.py``) must be the shipped ones. Their SHA-256 hashes
are recorded here; a test keeps them in step with the files in ``takehome/``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HARNESS_SHA256: dict[str, str] = {
    "tests/frozen_problem.py": (
        "e50e6a1f8e833aba94d9e7f5ed79ff0710f54b6594d75f4595c870db7101d466"
    ),
    "tests/submission_tests.py": (
        "9e97ee42a6d6845ce9689a6e83d87aa05e2f5470266191386e21c2c92d58466d"
    ),
}
"""Relative path -> SHA-256 of the shipped file."""

HARNESS_DIR = "tests"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def harness_hashes(takehome_dir: Path) -> dict[str, str]:
    """The hashes of the harness files in a take-home folder (to refresh HARNESS_SHA256)."""
    return {name: file_sha256(Path(takehome_dir) / name) for name in sorted(HARNESS_SHA256)}


def check_harness(workspace: Path) -> list[str]:
    """Harness files of a workspace that were modified, deleted or added (sorted paths).

    Added means a Python file in tests/ that was not shipped, which could
    change what the harness imports.
    """
    workspace = Path(workspace)
    changed = []
    for name, expected in HARNESS_SHA256.items():
        path = workspace / name
        if not path.is_file() or file_sha256(path) != expected:
            changed.append(name)
    tests_dir = workspace / HARNESS_DIR
    if tests_dir.is_dir():
        for path in tests_dir.rglob("*.py"):
            name = path.relative_to(workspace).as_posix()
            if name not in HARNESS_SHA256 and "__pycache__" not in path.parts:
                changed.append(name)
    return sorted(changed)


def takehome_source_dir() -> Path:
    """Where the shipped take-home lives: the installed bank, or takehome/ in a checkout."""
    package_root = Path(__file__).resolve().parent.parent
    bank = package_root / "_bank" / "takehome"
    if bank.is_dir():
        return bank
    return package_root.parent / "takehome"
