"""The behavioural interview's report: per answer what was heard, then the grade.

Built from the engine's state alone (the stories and the probes asked), so a
replayed session gives the same report. Plain text, for the transcript and
the terminal alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ._answer_analysis import AnswerAnalysis
from ._behavioral_engine import BehavioralEngine, PromptAnswer
from ._grade import grade_for


@dataclass(frozen=True)
class AnswerReport:
    """One prompt in the report: its title, the probes asked, and the analysis of the story."""

    prompt_id: str
    title: str
    probes_asked: tuple[str, ...]
    analysis: AnswerAnalysis | None      # None when the prompt was not answered
    hints: int = 0
    skipped: bool = False                # moved on from it with no answer

    @property
    def score(self) -> float:
        return self.analysis.score if self.analysis else 0.0


@dataclass(frozen=True)
class BehavioralReport:
    """The whole session: the answers, the mean score over them and its grade."""

    answers: tuple[AnswerReport, ...]
    planned: int
    score: float
    grade: str

    @property
    def focus(self) -> str | None:
        """The gap found in most answers: what to practise next."""
        counts = Counter(gap for a in self.answers if a.analysis for gap in a.analysis.gaps)
        return counts.most_common(1)[0][0] if counts else None


def _answer_report(engine: BehavioralEngine, record: PromptAnswer) -> AnswerReport:
    prompt = engine.prompt(record.id)
    asked = tuple(prompt.probe(probe.id).ask for probe in record.probes)
    analysis = engine.story(record) if record.answer else None
    return AnswerReport(record.id, prompt.title, asked, analysis, record.hints, record.skipped)


def build_report(engine: BehavioralEngine) -> BehavioralReport:
    """The report of the session so far.

    Every prompt asked counts, one left unanswered as 0, except a prompt that
    time ran out on before any answer. No answer at all scores 0.
    """
    answers = tuple(_answer_report(engine, record) for record in engine.state.answers
                    if not record.dropped)
    score = round(sum(a.score for a in answers) / len(answers), 4) if answers else 0.0
    return BehavioralReport(answers, len(engine.state.plan), score, grade_for(score))


_LABELS = {"situation": "the situation", "task": "the task", "action": "your actions",
           "result": "the result", "numbers": "numbers for the impact",
           "ownership": "saying 'I' for your own part", "reflection": "what you learned"}


def _star_rows(a: AnswerAnalysis) -> list[str]:
    missing = f"; missing: {', '.join(a.missing)}" if a.missing else ""
    rows = [f"   STAR: found {', '.join(a.star) or 'none'}{missing}"]
    return rows + [f"     {part}: " + ", ".join(f"'{q}'" for q in a.evidence[part])
                   for part in a.star]


def _analysis_rows(a: AnswerAnalysis) -> list[str]:
    rows = _star_rows(a) if a.story else ["   STAR: not expected (a question about why, "
                                          "not a story)"]
    rows.append(f"   Ownership: {a.ownership} ('I' {a.singular}, 'we' {a.plural})")
    rows.append("   Numbers: " + (", ".join(f"'{n}'" for n in a.numbers) or "none"))
    rows.append("   Reflection: " + (", ".join(f"'{r}'" for r in a.reflection) or "none"))
    rows.append(f"   Length: {a.words} words ({a.length})")
    named = ", ".join(a.signals_named) or "none"
    missed = f"; not named: {', '.join(a.signals_missed)}" if a.signals_missed else ""
    rows.append(f"   Signals named: {named}{missed}")
    if a.prompted:
        rows.append(f"   Heard only after a follow-up: {', '.join(a.prompted)}")
    return rows


def render_report(report: BehavioralReport) -> str:
    """The report as plain text: per answer, then the overall score and grade."""
    asked = len(report.answers)
    rows = ["Feedback for your behavioural interview",
            f"{asked} of {report.planned} planned question(s) assessed."]
    for number, answer in enumerate(report.answers, start=1):
        rows.append("")
        rows.append(f"{number}. {answer.title} (score {answer.score:.0%})")
        if answer.analysis is None:
            rows.append("   Skipped without an answer." if answer.skipped
                        else "   Not answered before the report.")
            continue
        rows += _analysis_rows(answer.analysis)
        for ask in answer.probes_asked:
            rows.append(f"   Follow-up asked: {ask}")
        if answer.hints:
            rows.append(f"   Hints taken: {answer.hints}")
        rows.append("   Feedback:")
        rows += [f"     - {sentence}" for sentence in answer.analysis.feedback]
    rows.append("")
    if not report.answers:
        rows.append("No question was answered, so there is nothing to assess yet.")
    elif report.focus:
        rows.append(f"To practise next: {_LABELS[report.focus]}, the gap in most of your "
                    f"answers.")
    rows.append(f"Overall: score {report.score:.0%}, grade {report.grade}.")
    return "\n".join(rows)

