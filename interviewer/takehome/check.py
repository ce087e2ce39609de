"""Command line of the checker: ``python -m interviewer.takehome.check WORKSPACE [--json]``.

Prints the report (one JSON document with --json) and exits 0 when the kernel
is correct on every run, 1 otherwise. Scoring runs it in a child process.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .checker import MACHINES, CheckReport, check_workspace
from .workspace_kernel import FULL_SIZE


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The options: workspace, output format, machine, runs, seed and problem size."""
    parser = argparse.ArgumentParser(
        prog="python -m interviewer.takehome.check",
        description="Grade a take-home workspace's kernel.",
    )
    parser.add_argument("workspace", type=Path, help="folder holding perf_takehome.py")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--machine", choices=MACHINES, default="fast")
    parser.add_argument("--runs", type=int, default=8, help="problems to run (default 8)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the first problem")
    parser.add_argument("--height", type=int, default=FULL_SIZE[0], help="forest height")
    parser.add_argument("--rounds", type=int, default=FULL_SIZE[1])
    parser.add_argument("--batch", type=int, default=FULL_SIZE[2], help="batch size")
    return parser.parse_args(argv)


def summary_lines(report: CheckReport) -> list[str]:
    """A short human-readable report."""
    lines = [f"workspace {report.workspace} ({report.machine} machine)"]
    if report.error:
        lines.append(f"error: {report.error}")
    for run in report.runs:
        verdict = "correct" if run.correct else f"WRONG{f' ({run.error})' if run.error else ''}"
        lines.append(f"  run seed={run.seed}: {run.cycles} cycles, {verdict}")
    lines.append(f"graded cycles {report.cycles}, speed-up {report.speedup:.2f}x, "
                 f"{report.thresholds_passed}/{len(report.thresholds)} thresholds passed")
    for threshold, passed in report.thresholds.items():
        lines.append(f"  {'PASS' if passed else 'FAIL'}  < {threshold}")
    for use in report.utilisation:
        lines.append(f"  {use.engine:5s} {100 * use.utilisation:5.1f}% of {use.slots_per_cycle}"
                     f" slots/cycle ({use.slots_used} slots)")
    if report.harness_modified:
        lines.append(f"modified harness files: {', '.join(report.harness_modified)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the check and print it; exit status 0 only for a correct kernel."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    report = check_workspace(
        args.workspace, runs=args.runs, seed=args.seed, machine=args.machine,
        forest_height=args.height, rounds=args.rounds, batch_size=args.batch,
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print("\n".join(summary_lines(report)))
    return 0 if report.correct else 1


if __name__ == "__main__":
    sys.exit(main())
