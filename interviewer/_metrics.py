"""Code metrics of a solution, measured with radon.

Cyclomatic complexity per function (worst and average, with radon's A-F
ranks), the maintainability index and size. Radon parses the code and never
runs it, so this is safe in the interviewer's own process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FunctionComplexity:
    name: str
    line: int
    complexity: int
    rank: str


@dataclass(frozen=True)
class Metrics:
    """What radon says about one file; ``error`` is set when it could not be parsed."""

    file: str
    functions: tuple[FunctionComplexity, ...] = field(default_factory=tuple)
    maintainability: float = 0.0
    maintainability_rank: str = "C"
    sloc: int = 0
    comments: int = 0
    error: str = ""

    @property
    def worst(self) -> FunctionComplexity | None:
        return max(self.functions, key=lambda f: (f.complexity, -f.line), default=None)

    @property
    def max_cc(self) -> int:
        return self.worst.complexity if self.worst else 0

    @property
    def average_cc(self) -> float:
        if not self.functions:
            return 0.0
        return round(sum(f.complexity for f in self.functions) / len(self.functions), 2)

    @property
    def average_rank(self) -> str:
        from radon.complexity import cc_rank

        return cc_rank(self.average_cc) if self.functions else "A"

    @property
    def comment_ratio(self) -> float:
        return round(self.comments / self.sloc, 3) if self.sloc else 0.0

    def as_dict(self) -> dict:
        worst = self.worst
        return {
            "file": self.file,
            "error": self.error,
            "max_cc": self.max_cc,
            "worst_function": worst.name if worst else None,
            "worst_rank": worst.rank if worst else None,
            "average_cc": self.average_cc,
            "average_rank": self.average_rank,
            "maintainability": self.maintainability,
            "maintainability_rank": self.maintainability_rank,
            "sloc": self.sloc,
            "comment_ratio": self.comment_ratio,
            "functions": [vars(f) for f in self.functions],
        }


def measure(path: Path) -> Metrics:
    """Radon's figures for one Python file."""
    from radon.complexity import cc_rank, cc_visit
    from radon.metrics import mi_rank, mi_visit
    from radon.raw import analyze

    try:
        source = path.read_text(encoding="utf-8")
        blocks = cc_visit(source)
        raw = analyze(source)
        mi = mi_visit(source, multi=True)
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        return Metrics(file=path.name, error=f"could not measure {path.name}: {error}")
    functions = tuple(
        FunctionComplexity(_qualified(block), block.lineno, block.complexity,
                           cc_rank(block.complexity))
        for block in _flatten(blocks)
    )
    return Metrics(file=path.name, functions=functions, maintainability=round(mi, 2),
                   maintainability_rank=mi_rank(mi), sloc=raw.sloc,
                   comments=raw.comments + raw.multi)


def _flatten(blocks):
    """Functions and methods; classes contribute their methods, not themselves."""
    for block in blocks:
        if hasattr(block, "methods"):
            yield from block.methods
        else:
            yield block


def _qualified(block) -> str:
    classname = getattr(block, "classname", None)
    return f"{classname}.{block.name}" if classname else block.name
