"""What the interviewer says: seeded variants of Jinja2 templates.

The lines live in ``data/voice.yaml`` (its header is the guide for writers).
A variant is chosen from the session seed and a counter, never at random, so
the same session always reads the same. No line may carry rubric or
follow-up content: those reach the candidate only through the engine, one
follow-up at a time, or in the feedback report.

Start-up matters, and the greeting is spoken before the first prompt, so
nothing heavy happens at import: the file is read through the parse cache (no
YAML parser once the cache is warm), and a variant that is only text and
``{{ name }}`` values is filled directly, with the output Jinja2 would give
(importing Jinja2 alone costs the first prompt 30 ms or more). Any other variant
is compiled by Jinja2 the first time it is spoken, then kept.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment, Template

VOICE_FILE = Path(__file__).resolve().parent / "data" / "voice.yaml"
_VALUE = re.compile(r"\{\{ *([A-Za-z_]\w*) *\}\}")
_PLAIN = re.compile(rf"(?:[^{{}}\n]|{_VALUE.pattern})*")   # text and {{ name }}, nothing else


class VoiceError(LookupError):
    """A line that does not exist, or a template that cannot be filled: a programming error."""


@cache
def load_lines(path: Path = VOICE_FILE) -> dict[str, tuple[str, ...]]:
    """Every key of the voice file with its variants (the template sources), read once."""
    from ._parse_cache import load_checked

    located, problems = load_checked(path, "voice")
    errors = [problem for problem in problems if problem.severity == "error"]
    if located is None or errors:
        raise VoiceError("the interviewer's lines are broken: "
                         + "; ".join(str(problem) for problem in errors))
    return {key: tuple(sources) for key, sources in located.data.items()}


def variants(key: str) -> tuple[str, ...]:
    """The template sources of line ``key``."""
    try:
        return load_lines()[key]
    except KeyError:
        raise VoiceError(f"no line '{key}' in {VOICE_FILE}") from None


def pick(key: str, seed: int, counter: int) -> int:
    """Which variant of ``key`` is spoken: a digest of seed, key and counter, never random."""
    return zlib.crc32(f"{seed}:{key}:{counter}".encode()) % len(variants(key))


def line(key: str, seed: int, counter: int, **values: object) -> str:
    """One variant of line ``key``, chosen by seed and counter, filled with ``values``."""
    index = pick(key, seed, counter)
    return render(key, index, **values)


def render(key: str, index: int, **values: object) -> str:
    """Variant ``index`` of line ``key`` filled with ``values``; a missing value names the key."""
    source = variants(key)[index]
    if _PLAIN.fullmatch(source):
        return _VALUE.sub(lambda found: _value(key, index, found[1], values), source)
    from jinja2 import UndefinedError

    try:
        return _template(key, index).render(**values)
    except UndefinedError as error:
        raise VoiceError(f"line '{key}' (variant {index}) needs a value that was not passed: "
                         f"{error.message}") from None


def _value(key: str, index: int, name: str, values: dict[str, object]) -> str:
    """One ``{{ name }}`` of a plain variant, as Jinja2 prints it (``str``, no escaping)."""
    if name not in values:
        raise VoiceError(f"line '{key}' (variant {index}) needs a value that was not passed: "
                         f"'{name}' is undefined")
    return str(values[name])


@cache
def _template(key: str, index: int) -> Template:
    """Variant ``index`` of ``key``, compiled on first use: compiling all at start costs time."""
    from jinja2 import TemplateSyntaxError

    try:
        return _environment().from_string(variants(key)[index])
    except TemplateSyntaxError as error:
        raise VoiceError(f"line '{key}' (variant {index}) is not a valid template: "
                         f"{error.message}") from None


@cache
def _environment() -> Environment:
    """Strict about missing values; no escaping, because replies are plain text, not HTML."""
    from jinja2 import Environment, StrictUndefined

    return Environment(undefined=StrictUndefined, autoescape=False)
