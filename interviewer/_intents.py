"""Global intents: requests that mean the same in every question.

"How much time do I have left?", "can I get a hint?", "can I use numpy?" or
"show me the rubric" are not about the problem, so the engine asks
``detect_intent`` before it tries the question's clarifications.

The rules live in ``data/intents.yaml`` (see its header for the pattern
syntax) so that they can be read and tuned without touching code. Each rule
is a regular expression over the normalised utterance (``_text.normalise``)
with leading and trailing fillers removed. Rules are narrow on purpose: a
false intent hides a real clarifying question ("what should get return when
the time stamp is missing" is not a request for the time), while a missed
intent only costs a neutral reply.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from . import _text
from ._yaml import load_plain

GAP = r"(?: \S+){0,4} "
_MODULE = r"(?P<arg>[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)"
_STATIC = object()   # marks a rule whose argument is given in the YAML (possibly null)


@dataclass(frozen=True)
class Intent:
    """A global request: its name and what it named (a language, a library, a secret)."""

    name: str
    argument: str | None = None


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    argument: object          # the argument given in the YAML (may be None), or _STATIC
    known_only: bool          # the captured name must be a known library
    max_words: int | None


@dataclass(frozen=True)
class _IntentRules:
    name: str
    rules: tuple[_Rule, ...]
    max_words: int | None


@dataclass(frozen=True)
class _Catalogue:
    intents: tuple[_IntentRules, ...]
    leading: tuple[str, ...]
    trailing: tuple[str, ...]
    languages: Mapping[str, str]           # alias -> display name
    language_regex: re.Pattern[str]
    libraries: frozenset[str]


def detect_intent(text: str) -> Intent | None:
    """The global intent of ``text``, or None when it is not a global request."""
    catalogue = _catalogue()
    core = strip_fillers(_text.normalise(text), catalogue)
    if not core:
        return None
    count = len(core.split())
    for intent in catalogue.intents:
        if intent.max_words is not None and count > intent.max_words:
            continue
        for rule in intent.rules:
            if rule.max_words is not None and count > rule.max_words:
                continue
            found = _apply(rule, intent.name, core, catalogue)
            if found is not None:
                return found
    return None


def strip_fillers(core: str, catalogue: _Catalogue | None = None) -> str:
    """Remove leading and trailing fillers ("ok so", "please") from normalised text."""
    catalogue = catalogue or _catalogue()
    changed = True
    while changed and core:
        changed = False
        for filler in catalogue.leading:
            if core == filler or core.startswith(filler + " "):
                core, changed = core[len(filler):].lstrip(), True
        for filler in catalogue.trailing:
            if core.endswith(" " + filler):
                core, changed = core[: -len(filler)].rstrip(), True
    return core


def language_named(text: str) -> str | None:
    """The display name of the first programming language named in ``text``, if any."""
    catalogue = _catalogue()
    found = catalogue.language_regex.search(_text.normalise(text))
    return catalogue.languages[found.group(0)] if found else None


def _apply(rule: _Rule, name: str, core: str, catalogue: _Catalogue) -> Intent | None:
    for found in rule.regex.finditer(core):
        if "arg" in rule.regex.groupindex:
            argument = found.group("arg")
            if _text.is_stop(argument) or (
                    rule.known_only and not _known_library(argument, catalogue)):
                continue
            return Intent(name, argument)
        if rule.argument is not _STATIC:
            return Intent(name, rule.argument if rule.argument is None else str(rule.argument))
        return Intent(name, _default_argument(name, found.group(0), core, catalogue))
    return None


def _default_argument(name: str, span: str, core: str, catalogue: _Catalogue) -> str | None:
    if name == "language":
        found = catalogue.language_regex.search(span) or catalogue.language_regex.search(core)
        return catalogue.languages[found.group(0)] if found else None
    if name == "forbidden":
        return span.strip()
    return None


def _known_library(name: str, catalogue: _Catalogue) -> bool:
    return name in catalogue.libraries or name.split(".")[0] in catalogue.libraries


# -- loading ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    source = resources.files("interviewer").joinpath("data", "intents.yaml")
    data = load_plain(source.read_text(encoding="utf-8"))
    return build_catalogue(data)


def build_catalogue(data: Mapping[str, Any]) -> _Catalogue:
    """Compile the YAML intent rules (exposed so tests can try a custom table)."""
    languages = {_text.normalise(str(alias)): str(display)
                 for display, aliases in data["languages"].items() for alias in aliases}
    language_pattern = _alternation(languages)
    libraries = _libraries(data["libraries"])
    library_pattern = _MODULE
    intents = tuple(
        _IntentRules(
            str(entry["name"]),
            tuple(_rule(r, language_pattern, library_pattern) for r in entry["rules"]),
            entry.get("max_words"),
        )
        for entry in data["intents"]
    )
    fillers = data.get("fillers", {})
    return _Catalogue(
        intents=intents,
        leading=_longest_first(fillers.get("leading", ())),
        trailing=_longest_first(fillers.get("trailing", ())),
        languages=languages,
        language_regex=re.compile(_bounded(language_pattern)),
        libraries=libraries,
    )


def _rule(entry: Mapping[str, Any], language: str, library: str) -> _Rule:
    pattern = str(entry["pattern"])
    known_only = "{library}" in pattern
    pattern = (pattern.replace(" ... ", GAP)
               .replace("{language}", language)
               .replace("{library}", library)
               .replace("{module}", library))
    argument = entry.get("argument", _STATIC)
    return _Rule(re.compile(_bounded(pattern)), argument, known_only, entry.get("max_words"))


def _bounded(pattern: str) -> str:
    """Whole words only: the match may not start or end inside a word."""
    return rf"(?<![a-z0-9_])(?:{pattern})(?![a-z0-9_])"


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted((_text.normalise(str(w)) for w in words), key=lambda w: (-len(w), w)))


def _libraries(data: Mapping[str, Any]) -> frozenset[str]:
    """Known library names: the standard library, minus everyday words, plus third party."""
    everyday = {str(w) for w in data.get("not_by_name", ())}
    standard = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    return frozenset((standard - everyday) | {str(w) for w in data.get("third_party", ())})
