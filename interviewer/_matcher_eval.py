"""Evaluating the matcher and the intents on labelled phrasings.

A labelled set is a YAML file::

    question: "01"                 # optional: a set of intents alone has none
    positives:                     # phrasing -> the clarification it asks for
      - {text: "what if I get a field that isn't there?", expect: missing-field}
    negatives:                     # phrasings that must match no clarification
      - "what's your favourite colour"
    intents:                       # phrasing -> global intent name, or null for none
      - {text: "how long have I got", expect: time}
      - {text: "can I use Go?", expect: language, argument: Go}
      - {text: "is the hint field optional", expect: null}

The evaluation follows the engine: intents are tried first, so a positive
phrasing taken for a global intent counts as a miss. Everything here is
deterministic except the timings, which are reported but never decide
accuracy.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._intents import detect_intent
from ._matcher import ClarificationSpec, Matcher
from ._yaml import load_plain

TIMING_ROUNDS = 5


@dataclass(frozen=True)
class Labelled:
    """One labelled set as read from YAML."""

    name: str
    question: str | None
    positives: tuple[tuple[str, str], ...]
    negatives: tuple[str, ...]
    intents: tuple[tuple[str, str | None, str | None], ...]   # text, name, argument


@dataclass(frozen=True)
class Miss:
    """One phrasing the pipeline got wrong."""

    kind: str              # "positive", "negative" or "intent"
    text: str
    expected: str | None
    got: str | None
    detail: str = ""


@dataclass(frozen=True)
class Report:
    """The figures of one labelled set."""

    name: str
    question: str | None
    positives: int
    correct: int
    negatives: int
    false_matches: int
    intents: int
    intents_correct: int
    median_us: float
    p99_us: float
    misses: tuple[Miss, ...] = field(default=())

    @property
    def accuracy(self) -> float:
        return self.correct / self.positives if self.positives else 1.0

    @property
    def false_match_rate(self) -> float:
        return self.false_matches / self.negatives if self.negatives else 0.0

    @property
    def intent_accuracy(self) -> float:
        return self.intents_correct / self.intents if self.intents else 1.0


def load_labelled(path: Path) -> Labelled:
    """Read a labelled set; ``name`` is the file's stem."""
    data: dict[str, Any] = load_plain(path.read_text(encoding="utf-8")) or {}
    question = data.get("question")
    return Labelled(
        name=path.stem,
        question=None if question is None else str(question),
        positives=tuple((str(p["text"]), str(p["expect"])) for p in data.get("positives") or ()),
        negatives=tuple(str(n) for n in data.get("negatives") or ()),
        intents=tuple(
            (str(i["text"]), None if i.get("expect") is None else str(i["expect"]),
             None if i.get("argument") is None else str(i["argument"]))
            for i in data.get("intents") or ()
        ),
    )


def find_script(question: str, roots: Iterable[Path]) -> Path | None:
    """The ``script.yaml`` under ``roots`` whose ``id`` is ``question``."""
    for root in roots:
        for path in sorted(Path(root).glob("*/script.yaml")):
            data = load_plain(path.read_text(encoding="utf-8")) or {}
            if str(data.get("id")) == question:
                return path
    return None


def matcher_from_script(path: Path) -> Matcher:
    """A matcher straight from a ``script.yaml`` (no dependency on the question loader)."""
    data = load_plain(path.read_text(encoding="utf-8")) or {}
    specs = [ClarificationSpec(str(c["id"]), c.get("examples", ()), c.get("keywords", ()))
             for c in data.get("clarifications") or ()]
    return Matcher.from_specs(specs, data.get("synonyms") or {})


def evaluate(labelled: Labelled, matcher: Matcher | None) -> Report:
    """Score one labelled set; ``matcher`` may be None for a set of intents alone."""
    misses: list[Miss] = []
    correct = false_matches = 0
    if matcher is not None:
        for text, expected in labelled.positives:
            got, detail = _answer(matcher, text)
            if got == expected:
                correct += 1
            else:
                misses.append(Miss("positive", text, expected, got, detail))
        for text in labelled.negatives:
            found = matcher.match(text)
            if found is not None:
                false_matches += 1
                misses.append(Miss("negative", text, None, found.id, found.why))
    intents_correct = 0
    for text, name, argument in labelled.intents:
        intent = detect_intent(text)
        got_name = intent.name if intent else None
        got_argument = intent.argument if intent else None
        if got_name == name and (argument is None or _same(argument, got_argument)):
            intents_correct += 1
        else:
            shown = f"{got_name}({got_argument})" if got_argument else got_name
            misses.append(Miss("intent", text, name if not argument else f"{name}({argument})",
                               shown))
    texts = [t for t, _ in labelled.positives] + list(labelled.negatives)
    median_us, p99_us = time_matches(matcher, texts) if matcher and texts else (0.0, 0.0)
    return Report(labelled.name, labelled.question, len(labelled.positives), correct,
                  len(labelled.negatives), false_matches, len(labelled.intents),
                  intents_correct, median_us, p99_us, tuple(misses))


def _answer(matcher: Matcher, text: str) -> tuple[str | None, str]:
    """What the engine would answer: an intent first, else the best clarification."""
    intent = detect_intent(text)
    if intent is not None:
        return f"intent:{intent.name}", ""
    found = matcher.match(text)
    if found is None:
        best = matcher.explain(text)
        return None, f"best {best[0].id} {best[0].score:.2f}: {best[0].why}" if best else ""
    return found.id, f"{found.score:.2f}: {found.why}"


def _same(expected: str, got: str | None) -> bool:
    return got is not None and expected.casefold() == got.casefold()


def time_matches(matcher: Matcher, texts: Sequence[str],
                 rounds: int = TIMING_ROUNDS) -> tuple[float, float]:
    """Median and 99th percentile of ``match`` time per utterance, in microseconds.

    Each utterance is matched once to warm caches, then ``rounds`` times; the
    figures are over the per-utterance medians, so one slow round (a garbage
    collection, another process) does not move them.
    """
    per_text = []
    for text in texts:
        matcher.match(text)
        samples = []
        for _ in range(rounds):
            start = time.perf_counter_ns()
            matcher.match(text)
            samples.append((time.perf_counter_ns() - start) / 1000)
        per_text.append(statistics.median(samples))
    per_text.sort()
    p99 = per_text[min(len(per_text) - 1, round(0.99 * (len(per_text) - 1)))]
    return statistics.median(per_text), p99


def evaluate_path(path: Path, roots: Sequence[Path]) -> Report:
    """Load a labelled set, find its question under ``roots`` and evaluate it."""
    labelled = load_labelled(path)
    matcher = None
    if labelled.question is not None:
        script = find_script(labelled.question, roots)
        if script is None:
            raise FileNotFoundError(f"{path.name}: question {labelled.question!r} not found "
                                    f"under {', '.join(str(r) for r in roots)}")
        matcher = matcher_from_script(script)
    return evaluate(labelled, matcher)


def labelled_sets(*folders: Path) -> list[Path]:
    """Every labelled set (``*.yaml``) in ``folders``, in a stable order."""
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.yaml"))]
