"""Evaluate the clarification matcher and the global intents on labelled phrasings.

Run on demand from the repository root::

    python benchmarks/bench_matcher.py            # every set, with the misses
    python benchmarks/bench_matcher.py --quiet    # figures only

Labelled sets are read from ``tests/data/matcher/`` (their questions from
``questions/*/script.yaml``) and from the matcher fixture in
``tests/fixtures/matcher/``. For each set it prints the accuracy on
positives, the false-match rate on negatives, the intent accuracy, the median
and 99th percentile time of one ``match`` call, and the misses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interviewer._matcher_eval import Report, evaluate_path, labelled_sets  # noqa: E402

DATA = ROOT / "tests" / "data" / "matcher"
FIXTURES = ROOT / "tests" / "fixtures" / "matcher"
QUESTION_ROOTS = (ROOT / "questions", FIXTURES)


def describe(report: Report, quiet: bool) -> list[str]:
    """The lines printed for one labelled set."""
    title = report.name + (f" (question {report.question})" if report.question else "")
    lines = [title]
    if report.positives or report.negatives:
        lines += [
            f"  accuracy     {report.accuracy:7.1%}  ({report.correct}/{report.positives})",
            f"  false match  {report.false_match_rate:7.1%}  "
            f"({report.false_matches}/{report.negatives})",
        ]
    if report.intents:
        lines.append(f"  intents      {report.intent_accuracy:7.1%}  "
                     f"({report.intents_correct}/{report.intents})")
    if report.positives or report.negatives:
        lines.append(f"  match time   median {report.median_us:.0f} us, "
                     f"p99 {report.p99_us:.0f} us")
    if not quiet:
        for miss in report.misses:
            lines.append(f"  MISS {miss.kind:<8} {miss.text!r}: expected {miss.expected}, "
                         f"got {miss.got}" + (f"  [{miss.detail}]" if miss.detail else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args(argv)
    for path in labelled_sets(DATA, FIXTURES):
        print("\n".join(describe(evaluate_path(path, QUESTION_ROOTS), args.quiet)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
