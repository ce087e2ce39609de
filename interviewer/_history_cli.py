"""The command line's side of the practice history: ``history``, ``next``, recording a
finished session, and the random pick that prefers untried questions.

Every failure of the history file is one line: on its own commands an error
(exit 1); during an interview or a random pick a warning, and the interview
carries on.
"""

from __future__ import annotations

import random
import shlex
from argparse import Namespace
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from ._cli import EXIT_OK, EXIT_PROBLEMS, _fail
from ._history import HISTORY_NAME, HistoryError, HistoryStore, SessionRecord
from ._store import data_dir

if TYPE_CHECKING:
    from ._loader import Bank
    from ._session import Session


def history_store(base: Path) -> HistoryStore:
    """The history of the data dir ``base``."""
    return HistoryStore(base / HISTORY_NAME)


def recorder(base: Path, session_id: str, console: Console) -> Callable[[Session], None]:
    """An ``on_scored`` hook that records the session; a failure is one dim line, no more."""
    from ._history import record_from_interview

    def record(interview: Session) -> None:
        try:
            history_store(base).record(record_from_interview(interview, session_id))
        except (HistoryError, OSError, ValueError) as error:
            console.print(f"Could not add this session to the practice history: {error}",
                          style="dim", markup=False)

    return record


def random_question(base: Path, choices: Sequence[str], seed: int, console: Console) -> str:
    """The seed's pick among the questions tried least (never, when there are such)."""
    from ._progress import prefer_untried

    try:
        records = history_store(base).sessions()
    except HistoryError as error:
        console.print(f"warning: {error}; picking without the history", style="yellow",
                      markup=False)
        records = []
    return prefer_untried(choices, records, random.Random(seed))


# -- interviewer history ----------------------------------------------------------------------


def history_command(args: Namespace, console: Console) -> int:
    store = history_store(data_dir(args.data_dir))
    try:
        if args.import_file:
            result = store.import_json(args.import_file)
            console.print(f"Imported {args.import_file}: {result.added} added, "
                          f"{result.updated} updated, {result.unchanged} unchanged.",
                          markup=False)
            return EXIT_OK
        if args.export:
            count = store.export_json(args.export)
            console.print(f"Exported {count} session(s) to {args.export}.", markup=False)
            return EXIT_OK
        records = store.sessions()
    except HistoryError as error:
        return _fail(str(error), EXIT_PROBLEMS)
    if args.html:
        return _write_html(records, args.html, console)
    if not records:
        console.print(f"No practice history yet (kept in {store.path}). Finish an interview "
                      "with /feedback and it will appear here.", markup=False)
        return EXIT_OK
    console.print(sessions_table(records))
    console.print(trends_table(records))
    return EXIT_OK


def _write_html(records: list[SessionRecord], target: Path, console: Console) -> int:
    from ._history_report import write_history_html

    try:
        write_history_html(records, target)
    except ValueError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write {target}: {error.strerror or error}", EXIT_PROBLEMS)
    console.print(f"Wrote the history of {len(records)} session(s) to {target}.", markup=False)
    return EXIT_OK


def sessions_table(records: Sequence[SessionRecord]) -> Table:
    """Every session, oldest first, so the latest sits just above the prompt."""
    from ._history_report import format_date, format_time_used, question_label

    table = Table(title="Sessions", title_justify="left")
    for column in ("date (UTC)", "format", "question", "grade", "score", "time used", "hints"):
        table.add_column(column, justify="right" if column in ("score", "hints") else "left")
    for r in records:
        table.add_row(format_date(r.started_at), r.format, question_label(r), r.grade,
                      f"{r.score:.0%}", format_time_used(r), str(r.hints))
    return table


def trends_table(records: Sequence[SessionRecord]) -> Table:
    from ._progress import category_trends

    table = Table(title="By category", title_justify="left")
    for column in ("category", "sessions", "mean", "latest", "trend"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for t in category_trends(records):
        table.add_row(t.category, str(t.sessions), f"{t.mean_score:.0%}",
                      f"{t.latest_score:.0%}", t.trend)
    return table


# -- interviewer next -------------------------------------------------------------------------


def next_command(args: Namespace, console: Console, bank: Bank) -> int:
    from ._progress import recommend

    try:
        records = history_store(data_dir(args.data_dir)).sessions()
    except HistoryError as error:
        return _fail(str(error), EXIT_PROBLEMS)
    advice = recommend(records, bank, _formats_offered(args, bank))
    if not records:
        console.print("No practice history yet; here is a good place to begin.", markup=False)
    if not advice:
        console.print("Nothing to suggest: the bank has no questions.", markup=False)
        return EXIT_OK
    prefix = _command_prefix(args)
    # Lines, not a table: a command wrapped inside a table cell cannot be copied whole.
    console.print("What to practise next:", style="bold")
    for number, item in enumerate(advice, start=1):
        console.print(f"{number:>2}. {item.reason}", markup=False)
        console.print(f"    {item.command(prefix)}", markup=False, soft_wrap=True, style="cyan")
    return EXIT_OK


def _formats_offered(args: Namespace, bank: Bank) -> list[str]:
    """Formats that can start here, practice aside: it is a warm-up, not a format one does."""
    from ._behavioral_bank import bank_beside, load_behavioral_bank
    from ._formats import startable_formats
    from ._progress import UNTIMED_FORMAT

    prompts = len(load_behavioral_bank(bank_beside(args.bank)))
    return [name for name in startable_formats(bank, prompts) if name != UNTIMED_FORMAT]


def _command_prefix(args: Namespace) -> str:
    """``python -m interviewer``, with the data dir and bank this command was given."""
    parts = ["python -m interviewer"]
    if args.data_dir:
        parts.append(f"--data-dir {shlex.quote(str(args.data_dir))}")
    if args.bank:
        parts.append(f"--bank {shlex.quote(str(args.bank))}")
    return " ".join(parts)
