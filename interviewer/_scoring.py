"""Score a solution folder, with or without a session: tests, metrics, process, rubric.

``score_solution`` runs the hidden tests of every level in the sandbox,
measures the entry file with radon, reads the process evidence of a session
when there is one, and turns the rubric into a weighted score, a grade and
feedback items ordered by importance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ._evidence import Context, evaluate
from ._grade import WITHHELD, cap, grade_for
from ._metrics import measure
from ._model import InterviewerNotes, Question, RubricItem
from ._process import ProcessEvidence
from ._runner import Runner, RunResult, SandboxRunner
from ._scorecard import FeedbackItem, ItemResult, LevelResult, Scorecard

_ORDER = {"must-fix": 0, "should-fix": 1, "note": 2, "strength": 3}


def _levels(question: Question, result: RunResult) -> tuple[LevelResult, ...]:
    levels = []
    for level in question.levels:
        chosen = [o for o in result.outcomes if o.level == level.id]
        levels.append(LevelResult(
            level=level.id, title=level.title,
            passed=sum(o.outcome == "pass" for o in chosen), total=len(chosen),
            failing=tuple(o.name for o in chosen if o.outcome != "pass"),
        ))
    return tuple(levels)


def _judge(item: RubricItem, ctx: Context) -> ItemResult:
    credit, evidence = evaluate(item.evidence_kind, item.evidence[item.evidence_kind], ctx)
    met = credit is not None and credit >= 0.999
    kind = "strength" if met else ("note" if credit is None else item.severity)
    return ItemResult(item.id, item.title, item.weight, credit, evidence, kind)


def _feedback(items: tuple[ItemResult, ...], rubric_items: tuple[RubricItem, ...]
              ) -> tuple[FeedbackItem, ...]:
    by_id = {item.id: item for item in rubric_items}
    assessed = [i for i in items if i.credit is not None]
    ordered = sorted(assessed, key=lambda i: (_ORDER[i.kind], -i.weight, i.id))
    return tuple(
        FeedbackItem(kind=i.kind, item=i.id,
                     text=by_id[i.id].met if i.kind == "strength" else by_id[i.id].missed,
                     evidence=i.evidence)
        for i in ordered
    )


def _cycles(measures: Mapping[str, float]) -> int | None:
    """The take-home's graded cycle count, when its hidden tests measured one."""
    cycles = measures.get("cycles")
    return None if cycles is None else int(cycles)


def _modified_harness(question: Question, folder: Path) -> list[str]:
    """Harness files of a take-home workspace that differ from the shipped ones."""
    if question.category != "takehome":
        return []
    from .takehome.harness_integrity import check_harness

    return check_harness(folder)


def _withheld(card: Scorecard, modified: list[str]) -> Scorecard:
    """A modified harness voids the measurements: the grade is withheld, and why comes first."""
    reason = FeedbackItem(
        kind="must-fix", item="harness-unchanged",
        text=("Restore the shipped tests/ folder (copy it again from a fresh workspace) and "
              "submit again. The harness and its frozen machine are what make the cycle count "
              "comparable, so a score measured with a changed harness cannot be given."),
        evidence="modified: " + ", ".join(modified))
    return replace(card, score=0.0, grade=WITHHELD, capped_by=None,
                   feedback=(reason, *card.feedback),
                   extra={**card.extra, "harness_modified": modified})


def _total(items: tuple[ItemResult, ...]) -> float:
    assessed = [i for i in items if i.credit is not None]
    weight = sum(i.weight for i in assessed)
    return round(sum(i.weight * i.credit for i in assessed) / weight, 4) if weight else 0.0


def score_solution(
    question: Question,
    notes: InterviewerNotes,
    folder: Path,
    *,
    process: ProcessEvidence | None = None,
    runner: Runner | None = None,
) -> Scorecard:
    """Grade the solution in ``folder`` against the question's rubric."""
    runner = runner or SandboxRunner()
    result = runner.run_hidden(question, folder, question.levels[-1].id)
    metrics = measure(folder / question.entry, provided=question.folder / question.starter)
    ctx = Context(
        outcomes=result.outcomes,
        level_files={level.tests: level.id for level in question.levels},
        metrics=metrics,
        process=process,
        measures=result.measures,
        cycles=_cycles(result.measures),
    )
    rubric = notes.rubric
    items = tuple(_judge(item, ctx) for item in rubric.items)
    score = _total(items)
    grade = grade_for(score, rubric.bands)
    capped_by = None
    missed_core = next((i for i in items if i.id in rubric.core and not i.met), None)
    if missed_core is not None and cap(grade) != grade:
        grade, capped_by = cap(grade), missed_core.id
    card = Scorecard(
        question=question.id, title=question.title, folder=str(folder),
        verdict=result.verdict, detail=result.detail, levels=_levels(question, result),
        metrics=metrics.as_dict(), items=items, score=score, grade=grade,
        capped_by=capped_by, feedback=_feedback(items, rubric.items),
        process=process.as_dict() if process else None,
        measures=dict(sorted(result.measures.items())),
    )
    modified = _modified_harness(question, folder)
    return _withheld(card, modified) if modified else card
