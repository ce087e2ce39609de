"""Turn a question folder into ``Question`` and ``InterviewerNotes``.

Loading never raises on bad data: it collects every problem with its line, so
``validate`` can list them all and a broken question leaves the rest of the
bank usable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._model import (
    Clarification,
    FollowUp,
    Hint,
    InterviewerNotes,
    Level,
    Limits,
    Question,
    Rubric,
    RubricItem,
    _frozen,
)
from ._parse_cache import load_checked
from ._paths import bank_root
from ._problems import Problem, QuestionError
from ._semantics import check_semantics
from ._yaml import LocatedYaml

SCRIPT, FOLLOWUPS, RUBRIC = "script.yaml", "_followups.yaml", "_rubric.yaml"
STATEMENT = "QUESTION.md"


@dataclass(frozen=True)
class QuestionFiles:
    """The parsed YAML files of one folder, before they become objects."""

    folder: Path
    script: LocatedYaml
    followups: LocatedYaml
    rubric: LocatedYaml


def _parse(folder: Path) -> QuestionFiles | list[Problem]:
    parsed: dict[str, LocatedYaml] = {}
    problems: list[Problem] = []
    for name, schema in ((SCRIPT, "script"), (FOLLOWUPS, "followups"), (RUBRIC, "rubric")):
        path = folder / name
        if not path.is_file():
            problems.append(Problem(path, 1, f"missing file {name}"))
            continue
        located, found = load_checked(path, schema)
        problems.extend(found)
        if located is not None:
            parsed[name] = located
    if problems:
        return problems
    return QuestionFiles(folder, parsed[SCRIPT], parsed[FOLLOWUPS], parsed[RUBRIC])


def _tuple_of_tuples(groups: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(word) for word in group) for group in groups)


def _build_question(files: QuestionFiles, statement: str) -> Question:
    data: dict[str, Any] = files.script.data
    stuck = data.get("stuck", {})
    return Question(
        id=data["id"],
        title=data["title"],
        category=data["category"],
        formats=tuple(data["formats"]),
        minutes=data["minutes"],
        folder=files.folder,
        statement=statement,
        levels=tuple(Level(**level) for level in data["levels"]),
        clarifications=tuple(
            Clarification(
                id=c["id"],
                examples=tuple(c["examples"]),
                keywords=_tuple_of_tuples(c["keywords"]),
                answer=c["answer"].strip(),
                important=c.get("important", False),
                level=c.get("level"),
            )
            for c in data["clarifications"]
        ),
        hints=tuple(Hint(**{**h, "text": h["text"].strip()}) for h in data["hints"]),
        entry=data.get("entry", "solution.py"),
        starter=data.get("starter", "starter.py"),
        examples=data.get("examples", "examples.py"),
        summary=data.get("summary", ""),
        gating=data.get("gating", "time"),
        synonyms=_frozen({k: tuple(v) for k, v in data.get("synonyms", {}).items()}),
        forbidden_libraries=_frozen({k: str(v).strip() for k, v in
                                     data.get("forbidden_libraries", {}).items()}),
        phases=_frozen(data.get("phases", {})),
        idle_minutes=stuck.get("idle_minutes", 10.0),
        failed_runs=stuck.get("failed_runs", 3),
        limits=Limits(**data.get("limits", {})),
    )


def _as_tuple(value: str | list[str] | None) -> tuple[str, ...]:
    """A single id or a list of ids, as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _build_notes(files: QuestionFiles) -> InterviewerNotes:
    followups = tuple(
        FollowUp(**{**f, "concepts": _tuple_of_tuples(f["concepts"])}) for f in files.followups.data
    )
    rubric_data = files.rubric.data
    rubric = Rubric(
        items=tuple(RubricItem(**item) for item in rubric_data["items"]),
        bands=_frozen(rubric_data.get("bands", {})),
        core=_as_tuple(rubric_data.get("core")),
    )
    return InterviewerNotes(followups=followups, rubric=rubric)


def inspect_folder(folder: Path) -> tuple[QuestionFiles | None, list[Problem]]:
    """Parse and check one folder; the parsed files when they are usable, and every problem."""
    parsed = _parse(folder)
    if isinstance(parsed, list):
        return None, parsed
    return parsed, check_semantics(parsed)


def load_question(folder: Path) -> tuple[Question, InterviewerNotes]:
    """Load one question folder, or raise ``QuestionError`` listing every problem."""
    files, problems = inspect_folder(folder)
    errors = [p for p in problems if p.severity == "error"]
    if files is None or errors:
        raise QuestionError(errors or problems)
    statement = (folder / STATEMENT).read_text(encoding="utf-8")
    return _build_question(files, statement), _build_notes(files)


@dataclass
class Bank:
    """The loaded questions of a folder, and the problems of those that failed to load."""

    root: Path
    questions: dict[str, Question] = field(default_factory=dict)
    notes: dict[str, InterviewerNotes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, question_id: str) -> Question:
        """The question with this id; ``KeyError`` with the known ids when there is none."""
        key = question_id.zfill(2) if question_id.isdigit() else question_id
        if key not in self.questions:
            known = ", ".join(self.questions) or "none"
            raise KeyError(f"no question '{question_id}' (known: {known})")
        return self.questions[key]

    def for_format(self, format_name: str) -> list[Question]:
        return [q for q in self.questions.values() if format_name in q.formats]

    def __iter__(self):
        return iter(self.questions.values())

    def __len__(self) -> int:
        return len(self.questions)


def question_folders(root: Path) -> list[Path]:
    """Folders under ``root`` that hold a question (named ``NN-slug``)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name[:2].isdigit())


def load_bank(root: Path | str | None = None, *, only: str | None = None) -> Bank:
    """Load every question under ``root`` (default: the built-in bank).

    ``only`` names one question id: its folder (``NN-slug``) alone is loaded, which
    is all a session started with ``--question`` needs. When no folder carries that
    prefix the whole bank is loaded, so a question is never missed for its folder name.
    """
    folder = Path(root) if root is not None else bank_root()
    bank = Bank(root=folder)
    if not folder.is_dir():
        bank.problems.append(Problem(folder, 1, "question folder does not exist"))
        return bank
    folders = question_folders(folder)
    key = only.zfill(2) if only and only.isdigit() else only
    chosen = [f for f in folders if key and f.name.split("-", 1)[0] == key]
    for question_folder in chosen or folders:
        try:
            question, notes = load_question(question_folder)
        except QuestionError as error:
            bank.problems.extend(error.problems)
            continue
        if question.id in bank.questions:
            bank.problems.append(Problem(question_folder / SCRIPT, 1,
                                         f"duplicate question id {question.id}"))
            continue
        bank.questions[question.id] = question
        bank.notes[question.id] = notes
    bank.questions = dict(sorted(bank.questions.items()))
    return bank
