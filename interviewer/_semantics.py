"""Checks that a schema cannot express: files that must exist, ids that must
resolve, levels that must be numbered 1..n, hints that must not be code.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from ._problems import Problem
from ._yaml import LocatedYaml

if TYPE_CHECKING:
    from ._loader import QuestionFiles

# Lines that read as Python rather than prose or pseudocode.
_CODE_LINE = re.compile(
    r"^\s*(def |class |import |from \S+ import |return\b|lambda\b|for \w+ in .*:$|if .*:$)"
    r"|self\.\w+|\w\.\w+\(.*\)|```"
)


def looks_like_code(text: str) -> bool:
    """Whether a hint reads as pasteable Python (hints must nudge, not solve)."""
    return any(_CODE_LINE.search(line) for line in text.splitlines())


def _duplicates(located: LocatedYaml, items: list[dict[str, Any]], where: tuple) -> list[Problem]:
    counts = Counter(item.get("id") for item in items)
    return [
        located.problem((*where, index, "id"), f"duplicate id '{item['id']}'")
        for index, item in enumerate(items)
        if counts[item.get("id")] > 1
    ]


def _check_files(files: QuestionFiles) -> list[Problem]:
    script, folder = files.script, files.folder
    data = script.data
    problems = []
    if not folder.name.startswith(f"{data['id']}-"):
        problems.append(script.problem(("id",), f"folder '{folder.name}' should start with "
                                                 f"'{data['id']}-'"))
    if not (folder / "QUESTION.md").is_file():
        problems.append(Problem(folder / "QUESTION.md", 1, "missing file QUESTION.md"))
    for key, default in (("starter", "starter.py"), ("examples", "examples.py")):
        name = data.get(key, default)
        if not (folder / name).is_file():
            problems.append(script.problem((key,), f"{key} file '{name}' does not exist"))
    return problems


def _check_levels(script: LocatedYaml) -> list[Problem]:
    levels = script.data["levels"]
    problems = []
    for index, level in enumerate(levels):
        if level["id"] != index + 1:
            problems.append(script.problem(("levels", index, "id"),
                                           f"levels must be numbered 1..n; found {level['id']} "
                                           f"at position {index + 1}"))
        if not (script.path.parent / level["tests"]).is_file():
            problems.append(script.problem(("levels", index, "tests"),
                                           f"test file '{level['tests']}' does not exist"))
    return problems


def _check_hints(script: LocatedYaml) -> list[Problem]:
    level_ids = {level["id"] for level in script.data["levels"]}
    problems = []
    for index, hint in enumerate(script.data["hints"]):
        if hint["level"] not in level_ids:
            problems.append(script.problem(("hints", index, "level"),
                                           f"hint refers to level {hint['level']}, which does "
                                           "not exist"))
        if looks_like_code(hint["text"]):
            problems.append(script.problem(("hints", index, "text"),
                                           "hint reads like code; hints are prose or pseudocode"))
    return problems


def _check_followups(files: QuestionFiles) -> list[Problem]:
    located = files.followups
    level_ids = {level["id"] for level in files.script.data["levels"]}
    problems = _duplicates(located, located.data, ())
    for index, followup in enumerate(located.data):
        after = followup.get("after", "implement")
        if after.startswith("level-") and int(after[6:]) not in level_ids:
            problems.append(located.problem((index, "after"),
                                            f"follow-up waits for {after}, which does not exist"))
    return problems


def _check_rubric(files: QuestionFiles) -> list[Problem]:
    located = files.rubric
    items = located.data["items"]
    level_ids = {level["id"] for level in files.script.data["levels"]}
    problems = _duplicates(located, items, ("items",))
    core = located.data.get("core")
    known = {item["id"] for item in items}
    for index, core_id in enumerate([core] if isinstance(core, str) else core or []):
        if core_id not in known:
            where = ("core",) if isinstance(core, str) else ("core", index)
            problems.append(located.problem(where, f"core item '{core_id}' is not a rubric item"))
    for index, item in enumerate(items):
        tests = item["evidence"].get("tests")
        if not tests:
            continue
        where = ("items", index, "evidence", "tests")
        if "level" in tests and tests["level"] not in level_ids:
            problems.append(located.problem((*where, "level"),
                                            f"evidence names level {tests['level']}, which does "
                                            "not exist"))
        if "file" in tests and not (files.folder / tests["file"]).is_file():
            problems.append(located.problem((*where, "file"),
                                            f"evidence file '{tests['file']}' does not exist"))
    bands = located.data.get("bands", {})
    order = [bands[k] for k in ("strong-hire", "hire", "lean-hire", "lean-no-hire") if k in bands]
    if order != sorted(order, reverse=True):
        problems.append(located.problem(("bands",), "grade bands must fall from strong-hire "
                                                    "to lean-no-hire"))
    return problems


def check_semantics(files: QuestionFiles) -> list[Problem]:
    """Every cross-reference and file problem in a schema-valid question."""
    script = files.script
    return [
        *_check_files(files),
        *_check_levels(script),
        *_duplicates(script, script.data["clarifications"], ("clarifications",)),
        *_check_hints(script),
        *_check_followups(files),
        *_check_rubric(files),
    ]
