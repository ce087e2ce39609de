"""Problems found in question data, reported as ``path:line: message``.

Editors and CI both understand that shape, so an author can jump straight to
the line. A problem is data, not an exception: loading collects them all and
a broken question does not stop the others from loading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a question file."""

    path: Path
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}: {tag}{self.message}"


class QuestionError(Exception):
    """Raised when a question folder cannot be turned into a ``Question``."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
