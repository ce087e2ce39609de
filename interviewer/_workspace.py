"""The candidate's workspace: a folder holding the starter, and what changed in it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ._model import Question
from ._paths import takehome_root


class WorkspaceError(Exception):
    """The workspace cannot be created or used; the message says where and why."""


def prepare_workspace(question: Question, folder: Path) -> Path:
    """Create ``folder`` with the question's starter; keep a candidate's existing file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if question.category == "takehome":
            _copy_takehome(folder)
            return folder
        target = folder / question.entry
        if not target.exists():
            shutil.copyfile(question.folder / question.starter, target)
    except OSError as error:
        raise WorkspaceError(f"cannot prepare the workspace at {folder}: "
                             f"{error.strerror or error}") from None
    return folder


def _copy_takehome(folder: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "trace.json")
    shutil.copytree(takehome_root(), folder, dirs_exist_ok=True, ignore=ignore)


def entry_digest(question: Question, folder: Path) -> str:
    """SHA-256 of the entry file, or ``missing``: how the interviewer notices edits."""
    try:
        return hashlib.sha256((folder / question.entry).read_bytes()).hexdigest()
    except OSError:
        return "missing"
