"""What the history says about progress: trends per category, what to practise next,
and a random pick that prefers questions not yet tried.

Pure functions over a list of ``SessionRecord`` (oldest first): no file, no
clock, no terminal, so the same history always gives the same advice.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

from ._formats import startable_formats
from ._history import SessionRecord
from ._loader import Bank
from ._model import Question

NEVER_TRIED_SHOWN = 3   # more than a few never-tried questions reads as a list, not advice
UNTIMED_FORMAT = "practice"   # a warm-up mode, not an interview format one "has done"


@dataclass(frozen=True)
class CategoryTrend:
    """How one category has gone: how often, how well, and which way it is heading."""

    category: str
    sessions: int
    mean_score: float
    latest_score: float
    #: Mean of the later half minus mean of the earlier half; None with one session.
    change: float | None

    @property
    def trend(self) -> str:
        """``new``, ``steady``, or the change in percentage points (``+12 pts``)."""
        if self.change is None:
            return "new"
        points = round(self.change * 100)
        return "steady" if points == 0 else f"{points:+d} pts"


@dataclass(frozen=True)
class Recommendation:
    """One piece of advice: why, and the format and question that act on it."""

    reason: str
    format: str | None = None
    question_id: str | None = None

    def command(self, prefix: str = "python -m interviewer") -> str:
        """The command line that starts this practice."""
        parts = [prefix]
        if self.format:
            parts += ["--format", self.format]
        if self.question_id:
            parts += ["--question", self.question_id]
        return " ".join(parts)


def category_trends(records: Sequence[SessionRecord]) -> list[CategoryTrend]:
    """One trend per category practised, by category name."""
    by_category: dict[str, list[SessionRecord]] = {}
    for record in records:
        by_category.setdefault(record.category, []).append(record)
    return [_trend(name, by_category[name]) for name in sorted(by_category)]


def _trend(category: str, records: list[SessionRecord]) -> CategoryTrend:
    scores = [r.score for r in records]
    half = len(scores) // 2
    # With an odd count the middle session belongs to neither half.
    change = None if len(scores) < 2 else fmean(scores[-half:]) - fmean(scores[:half])
    return CategoryTrend(category=category, sessions=len(scores), mean_score=fmean(scores),
                         latest_score=scores[-1], change=change)


def prefer_untried(choices: Sequence[str], records: Iterable[SessionRecord],
                   rng: random.Random) -> str:
    """A question id from ``choices``: uniformly among those never tried, else the least tried.

    With no history this is ``rng.choice(choices)``, so a seed picks as it always did.
    """
    if not choices:
        raise ValueError("no questions to choose from")
    tried = Counter(r.question_id for r in records)
    fewest = min(tried[c] for c in choices)
    return rng.choice([c for c in choices if tried[c] == fewest])


def recommend(records: Sequence[SessionRecord], bank: Bank,
              formats: Iterable[str] | None = None) -> list[Recommendation]:
    """What to practise next, most useful first.

    In order: the weakest category (when two or more have been practised), up
    to ``NEVER_TRIED_SHOWN`` questions never tried (those of categories not yet
    practised first, then of the weaker categories), then each format not yet
    done. ``formats`` are the formats to consider (default: the
    ``startable_formats`` of the bank, apart from untimed practice).
    When all of that is done, the question with the lowest latest score.
    """
    tried = Counter(r.question_id for r in records)
    advice = _weakest_category(records, bank, tried)
    never = _never_tried(bank, records, tried)
    advice += [Recommendation(f"never tried: {q.id} {q.title}", _main_format(q), q.id)
               for q in never[:NEVER_TRIED_SHOWN]]
    advice += _formats_not_done(records, bank, tried, formats)
    if not advice and records:
        advice.append(_lowest_latest(records, bank))
    return advice


def _weakest_category(records: Sequence[SessionRecord], bank: Bank,
                      tried: Counter[str]) -> list[Recommendation]:
    trends = category_trends(records)
    if len(trends) < 2:
        return []
    weakest = min(trends, key=lambda t: (t.mean_score, t.category))
    reason = f"weakest category: {weakest.category} (mean {weakest.mean_score:.0%})"
    questions = [q for q in bank if q.category == weakest.category]
    if not questions:
        # A category outside the bank (behavioural prompts): repeat its latest format.
        latest = [r for r in records if r.category == weakest.category][-1]
        return [Recommendation(reason, latest.format)]
    choice = _least_tried(questions, tried)
    return [Recommendation(reason, _main_format(choice), choice.id)]


def _never_tried(bank: Bank, records: Sequence[SessionRecord],
                 tried: Counter[str]) -> list[Question]:
    """Questions never tried, where the history is thinnest first; bank order breaks ties."""
    means = {t.category: t.mean_score for t in category_trends(records)}
    never = [q for q in bank if not tried[q.id]]
    return sorted(never, key=lambda q: means.get(q.category, -1.0))   # sorted() is stable


def _formats_not_done(records: Sequence[SessionRecord], bank: Bank, tried: Counter[str],
                      formats: Iterable[str] | None) -> list[Recommendation]:
    done = {r.format for r in records}
    if formats is None:
        formats = [name for name in startable_formats(bank) if name != UNTIMED_FORMAT]
    advice = []
    for name in formats:
        if name in done:
            continue
        offered = bank.for_format(name)
        question_id = _least_tried(offered, tried).id if offered else None
        advice.append(Recommendation(f"format not yet done: {name}", name, question_id))
    return advice


def _lowest_latest(records: Sequence[SessionRecord], bank: Bank) -> Recommendation:
    latest: dict[str, SessionRecord] = {}
    for record in records:
        latest[record.question_id] = record
    worst = min(latest.values(), key=lambda r: (r.score, r.question_id))
    return Recommendation(f"lowest latest score: {worst.question_id} {worst.question_title} "
                          f"({worst.score:.0%})", worst.format,
                          worst.question_id if worst.question_id in bank.questions else None)


def _least_tried(questions: Sequence[Question], tried: Counter[str]) -> Question:
    """The first question (bank order) among those tried the fewest times."""
    return min(questions, key=lambda q: tried[q.id])


def _main_format(question: Question) -> str:
    """The format a question is first offered in: its most typical interview."""
    return question.formats[0]
