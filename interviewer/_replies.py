"""What the engine gives back: replies to show and the transcript they form."""

from __future__ import annotations

from dataclasses import dataclass

# Reply kinds, so that a front end can render each in its own way.
STATEMENT = "statement"    # QUESTION.md, verbatim (Markdown)
SAY = "say"                # the interviewer speaking
RESULTS = "results"        # test results
INFO = "info"              # facts: commands, the transcript, time
REQUEST = "request"        # asks the driver to act (e.g. produce feedback); not shown
TRANSCRIPT = "transcript"  # the transcript itself; not part of the transcript


@dataclass(frozen=True)
class Reply:
    kind: str
    text: str


@dataclass(frozen=True)
class Line:
    """One line of the transcript: who spoke, when (seconds into the session), what."""

    elapsed: float
    speaker: str
    text: str

    def render(self) -> str:
        minutes, seconds = divmod(int(self.elapsed), 60)
        head = f"[{minutes:02d}:{seconds:02d}] {self.speaker}:"
        if "\n" in self.text:
            return f"{head}\n{self.text.rstrip()}\n"
        return f"{head} {self.text}"


def render_transcript(lines: list[Line]) -> str:
    """The transcript as plain text; byte-identical for the same events."""
    return "\n".join(line.render() for line in lines) + ("\n" if lines else "")
