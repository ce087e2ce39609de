"""From a weighted score to a grade, with the cap for a wrong core answer."""

from __future__ import annotations

from collections.abc import Mapping

GRADES = ("Strong Hire", "Hire", "Lean Hire", "Lean No Hire", "No Hire")
BAND_KEYS = ("strong-hire", "hire", "lean-hire", "lean-no-hire")
DEFAULT_BANDS: dict[str, float] = {
    "strong-hire": 0.85,
    "hire": 0.70,
    "lean-hire": 0.55,
    "lean-no-hire": 0.40,
}
CAPPED_GRADE = "Lean No Hire"
#: Given instead of a grade when the measurement itself cannot be trusted (a modified harness).
WITHHELD = "Withheld"


def grade_for(score: float, bands: Mapping[str, float] | None = None) -> str:
    """The best grade whose band ``score`` (0..1) reaches."""
    chosen = {**DEFAULT_BANDS, **(bands or {})}
    for key, grade in zip(BAND_KEYS, GRADES, strict=False):
        if score >= chosen[key] - 1e-9:
            return grade
    return GRADES[-1]


def cap(grade: str, ceiling: str = CAPPED_GRADE) -> str:
    """The lower of ``grade`` and ``ceiling``."""
    return GRADES[max(GRADES.index(grade), GRADES.index(ceiling))]
