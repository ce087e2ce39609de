"""The CLI's commands: each turns parsed arguments into library calls and output.

Every expected failure (a question that does not exist, a workspace that is
not writable, a damaged log) ends with one clear line on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import shutil
import sys
import time
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from ._cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, _fail
from ._clock import SystemClock
from ._events import LogError
from ._formats import FORMATS, startable_formats
from ._interview import Interview
from ._loader import Bank, load_bank
from ._repl import (
    LineSource,
    PipedLines,
    Renderer,
    TerminalLines,
    run_loop,
    toolbar_style,
    toolbar_text,
)
from ._store import LOG_NAME, SessionNotFound, data_dir, find_session_log, new_session_dir
from ._workspace import WorkspaceError

if TYPE_CHECKING:
    from ._behavioral_bank import BehavioralBank


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _console() -> Console:
    if _interactive():
        return Console(highlight=False)
    return Console(highlight=False, no_color=True, force_terminal=False, soft_wrap=True,
                   width=100)


def _bank(args: Namespace, console: Console, only: str | None = None) -> Bank:
    bank = load_bank(args.bank, only=only)
    for problem in bank.problems:
        console.print(f"warning: {problem} (question skipped; see `interviewer validate`)",
                      markup=False, style="yellow")
    return bank


class _Toolbar:
    """The bottom toolbar's text and colour, once an interview exists; and what the
    interviewer says while the candidate is quiet at the prompt."""

    def __init__(self) -> None:
        self.interview: Interview | None = None
        self.renderer: Renderer | None = None

    def idle(self):
        """Let time pass; a function that shows what the interviewer said, if anything."""
        if self.interview is None or self.renderer is None:
            return None
        replies = self.interview.tick()
        if not replies:
            return None
        renderer = self.renderer
        return lambda: renderer.show(replies)

    def __call__(self):
        from prompt_toolkit.formatted_text import FormattedText

        if self.interview is None:
            return "choose a format and a question"
        return FormattedText([(toolbar_style(self.interview), toolbar_text(self.interview))])


def _line_source(args: Namespace, console: Console, toolbar: _Toolbar) -> LineSource:
    if not _interactive():
        return PipedLines(console=console)
    from ._engine import COMMANDS

    history = data_dir(args.data_dir) / "input-history"
    return TerminalLines(history, toolbar=toolbar, commands=list(COMMANDS), on_idle=toolbar.idle)


def _questions_table(bank: Bank) -> Table:
    table = Table(title="Questions", title_justify="left")
    for column in ("id", "title", "category", "formats", "time box"):
        table.add_column(column)
    for q in bank:
        table.add_row(q.id, q.title, q.category, ", ".join(q.formats), f"{q.minutes} min")
    return table


def _formats_table(bank: Bank, behavioral: BehavioralBank | None = None) -> Table:
    table = Table(title="Formats", title_justify="left")
    for column in ("format", "time", "shape", "questions"):
        table.add_column(column)
    for f in FORMATS.values():
        if f.name == "behavioral":
            size = len(behavioral) if behavioral is not None else 0
            table.add_row(f.name, f.time, f.shape, f"{size} prompts" if size else "none yet")
            continue
        chosen = list(bank) if f.name == "practice" else bank.for_format(f.name)
        ids = [q.id for q in chosen]
        table.add_row(f.name, f.time, f.shape, ", ".join(ids) or "none yet")
    return table


def _ask(lines: LineSource, prompt: str) -> str:
    answer = lines.ask(prompt)
    if answer is None:
        raise EOFError
    return answer.strip()


def _choose_format(args: Namespace, bank: Bank, lines: LineSource, console: Console,
                   behavioral: BehavioralBank | None = None) -> str:
    offered = startable_formats(bank, len(behavioral) if behavioral is not None else 0)
    if args.format:
        return args.format
    default = "live" if "live" in offered else offered[0]
    while True:
        answer = _ask(lines, f"format [{default}]: ") or default
        if answer in offered:
            return answer
        console.print(f"Please choose one of: {', '.join(offered)}", markup=False)


def _choose_question(args: Namespace, bank: Bank, fmt: str, seed: int, lines: LineSource,
                     console: Console) -> str:
    choices = [q.id for q in bank] if fmt == "practice" else [q.id for q in bank.for_format(fmt)]
    if not choices and args.question and args.question != "random":
        question = bank.get(args.question)            # KeyError names the known ids
        raise KeyError(f"question {question.id} is not offered in format '{fmt}' (its formats: "
                       f"{', '.join(question.formats)}; every question also runs in practice)")
    if not choices:
        raise KeyError(f"no question is offered in format '{fmt}'")
    answer = args.question
    while True:
        if answer is None:
            prompt = f"question ({', '.join(choices)} or random) [random]: "
            answer = _ask(lines, prompt) or "random"
        if answer == "random":
            from ._history_cli import random_question

            return random_question(data_dir(args.data_dir), choices, seed, console)
        key = answer.zfill(2) if answer.isdigit() else answer
        if key in choices:
            return key
        if args.question is not None:
            raise KeyError(f"no question '{answer}' in format '{fmt}' (choose from "
                           f"{', '.join(choices)})")
        console.print(f"There is no question '{answer}' here; choose from {', '.join(choices)}.",
                      markup=False)
        answer = None


def _choose_minutes(args: Namespace, fmt: str, lines: LineSource, console: Console
                    ) -> int | None:
    """The time box: --minutes, or the candidate's pick where the format offers a choice."""
    choices = FORMATS[fmt].minute_choices
    if args.minutes is not None or not choices:
        return args.minutes
    unit = "hours" if all(minutes % 60 == 0 for minutes in choices) else "minutes"
    labels = [str(minutes // 60 if unit == "hours" else minutes) for minutes in choices]
    while True:
        answer = (_ask(lines, f"time box in {unit} ({', '.join(labels)}) [{labels[0]}]: ")
                  or labels[0])
        if answer in labels:
            return choices[labels.index(answer)]
        console.print(f"Please choose {', '.join(labels)} {unit}.", markup=False)


def _seed(args: Namespace) -> int:
    """``--seed``, or one from the clock: printed with the session, so it can be replayed."""
    return args.seed if args.seed is not None else int(time.time()) % 1_000_000


def cmd_start(args: Namespace) -> int:
    console = _console()
    if args.format == "behavioral":      # prompts only: the question bank is not needed
        return _start_behavioral(args, console, _behavioral_bank(args, console))
    # A named question and format need only that question's folder: a quicker start.
    named = args.question if args.format and args.question != "random" else None
    bank = _bank(args, console, only=named)
    if not len(bank):
        return _fail("no questions could be loaded; run `interviewer validate` for details")
    toolbar = _Toolbar()
    lines = _line_source(args, console, toolbar)
    seed = _seed(args)
    if args.format and args.format not in FORMATS:
        return _fail(f"unknown format '{args.format}' (choose from {', '.join(FORMATS)})")
    behavioral = None if args.format else _behavioral_bank(args, console)
    try:
        if not args.question or not args.format:
            console.print("Welcome to the practice interviewer.", style="bold")
            console.print(_formats_table(bank, behavioral))
            console.print(_questions_table(bank))
        fmt = _choose_format(args, bank, lines, console, behavioral)
        if fmt == "behavioral":
            return _start_behavioral(args, console, behavioral, lines, toolbar, seed)
        question_id = _choose_question(args, bank, fmt, seed, lines, console)
        args.minutes = _choose_minutes(args, fmt, lines, console)
    except EOFError:
        return _fail("no input: choose a format and a question (or pass --format/--question)")
    except KeyError as error:
        return _fail(str(error.args[0]))
    return _run_new(args, bank, fmt, question_id, seed, console, lines, toolbar)


def _run_new(args: Namespace, bank: Bank, fmt: str, question_id: str, seed: int,
             console: Console, lines: LineSource, toolbar: _Toolbar) -> int:
    clock = SystemClock()
    base = data_dir(args.data_dir)
    try:
        folder = new_session_dir(base, question_id, clock.now())
    except OSError as error:
        return _fail(f"cannot create a session folder in {base}: {error.strerror or error}")
    workspace = args.workspace or folder / "workspace"
    try:
        interview = Interview.start(bank, question_id, workspace=workspace, format=fmt, seed=seed,
                                    clock=clock, log_path=folder / LOG_NAME, minutes=args.minutes)
    except (WorkspaceError, ValueError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _fail(str(error))
    console.print(f"Session {folder.name} (seed {seed}). Workspace: {Path(workspace).resolve()}",
                  markup=False, style="dim")
    return _converse(interview, console, lines, toolbar, folder, base)


def _converse(interview: Interview, console: Console, lines: LineSource, toolbar: _Toolbar,
              folder: Path, base: Path) -> int:
    from ._history_cli import recorder

    interview.on_scored = recorder(base, folder.name, console)
    toolbar.interview = interview
    renderer = Renderer(console, rich_markdown=_interactive())
    toolbar.renderer = renderer
    renderer.show(interview.history)
    try:
        return run_loop(interview, lines, renderer, folder / "transcript.txt")
    finally:
        interview.close()


def cmd_resume(args: Namespace) -> int:
    console = _console()
    base = data_dir(args.data_dir)
    try:
        log = find_session_log(base, args.session)
        interview = _reopen(args, log, resume=True, console=console)
    except (SessionNotFound, LogError, KeyError, ValueError) as error:
        return _fail(str(error.args[0]) if error.args else str(error))
    toolbar = _Toolbar()
    lines = _line_source(args, console, toolbar)
    console.print(f"Resuming session {log.parent.name}. The conversation so far:", style="dim")
    console.out(interview.transcript(), highlight=False)
    left = interview.time_left()
    if left is not None:
        from ._clock import format_duration

        console.print(f"Time left: {format_duration(left)}.", style="dim")
    interview.history.clear()
    return _converse(interview, console, lines, toolbar, log.parent, base)


def cmd_replay(args: Namespace) -> int:
    try:
        log = find_session_log(data_dir(args.data_dir), args.session)
        interview = _reopen(args, log, resume=False)
    except (SessionNotFound, LogError, KeyError, ValueError) as error:
        return _fail(str(error.args[0]) if error.args else str(error))
    sys.stdout.write(interview.transcript())
    return EXIT_OK


def cmd_list(args: Namespace) -> int:
    console = _console()
    bank = _bank(args, console)
    console.print(_formats_table(bank, _behavioral_bank(args, console)))
    console.print(_questions_table(bank))
    return EXIT_OK


# -- the behavioural format: prompts from behavioral/, no question and no workspace -----------


def _behavioral_bank(args: Namespace, console: Console) -> BehavioralBank:
    """The prompts beside the question bank (``--bank``), or the built-in ones."""
    from ._behavioral_bank import bank_beside, load_behavioral_bank

    bank = load_behavioral_bank(bank_beside(args.bank))
    for problem in bank.problems:
        console.print(f"warning: {problem} (prompt skipped; see `interviewer validate`)",
                      markup=False, style="yellow")
    return bank


def _start_behavioral(args: Namespace, console: Console, bank: BehavioralBank,
                      lines: LineSource | None = None, toolbar: _Toolbar | None = None,
                      seed: int | None = None) -> int:
    """Ask the time box, start a ``BehavioralInterview`` (``--question`` names the first
    prompt) and converse."""
    from ._behavioral_session import BehavioralInterview

    if not len(bank):
        return _fail("no behavioural prompts could be loaded; run `interviewer validate "
                     "behavioral` for details")
    first = args.question if args.question not in (None, "random") else None
    if first is not None and first not in bank:
        return _fail(f"no behavioural prompt '{first}' (choose from {', '.join(bank.prompts)})")
    toolbar = toolbar or _Toolbar()
    lines = lines or _line_source(args, console, toolbar)
    seed = seed if seed is not None else _seed(args)
    try:
        minutes = _choose_minutes(args, "behavioral", lines, console)
    except EOFError:
        return _fail("no input: choose a time box (or pass --minutes)")
    clock = SystemClock()
    base = data_dir(args.data_dir)
    try:
        folder = new_session_dir(base, "behavioral", clock.now())
    except OSError as error:
        return _fail(f"cannot create a session folder in {base}: {error.strerror or error}")
    try:
        interview = BehavioralInterview.start(bank, minutes=minutes, seed=seed, first=first,
                                              clock=clock, log_path=folder / LOG_NAME)
    except (KeyError, ValueError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _fail(str(error.args[0]) if error.args else str(error))
    console.print(f"Session {folder.name} (seed {seed}).", markup=False, style="dim")
    return _converse(interview, console, lines, toolbar, folder, base)


def _reopen(args: Namespace, log: Path, *, resume: bool, console: Console | None = None):
    """A logged session resumed or replayed: behavioural or coding, as its first event says."""
    from ._behavioral_session import BehavioralInterview, is_behavioral_log

    if is_behavioral_log(log):
        from ._behavioral_bank import bank_beside, load_behavioral_bank

        prompts = load_behavioral_bank(bank_beside(args.bank))
        return (BehavioralInterview.resume(prompts, log) if resume
                else BehavioralInterview.replay(prompts, log))
    bank = _bank(args, console) if console is not None else load_bank(args.bank)
    return Interview.resume(bank, log) if resume else Interview.replay(bank, log)


def cmd_validate(args: Namespace) -> int:
    from ._validate import validate_path

    report = validate_path(args.folder or args.bank, strict=args.strict)
    for problem in report.problems:
        print(problem)
    status = "ok" if report.ok else f"{len(report.errors)} error(s)"
    counts = [f"{report.checked} question(s)"] if report.checked or not report.prompts else []
    counts += [f"{report.prompts} behavioural prompt(s)"] if report.prompts else []
    print(f"{', '.join(counts)} checked: {status}"
          + (f", {len(report.warnings)} warning(s)" if report.warnings else ""))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_history(args: Namespace) -> int:
    from ._history_cli import history_command

    return history_command(args, _console())


def cmd_next(args: Namespace) -> int:
    from ._history_cli import next_command

    console = _console()
    return next_command(args, console, _bank(args, console))


def cmd_score(args: Namespace) -> int:
    from ._score_cli import score_command

    return score_command(args)


__all__ = ["EXIT_PROBLEMS", "EXIT_USAGE", "cmd_history", "cmd_list", "cmd_next", "cmd_replay",
           "cmd_resume", "cmd_score", "cmd_start", "cmd_validate"]
