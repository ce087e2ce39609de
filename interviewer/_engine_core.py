"""What both interview engines share: the transcript, the voice and the time.

``Engine`` (a coding question) and ``BehavioralEngine`` fold different events
into different states, but each records the candidate's lines and its own in
the same transcript, picks its wording from the same seeded voice, and reads
time only from the event being folded. That part lives here once, so the two
transcripts cannot drift apart in form.
"""

from __future__ import annotations

from typing import Any

from ._clock import format_duration
from ._events import Commanded, Event, Said, Started
from ._replies import INFO, REQUEST, SAY, TRANSCRIPT, Line, Reply, render_transcript
from ._voice import line


class EngineCore:
    """The transcript, ``_say`` and the clock of an engine; ``state`` is the subclass's.

    The state must have ``seed``, ``replies`` (the voice counter), ``started_at``,
    ``minutes`` and ``deadline``.
    """

    state: Any

    def __init__(self) -> None:
        self.transcript: list[Line] = []
        self._now = 0.0

    def transcript_text(self) -> str:
        return render_transcript(self.transcript)

    def _begin(self, event: Event) -> None:
        """Take the event's time as now and record what the candidate said or typed."""
        if not self.state.started_at and not isinstance(event, Started):
            raise ValueError("the first event of a session must be Started")
        self._now = event.at
        text = None
        if isinstance(event, Said):
            text = event.text
        elif isinstance(event, Commanded):
            text = f"/{event.name} {event.argument}".rstrip()
        if text is not None:
            self.transcript.append(Line(event.at - self.state.started_at, "candidate", text))

    def _end(self, replies: list[Reply]) -> list[Reply]:
        """Record what the interviewer says (not requests or transcript dumps); pass it on."""
        for reply in replies:
            if reply.kind not in (REQUEST, TRANSCRIPT):
                self.transcript.append(Line(self._elapsed(), "interviewer", reply.text))
        return replies

    def _say(self, key: str, **values: object) -> Reply:
        self.state.replies += 1
        return Reply(SAY, line(key, self.state.seed, self.state.replies, **values))

    def _elapsed(self) -> float:
        return self._now - self.state.started_at

    def _active_elapsed(self) -> float:
        """Time spent in the session; an engine whose clock can pause leaves pauses out."""
        return self._elapsed()

    def _time_left(self) -> float | None:
        deadline = self.state.deadline
        return None if deadline is None else max(0.0, deadline - self._now)

    def _time_reply(self) -> list[Reply]:
        """``/time`` and "how long do I have": the time left, or the time spent if untimed."""
        left = self._time_left()
        if left is None:
            return [self._say("untimed", elapsed=format_duration(self._active_elapsed()))]
        return [self._say("time-left", time_left=format_duration(left),
                          time_box=format_duration(self.state.minutes * 60))]

    @staticmethod
    def _help_reply(commands: dict[str, str], closing: str) -> Reply:
        rows = [f"/{name:<11} {meaning}" for name, meaning in commands.items()]
        rows.append(closing)
        return Reply(INFO, "Commands:\n" + "\n".join(rows))
