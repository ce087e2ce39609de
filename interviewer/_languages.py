"""Which programming language a workspace file is written in, when it is not Python.

The interview is Python only. A candidate who starts writing C++ or Java in the
entry file is redirected, so the detector must never mistake Python, even
half-typed Python with a syntax error, for another language: a file that
parses as Python is Python, and otherwise a language is named only on clear
markers of it.
"""

from __future__ import annotations

import ast
import re

#: Markers per language: (pattern, weight). Weight 2 is a marker no Python file carries.
_MARKERS: dict[str, tuple[tuple[str, int], ...]] = {
    "C++": ((r"^\s*#include\s*[<\"]", 2), (r"\bstd::", 2), (r"\bcout\s*<<", 2),
            (r"\btemplate\s*<", 2), (r"^\s*(int|void|auto)\s+\w+\s*\([^)]*\)\s*\{", 1),
            (r"\bclass\s+\w+\s*\{", 1)),
    "C": ((r"^\s*#include\s*<stdio\.h>", 2), (r"\bprintf\s*\(", 1), (r"\bmalloc\s*\(", 1),
          (r"^\s*(int|void)\s+\w+\s*\([^)]*\)\s*\{", 1)),
    "Java": ((r"\bpublic\s+(static\s+|final\s+)*class\s+\w+", 2), (r"\bSystem\.out\.print", 2),
             (r"\bpublic\s+static\s+void\s+main", 2),
             (r"^\s*(private|public|protected)\s+[\w<>\[\]]+\s+\w+\s*[;=(]", 1)),
    "C#": ((r"^\s*using\s+System\s*;", 2), (r"\bConsole\.Write(Line)?\s*\(", 2),
           (r"^\s*namespace\s+[\w.]+", 1)),
    "JavaScript": ((r"\bconsole\.log\s*\(", 2), (r"^\s*function\s+\w+\s*\(", 2),
                   (r"^\s*(const|let|var)\s+\w+\s*=", 1), (r"=>\s*\{", 1), (r"===", 1),
                   (r"\bmodule\.exports\b", 2), (r"^\s*constructor\s*\(", 2),
                   (r"\bthis\.\w+", 1)),
    "TypeScript": ((r"^\s*interface\s+\w+\s*\{", 2), (r":\s*(number|string|boolean)\b[^=]*[;=)]",
                                                        1), (r"^\s*export\s+(class|function)", 2)),
    "Go": ((r"^\s*package\s+\w+\s*$", 2), (r"^\s*func\s+(\(\w+\s+\*?\w+\)\s*)?\w+\s*\(", 2),
           (r":=", 1), (r"\bfmt\.Print", 2)),
    "Rust": ((r"^\s*fn\s+\w+\s*\(", 2), (r"\blet\s+mut\s+", 2), (r"\bprintln!\s*\(", 2),
             (r"^\s*impl(<[^>]*>)?\s+\w+", 2), (r"^\s*use\s+std::", 2)),
}
_COMPILED = {name: tuple((re.compile(p, re.MULTILINE), w) for p, w in markers)
             for name, markers in _MARKERS.items()}
_ENOUGH = 3     # a language is named when its markers weigh at least this much


def foreign_language(source: str) -> str:
    """The non-Python language ``source`` is written in, or "" for Python or unclear text."""
    if not source.strip() or _parses_as_python(source):
        return ""
    scores = {name: sum(weight for pattern, weight in markers if pattern.search(source))
              for name, markers in _COMPILED.items()}
    # TypeScript is JavaScript with types: it wins only on its own markers.
    if scores["TypeScript"] and scores["JavaScript"]:
        scores["TypeScript"] += scores["JavaScript"]
    if scores["C++"] and scores["C"]:
        scores["C++"] += 1
    best = max(sorted(scores), key=lambda name: scores[name])
    return best if scores[best] >= _ENOUGH else ""


def _parses_as_python(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True
