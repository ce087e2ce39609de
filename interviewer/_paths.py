"""Where the built-in question bank, behavioural bank and take-home live.

In a checkout they sit beside the package (``questions/``, ``behavioral/``,
``takehome/``); in an installed wheel they are package data under
``interviewer/_bank/``. Looking in the wheel location first keeps an installed
copy from reaching into whatever folder it happens to be run from.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def bank_root() -> Path:
    """The folder holding the built-in questions."""
    return _first_existing(_PACKAGE / "_bank" / "questions", _PACKAGE.parent / "questions")


def behavioral_root() -> Path:
    """The folder holding the built-in behavioural prompts."""
    return _first_existing(_PACKAGE / "_bank" / "behavioral", _PACKAGE.parent / "behavioral")


def takehome_root() -> Path:
    """The folder holding the candidate-facing take-home files."""
    return _first_existing(_PACKAGE / "_bank" / "takehome", _PACKAGE.parent / "takehome")


def schema_path(name: str) -> Path:
    """A JSON Schema shipped with the package (``script``, ``rubric``, ``behavioral`` ...)."""
    return _PACKAGE / "schemas" / f"{name}.schema.json"
