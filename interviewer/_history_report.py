"""The practice history as people read it: dates, time used, and the HTML report.

The HTML is one self-contained file (inline CSS and SVG, no script, nothing
fetched), so it opens on an offline laptop and can be mailed as it is.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from ._charts import bar_chart, line_chart
from ._history import SessionRecord
from ._progress import category_trends


def format_date(epoch: float) -> str:
    """``2026-01-01 09:30`` in UTC, as the session folders are named."""
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(epoch))


def format_time_used(record: SessionRecord) -> str:
    """``34 of 60 min``, or ``12 min`` for an untimed session."""
    used = f"{record.minutes_used:g}"
    return f"{used} of {record.time_box} min" if record.time_box else f"{used} min"


def question_label(record: SessionRecord) -> str:
    return f"{record.question_id} {record.question_title}"


def render_history_html(records: Sequence[SessionRecord]) -> str:
    """The report: scores over time, mean score by category, trends and every session."""
    from ._templates import report_templates

    trends = category_trends(records)
    line = line_chart(
        [r.score for r in records],
        [f"{format_date(r.started_at)}: {question_label(r)} ({r.format}), {r.grade}, "
         f"{r.score:.0%}" for r in records],
        first_label=format_date(records[0].started_at)[:10] if records else "",
        last_label=format_date(records[-1].started_at)[:10] if records else "",
    )
    bars = bar_chart([(t.category, t.mean_score) for t in trends])
    return report_templates().get_template("history.html").render(
        records=list(reversed(records)), trends=trends, line=line, bars=bars,
        date=format_date, time_used=format_time_used, question=question_label)


def write_history_html(records: Sequence[SessionRecord], target: Path) -> None:
    """Write the report to ``target`` (an ``.html`` file)."""
    if Path(target).suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"the history report must end in .html, not '{Path(target).name}'")
    Path(target).write_text(render_history_html(records), encoding="utf-8")
