"""Rubric evidence kinds: each turns one item's evidence spec into a credit.

A credit is a number in 0..1 (partial credit is allowed), or None when the
evidence is not available (process evidence when no transcript was given);
such items leave the total. Each evaluator also says, in a short sentence,
what it saw: that sentence is the evidence shown in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._events import TestOutcome, format_figure
from ._metrics import Metrics
from ._process import ProcessEvidence

HINT_RUNGS = ("nudge", "direction", "pseudocode")


@dataclass(frozen=True)
class Context:
    """Everything scoring has seen, for the evaluators to read."""

    outcomes: tuple[TestOutcome, ...]
    level_files: Mapping[str, int]
    metrics: Metrics
    process: ProcessEvidence | None = None
    measures: Mapping[str, float] = field(default_factory=dict)
    cycles: int | None = None


Verdict = tuple[float | None, str]


def _tests(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    chosen = list(ctx.outcomes)
    if "level" in spec:
        chosen = [o for o in chosen if o.level == spec["level"]]
    if "file" in spec:
        chosen = [o for o in chosen if o.level == ctx.level_files.get(spec["file"])]
    if "match" in spec:
        chosen = [o for o in chosen if spec["match"] in o.name]
    if not chosen:
        return 0.0, "no matching tests ran"
    passed = sum(o.outcome == "pass" for o in chosen)
    fraction = passed / len(chosen)
    failing = [o.name for o in chosen if o.outcome != "pass"]
    text = f"{passed} of {len(chosen)} tests passed"
    if failing:
        text += "; failing: " + ", ".join(failing[:4]) + (" ..." if len(failing) > 4 else "")
    credit = 1.0 if fraction >= spec.get("min_fraction", 1.0) else round(fraction, 3)
    return credit, text


#: Below this share of hidden tests passed, code quality is not judged: a tidy stub is no merit.
MIN_WORKING_FOR_QUALITY = 0.5


def _radon(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    passed = sum(o.outcome == "pass" for o in ctx.outcomes)
    if passed < MIN_WORKING_FOR_QUALITY * len(ctx.outcomes):
        return None, (f"not assessed: {passed} of {len(ctx.outcomes)} hidden tests pass, and "
                      f"the quality of code that does not work yet is not judged")
    m = ctx.metrics
    if m.error:
        return 0.0, m.error
    worst = m.worst
    checks = []
    if "max_cc" in spec:
        where = f" ({worst.name}, rank {worst.rank})" if worst else ""
        checks.append((m.max_cc <= spec["max_cc"],
                       f"worst complexity {m.max_cc}{where}, limit {spec['max_cc']}"))
    if "max_average_cc" in spec:
        checks.append((m.average_cc <= spec["max_average_cc"],
                       f"average complexity {m.average_cc}, limit {spec['max_average_cc']}"))
    if "min_mi" in spec:
        checks.append((m.maintainability >= spec["min_mi"],
                       f"maintainability index {m.maintainability:.0f}, "
                       f"needs {spec['min_mi']}"))
    if "max_sloc" in spec:
        checks.append((m.sloc <= spec["max_sloc"], f"{m.sloc} lines of code, limit "
                                                   f"{spec['max_sloc']}"))
    met = sum(ok for ok, _ in checks)
    return round(met / len(checks), 3), "; ".join(text for _, text in checks)


def _clarifications(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    p = ctx.process
    if p is None:
        return None, "no transcript"
    asked = p.asked_before_code if spec.get("before_code") else p.important_asked
    asked_important = [c for c in asked if c in p.important_asked or c in p.important_missed]
    need = spec.get("important", 1)
    text = (f"asked {len(asked_important)} important clarification(s)"
            + (f" ({', '.join(asked_important)})" if asked_important else "")
            + (f"; not asked: {', '.join(p.important_missed)}" if p.important_missed else ""))
    return (min(1.0, len(asked_important) / need) if need else 1.0), text


def _hints(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    p = ctx.process
    if p is None:
        return None, "no transcript"
    taken = p.hints
    text = "no hints taken" if not taken else "hints: " + ", ".join(
        f"level {h.level} rung {h.rung} ({h.kind})" for h in taken)
    if p.free_hints:
        return None, text + " (hints are free in practice)"
    credit = 1.0
    if "max" in spec and len(taken) > spec["max"]:
        credit = max(0.0, 1.0 - 0.25 * (len(taken) - spec["max"]))
    if "max_rung" in spec:
        limit = HINT_RUNGS.index(spec["max_rung"])
        if any(HINT_RUNGS.index(h.kind) > limit for h in taken):
            credit = min(credit, 0.5)
    return credit, text


def _time(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    p = ctx.process
    if p is None:
        return None, "no transcript"
    if not p.minutes_box:
        return None, "untimed session"
    share = p.minutes_used / p.minutes_box
    text = f"coding took {p.minutes_used:.0f} of {p.minutes_box} minutes"
    limit = spec.get("max_fraction", 1.0)
    if spec.get("within_box") and not p.reached_followups:
        return 0.0, text + " and did not finish"
    return (1.0 if share <= limit else max(0.0, 1.0 - (share - limit))), text


def _followups(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    p = ctx.process
    if p is None:
        return None, "no transcript"
    answered = [f for f in p.followups if f.answered]
    if len(answered) < spec.get("min_answered", 1):
        return 0.0, f"{len(answered)} follow-up(s) answered"
    # A follow-up asked and skipped names no concept: it counts, as an interviewer would.
    share = sum(f.share for f in answered) / len(p.followups)
    need = spec.get("min_concepts", 0.5)
    text = (f"{len(answered)} of {len(p.followups)} follow-up(s) asked were answered, naming "
            f"{share:.0%} of the expected concepts")
    return (min(1.0, share / need) if need else 1.0), text


def _measure(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    name, reference = spec["name"], spec["reference"]
    value = ctx.measures.get(name)
    if value is None:
        return 0.0, f"no passing test measured {name}"
    ratio = value / reference if reference else float("inf")
    limit = spec.get("max_ratio", 1.2)
    text = (f"{name} = {format_figure(value)}, {ratio:.2f}x the reference "
            f"{format_figure(reference)} (limit {limit}x)")
    return (1.0 if ratio <= limit else max(0.0, round(limit / ratio, 3))), text


def _cycles(spec: Mapping[str, Any], ctx: Context) -> Verdict:
    if ctx.cycles is None:
        return 0.0, "no cycle count (the kernel did not run correctly)"
    for band in sorted(spec["bands"], key=lambda b: b["max_cycles"]):
        if ctx.cycles <= band["max_cycles"]:
            return band["credit"], f"{ctx.cycles} cycles (band <= {band['max_cycles']})"
    return 0.0, f"{ctx.cycles} cycles, above every band"


EVALUATORS: dict[str, Callable[[Mapping[str, Any], Context], Verdict]] = {
    "tests": _tests,
    "radon": _radon,
    "clarifications": _clarifications,
    "hints": _hints,
    "time": _time,
    "followups": _followups,
    "measure": _measure,
    "cycles": _cycles,
}


def evaluate(kind: str, spec: Mapping[str, Any], ctx: Context) -> Verdict:
    """The credit and the evidence sentence for one rubric item."""
    return EVALUATORS[kind](spec, ctx)
