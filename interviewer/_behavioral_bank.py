"""The behavioural bank: one YAML file per prompt, turned into frozen objects.

Like the question bank, loading never raises on bad data. Each file is parsed
with the line of every value, checked against
``schemas/behavioral.schema.json`` and against the few rules a schema cannot
express (the id is the file name, probe ids are unique), and its problems are
kept as ``path:line: message``. A broken file is left out; the others load.

Probes and signals are the interviewer's notes: the engine reveals a probe
only by asking it, and signals only in the feedback report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._parse_cache import load_checked
from ._paths import behavioral_root
from ._problems import Problem
from ._yaml import LocatedYaml

SCHEMA = "behavioral"
STAR_PARTS = ("situation", "task", "action", "result")
#: The gaps of an answer a probe can dig into (a probe's ``targets``).
TARGETS = (*STAR_PARTS, "ownership", "numbers", "reflection")
#: Prompts every built-in bank must carry: the issue names them.
REQUIRED_PROMPTS = ("perf-debugging", "correctness-vs-speed", "unfamiliar-system",
                    "mission-ai-safety", "pushing-back")
MIN_PROMPTS = 15
DEFAULT_MINUTES = 8


@dataclass(frozen=True)
class Probe:
    """A probing follow-up: asked only when the answer lacks one of its ``targets``."""

    id: str
    ask: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class BehavioralPrompt:
    """One behavioural question, its probes and what a strong answer talks about."""

    id: str
    title: str
    theme: str
    ask: str
    probes: tuple[Probe, ...]
    signals: tuple[tuple[str, ...], ...]
    minutes: int = DEFAULT_MINUTES
    #: "story" (a past situation, told in STAR parts) or "motivation" (a "why" question).
    kind: str = "story"

    def probe(self, probe_id: str) -> Probe:
        return next(p for p in self.probes if p.id == probe_id)


@dataclass
class BehavioralBank:
    """The prompts of a folder, by id (sorted), and the problems of the files that failed."""

    root: Path
    prompts: dict[str, BehavioralPrompt] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, prompt_id: str) -> BehavioralPrompt:
        """The prompt with this id; ``KeyError`` naming the known ids when there is none."""
        if prompt_id not in self.prompts:
            known = ", ".join(self.prompts) or "none"
            raise KeyError(f"no behavioural prompt '{prompt_id}' (known: {known})")
        return self.prompts[prompt_id]

    def __contains__(self, prompt_id: object) -> bool:
        return prompt_id in self.prompts

    def __iter__(self) -> Iterator[BehavioralPrompt]:
        return iter(self.prompts.values())

    def __len__(self) -> int:
        return len(self.prompts)


def bank_beside(questions: Path | str | None) -> Path:
    """The behavioural bank that goes with a question bank folder.

    ``behavioral/`` sits beside ``questions/`` in a checkout and in the wheel, so a
    bank chosen with ``--bank`` brings the ``behavioral/`` folder next to it when
    there is one; otherwise the built-in prompts are used.
    """
    if questions is not None:
        sibling = Path(questions).resolve().parent / "behavioral"
        if sibling.is_dir():
            return sibling
    return behavioral_root()


def prompt_files(root: Path) -> list[Path]:
    """The prompt files of a bank folder (``<id>.yaml``), sorted; ``README.md`` is not one."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*.yaml") if p.is_file())


def _semantic_problems(located: LocatedYaml) -> list[Problem]:
    data: dict[str, Any] = located.data
    problems = []
    if data["id"] != located.path.stem:
        problems.append(located.problem(("id",), f"id '{data['id']}' does not match the file "
                                                  f"name '{located.path.name}'"))
    counts = Counter(probe["id"] for probe in data["probes"])
    problems += [located.problem(("probes", index, "id"), f"duplicate probe id '{probe['id']}'")
                 for index, probe in enumerate(data["probes"]) if counts[probe["id"]] > 1]
    return problems


def _build(data: dict[str, Any]) -> BehavioralPrompt:
    return BehavioralPrompt(
        id=data["id"],
        title=data["title"].strip(),
        theme=data["theme"],
        ask=data["ask"].strip(),
        probes=tuple(Probe(p["id"], p["ask"].strip(), tuple(p["targets"]))
                     for p in data["probes"]),
        signals=tuple(tuple(str(word) for word in group) for group in data["signals"]),
        minutes=data.get("minutes", DEFAULT_MINUTES),
        kind=data.get("kind", "story"),
    )


def inspect_prompt(path: Path) -> tuple[BehavioralPrompt | None, list[Problem]]:
    """One prompt file: the prompt when it is usable, and every problem found in it."""
    located, problems = load_checked(path, SCHEMA)
    if located is None or problems:
        return None, problems
    problems = _semantic_problems(located)
    return (None if problems else _build(located.data)), problems


def load_behavioral_bank(root: Path | str | None = None) -> BehavioralBank:
    """Every prompt under ``root`` (default: the built-in bank); broken files in ``problems``."""
    folder = Path(root) if root is not None else behavioral_root()
    bank = BehavioralBank(root=folder)
    if not folder.is_dir():
        bank.problems.append(Problem(folder, 1, "behavioural prompt folder does not exist"))
        return bank
    for path in prompt_files(folder):
        prompt, problems = inspect_prompt(path)
        bank.problems.extend(problems)
        if prompt is not None:
            bank.prompts[prompt.id] = prompt
    bank.prompts = dict(sorted(bank.prompts.items()))
    return bank


def check_standard(bank: BehavioralBank, strict: bool = False) -> list[Problem]:
    """The bank standard: enough prompts, and the required ones present.

    Shortfalls are warnings, as for the question standard; ``strict`` makes them errors.
    """
    severity = "error" if strict else "warning"
    problems = []
    if len(bank) < MIN_PROMPTS:
        problems.append(Problem(bank.root, 1, f"the standard asks for at least {MIN_PROMPTS} "
                                              f"behavioural prompts; found {len(bank)}", severity))
    for prompt_id in REQUIRED_PROMPTS:
        path = bank.root / f"{prompt_id}.yaml"
        if prompt_id not in bank and not path.is_file():   # a broken file is reported already
            problems.append(Problem(path, 1, f"the standard asks for the prompt '{prompt_id}'; "
                                             f"there is no {path.name}", severity))
    return problems


def validate_behavioral(path: Path, strict: bool = False) -> tuple[int, list[Problem]]:
    """(prompt files checked, problems) of a behavioural bank folder or of one prompt file."""
    if path.is_file():
        return 1, inspect_prompt(path)[1]
    bank = load_behavioral_bank(path)
    return len(prompt_files(path)), bank.problems + check_standard(bank, strict)
