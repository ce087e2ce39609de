"""``interviewer validate``: every problem of one question folder or a whole bank.

The built-in bank is its questions and its behavioural prompts; a folder of
prompt files (``behavioral/``) is validated as a behavioural bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._loader import SCRIPT, inspect_folder, question_folders
from ._paths import bank_root, behavioral_root
from ._problems import Problem
from ._standard import check_behaviour, check_standard


@dataclass
class ValidationReport:
    checked: int = 0
    prompts: int = 0                  # behavioural prompt files checked
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _as_errors(problems: list[Problem]) -> list[Problem]:
    return [Problem(p.path, p.line, p.message, "error") for p in problems]


def validate_folder(folder: Path, strict: bool = False) -> list[Problem]:
    """Problems of one question folder; with ``strict``, standard shortfalls are errors."""
    files, problems = inspect_folder(folder)
    if files is None or any(p.severity == "error" for p in problems):
        return problems
    standard = check_standard(files)
    if not strict:
        return problems + standard
    return problems + _as_errors(standard) + check_behaviour(files)


def _is_behavioral(root: Path) -> bool:
    """A folder of prompt files rather than of question folders."""
    return (root.is_dir() and not (root / SCRIPT).is_file() and not question_folders(root)
            and any(root.glob("*.yaml")))


def validate_path(path: Path | None, strict: bool = False) -> ValidationReport:
    """Validate a question folder, every question folder under a bank folder, or a
    behavioural bank; with no path, the built-in questions and behavioural prompts."""
    root = Path(path) if path is not None else bank_root()
    report = ValidationReport()
    if path is None or _is_behavioral(root):
        from ._behavioral_bank import validate_behavioral

        report.prompts, found = validate_behavioral(root if path else behavioral_root(), strict)
        report.problems.extend(found)
        if path is not None:
            return report
    if (root / SCRIPT).is_file():
        folders = [root]
    else:
        folders = question_folders(root)
        if not folders:
            report.problems.append(Problem(root, 1, "no question folders (NN-name) here"))
    for folder in folders:
        report.checked += 1
        report.problems.extend(validate_folder(folder, strict))
    return report
