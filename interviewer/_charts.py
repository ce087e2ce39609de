"""Chart geometry for the history report: data in, positions in SVG pixels out.

The template only draws what these functions place, so the arithmetic (and
one point per session) is tested here, without parsing any SVG. Values are
scores from 0 to 1; anything outside is clamped onto the axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SCORE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Tick:
    """An axis label at ``position`` pixels along its axis."""

    position: float
    label: str


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    title: str          # shown on hover


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[ChartPoint, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]

    @property
    def polyline(self) -> str:
        """The ``points`` attribute of the SVG polyline through every point."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: float
    track_width: float   # the length of a bar for a score of 1
    bars: tuple[ChartBar, ...]


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def line_chart(values: Sequence[float], titles: Sequence[str], *, first_label: str = "",
               last_label: str = "", width: int = 640, height: int = 220) -> LineChart:
    """Scores in order, evenly spaced left to right: one point per value."""
    left, right, top, bottom = 48.0, width - 16.0, 12.0, height - 28.0
    span = right - left
    count = len(values)
    xs = [left + span * (i / (count - 1) if count > 1 else 0.5) for i in range(count)]
    points = tuple(ChartPoint(x, bottom - _clamp(v) * (bottom - top), title)
                   for x, v, title in zip(xs, values, titles, strict=True))
    y_ticks = tuple(Tick(bottom - t * (bottom - top), f"{t:.0%}") for t in SCORE_TICKS)
    ends = [(0, first_label), (count - 1, last_label)][: min(count, 2)]
    x_ticks = tuple(Tick(xs[index], label) for index, label in ends if label)
    return LineChart(width, height, left, right, top, bottom, points, y_ticks, x_ticks)


def bar_chart(items: Sequence[tuple[str, float]], *, width: int = 640, bar_height: int = 22,
              gap: int = 10, label_width: int = 140) -> BarChart:
    """One horizontal bar per (label, score), longest for a score of 1."""
    top = 8.0
    span = width - label_width - 56.0   # room on the right for the value text
    bars = tuple(
        ChartBar(x=float(label_width), y=top + i * (bar_height + gap),
                 width=_clamp(value) * span, height=float(bar_height), label=label,
                 value=f"{value:.0%}")
        for i, (label, value) in enumerate(items)
    )
    height = int(top * 2 + len(items) * (bar_height + gap))
    return BarChart(width, height, float(label_width), span, bars)
