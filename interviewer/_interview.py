"""``Interview``: a session you can drive from code, the REPL or a test.

It owns what the pure engine must not touch: the clock, the workspace, the
event log and the test runner. Each call turns into events; each event is
logged before the engine's replies are returned, so a crash loses nothing and
the log alone can rebuild the session.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ._clock import Clock, SystemClock
from ._engine import COMMANDS, Engine
from ._events import Event, Started, TestsRan, WorkspaceChanged
from ._formats import get_format
from ._loader import Bank
from ._log import EventLog, read_log
from ._model import InterviewerNotes, Question
from ._replies import Reply
from ._runner import Runner, SandboxRunner
from ._session import Session
from ._workspace import entry_digest, prepare_workspace

# Produces the feedback report for a finished session: (grade, score, summary text).
Scorer = Callable[["Interview"], tuple[str, float, str]]


class Interview(Session):
    """One interview session: say things, type commands, read the replies."""

    COMMANDS = COMMANDS

    def __init__(
        self,
        question: Question,
        notes: InterviewerNotes,
        *,
        workspace: Path,
        clock: Clock | None = None,
        log: EventLog | None = None,
        runner: Runner | None = None,
        scorer: Scorer | None = None,
    ) -> None:
        self.question = question
        self.notes = notes
        self.workspace = Path(workspace)
        self.clock: Clock = clock or SystemClock()
        self.log = log
        self.runner: Runner = runner or SandboxRunner()
        self.scorer = scorer
        self.engine = Engine(question, notes)
        self.history: list[Reply] = []
        self.last_scorecard = None   # set by /feedback
        self._digest: str | None = None

    # -- starting and resuming --------------------------------------------------------------

    @classmethod
    def start(
        cls,
        bank: Bank,
        question_id: str,
        *,
        workspace: Path,
        format: str | None = None,
        seed: int = 0,
        clock: Clock | None = None,
        log_path: Path | None = None,
        runner: Runner | None = None,
        scorer: Scorer | None = None,
        minutes: int | None = None,
    ) -> Interview:
        """Prepare the workspace, log the start and greet the candidate."""
        question = bank.get(question_id)
        chosen = format or question.formats[0]
        if chosen not in question.formats and chosen != "practice":
            raise ValueError(f"question {question.id} is not offered in format '{chosen}' "
                             f"(formats: {', '.join(question.formats)})")
        prepare_workspace(question, Path(workspace))
        log = EventLog(log_path) if log_path else None
        interview = cls(question, bank.notes[question.id], workspace=Path(workspace),
                        clock=clock, log=log, runner=runner, scorer=scorer)
        box = 0 if chosen == "practice" else (minutes if minutes is not None else question.minutes)
        interview._feed(Started(interview.clock.now(), question=question.id, format=chosen,
                                seed=seed, workspace=str(Path(workspace).resolve()), minutes=box))
        interview._digest = entry_digest(question, interview.workspace)
        return interview

    @classmethod
    def resume(
        cls,
        bank: Bank,
        log_path: Path,
        *,
        clock: Clock | None = None,
        runner: Runner | None = None,
        scorer: Scorer | None = None,
    ) -> Interview:
        """Rebuild a session from its log and continue appending to it."""
        events = read_log(log_path).events
        interview = cls.replay(bank, log_path)
        interview.clock = clock or SystemClock()
        interview.runner = runner or SandboxRunner()
        interview.scorer = scorer
        interview.log = EventLog(log_path)
        started = events[0]
        assert isinstance(started, Started)
        interview._digest = entry_digest(interview.question, interview.workspace)
        return interview

    @classmethod
    def replay(cls, bank: Bank, log_path: Path) -> Interview:
        """Fold a log through a fresh engine; nothing runs and nothing is written."""
        events = read_log(log_path).events
        started = events[0]
        if not isinstance(started, Started):
            raise ValueError(f"{log_path}:1: a session log must begin with a 'started' event")
        question = bank.get(started.question)
        interview = cls(question, bank.notes[question.id], workspace=Path(started.workspace))
        for event in events:
            interview.history.extend(interview.engine.handle(event))
        return interview

    # -- what the candidate does ------------------------------------------------------------

    def say(self, text: str) -> list[Reply]:
        """The candidate says something in plain English."""
        return self._feed_with_changes(self._said(text))

    def command(self, line: str) -> list[Reply]:
        """The candidate types a command such as ``/hint`` or ``/submit``."""
        commanded = self._commanded(line)
        replies = self._feed_with_changes(commanded)
        if commanded.name in ("run", "submit") and not commanded.argument:
            replies += self._run_tests(commanded.name)
        return replies

    def tick(self) -> list[Reply]:
        """Let time pass; the interviewer may remind or offer a hint. Logged only if it spoke."""
        return self._check_workspace() + self._quiet_tick()

    # -- internals ----------------------------------------------------------------------------

    def _feed_with_changes(self, event: Event) -> list[Reply]:
        return self._check_workspace() + self._feed(event)

    def _check_workspace(self) -> list[Reply]:
        digest = entry_digest(self.question, self.workspace)
        if digest == self._digest:
            return []
        self._digest = digest
        return self._feed(WorkspaceChanged(self.clock.now(), digest=digest,
                                           language=self._entry_language()))

    def _entry_language(self) -> str:
        from ._languages import foreign_language

        try:
            source = (self.workspace / self.question.entry).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""
        return foreign_language(source)

    def bank_folder(self) -> Path:
        return self.question.folder.resolve().parent

    def solution_file(self) -> Path:
        return self.workspace / self.question.entry

    def solution_folder(self) -> Path:
        """What the report scores: the workspace, or in formats where only the last
        accepted submission counts, the copy taken when it was made."""
        if not get_format(self.state.format).scores_last_submission:
            return self.workspace
        copy = self._submission_copy()
        if not (copy / self.question.entry).is_file():    # nothing submitted: the starter
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.question.folder / self.question.starter,
                            copy / self.question.entry)
        return copy

    def _submission_copy(self) -> Path:
        """Where the last submission is kept: beside the log, else hidden in the workspace."""
        if self.log:
            return self.log.path.parent / "last-submission"
        return self.workspace / ".interviewer" / "last-submission"

    def _keep_submission(self) -> None:
        copy = self._submission_copy()
        try:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.workspace / self.question.entry, copy / self.question.entry)
        except OSError:
            pass   # the report then scores the copy of the submission before, if any

    def _run_tests(self, kind: str) -> list[Reply]:
        now = self.clock.now()
        if kind == "submit" and not self.engine.may_submit(now):
            return self._feed(TestsRan(now, kind="refused", level=self.state.level))
        if kind == "run":
            result = self.runner.run_examples(self.question, self.workspace)
        else:
            if get_format(self.state.format).scores_last_submission:
                self._keep_submission()
            result = self.runner.run_hidden(self.question, self.workspace, self.state.level)
        return self._feed(TestsRan(self.clock.now(), kind=kind, level=self.state.level,
                                   verdict=result.verdict, detail=result.detail,
                                   outcomes=result.outcomes, measures=dict(result.measures)))

    def _feedback(self) -> list[Reply]:
        if self.scorer is None:
            from ._scoring_hook import default_scorer

            self.scorer = default_scorer
        grade, score, summary = self.scorer(self)
        return self._report(grade, score, summary)
