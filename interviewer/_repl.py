"""The REPL: keystrokes in, rendered replies out. A thin layer over ``Interview``.

Two front ends share one loop: a prompt-toolkit prompt (history, completion,
a live bottom toolbar) when the terminal is interactive, and plain line
reading when input is piped, so the REPL can be scripted with no escape codes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar, Protocol

from rich.console import Console
from rich.markdown import CodeBlock, Markdown
from rich.panel import Panel
from rich.text import Text

from ._clock import format_duration
from ._interview import Interview
from ._replies import INFO, RESULTS, SAY, STATEMENT, TRANSCRIPT, Reply
from ._session import Session

PROMPT = "you> "


class LineSource(Protocol):
    def ask(self, prompt: str) -> str | None:
        """One line from the candidate; None at end of input. May raise KeyboardInterrupt."""
        ...


class PipedLines:
    """Reads lines from a non-interactive stdin; echoes each so the output reads as a dialogue."""

    def __init__(self, stream=None, console: Console | None = None) -> None:
        self.stream = stream or sys.stdin
        self.console = console

    def ask(self, prompt: str) -> str | None:
        line = self.stream.readline()
        if not line:
            return None
        if self.console:
            self.console.print(f"{prompt}{line.rstrip()}", markup=False, highlight=False)
        return line.rstrip("\n")


IDLE_CHECK_SECONDS = float(os.environ.get("INTERVIEWER_IDLE_CHECK_SECONDS", "5"))


class TerminalLines:
    """prompt-toolkit input: persistent history, command completion, a live toolbar.

    While the candidate is away in their editor the prompt just waits, but a real
    interviewer would still speak up ("five minutes left", "let's move on"). So
    every few seconds ``on_idle`` is asked for anything to say, and what it returns
    is printed above the prompt, which is then drawn again.
    """

    def __init__(self, history_file: Path, toolbar=None, commands: list[str] | None = None,
                 on_idle: Callable[[], Callable[[], None] | None] | None = None,
                 **session_options) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter
        from prompt_toolkit.history import FileHistory, InMemoryHistory

        try:
            history_file.parent.mkdir(parents=True, exist_ok=True)
            history = FileHistory(str(history_file))
        except OSError:
            history = InMemoryHistory()
        completer = WordCompleter([f"/{c}" for c in commands or []], sentence=True)
        self._session = PromptSession(history=history, completer=completer,
                                      bottom_toolbar=toolbar, refresh_interval=1.0,
                                      complete_while_typing=False, **session_options)
        self.on_idle = on_idle

    def ask(self, prompt: str) -> str | None:
        try:
            return self._session.prompt(prompt, pre_run=self._watch_the_clock)
        except EOFError:
            return None

    def _watch_the_clock(self) -> None:
        if self.on_idle is None:
            return
        from prompt_toolkit.application import get_app

        get_app().create_background_task(self._idle_loop())

    async def _idle_loop(self) -> None:
        import asyncio

        from prompt_toolkit.application import run_in_terminal

        while True:
            await asyncio.sleep(IDLE_CHECK_SECONDS)
            show = self.on_idle() if self.on_idle else None
            if show is not None:
                await run_in_terminal(show)


class _PlainCodeBlock(CodeBlock):
    """A code block shown as written, without syntax colouring.

    Colouring needs pygments to compile its Python lexer, about a quarter of a
    second on these machines, before the candidate sees the first prompt.
    """

    def __rich_console__(self, console, options):
        code = str(self.text).rstrip()
        yield Panel(Text(code, style="bold"), expand=False, border_style="dim")


class QuestionMarkdown(Markdown):
    """``QUESTION.md`` rendered by rich, its code blocks verbatim and uncoloured."""

    elements: ClassVar[dict] = {**Markdown.elements, "fence": _PlainCodeBlock,
                                "code_block": _PlainCodeBlock}


class Renderer:
    """Turns replies into rich renderables; plain text when output is not a terminal."""

    def __init__(self, console: Console, rich_markdown: bool) -> None:
        self.console = console
        self.rich_markdown = rich_markdown

    def show(self, replies: list[Reply]) -> None:
        for reply in replies:
            self._show_one(reply)

    def _show_one(self, reply: Reply) -> None:
        out = self.console
        if reply.kind == STATEMENT:
            if self.rich_markdown:
                out.print(QuestionMarkdown(reply.text))
            else:
                out.out(reply.text, highlight=False)
        elif reply.kind == SAY:
            out.print(Text("interviewer: ", style="bold cyan") + Text(reply.text))
        elif reply.kind == RESULTS:
            out.print(Panel(Text(reply.text), expand=False) if self.rich_markdown
                      else Text(reply.text))
        elif reply.kind in (INFO, TRANSCRIPT):
            out.print(Text(reply.text))

    def note(self, text: str, style: str = "dim") -> None:
        self.console.print(Text(text, style=style if self.rich_markdown else ""))


def toolbar_text(interview: Interview) -> str:
    """Phase, level and clock: what the candidate glances at."""
    state = interview.state
    parts = [f"{interview.question.id} {interview.question.title}", f"phase: {state.phase}"]
    if len(interview.question.levels) > 1:
        parts.append(f"level {state.level}/{len(interview.question.levels)}")
    left = interview.time_left()
    parts.append("untimed" if left is None else f"{format_duration(left)} left")
    return "  |  ".join(parts)


def toolbar_style(interview: Interview) -> str:
    """The clock turns amber under a quarter of the time box and red under five minutes."""
    left, box = interview.time_left(), interview.state.minutes * 60
    if left is None or not box:
        return ""
    if left <= 300:
        return "bg:ansired fg:white"
    if left <= box / 4:
        return "bg:ansiyellow fg:black"
    return ""


def _confirm_quit(lines: LineSource, renderer: Renderer) -> bool:
    renderer.note("Everything so far is saved. Quit now? [y/N]", style="yellow")
    try:
        answer = lines.ask("quit? ")
    except KeyboardInterrupt:
        return True
    return answer is None or answer.strip().lower() in ("y", "yes")


@contextlib.contextmanager
def _busy(renderer: Renderer, message: str) -> Iterator[None]:
    if renderer.rich_markdown:
        with renderer.console.status(message):
            yield
    else:
        yield


def _save_refusal(interview: Session, target: Path) -> str | None:
    """Why the transcript must not go to ``target``: never over question data or the code."""
    resolved = target.resolve()
    bank, solution = interview.bank_folder(), interview.solution_file()
    if bank is not None and resolved.is_relative_to(bank):
        return f"Not saving into the question bank ({bank}); choose another path."
    if solution is not None and resolved == solution.resolve():
        return f"Not saving over your solution {solution.name}; choose another path."
    if resolved.is_dir():
        return f"{target} is a folder; give a file name."
    return None


def _save(interview: Interview, argument: str, default: Path, renderer: Renderer) -> None:
    target = Path(argument).expanduser() if argument else default
    refusal = _save_refusal(interview, target)
    if refusal:
        renderer.note(refusal, style="red")
        return
    try:
        target.write_text(interview.transcript(), encoding="utf-8")
    except OSError as error:
        renderer.note(f"Could not save the transcript to {target}: {error.strerror or error}",
                      style="red")
        return
    renderer.note(f"Transcript saved to {target}")


def run_loop(interview: Interview, lines: LineSource, renderer: Renderer,
             transcript_path: Path) -> int:
    """Read, feed, render until the candidate quits or input ends."""
    while True:
        renderer.show(interview.tick())
        try:
            raw = lines.ask(PROMPT)
        except KeyboardInterrupt:
            if _confirm_quit(lines, renderer):
                renderer.show(interview.command("/quit"))
                return 0
            continue
        if raw is None:
            renderer.note("End of input: the session is saved and can be resumed.")
            return 0
        text = raw.strip()
        if not text:
            continue
        if not text.startswith("/"):
            renderer.show(interview.say(text))
            continue
        name, _, argument = text[1:].partition(" ")
        running = name.lower() in ("run", "submit")
        with _busy(renderer, "Running tests...") if running else contextlib.nullcontext():
            renderer.show(interview.command(text))
        if name.lower() == "save":
            _save(interview, argument.strip(), transcript_path, renderer)
        if name.lower() == "quit":
            return 0
