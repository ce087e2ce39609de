"""Write a self-contained HTML viewer of a recorded run (inline script and style, no network).

The page draws one row per engine slot and one column per cycle on a canvas,
with zoom and scroll, and shows the bundle under the pointer. Its data (the pc
of each cycle, the slots each engine used, the text of executed bundles) is
embedded as JSON, so the file opens straight from disk.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

from .analysis import Analysis
from .profiling import ENGINES, Profile
from .reference import SLOT_LIMITS

MAX_TEXT_CHARS = 4_000_000
"""Bundle texts stop being embedded past this size, to keep the page loadable."""


def bundle_text(bundle: dict[str, Any]) -> str:
    """A one-line rendering of a bundle's non-debug slots."""
    parts = []
    for engine, slots in bundle.items():
        if engine != "debug" and slots:
            rendered = "; ".join(" ".join(str(x) for x in slot) for slot in slots)
            parts.append(f"{engine}: {rendered}")
    return " | ".join(parts)


def viewer_data(profile: Profile, analysis: Analysis, title: str) -> dict[str, Any]:
    """The JSON the page reads."""
    pcs = [-1] * profile.cycles
    use = [0] * (profile.cycles * len(ENGINES))
    texts: dict[int, str] = {}
    budget = MAX_TEXT_CHARS
    for cycle, pc in profile.executed:
        if not 0 <= cycle < profile.cycles:
            continue
        bundle = profile.program[pc]
        pcs[cycle] = pc
        for number, engine in enumerate(ENGINES):
            use[cycle * len(ENGINES) + number] = len(bundle.get(engine, ()))
        if pc not in texts and budget > 0:
            texts[pc] = bundle_text(bundle)
            budget -= len(texts[pc])
    return {
        "title": title,
        "cycles": profile.cycles,
        "engines": [[engine, SLOT_LIMITS[engine]] for engine in ENGINES],
        "pc": pcs,
        "use": use,
        "text": texts,
        "summary": analysis.to_dict(),
    }


def render_viewer(profile: Profile, analysis: Analysis, title: str) -> str:
    """The HTML page as a string."""
    template = resources.files(__package__).joinpath("trace_viewer.html").read_text("utf-8")
    payload = json.dumps(viewer_data(profile, analysis, title), separators=(",", ":"))
    payload = payload.replace("</", "<\\/")  # never close the script element early
    return template.replace("__TITLE__", html.escape(title)).replace("__DATA__", payload)
