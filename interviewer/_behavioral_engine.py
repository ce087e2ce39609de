"""The behavioural interview engine: a pure, deterministic state machine.

Same contract as ``_engine.Engine``: ``handle(event)`` folds one event into
the state and returns what the interviewer says; the time comes with each
event and nothing here reads a clock, a file or the terminal. A session asks
the prompts planned at the start (``Started.prompts``), one after another:

    prompt -> the candidate's answer (one message or several)
           -> probes chosen by what the answer lacks (at least one, at most all)
           -> the next prompt ... -> wrap-up -> /feedback

Probes are the interviewer's notes: one is revealed only by asking it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._behavioral_bank import BehavioralBank, BehavioralPrompt, Probe
from ._clock import format_duration
from ._engine_core import EngineCore
from ._events import Commanded, Event, Said, Scored, Started, Ticked
from ._reminders import due_reminders
from ._replies import REQUEST, SAY, TRANSCRIPT, Reply

if TYPE_CHECKING:
    from ._answer_analysis import AnswerAnalysis

# The answer analysis (and the stemmer behind it) is imported on the first answer,
# not at start, so the first prompt comes sooner.

PROMPT, PROBE, WRAPUP, FEEDBACK = "prompt", "probe", "wrapup", "feedback"
FORMAT = "behavioral"

COMMANDS: dict[str, str] = {
    "next": "move on to the next question (skips the rest of this one)",
    "hint": "how to shape an answer, or a nudge on what yours is missing",
    "time": "how much time is left",
    "question": "the current question again",
    "transcript": "the conversation so far",
    "save": "save the transcript to a file (/save PATH)",
    "feedback": "end the interview and get your report",
    "help": "this list",
    "quit": "leave; the session is saved and can be resumed",
}
OVERHEAD_MINUTES = 4       # greeting and wrap-up: not spent on prompts
UNTIMED_MINUTES = 30       # an untimed session plans as many prompts as 30 minutes hold
GO_ON_BELOW = 40           # words: a story shorter than this gets "go on" ...
MAX_GO_ONS = 2             # ... at most this many times
MAX_WORDS_FOR_INTENT = 8   # a longer message is an answer, even if it mentions the time
_INTENTS = {"time", "hint", "done", "next", "feedback", "help", "repeat", "forbidden"}
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass
class ProbeAnswer:
    id: str
    asked_at: float
    answer: str = ""


@dataclass
class PromptAnswer:
    """One prompt as it went: the story, the probes asked and their answers."""

    id: str
    asked_at: float
    answer: str = ""
    probes: list[ProbeAnswer] = field(default_factory=list)
    go_ons: int = 0
    hints: int = 0
    skipped: bool = False          # moved on before any answer
    dropped: bool = False          # asked, but time ran out before it was answered
    ended_at: float | None = None

    @property
    def probe_answers(self) -> list[str]:
        return [probe.answer for probe in self.probes if probe.answer]


@dataclass
class BehavioralState:
    """What has happened so far; rebuilt exactly by folding the log again."""

    question: str = FORMAT
    format: str = FORMAT
    seed: int = 0
    minutes: int = 0
    started_at: float = 0.0
    plan: tuple[str, ...] = ()
    phase: str = PROMPT
    phase_started: dict[str, float] = field(default_factory=dict)
    answers: list[PromptAnswer] = field(default_factory=list)
    reminders: set[str] = field(default_factory=set)
    time_up: bool = False
    feedback_confirmed: bool = False
    hints: int = 0
    replies: int = 0                                    # counter for voice variants

    @property
    def deadline(self) -> float | None:
        """Absolute end of the time box; None when untimed."""
        return self.started_at + self.minutes * 60 if self.minutes else None

    @property
    def hints_taken(self) -> int:
        return self.hints

    @property
    def level(self) -> int:
        """Which prompt we are on (1-based), for displays that show progress."""
        return len(self.answers)

    @property
    def current(self) -> PromptAnswer | None:
        return self.answers[-1] if self.answers else None

    def enter(self, phase: str, at: float) -> None:
        self.phase = phase
        self.phase_started.setdefault(phase, at)


def plan_prompts(bank: BehavioralBank, minutes: int, seed: int,
                 first: str | None = None) -> tuple[str, ...]:
    """The prompts a session asks, in order: picked by seed, themes varied, filling the box.

    The order is a seeded shuffle (by CRC of seed and id, the same on every
    machine). A first pass takes prompts whose theme is not yet used, a second
    any prompt, each while its ``minutes`` fit the box less ``OVERHEAD_MINUTES``;
    ``first`` (when given) is asked first, and a session always has one prompt.
    """
    if not len(bank):
        raise ValueError(f"no behavioural prompts could be loaded from {bank.root}")
    budget = (minutes or UNTIMED_MINUTES) - OVERHEAD_MINUTES
    order = sorted(bank.prompts, key=lambda pid: zlib.crc32(f"{seed}:{pid}".encode()))
    if first is not None:
        bank.get(first)
        order = [first, *(pid for pid in order if pid != first)]
    chosen: list[str] = []
    used, themes = 0, set()
    for fresh_themes_only in (True, False):
        for prompt_id in order:
            prompt = bank.get(prompt_id)
            if prompt_id in chosen or (fresh_themes_only and prompt.theme in themes):
                continue
            if chosen and used + prompt.minutes > budget:
                continue
            chosen.append(prompt_id)
            used += prompt.minutes
            themes.add(prompt.theme)
    return tuple(chosen)


def choose_probe(prompt: BehavioralPrompt, asked: Collection[str],
                 gaps: Sequence[str]) -> Probe | None:
    """The probe for the most important gap; the first probe if none fits and none was asked.

    ``gaps`` come most important first (``AnswerAnalysis.gaps``); among probes
    for the same gap, the one listed first in the prompt file wins.
    """
    remaining = [probe for probe in prompt.probes if probe.id not in asked]
    for gap in gaps:
        for probe in remaining:
            if gap in probe.targets:
                return probe
    return remaining[0] if remaining and not asked else None


def _count(n: int, noun: str) -> str:
    spelled = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{spelled} {noun}{'' if n == 1 else 's'}"


class BehavioralEngine(EngineCore):
    """Folds events into a behavioural interview's state and replies."""

    def __init__(self, bank: BehavioralBank) -> None:
        super().__init__()
        self.bank = bank
        self.state = BehavioralState()
        self._handlers: dict[type[Event], Callable[[Event], list[Reply]]] = {
            Started: self._on_started,
            Said: self._on_said,
            Commanded: self._on_command,
            Ticked: self._on_tick,
            Scored: self._on_scored,
        }

    # -- the one entry point -------------------------------------------------------------

    def handle(self, event: Event) -> list[Reply]:
        """Fold ``event`` into the state; return what the interviewer says."""
        self._begin(event)
        replies: list[Reply] = []
        if self.state.phase in (PROMPT, PROBE) and not isinstance(event, Started | Scored):
            replies += self._reminder(event)
        handler = self._handlers.get(type(event))
        replies += handler(event) if handler else []
        return self._end(replies)

    def prompt(self, prompt_id: str) -> BehavioralPrompt:
        return self.bank.get(prompt_id)

    def story(self, record: PromptAnswer) -> AnswerAnalysis:
        """The analysis of one prompt's story so far: its answer and the probe answers."""
        from ._answer_analysis import analyse_story

        return analyse_story(record.answer, record.probe_answers, self.prompt(record.id))

    # -- helpers ------------------------------------------------------------------------


    # -- events -------------------------------------------------------------------------

    def _on_started(self, event: Started) -> list[Reply]:
        state = self.state
        state.seed, state.minutes, state.started_at = event.seed, event.minutes, event.at
        state.plan = tuple(event.prompts) or plan_prompts(self.bank, event.minutes, event.seed)
        first = self.prompt(state.plan[0])
        for prompt_id in state.plan[1:]:
            self.prompt(prompt_id)                      # an unknown id fails now, not later
        state.answers.append(PromptAnswer(first.id, event.at))
        state.enter(PROMPT, event.at)
        questions = _count(len(state.plan), "question")
        greeting = (self._say("behavioral-greeting", questions=questions,
                              time_box=format_duration(event.minutes * 60))
                    if event.minutes else
                    self._say("behavioral-greeting-untimed", questions=questions))
        return [greeting, self._say("behavioral-how"),
                self._say("behavioral-first", ask=first.ask)]

    def _on_tick(self, event: Ticked) -> list[Reply]:
        """Time passing speaks only through the reminders, which every event checks."""
        return []

    def _on_scored(self, event: Scored) -> list[Reply]:
        record = self.state.current
        if record is not None and record.ended_at is None:
            record.ended_at = event.at
        self.state.enter(FEEDBACK, event.at)
        return [Reply(SAY, event.summary)] if event.summary else []

    def _on_said(self, event: Said) -> list[Reply]:
        text = event.text.strip()
        if not text:
            return []
        if self.state.phase == FEEDBACK:
            return [self._say("behavioral-over")]
        intent = self._intent(text)
        if intent is not None:
            return self._on_intent(intent)
        if self.state.phase == WRAPUP:
            return [self._say("behavioral-wrapup-again")]
        return self._on_answer(text)

    def _intent(self, text: str) -> tuple[str, str | None] | None:
        """A request such as "how much time is left?"; a long message is always an answer."""
        if len(text.split()) > MAX_WORDS_FOR_INTENT:
            return None
        from ._intents import detect_intent

        intent = detect_intent(text)
        if intent is None or intent.name not in _INTENTS:
            return None
        return intent.name, intent.argument

    def _on_intent(self, intent: tuple[str, str | None]) -> list[Reply]:
        name, argument = intent
        actions: dict[str, Callable[[], list[Reply]]] = {
            "time": self._time_reply,
            "hint": self._hint,
            "done": self._done,
            "next": self._next,
            "feedback": self._feedback,
            "help": lambda: [self._help()],
            "repeat": self._repeat,
            "forbidden": lambda: [self._forbidden(argument)],
        }
        return actions[name]()

    def _on_command(self, event: Commanded) -> list[Reply]:
        name, argument = event.name, event.argument.strip()
        if name not in COMMANDS:
            return [self._say("unknown-command", name=name)]
        replies = []
        if argument and name != "save":
            replies.append(self._say("ignored-argument", name=name, argument=argument[:60]))
        actions: dict[str, Callable[[], list[Reply]]] = {
            "next": self._next,
            "hint": self._hint,
            "time": self._time_reply,
            "question": self._repeat,
            "transcript": lambda: [Reply(TRANSCRIPT, self.transcript_text())],
            "save": lambda: [],
            "feedback": self._feedback,
            "help": lambda: [self._help()],
            "quit": lambda: [self._say("goodbye")],
        }
        return replies + actions[name]()

    # -- answers, probes and prompts ----------------------------------------------------

    def _on_answer(self, text: str) -> list[Reply]:
        state, record = self.state, self.state.current
        assert record is not None
        if state.phase == PROBE:
            probe = record.probes[-1]
            probe.answer = f"{probe.answer}\n{text}".strip()
            return self._after_answer()
        record.answer = f"{record.answer}\n{text}".strip()
        if not state.time_up and self._wants_more(record, text):
            record.go_ons += 1
            return [self._say("behavioral-go-on")]
        return self._after_answer()

    def _wants_more(self, record: PromptAnswer, text: str) -> bool:
        """A story that trails off ("...") or is still very short gets a "go on"."""
        if text.rstrip().endswith(("...", "\u2026", ":")):
            return True
        return len(record.answer.split()) < GO_ON_BELOW and record.go_ons < MAX_GO_ONS

    def _after_answer(self) -> list[Reply]:
        """Probe the most important gap, or move on; at time up, wrap up."""
        if self.state.time_up:
            return self._wrap_up()
        record = self.state.current
        assert record is not None
        probe = choose_probe(self.prompt(record.id), {p.id for p in record.probes},
                             self.story(record).gaps)
        if probe is None:
            return self._next_prompt("behavioral-next")
        record.probes.append(ProbeAnswer(probe.id, self._now))
        self.state.enter(PROBE, self._now)
        return [self._say("behavioral-probe", ask=probe.ask)]

    def _next_prompt(self, key: str) -> list[Reply]:
        state = self.state
        record = state.current
        assert record is not None
        record.ended_at = self._now
        if state.time_up or len(state.answers) >= len(state.plan):
            return self._wrap_up()
        prompt = self.prompt(state.plan[len(state.answers)])
        state.answers.append(PromptAnswer(prompt.id, self._now))
        state.enter(PROMPT, self._now)
        return [self._say(key, ask=prompt.ask)]

    def _wrap_up(self) -> list[Reply]:
        state = self.state
        record = state.current
        if record is not None and record.ended_at is None:
            record.ended_at = self._now
        state.enter(WRAPUP, self._now)
        return [self._say("behavioral-wrapup-time" if state.time_up else "behavioral-wrapup")]

    def _next(self) -> list[Reply]:
        state, record = self.state, self.state.current
        if state.phase == FEEDBACK:
            return [self._say("behavioral-over")]
        if state.phase == WRAPUP or record is None:
            return [self._say("behavioral-wrapup-again")]
        if state.phase == PROMPT and not record.answer:
            record.skipped = True
            return self._next_prompt("behavioral-skip")
        return self._next_prompt("behavioral-next")

    def _done(self) -> list[Reply]:
        """ "I'm done": after the story it brings the probes; after a probe it moves on."""
        record = self.state.current
        if self.state.phase == PROMPT and record is not None and record.answer:
            return self._after_answer()
        return self._next()

    def _repeat(self) -> list[Reply]:
        state, record = self.state, self.state.current
        if state.phase not in (PROMPT, PROBE) or record is None:
            return [self._say("behavioral-wrapup-again")]
        prompt = self.prompt(record.id)
        ask = prompt.probe(record.probes[-1].id).ask if state.phase == PROBE else prompt.ask
        return [self._say("behavioral-repeat", ask=ask)]

    # -- hints, time, feedback ----------------------------------------------------------

    def _hint(self) -> list[Reply]:
        """A reminder of the STAR shape, or a nudge on the story's first gap; never an answer."""
        state, record = self.state, self.state.current
        if state.phase not in (PROMPT, PROBE) or record is None:
            return [self._say("behavioral-hint-after")]
        record.hints += 1
        state.hints += 1
        if not record.answer:
            return [self._say("behavioral-hint-star")]
        gaps = self.story(record).gaps
        return [self._say(f"behavioral-hint-{gaps[0]}" if gaps else "behavioral-hint-complete")]

    def _help(self) -> Reply:
        return self._help_reply(COMMANDS,
                                "Anything else you type is your answer to the interviewer.")

    def _forbidden(self, argument: str | None) -> Reply:
        asked = (argument or "").lower()
        if any(word in asked for word in ("solution", "code", "answer")):
            return self._say("behavioral-forbidden-answer")
        return self._say("forbidden-secret")

    def _feedback(self) -> list[Reply]:
        """The report ends the interview: asked once to confirm while a prompt is unanswered."""
        state, record = self.state, self.state.current
        if state.phase == FEEDBACK:
            return [self._say("behavioral-over")]
        unanswered = record is not None and not record.answer
        remaining = len(state.plan) - len(state.answers) + unanswered
        if state.phase in (PROMPT, PROBE) and remaining > 0 and not state.feedback_confirmed:
            state.feedback_confirmed = True
            return [self._say("behavioral-feedback-confirm",
                              remaining=_count(remaining, "more question"))]
        return [Reply(REQUEST, "feedback")]

    # -- the clock ------------------------------------------------------------------------

    def _reminder(self, event: Event) -> list[Reply]:
        """Half time, 15 and 5 minutes, time up; at time up the current answer is finished."""
        left = self._time_left()
        if left is None:
            return []
        crossed = due_reminders(left, self.state.minutes * 60, self.state.reminders)
        if not crossed:
            return []
        self.state.reminders.update(crossed)
        name = crossed[0]
        replies = [self._say(f"behavioral-reminder-{name}", time_left=format_duration(left))]
        if name == "up":
            self.state.time_up = True
            if isinstance(event, Ticked):
                replies += self._at_time()
        return replies

    def _at_time(self) -> list[Reply]:
        """Time is up while the candidate is silent: a question not yet answered is left, an
        answer under way is finished first."""
        record = self.state.current
        if record is not None and self.state.phase == PROMPT and not record.answer:
            record.dropped = True
            return self._wrap_up()
        return [self._say("behavioral-finish-answer")]
