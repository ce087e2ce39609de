"""Command line: parse arguments, call the library, print. Nothing else lives here.

Heavy modules (rich, prompt-toolkit, the engine) are imported inside the
commands that need them, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _add_start_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--question", "-q", metavar="ID",
                        help="question id (e.g. 01), or 'random'; asked for when omitted "
                             "(behavioral: the prompt to ask first)")
    parser.add_argument("--format", "-f", metavar="FORMAT",
                        help="takehome, codesignal, live, perf-deep-dive, gpu-deep-dive, "
                             "practice, behavioral")
    parser.add_argument("--seed", type=int, help="makes 'random' and the interviewer's wording "
                                                 "reproducible")
    parser.add_argument("--workspace", type=Path, metavar="DIR",
                        help="where to put the starter file (default: inside the session folder)")
    parser.add_argument("--minutes", type=int, help="override the time box")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interviewer",
        description="An offline practice interviewer for performance-engineering interviews. "
                    "With no command, starts an interview.",
    )
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where sessions and history are kept")
    parser.add_argument("--bank", type=Path, metavar="DIR",
                        help="a folder of questions to use instead of the built-in bank")
    _add_start_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("list", help="list the formats and questions")
    resume = sub.add_parser("resume", help="continue a session (default: the latest)")
    resume.add_argument("session", nargs="?", help="session id, folder or events.jsonl")
    replay = sub.add_parser("replay", help="re-run a session's log and print its transcript")
    replay.add_argument("session", help="session id, folder or events.jsonl")
    validate = sub.add_parser("validate", help="check question folders; problems as "
                                               "path:line: message")
    validate.add_argument("folder", nargs="?", type=Path, help="a question folder or a bank "
                                                               "(default: the built-in bank)")
    validate.add_argument("--strict", action="store_true",
                          help="also enforce the question standard and run references, "
                               "starters and mutants")
    score = sub.add_parser("score", help="grade solution folders")
    score.add_argument("folders", nargs="+", help="solution folders or globs")
    score.add_argument("--question", "-q", metavar="ID")
    score.add_argument("--json", action="store_true", help="print one JSON document")
    score.add_argument("--report", type=Path, metavar="FILE", help="write out.md or out.html")
    score.add_argument("--transcript", type=Path, metavar="LOG", help="a session's events.jsonl")
    history = sub.add_parser("history", help="your finished sessions and per-category trends")
    action = history.add_mutually_exclusive_group()
    action.add_argument("--html", type=Path, metavar="FILE",
                        help="write a self-contained report with charts")
    action.add_argument("--export", type=Path, metavar="FILE", help="write the history as JSON")
    action.add_argument("--import", dest="import_file", type=Path, metavar="FILE",
                        help="merge a JSON export into the history")
    sub.add_parser("next", help="what to practise next, with the command to start it")
    sub.add_parser("takehome", help="take-home diagnostics: analyze, trace (see "
                                    "`interviewer takehome --help`)")
    return parser


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"interviewer: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["takehome"]:
        # The take-home diagnostics parse their own arguments, --help included.
        from .takehome.cli import main as takehome_main

        return takehome_main(argv[1:])
    args = build_parser().parse_args(argv)
    command = args.command or "start"
    try:
        from . import _commands

        return getattr(_commands, f"cmd_{command}")(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
