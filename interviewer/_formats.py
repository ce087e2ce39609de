"""The interview formats a candidate can choose, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    time: str
    shape: str
    #: Time boxes (minutes) the candidate chooses from at the start; empty: the question's own.
    minute_choices: tuple[int, ...] = ()


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("takehome", "Take-home", "2-4 h (choose)",
           "optimise a kernel on a simulated VLIW SIMD machine", minute_choices=(120, 180, 240)),
    Format("codesignal", "CodeSignal assessment", "90 min",
           "four gated levels, partial credit per level"),
    Format("live", "Live coding", "45-60 min", "clarify, implement, follow-ups"),
    Format("perf-deep-dive", "Performance deep dive", "60 min",
           "shorter coding, more follow-ups on performance"),
    Format("gpu-deep-dive", "GPU deep dive", "60 min", "as above, on GPU topics"),
    Format("practice", "Practice", "untimed", "any question, hints free, no clock"),
    Format("behavioral", "Behavioural", "30-45 min",
           "prompts, probing follow-ups, per-answer feedback", minute_choices=(30, 45)),
)}
