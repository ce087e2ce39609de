"""Evaluate the behavioural answer analysis on the labelled answers.

Run on demand from the repository root::

    python benchmarks/bench_answer_analysis.py            # figures and the misses
    python benchmarks/bench_answer_analysis.py --quiet    # figures only

Reads every ``tests/data/behavioral/*.yaml`` (their prompts from the built-in
``behavioral/`` bank) and prints the accuracy of each property (STAR parts,
ownership, quantified, reflection, length), the median time of one
``analyse_answer`` call over a few rounds, and each miss.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interviewer._answer_eval import PROPERTIES, evaluate, read_labelled  # noqa: E402
from interviewer._behavioral_bank import load_behavioral_bank  # noqa: E402

DATA = ROOT / "tests" / "data" / "behavioral"
ROUNDS = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args(argv)
    bank = load_behavioral_bank(ROOT / "behavioral")
    labelled = read_labelled(sorted(DATA.glob("*.yaml")))
    runs = [evaluate(labelled, bank) for _ in range(ROUNDS)]
    report = runs[0]
    print(f"{report.total} labelled answers from {DATA.relative_to(ROOT)}")
    for prop in PROPERTIES:
        print(f"  {prop:<11} {report.accuracy(prop):7.1%}  ({report.correct[prop]}/{report.total})")
    median = statistics.median(seconds for run in runs for seconds in run.seconds) * 1000
    print(f"  analysis time  median {median:.2f} ms per answer")
    if not args.quiet:
        for miss in report.misses:
            print(f"  MISS {miss.source} {miss.prop}: expected {miss.expected}, got {miss.got}")
            print(f"       {miss.answer[:100]}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
