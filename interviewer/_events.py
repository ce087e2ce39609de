"""Events: everything that happens in a session, as plain data.

A session *is* its event log: the engine folds the events into its state and
replies, so the same events always give the same transcript. Results of side
effects (test runs, workspace changes) are events too, which is what makes a
replay identical without running anything again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

LOG_VERSION = 1


@dataclass(frozen=True)
class Event:
    """Something that happened at ``at`` (seconds since the epoch)."""

    at: float
    type: ClassVar[str] = "event"

    def to_json(self) -> str:
        return json.dumps({"type": self.type, **asdict(self)}, sort_keys=True,
                          ensure_ascii=False)


@dataclass(frozen=True)
class Started(Event):
    """The session begins: which question, format and seed, and where the workspace is.

    A behavioural session has no workspace; ``prompts`` records the prompts it
    planned, in order, so that resume and replay ask the same ones.
    """

    question: str = ""
    format: str = "live"
    seed: int = 0
    workspace: str = ""
    minutes: int = 0
    version: int = LOG_VERSION
    prompts: tuple[str, ...] = ()
    type: ClassVar[str] = "started"


@dataclass(frozen=True)
class Said(Event):
    """The candidate said something in plain English."""

    text: str = ""
    type: ClassVar[str] = "said"


@dataclass(frozen=True)
class Commanded(Event):
    """The candidate typed a slash command (``/hint``, ``/next`` ...)."""

    name: str = ""
    argument: str = ""
    type: ClassVar[str] = "command"


@dataclass(frozen=True)
class TestOutcome:
    """One test's result as the candidate may see it (never its code)."""

    __test__ = False  # not a pytest test class

    name: str
    level: int | None
    outcome: str
    message: str = ""


def format_figure(value: float) -> str:
    """A measured figure as people write it: 147734, not 147734.0 or 1.47734e+05."""
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


@dataclass(frozen=True)
class TestsRan(Event):
    """The result of ``/run`` (public examples) or ``/submit`` (hidden tests up to a level)."""

    kind: str = "run"
    level: int = 1
    verdict: str = "completed"
    detail: str = ""
    outcomes: tuple[TestOutcome, ...] = field(default_factory=tuple)
    #: Deterministic figures the passing tests measured (cycles, misses): the candidate's own.
    measures: dict[str, float] = field(default_factory=dict)
    type: ClassVar[str] = "tests"

    def counts(self, level: int | None = None) -> tuple[int, int]:
        """(passed, total), over all tests or one level's."""
        chosen = [o for o in self.outcomes if level is None or o.level == level]
        return sum(o.outcome == "pass" for o in chosen), len(chosen)

    @property
    def all_passed(self) -> bool:
        passed, total = self.counts()
        return total > 0 and passed == total and self.verdict == "completed"


@dataclass(frozen=True)
class WorkspaceChanged(Event):
    """The candidate's entry file changed (its digest), seen before the next event."""

    digest: str = ""
    #: The language the entry file is written in when it is not Python, else "".
    language: str = ""
    type: ClassVar[str] = "workspace"


@dataclass(frozen=True)
class Ticked(Event):
    """Time passed with nothing said; logged only when it made the interviewer speak."""

    type: ClassVar[str] = "tick"


@dataclass(frozen=True)
class Scored(Event):
    """The feedback report was produced; its summary is part of the transcript."""

    grade: str = ""
    score: float = 0.0
    summary: str = ""
    type: ClassVar[str] = "scored"


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (Started, Said, Commanded, TestsRan, WorkspaceChanged, Ticked, Scored)
}


class LogError(ValueError):
    """A log line that cannot be read back as an event."""


def event_from_json(line: str) -> Event:
    """Parse one log line; ``LogError`` says what is wrong with it."""
    try:
        record: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError as error:
        raise LogError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict) or record.get("type") not in EVENT_TYPES:
        raise LogError(f"unknown event type {record.get('type')!r}"
                       if isinstance(record, dict) else "not an event object")
    cls = EVENT_TYPES[record.pop("type")]
    known = {f.name for f in fields(cls)}
    values = {k: v for k, v in record.items() if k in known}
    if cls is TestsRan:
        values["outcomes"] = tuple(TestOutcome(**o) for o in values.get("outcomes", ()))
    if cls is Started and isinstance(values.get("prompts"), list):
        values["prompts"] = tuple(str(prompt) for prompt in values["prompts"])
    try:
        return cls(**values)
    except TypeError as error:
        raise LogError(str(error)) from None
