"""Diagnostics for the take-home: ``python -m interviewer takehome analyze|trace [WORKSPACE]``.

analyze  per-engine slot utilisation, the busiest engine, the resource lower
         bound and the critical path, so you see what bounds your kernel.
trace    writes trace.json (Chrome Trace Event Format, for Perfetto) and
         trace.html (a self-contained viewer that opens from disk).

Both build the workspace's kernel and run it once on the reference machine
(full size by default; --height/--rounds/--batch for a smaller problem).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .analysis import Analysis, analyze_profile
from .chrome_trace import chrome_trace
from .profiling import profile_workspace
from .trace_viewer import render_viewer
from .workspace_kernel import FULL_SIZE


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Subcommand, workspace and problem size."""
    parser = argparse.ArgumentParser(prog="interviewer takehome", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("analyze", "what bounds the kernel"),
                            ("trace", "write trace.json and trace.html")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("workspace", nargs="?", type=Path, default=Path("."),
                             help="folder holding perf_takehome.py (default: here)")
        command.add_argument("--height", type=int, default=FULL_SIZE[0], help="forest height")
        command.add_argument("--rounds", type=int, default=FULL_SIZE[1])
        command.add_argument("--batch", type=int, default=FULL_SIZE[2], help="batch size")
        command.add_argument("--seed", type=int, default=123, help="problem seed")
        if name == "analyze":
            command.add_argument("--json", action="store_true", help="print JSON instead")
        else:
            command.add_argument("--out", type=Path, default=None,
                                 help="output folder (default: the workspace)")
    return parser.parse_args(argv)


def analysis_table(analysis: Analysis) -> Table:
    """Per-engine utilisation as a rich table."""
    table = Table(title=f"Slot utilisation over {analysis.cycles} cycles")
    for column in ("engine", "slots used", "slots/cycle", "utilisation", "bound (cycles)"):
        table.add_column(column, justify="left" if column == "engine" else "right")
    for use in analysis.engines:
        style = "bold" if use.engine == analysis.busiest_engine else None
        table.add_row(use.engine, str(use.slots_used), str(use.slots_per_cycle),
                      f"{100 * use.utilisation:.1f}%", str(use.bound_cycles), style=style)
    return table


def print_analysis(console: Console, analysis: Analysis) -> None:
    """The table, then the bounds in words."""
    console.print(analysis_table(analysis))
    if not analysis.correct:
        console.print("[bold red]warning: the kernel's output values are wrong[/]")
    console.print(f"busiest engine: {analysis.busiest_engine}")
    console.print(f"resource lower bound: {analysis.resource_bound} cycles "
                  f"({analysis.resource_bound_engine})")
    console.print(f"critical path: {analysis.critical_path} cycles")
    console.print(f"lower bound: {analysis.lower_bound} cycles, limited by {analysis.limited_by}; "
                  f"you are at {analysis.cycles / max(analysis.lower_bound, 1):.2f}x of it")
    console.print(f"[dim]{analysis.note}[/]")


def run_analyze(args: argparse.Namespace, console: Console) -> int:
    """analyze: profile once and report."""
    profile = profile_workspace(args.workspace, args.height, args.rounds, args.batch, args.seed)
    analysis = analyze_profile(profile)
    if args.json:
        print(json.dumps(analysis.to_dict(), indent=2))
    else:
        print_analysis(console, analysis)
    return 0 if analysis.correct else 1


def run_trace(args: argparse.Namespace, console: Console) -> int:
    """trace: profile once and write the Chrome trace and the HTML viewer."""
    profile = profile_workspace(args.workspace, args.height, args.rounds, args.batch, args.seed)
    analysis = analyze_profile(profile)
    out = args.out if args.out is not None else args.workspace
    out.mkdir(parents=True, exist_ok=True)
    trace_path, html_path = out / "trace.json", out / "trace.html"
    trace_path.write_text(json.dumps(chrome_trace(profile)), encoding="utf-8")
    title = f"{Path(args.workspace).resolve().name}: {analysis.cycles} cycles"
    html_path.write_text(render_viewer(profile, analysis, title), encoding="utf-8")
    console.print(f"wrote {trace_path} (open in Perfetto) and {html_path} (open in a browser)")
    return 0 if analysis.correct else 1


def main(argv: list[str]) -> int:
    """Entry point used by ``python -m interviewer takehome``; returns the exit status."""
    args = parse_args(argv)
    console = Console()
    try:
        if args.command == "analyze":
            return run_analyze(args, console)
        return run_trace(args, console)
    except FileNotFoundError as error:
        console.print(f"[red]{error}[/]")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
