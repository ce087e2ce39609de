"""When an interviewer mentions the time: at half time, 15 and 5 minutes left, and time up.

One rule for every format, so that a coding and a behavioural interview keep
time the same way.
"""

from __future__ import annotations

from collections.abc import Collection

#: Reminder names, most urgent first; each is said at most once per session.
REMINDERS = ("up", "5", "15", "half")


def due_reminders(left: float, box: float, given: Collection[str]) -> list[str]:
    """The reminders due with ``left`` seconds of a ``box``-second time box, most urgent first.

    Every mark crossed and not yet ``given`` is due; the caller says only the
    first and records them all, so that a long absence brings one reminder,
    not three. A mark at or beyond the whole box (half time or 15 minutes of a
    short box) is never due.
    """
    marks = {"up": 0.0, "5": 300.0, "15": 900.0, "half": box / 2}
    return [name for name in REMINDERS if left <= marks[name] < box and name not in given]
