"""What scoring costs: ``score`` on question 01's strong reference against a bare pytest run.

Both run the same hidden tests (every level of question 01) on the same
solution, each in a child process; ``score`` also copies the folder into the
sandbox, applies the limits, measures the code with radon and evaluates the
rubric. The bare run gets a ``conftest.py`` with the same ``solution``
fixture and plugin autoloading off, as the sandbox runs pytest. The script
prints the medians and the overhead ratio.

    python benchmarks/bench_score.py [--repeats 7] [--question 01]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_sandbox import CONFTEST, time_runs  # noqa: E402

from interviewer import load_bank  # noqa: E402
from interviewer._scoring import score_solution  # noqa: E402
from interviewer._standard import count_tests  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--question", default="01")
    args = parser.parse_args()

    bank = load_bank()
    question, notes = bank.get(args.question), bank.notes[args.question]
    strong = ROOT / "tests" / "reference" / args.question / "strong.py"
    tests = [question.folder / level.tests for level in question.levels]

    with tempfile.TemporaryDirectory(prefix="bench-score-") as scratch:
        workspace, bare = Path(scratch) / "workspace", Path(scratch) / "bare"
        for folder in (workspace, bare):
            folder.mkdir()
            shutil.copyfile(strong, folder / question.entry)
        for test in tests:
            shutil.copyfile(test, bare / test.name)
        (bare / "conftest.py").write_text(CONFTEST.replace('"solution"',
                                                           f'"{Path(question.entry).stem}"'))

        def scored() -> None:
            card = score_solution(question, notes, workspace)
            assert card.grade == "Strong Hire", card.grade

        def plain() -> None:
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
                       PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
            subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            *[t.name for t in tests]], cwd=bare, env=env, check=True,
                           capture_output=True)

        score_times = time_runs(scored, args.repeats)
        bare_times = time_runs(plain, args.repeats)

    count = sum(count_tests(test) for test in tests)
    print(f"question {args.question}: {count} hidden tests, median of {args.repeats} runs")
    print(f"  score (sandbox, radon, rubric)   {statistics.median(score_times) * 1000:7.1f} ms")
    print(f"  python -m pytest (bare)          {statistics.median(bare_times) * 1000:7.1f} ms")
    ratio = statistics.median(score_times) / statistics.median(bare_times)
    print(f"  overhead ratio (score / bare): {ratio:.2f}x")


if __name__ == "__main__":
    main()
