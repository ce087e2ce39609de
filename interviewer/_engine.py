"""The interview engine: a pure, deterministic state machine.

``Engine.handle(event)`` folds one event into the state and returns what the
interviewer says. It reads no clock, file or terminal: the time comes with
each event, and side effects (running tests, noticing file changes) arrive as
events. The same question, seed and events therefore give the same replies,
which is what resume and replay rely on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from . import _state as phases
from ._clock import format_duration
from ._engine_core import EngineCore
from ._events import (
    Commanded,
    Event,
    Said,
    Scored,
    Started,
    TestsRan,
    Ticked,
    WorkspaceChanged,
    format_figure,
)
from ._formats import Format, get_format
from ._model import FollowUp, InterviewerNotes, Question
from ._reminders import due_reminders
from ._replies import (
    REQUEST,
    RESULTS,
    SAY,
    STATEMENT,
    TRANSCRIPT,
    Reply,
)
from ._state import FollowUpAnswer, HintTaken, State, Submission

if TYPE_CHECKING:
    from ._intents import Intent
    from ._matcher import Matcher

# The text pipeline (stemmer, synonyms, fuzzy matching) is imported on the first
# thing the candidate says, not at start, so the first prompt comes sooner.

COMMANDS: dict[str, str] = {
    "hint": "the next hint for the current level",
    "run": "run the question's public examples on your workspace",
    "submit": "run the hidden tests of the current level (counts only)",
    "next": "move on: start coding, open the next level, or skip a follow-up",
    "time": "how much time is left",
    "question": "show the question again",
    "transcript": "the conversation so far",
    "save": "save the transcript to a file (/save PATH)",
    "feedback": "end the interview and get your report",
    "grade": "the grade of your report (practice shows it only when asked)",
    "pause": "pause the clock, and /pause again to carry on (practice only)",
    "help": "this list",
    "quit": "leave; the session is saved and can be resumed",
}
FOLLOWUP_PROBE_BELOW = 0.34      # probe when an answer names less than this share of concepts
_INTENTS_IN_ANSWERS = {"time", "forbidden", "repeat", "help", "feedback", "hint"}
_MAX_WORDS_FOR_INTENT_IN_ANSWER = 8


def effective_gating(question: Question, format_name: str) -> str:
    """How levels open: the format's rule (CodeSignal gates on passing, practice never
    gates), else the question's own."""
    return get_format(format_name).gating or question.gating


class Engine(EngineCore):
    """Folds events into interview state and replies."""

    def __init__(self, question: Question, notes: InterviewerNotes) -> None:
        super().__init__()
        self.question = question
        self._followups: tuple[FollowUp, ...] = tuple(
            sorted(notes.followups, key=lambda f: f.difficulty)
        )
        self._answers = {c.id: c.answer for c in question.clarifications}
        self.state = State()
        self._handlers: dict[type[Event], Callable[[Event], list[Reply]]] = {
            Started: self._on_started,
            Said: self._on_said,
            Commanded: self._on_command,
            TestsRan: self._on_tests,
            WorkspaceChanged: self._on_workspace,
            Ticked: lambda event: [],
            Scored: self._on_scored,
        }

    # -- the one entry point -------------------------------------------------------------

    def handle(self, event: Event) -> list[Reply]:
        """Fold ``event`` into the state; return what the interviewer says."""
        self._begin(event)
        replies = self._handlers[type(event)](event)
        if self.state.phase not in (phases.FEEDBACK, phases.ENDED):
            replies += self._clock_checks(event)
        return self._end(replies)

    # -- helpers ------------------------------------------------------------------------

    @cached_property
    def _matcher(self) -> Matcher:
        """Built on the first question, not at start: the first prompt comes sooner."""
        from ._matcher import ClarificationSpec, Matcher

        return Matcher.from_specs(
            [ClarificationSpec(c.id, c.examples, c.keywords)
             for c in self.question.clarifications],
            {k: list(v) for k, v in self.question.synonyms.items()},
        )

    @property
    def _format(self) -> Format:
        return get_format(self.state.format)

    def _active_elapsed(self) -> float:
        """Time spent in the session, pauses left out."""
        return self._elapsed() - self.state.paused_seconds(self._now)

    # -- events -------------------------------------------------------------------------

    def _on_started(self, event: Started) -> list[Reply]:
        state = self.state
        state.question, state.format, state.seed = event.question, event.format, event.seed
        state.workspace, state.minutes = event.workspace, event.minutes
        state.started_at = event.at
        state.enter(phases.CLARIFY, event.at)
        key = "setup" if event.minutes else "setup-untimed"
        return [
            self._say("greeting", title=self.question.title),
            Reply(STATEMENT, self.question.statement),
            self._say(key, entry=self.question.entry, workspace=event.workspace,
                      time_box=format_duration(event.minutes * 60)),
        ]

    def _on_said(self, event: Said) -> list[Reply]:
        text = event.text.strip()
        if not text:
            return []
        from ._intents import detect_intent

        back = self._unpause()
        intent = detect_intent(text)
        if self.state.phase == phases.FOLLOWUPS and not self._intent_in_answer(intent, text):
            return back + self._on_answer(text)
        if intent is not None:
            return back + self._on_intent(intent)
        return back + self._on_question(text)

    def _intent_in_answer(self, intent: Intent | None, text: str) -> bool:
        if intent is None or intent.name not in _INTENTS_IN_ANSWERS:
            return False
        return intent.name == "forbidden" or len(text.split()) <= _MAX_WORDS_FOR_INTENT_IN_ANSWER

    def _on_question(self, text: str) -> list[Reply]:
        found = self._matcher.match(text)
        if found is None:
            if _is_question(text):
                self.state.misses.append(text)
                return [self._say("neutral")]
            return [self._say("acknowledge")]
        state = self.state
        if found.id not in state.clarifications:
            state.clarifications.append(found.id)
        if state.first_code_at is None:
            state.clarified_before_code.add(found.id)
        return [Reply(SAY, self._answers[found.id])]

    def _on_intent(self, intent: Intent) -> list[Reply]:
        handler = {
            "time": lambda: self._time_reply(),
            "hint": lambda: self._give_hint(),
            "done": lambda: self._done(),
            "next": lambda: self._next(),
            "language": lambda: self._language(intent.argument),
            "library": lambda: self._library(intent.argument),
            "feedback": lambda: self._feedback(),
            "repeat": lambda: [Reply(STATEMENT, self.question.statement)],
            "help": lambda: [self._help()],
            "forbidden": lambda: [self._forbidden(intent.argument)],
        }.get(intent.name)
        return handler() if handler else self._on_question(intent.name)

    def _on_command(self, event: Commanded) -> list[Reply]:
        name, argument = event.name, event.argument.strip()
        if name not in COMMANDS:
            return [self._say("unknown-command", name=name)]
        replies = self._unpause() if name not in ("pause", "time", "help") else []
        if argument and name != "save":
            replies.append(self._say("ignored-argument", name=name, argument=argument[:60]))
        actions: dict[str, Callable[[], list[Reply]]] = {
            "hint": self._give_hint,
            "next": self._next,
            "time": self._time_reply,
            "question": lambda: [Reply(STATEMENT, self.question.statement)],
            "transcript": lambda: [Reply(TRANSCRIPT, self.transcript_text())],
            "help": lambda: [self._help()],
            "feedback": self._feedback,
            "grade": self._grade,
            "pause": self._pause,
            "quit": lambda: [self._say("goodbye")],
            "run": lambda: [],
            "submit": lambda: [],
            "save": lambda: [],
        }
        return replies + actions[name]()

    def _on_workspace(self, event: WorkspaceChanged) -> list[Reply]:
        state = self.state
        if state.first_code_at is None:
            state.first_code_at = event.at
        state.last_change_at = event.at
        foreign, state.foreign_code = state.foreign_code, bool(event.language)
        if event.language and not foreign and state.phase not in (phases.FEEDBACK,
                                                                  phases.ENDED):
            # Once when other-language code appears, and again only if it comes back.
            return self._language(event.language, in_workspace=True)
        return []

    def _on_scored(self, event: Scored) -> list[Reply]:
        state = self.state
        state.enter(phases.FEEDBACK, event.at)
        state.grade, state.score = event.grade, event.score
        return [Reply(SAY, event.summary)] if event.summary else []

    # -- pause and grade --------------------------------------------------------------------

    def _pause(self) -> list[Reply]:
        state = self.state
        if not self._format.pausable:
            return [self._say("pause-refused")]
        if state.paused_since is not None:
            return self._unpause()
        if state.phase in (phases.FEEDBACK, phases.ENDED):
            return [self._say("refused-after-feedback")]
        state.paused_since = self._now
        return [self._say("paused")]

    def _unpause(self) -> list[Reply]:
        """Anything the candidate does after a pause starts the clock again."""
        state = self.state
        if state.paused_since is None:
            return []
        away = self._now - state.paused_since
        state.pauses.append((state.paused_since, self._now))
        state.paused_since = None
        state.last_offer_at = self._now        # the idle timer starts again too
        return [self._say("unpaused", away=format_duration(away))]

    def _grade(self) -> list[Reply]:
        state = self.state
        if state.phase != phases.FEEDBACK:
            return [self._say("grade-early")]
        return [self._say("grade", grade=state.grade, score=f"{state.score:.0%}")]

    # -- phases and levels --------------------------------------------------------------

    def _start_coding(self) -> list[Reply]:
        state = self.state
        state.enter(phases.IMPLEMENT, self._now)
        state.level_opened.setdefault(1, self._now)
        level = self.question.level(1)
        return [self._say("start-coding", level=1, level_title=level.title,
                          entry=self.question.entry)]

    def _next(self) -> list[Reply]:
        phase = self.state.phase
        if phase == phases.CLARIFY:
            return self._start_coding()
        if phase == phases.IMPLEMENT:
            return self._next_level()
        if phase == phases.FOLLOWUPS:
            self.state.followups[-1].skipped = not self.state.followups[-1].answer
            return self._ask_next_followup()
        return [self._say("wrapup-again")]

    def _next_level(self) -> list[Reply]:
        state, question = self.state, self.question
        if state.level >= len(question.levels):
            return self._to_followups()
        gating = effective_gating(question, state.format)
        if gating == "pass" and state.level not in state.levels_passed:
            return [self._say("gated", level=state.level)]
        if gating == "time" and state.level not in state.levels_passed:
            wait = self._level_time_left()
            if wait > 0:
                return [self._say("gated-time", level=state.level,
                                  time_left=format_duration(wait))]
        return self._open_level(state.level + 1, passed=None)

    def _level_time_left(self) -> float:
        level = self.question.level(self.state.level)
        if level.minutes is None:
            return 0.0
        opened = self.state.level_opened.get(level.id, self._now)
        return max(0.0, opened + level.minutes * 60 - self._now)

    def _open_level(self, level_id: int, passed: int | None) -> list[Reply]:
        state = self.state
        state.level = level_id
        state.level_opened.setdefault(level_id, self._now)
        state.failing_streak = 0
        title = self.question.level(level_id).title
        if passed is None:
            return [self._say("level-open-skip", level=level_id, level_title=title)]
        return [self._say("level-open", passed=passed, level=level_id, level_title=title)]

    def _done(self) -> list[Reply]:
        phase = self.state.phase
        if phase == phases.CLARIFY:
            return [self._say("done-early")]
        if phase == phases.IMPLEMENT:
            return self._to_followups()
        if phase == phases.FOLLOWUPS:
            return self._next()
        return [self._say("wrapup-again")]

    def _to_followups(self, announce: bool = True) -> list[Reply]:
        self.state.enter(phases.FOLLOWUPS, self._now)
        opening = [self._say("to-followups")] if announce else []
        return [*opening, *self._ask_next_followup()]

    def _wrap_up(self) -> list[Reply]:
        """Time is up during the discussion: the current follow-up is the last."""
        record = self.state.followups[-1] if self.state.followups else None
        if record is not None and not record.answer:
            record.skipped = True
        self.state.enter(phases.WRAPUP, self._now)
        return [self._say("wrapup")]

    def _eligible_followups(self) -> list[FollowUp]:
        asked = {answer.id for answer in self.state.followups}
        limit = self._format.max_followups
        if limit is not None and len(asked) >= limit:
            return []
        reached = max(self.state.levels_passed | {self.state.level})
        return [f for f in self._followups if f.id not in asked and f.after_level <= reached]

    def _ask_next_followup(self) -> list[Reply]:
        remaining = self._eligible_followups()
        if not remaining:
            self.state.enter(phases.WRAPUP, self._now)
            return [self._say("wrapup")]
        followup = remaining[0]
        self.state.followups.append(FollowUpAnswer(followup.id, self._now))
        return [self._say("followup", ask=followup.ask)]

    def _on_answer(self, text: str) -> list[Reply]:
        record = self.state.followups[-1]
        followup = next(f for f in self._followups if f.id == record.id)
        record.answer = f"{record.answer}\n{text}".strip()
        from ._concepts import concepts_named

        named = concepts_named(record.answer, followup.concepts)
        record.concepts_named = tuple(named)
        share = len(named) / len(followup.concepts)
        if share < FOLLOWUP_PROBE_BELOW and followup.probe and not record.probed:
            record.probed = True
            return [self._say("probe", probe=followup.probe)]
        return [self._say("followup-thanks"), *self._ask_next_followup()]

    # -- hints, time, help ----------------------------------------------------------------

    def _give_hint(self) -> list[Reply]:
        state = self.state
        level = 1 if state.phase == phases.CLARIFY else state.level
        ladder = self.question.hint_ladder(level)
        taken = state.hints_for(level)
        if taken >= len(ladder):
            return [self._say("no-hints-left", level=level)]
        hint = ladder[taken]
        state.hints.append(HintTaken(level, taken + 1, hint.kind, self._now))
        state.last_offer_at = self._now
        prefix = [self._say("hint-clarify")] if state.phase == phases.CLARIFY else []
        return [*prefix, self._say("hint", kind=hint.kind, rung=taken + 1, total=len(ladder),
                                   text=hint.text)]

    def _help(self) -> Reply:
        return self._help_reply(COMMANDS, "Anything else you type is said to the interviewer.")

    def _language(self, language: str | None, in_workspace: bool = False) -> list[Reply]:
        """A polite redirect to Python: in full the first time, briefly after that."""
        if not language or language.lower() == "python":
            return [self._say("language-python")]
        self.state.language_redirects += 1
        if self.state.language_redirects > 1:
            return [self._say("language-again", entry=self.question.entry)]
        key = "language-workspace" if in_workspace else "language"
        return [self._say(key, entry=self.question.entry, language=language)]

    def _library(self, library: str | None) -> list[Reply]:
        if not library:
            return [self._say("library-any")]
        forbidden = self.question.forbidden_libraries
        refused = _forbidding(library, tuple(forbidden))
        if refused:
            return [self._say("library-forbidden", library=refused, reason=forbidden[refused])]
        inside = [name for name in forbidden if name.lower().startswith(library.lower() + ".")]
        if inside:
            return [self._say("library-partly", library=library, names=" or ".join(inside),
                              reason=forbidden[inside[0]])]
        root = library.split(".")[0].lower()
        if root in sys.stdlib_module_names:
            return [self._say("library-stdlib", library=library)]
        return [self._say("library-other", library=library)]

    def _forbidden(self, argument: str | None) -> Reply:
        asked = (argument or "").lower()
        if any(word in asked for word in ("solution", "code", "answer", "implement")):
            return self._say("forbidden-solution")
        return self._say("forbidden-secret")

    def _feedback(self) -> list[Reply]:
        state = self.state
        if state.phase == phases.CLARIFY:
            return [self._say("feedback-early")]
        if state.phase == phases.IMPLEMENT and not state.feedback_confirmed:
            state.feedback_confirmed = True   # the report ends the interview: ask once
            return [self._say("feedback-confirm")]
        return [Reply(REQUEST, "feedback")]

    # -- test results ---------------------------------------------------------------------

    def _on_tests(self, event: TestsRan) -> list[Reply]:
        state = self.state
        if state.phase == phases.CLARIFY:
            state.enter(phases.IMPLEMENT, event.at)
            state.level_opened.setdefault(1, event.at)
        if event.kind == "refused":
            late = state.phase != phases.FEEDBACK
            return [self._say("refused-late" if late else "refused-after-feedback")]
        if event.kind == "run":
            state.runs += 1
            replies = [Reply(RESULTS, _describe_run(event))]
        else:
            replies = self._on_submission(event)
        state.failing_streak = 0 if event.all_passed else state.failing_streak + 1
        if state.failing_streak >= self.question.failed_runs and state.phase == phases.IMPLEMENT:
            state.failing_streak = 0
            state.last_offer_at = event.at
            replies.append(self._say("failing-streak"))
        return replies

    def _on_submission(self, event: TestsRan) -> list[Reply]:
        state = self.state
        levels = sorted({o.level for o in event.outcomes if o.level is not None})
        passed = {lv: event.counts(lv)[0] for lv in levels}
        total = {lv: event.counts(lv)[1] for lv in levels}
        state.submissions.append(Submission(event.level, event.at, passed, total, event.verdict))
        replies = [Reply(RESULTS, _describe_submission(event, levels))]
        if not event.all_passed or event.level != state.level:
            return replies
        state.levels_passed.add(event.level)
        if event.level < len(self.question.levels):
            replies += self._open_level(event.level + 1, passed=event.level)
        else:
            replies.append(self._say("all-levels"))
        return replies

    # -- the clock ------------------------------------------------------------------------

    def _clock_checks(self, event: Event) -> list[Reply]:
        if self.state.paused_since is not None:
            return []
        replies = self._phase_clock() or self._reminder()
        if not replies and isinstance(event, Ticked | WorkspaceChanged):
            replies = self._stuck_offer()
        return replies

    def _phase_clock(self) -> list[Reply]:
        """Formats with a phase plan move on by the clock, as a live interviewer does."""
        plan, left = self._format.plan, self._time_left()
        if plan is None or left is None:
            return []
        box = self.state.minutes * 60
        phase = self.state.phase
        if phase == phases.CLARIFY and self._elapsed() >= plan.clarify_seconds(box):
            return [self._say("clock-to-coding"), *self._start_coding()]
        if phase == phases.IMPLEMENT and 0 < left <= plan.followup_seconds(box):
            self._mark_reminders(left)
            return [self._say("clock-to-followups", time_left=format_duration(left)),
                    *self._to_followups(announce=False)]
        return []

    def _mark_reminders(self, left: float) -> None:
        """Reminders the moment has passed, marked as given: one announcement says it all."""
        self.state.reminders.update(
            due_reminders(left, self.state.minutes * 60, self.state.reminders))

    def _reminder(self) -> list[Reply]:
        left = self._time_left()
        if left is None:
            return []
        crossed = due_reminders(left, self.state.minutes * 60, self.state.reminders)
        if not crossed:
            return []
        self.state.reminders.update(crossed)
        name = crossed[0]
        talking = self.state.phase in (phases.FOLLOWUPS, phases.WRAPUP)
        key = f"reminder-{name}-talk" if talking and name in ("15", "5") else f"reminder-{name}"
        replies = [self._say(key, time_left=format_duration(left))]
        if name == "up" and self.state.phase == phases.IMPLEMENT:
            replies += self._to_followups()
        elif name == "up" and self.state.phase == phases.FOLLOWUPS:
            replies += self._wrap_up()
        return replies

    def _stuck_offer(self) -> list[Reply]:
        state = self.state
        if state.phase != phases.IMPLEMENT:
            return []
        since = max(t for t in (state.last_change_at, state.last_offer_at,
                                state.level_opened.get(state.level), state.started_at)
                    if t is not None)
        if self._now - since < self.question.idle_minutes * 60:
            return []
        ladder = self.question.hint_ladder(state.level)
        taken = state.hints_for(state.level)
        if taken >= len(ladder) or self._level_minutes() < ladder[taken].after_minutes:
            return []
        state.last_offer_at = self._now
        return [self._say("stuck")]

    def _level_minutes(self) -> float:
        opened = self.state.level_opened.get(self.state.level, self._now)
        return (self._now - opened) / 60

    def may_submit(self, at: float) -> bool:
        """No submission after the report; CodeSignal also refuses them after the deadline."""
        if self.state.phase in (phases.FEEDBACK, phases.ENDED):
            return False
        deadline = self.state.deadline
        late = deadline is not None and at > deadline
        return not (late and self._format.refuses_late_submissions)


def _forbidding(library: str, forbidden: tuple[str, ...]) -> str | None:
    """The forbidden name that covers ``library``, as the question spells it.

    ``functools.lru_cache`` is covered by ``functools.lru_cache`` and by ``functools``;
    a module asked about alone is covered only when the whole module is forbidden.
    """
    asked = library.lower()
    return next((name for name in forbidden
                 if asked == name.lower() or asked.startswith(name.lower() + ".")), None)


def _is_question(text: str) -> bool:
    starters = ("what", "how", "why", "when", "where", "which", "who", "can", "could", "should",
                "would", "is", "are", "do", "does", "did", "will", "may", "must", "if")
    words = text.lower().split()
    return text.rstrip().endswith("?") or (bool(words) and words[0] in starters)


def _describe_run(event: TestsRan) -> str:
    if not event.outcomes:
        return f"Examples: {event.detail or event.verdict}"
    passed, total = event.counts()
    rows = [f"Examples: {passed} of {total} passed."]
    for outcome in event.outcomes:
        mark = "PASS" if outcome.outcome == "pass" else outcome.outcome.upper()
        note = f": {outcome.message}" if outcome.message and outcome.outcome != "pass" else ""
        rows.append(f"  {mark:<7} {outcome.name}{note}")
    if event.verdict != "completed" and event.detail:
        rows.append(event.detail)
    return "\n".join(rows + _measured(event))


def _describe_submission(event: TestsRan, levels: list[int]) -> str:
    if not levels:
        return f"Submission: {event.detail or event.verdict}"
    rows = [f"Submission for level {event.level}:"]
    for level in levels:
        passed, total = event.counts(level)
        rows.append(f"  level {level}: {passed} of {total} hidden tests passed")
    if event.verdict != "completed" and event.detail:
        rows.append(event.detail)
    return "\n".join(rows + _measured(event))


def _measured(event: TestsRan) -> list[str]:
    """The figures the run measured: the candidate's own performance, never test content."""
    if not event.measures:
        return []
    return ["Measured: " + ", ".join(f"{name} {format_figure(value)}"
                                     for name, value in sorted(event.measures.items()))]
