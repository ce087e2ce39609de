"""``interviewer score``: grade one or many solution folders from the command line.

The question comes from ``--question`` or from the session the workspace
belongs to (its ``events.jsonl`` beside it), which also brings the transcript
as process evidence. Several folders are scored in parallel.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from argparse import Namespace
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ._cli import EXIT_OK, EXIT_PROBLEMS, _fail
from ._events import LogError, Started
from ._grade import GRADES, WITHHELD
from ._loader import Bank, load_bank
from ._log import read_log
from ._store import LOG_NAME


@dataclass(frozen=True)
class Target:
    folder: Path
    question: str
    log: Path | None


def _expand(patterns: list[str]) -> list[Path]:
    """Folders named, and the folders a quoted glob matches (files it matches are not solutions)."""
    folders: list[Path] = []
    for pattern in patterns:
        if not any(char in pattern for char in "*?["):
            folders.append(Path(pattern))
            continue
        matches = [Path(m) for m in sorted(glob.glob(pattern)) if Path(m).is_dir()]
        if not matches:
            raise ValueError(f"{pattern}: no folder matches")
        folders += matches
    return folders


def _session_log(folder: Path, explicit: Path | None) -> Path | None:
    if explicit:
        return explicit
    for candidate in (folder / LOG_NAME, folder.parent / LOG_NAME):
        if candidate.is_file():
            return candidate
    return None


def _target(folder: Path, args: Namespace) -> Target:
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    log = _session_log(folder, args.transcript)
    question = args.question
    if log is not None:
        started = read_log(log).events[0]
        if isinstance(started, Started):
            question = question or started.question
    if not question:
        raise ValueError(f"{folder}: which question? Pass --question ID (no session log found)")
    return Target(folder, question, log)


def _score_one(bank: Bank, target: Target):
    from ._interview import Interview
    from ._process import process_evidence
    from ._scoring import score_solution

    question = bank.get(target.question)
    process = None
    if target.log is not None:
        session = Interview.replay(bank, target.log)
        last = session.engine.transcript[-1].elapsed if session.engine.transcript else 0
        process = process_evidence(question, bank.notes[question.id], session.state,
                                   session.state.started_at + last)
    folder = target.folder
    if target.log is not None and (folder / LOG_NAME).is_file():
        folder = folder / "workspace"
    return score_solution(question, bank.notes[question.id], folder, process=process)


def score_command(args: Namespace) -> int:
    from rich.console import Console

    bank = load_bank(args.bank)
    try:
        targets = [_target(folder, args) for folder in _expand(args.folders)]
        for target in targets:
            bank.get(target.question)
    except (ValueError, KeyError, LogError) as error:
        return _fail(str(error.args[0]) if error.args else str(error))
    if args.report and len(targets) != 1:
        return _fail(f"--report writes one folder's report; {len(targets)} folders were given")
    console = Console(stderr=True, highlight=False)
    cards = _score_all(bank, targets, console, quiet=args.json)
    if args.report:
        from ._report import write_report

        try:
            write_report(cards[0], args.report)
        except (OSError, ValueError) as error:
            return _fail(f"cannot write the report: {error}")
    _print(cards, args, Console(highlight=False))
    return EXIT_OK if all(c.verdict == "completed" for c in cards) else EXIT_PROBLEMS


def _score_all(bank: Bank, targets: list[Target], console, quiet: bool):
    from rich.progress import Progress

    with Progress(console=console, transient=True, disable=quiet or not console.is_terminal
                  ) as progress:
        task = progress.add_task("Running hidden tests", total=len(targets))
        # Threads suffice: each score waits on its own sandboxed child process.
        with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
            futures = [pool.submit(_score_one, bank, t) for t in targets]
            cards = []
            for future in futures:
                cards.append(future.result())
                progress.advance(task)
    return cards


def _print(cards, args: Namespace, console) -> None:
    from ._report import render_text

    if args.json:
        document = cards[0].as_dict() if len(cards) == 1 else [c.as_dict() for c in cards]
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
        return
    if len(cards) == 1:
        console.out(render_text(cards[0]), highlight=False)
        return
    from rich.table import Table

    table = Table(title="Scores", title_justify="left")
    for column in ("folder", "question", "tests passed", "score", "grade"):
        table.add_column(column)
    for card in cards:
        passed = sum(level.passed for level in card.levels)
        total = sum(level.total for level in card.levels)
        table.add_row(card.folder, card.question, f"{passed}/{total}", f"{card.score:.0%}",
                      card.grade)
    console.print(table)
    grades = Counter(card.grade for card in cards)
    console.out(f"{len(cards)} folders: " + ", ".join(
        f"{grades[grade]} {grade}" for grade in (*GRADES, WITHHELD) if grades[grade]),
        highlight=False)
