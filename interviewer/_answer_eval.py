"""Evaluating the answer analysis on labelled answers.

A labelled set is a YAML list (``tests/data/behavioral/*.yaml``)::

    - prompt: perf-debugging          # the prompt answered (its signals are used)
      answer: At my previous job ...
      expect: {star: [situation, task, action, result], ownership: owned,
               quantified: true, reflection: false, length: good}

Each property is right or wrong on its own; accuracy is per property over
every answer of every set. The timings are reported, never judged.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._answer_analysis import AnswerAnalysis, analyse_answer
from ._behavioral_bank import STAR_PARTS, BehavioralBank
from ._yaml import load_plain

PROPERTIES = ("star", "ownership", "quantified", "reflection", "length")


@dataclass(frozen=True)
class Labelled:
    """One labelled answer, and where it came from."""

    source: str
    prompt: str
    answer: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Miss:
    source: str
    prop: str
    expected: Any
    got: Any
    answer: str


@dataclass
class Evaluation:
    total: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROPERTIES, 0))
    misses: list[Miss] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def accuracy(self, prop: str) -> float:
        return self.correct[prop] / self.total if self.total else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else 0.0


def read_labelled(paths: Iterable[Path]) -> list[Labelled]:
    """Every labelled answer of the files, in file order."""
    found = []
    for path in paths:
        for index, item in enumerate(load_plain(path.read_text(encoding="utf-8")) or []):
            found.append(Labelled(f"{path.name}#{index + 1}", item["prompt"],
                                  item["answer"], dict(item["expect"])))
    return found


def observed(analysis: AnswerAnalysis) -> dict[str, Any]:
    """The analysis in the labels' terms."""
    return {"star": list(analysis.star), "ownership": analysis.ownership,
            "quantified": analysis.quantified, "reflection": analysis.reflects,
            "length": analysis.length}


def _expected(expect: dict[str, Any]) -> dict[str, Any]:
    star = set(expect.get("star", ()))
    return {**expect, "star": [part for part in STAR_PARTS if part in star]}


def evaluate(labelled: Iterable[Labelled], bank: BehavioralBank) -> Evaluation:
    """Run the analysis on every answer; count what matches its label."""
    report = Evaluation()
    for item in labelled:
        prompt = bank.get(item.prompt)
        began = time.perf_counter()
        analysis = analyse_answer(item.answer, prompt)
        report.seconds.append(time.perf_counter() - began)
        got, expected = observed(analysis), _expected(item.expect)
        report.total += 1
        for prop in PROPERTIES:
            if got[prop] == expected[prop]:
                report.correct[prop] += 1
            else:
                report.misses.append(Miss(item.source, prop, expected[prop], got[prop],
                                          item.answer))
    return report
