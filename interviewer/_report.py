"""Render a scorecard: plain text (transcript, pipes), rich (terminal), or files.

Markdown and HTML files come from Jinja2 templates in ``templates/``; the HTML
inlines its styles so it opens offline. Reports name failing tests, never
their code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._events import format_figure
from ._scorecard import Scorecard

KIND_LABELS = {"must-fix": "Must fix", "should-fix": "Should fix", "note": "Note",
               "strength": "Strength"}


def render_text(card: Scorecard, show_grade: bool = True) -> str:
    """The report as plain text: what the transcript records and pipes print.

    Practice keeps the grade out (``show_grade=False``) until the candidate asks.
    """
    rows = [f"Feedback for question {card.question}: {card.title}"]
    if not show_grade:
        rows.append("Grade: not shown in practice; type /grade if you want it.")
    else:
        rows.append(f"Grade: {card.grade} (score {card.score:.0%})")
    if card.capped_by and show_grade:
        rows.append(f"  capped because '{card.capped_by}' was not met")
    if card.verdict != "completed":
        rows.append(f"Test run: {card.detail or card.verdict}")
    rows.append("Hidden tests:")
    for level in card.levels:
        line = f"  level {level.level} ({level.title}): {level.passed} of {level.total} passed"
        if level.failing:
            line += "; failing: " + ", ".join(level.failing[:5])
            line += " ..." if len(level.failing) > 5 else ""
        rows.append(line)
    rows.append(_metrics_line(card))
    if card.measures:
        rows.append("Measured: " + ", ".join(f"{name} {format_figure(value)}"
                                             for name, value in card.measures.items()))
    rows.append("Rubric:")
    for item in card.items:
        mark = "n/a" if item.credit is None else ("met" if item.met else f"{item.credit:.0%}")
        rows.append(f"  [{mark:>4}] {item.title} (weight {item.weight:g}): {item.evidence}")
    lines = process_lines(card.process)
    if lines:
        rows.append("How you worked:")
        rows += [f"  {line}" for line in lines]
    answers = model_answers(card.process)
    if answers:
        rows.append("Model answers to the follow-ups you were asked:")
        rows += [f"  {followup_id}: {answer}" for followup_id, answer in answers]
    rows.append("Feedback, most important first:")
    for entry in card.feedback:
        rows.append(f"  {KIND_LABELS[entry.kind]}: {entry.text.strip()}")
        rows.append(f"      seen: {entry.evidence}")
    return "\n".join(rows)


def _minutes(spans: dict[str, float], label: str) -> str:
    return ", ".join(f"{label}{key} {minutes:g} min" for key, minutes in spans.items())


def process_lines(process: dict[str, Any] | None) -> list[str]:
    """How the candidate worked, one sentence per aspect: the same in every rendering."""
    if not process:
        return []
    asked = ", ".join(process["important_asked"]) or "none"
    missed = process["important_missed"]
    hints = ", ".join(f"level {h['level']} rung {h['rung']} ({h['kind']}) at minute "
                      f"{h['minute']:g}" for h in process["hints"]) or "none"
    box = process["minutes_box"]
    lines = [
        f"Important clarifications asked: {asked}"
        + (f"; not asked: {', '.join(missed)}" if missed else ""),
        f"Hints taken: {hints}",
        f"Coding time: {process['minutes_used']:g} of {box} minutes" if box
        else f"Coding time: {process['minutes_used']:g} minutes (untimed)",
    ]
    if process.get("paused_minutes"):
        lines.append(f"Paused: {process['paused_minutes']:g} minutes (the times below "
                     "include the pauses)")
    if process["phase_minutes"]:
        lines.append("Time per phase: " + _minutes(process["phase_minutes"], ""))
    if process["level_minutes"]:
        lines.append("Time per level: " + _minutes(process["level_minutes"], "level "))
    for followup in process["followups"]:
        if not followup["answered"]:
            lines.append(f"Follow-up {followup['id']}: not answered")
            continue
        named = ", ".join(followup["named"]) or "none"
        line = (f"Follow-up {followup['id']}: named {followup['concepts_named']} of "
                f"{followup['concepts_total']} expected concepts ({named})")
        if followup["missed"]:
            line += f"; not named: {', '.join(followup['missed'])}"
        lines.append(line)
    return lines


def model_answers(process: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(follow-up id, model answer) for each follow-up asked: shown only in feedback."""
    if not process:
        return []
    return [(f["id"], f["model_answer"]) for f in process["followups"] if f.get("model_answer")]


def _metrics_line(card: Scorecard) -> str:
    m = card.metrics
    if m.get("error"):
        return f"Code metrics: {m['error']}"
    worst = f" in {m['worst_function']}" if m.get("worst_function") else ""
    return (f"Code metrics: worst complexity {m['max_cc']} ({m['worst_rank'] or 'A'}){worst}, "
            f"average {m['average_cc']} ({m['average_rank']}), maintainability "
            f"{m['maintainability']:.0f} ({m['maintainability_rank']}), {m['sloc']} lines, "
            f"comment ratio {m['comment_ratio']:.0%}")


def write_report(card: Scorecard, target: Path) -> None:
    """Write ``target`` as Markdown (.md) or self-contained HTML (.html)."""
    from ._templates import report_templates

    suffix = target.suffix.lower()
    if suffix not in (".md", ".html", ".htm"):
        raise ValueError(f"report file must end in .md or .html, not '{target.name}'")
    template = report_templates().get_template("report.html" if suffix != ".md" else "report.md")
    target.write_text(template.render(card=card, labels=KIND_LABELS,
                                      process_lines=process_lines(card.process),
                                      model_answers=model_answers(card.process),
                                      figure=format_figure),
                      encoding="utf-8")
