"""interviewer: an offline, rule-based practice interviewer.

The public API, for scripting practice sessions::

    import interviewer
    bank = interviewer.load_bank()
    clock = interviewer.ManualClock()
    interview = interviewer.Interview.start(bank, "01", workspace=path, clock=clock)
    interview.say("what does get return for a missing field?")

Names are imported on first use, so ``python -m interviewer --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_bank": "._loader",
    "load_question": "._loader",
    "Bank": "._loader",
    "Question": "._model",
    "InterviewerNotes": "._model",
    "Interview": "._interview",
    "BehavioralInterview": "._behavioral_session",
    "load_behavioral_bank": "._behavioral_bank",
    "Engine": "._engine",
    "Reply": "._replies",
    "ManualClock": "._clock",
    "SystemClock": "._clock",
    "Problem": "._problems",
    "QuestionError": "._problems",
    "validate_path": "._validate",
}

__all__ = [
    "Bank",
    "BehavioralInterview",
    "Engine",
    "Interview",
    "InterviewerNotes",
    "ManualClock",
    "Problem",
    "Question",
    "QuestionError",
    "Reply",
    "SystemClock",
    "load_bank",
    "load_behavioral_bank",
    "load_question",
    "validate_path",
]

if TYPE_CHECKING:
    from ._behavioral_bank import load_behavioral_bank
    from ._behavioral_session import BehavioralInterview
    from ._clock import ManualClock, SystemClock
    from ._engine import Engine
    from ._interview import Interview
    from ._loader import Bank, load_bank, load_question
    from ._model import InterviewerNotes, Question
    from ._problems import Problem, QuestionError
    from ._replies import Reply
    from ._validate import validate_path


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'interviewer' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value
