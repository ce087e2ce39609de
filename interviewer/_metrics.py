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


def measure(path: Path, provided: Path | None = None) -> Metrics:
    """Radon's figures for one Python file.

    Functions left exactly as ``provided`` (the starter) has them are the
    question's helpers, not the candidate's work, so they do not count towards
    the complexity figures; the maintainability index and size are the file's.
    """
    from radon.complexity import cc_rank, cc_visit
    from radon.metrics import mi_rank, mi_visit
    from radon.raw import analyze

    try:
        source = path.read_text(encoding="utf-8")
        blocks = list(_flatten(cc_visit(source)))
        raw = analyze(source)
        mi = mi_visit(source, multi=True)
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        return Metrics(file=path.name, error=f"could not measure {path.name}: {error}")
    given = _provided_functions(provided)
    functions = tuple(
        FunctionComplexity(_qualified(block), block.lineno, block.complexity,
                           cc_rank(block.complexity))
        for block in blocks
        if given.get(_qualified(block)) != _text_of(source, block)
    )
    return Metrics(file=path.name, functions=functions, maintainability=round(mi, 2),
                   maintainability_rank=mi_rank(mi), sloc=raw.sloc,
                   comments=raw.comments + raw.multi)


def _text_of(source: str, block) -> str:
    return "\n".join(source.splitlines()[block.lineno - 1:block.endline])


def _provided_functions(provided: Path | None) -> dict[str, str]:
    """Qualified name -> source of each function of the starter (none if it cannot be read)."""
    from radon.complexity import cc_visit

    if provided is None:
        return {}
    try:
        source = provided.read_text(encoding="utf-8")
        return {_qualified(b): _text_of(source, b) for b in _flatten(cc_visit(source))}
    except (OSError, UnicodeDecodeError, SyntaxError):
        return {}


def _flatten(blocks):
    """Functions and methods, each once; classes contribute their methods, not themselves.

    radon lists a class's methods both inside the class and on their own.
    """
    seen = set()
    for block in blocks:
        for function in block.methods if hasattr(block, "methods") else (block,):
            key = (_qualified(function), function.lineno)
            if key not in seen:
                seen.add(key)
                yield function


def _qualified(block) -> str:
    classname = getattr(block, "classname", None)
    return f"{classname}.{block.name}" if classname else block.name
