"""Rule-based analysis of one behavioural answer, and the feedback it earns.

An interviewer listening to a story notes a handful of things: did it have a
situation, a task, actions and a result (STAR); whose work it was ("I" or
"we"); whether the result came with a number; whether the candidate reflected
on it; whether it was too short or rambled; and whether it touched what a
strong answer to this prompt talks about (the prompt's ``signals``). Each is
a small rule here, over cue phrases kept as data in ``data/star_cues.yaml``,
so that the analysis is deterministic and every verdict can quote its
evidence. ``docs/behavioral.md`` states the rules, thresholds and weights.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from ._behavioral_bank import STAR_PARTS
from ._text import fold, words

if TYPE_CHECKING:
    from ._behavioral_bank import BehavioralPrompt

SHORT_BELOW = 80           # words: an answer under this is too short
LONG_ABOVE = 400           # words: an answer over this rambles
TOO_THIN_BELOW = 40        # words: a story this short scores at most THIN_SCORE_CAP
THIN_SCORE_CAP = 0.3
OWNED_FROM = 0.6           # share of the subject pronouns ("I", "we") that are "I": owned
TEAM_BELOW = 0.3           # under this share (or no "I" or "we" at all): a team story
OPENING_SENTENCES = 3      # the `opening` scene cues count in this many first sentences
#: The score's parts; they sum to 1.
WEIGHTS: Mapping[str, float] = MappingProxyType({
    "situation": 0.08, "task": 0.08, "action": 0.18, "result": 0.18,
    "ownership": 0.15, "numbers": 0.10, "reflection": 0.10, "signals": 0.08, "length": 0.05,
})
#: A "why" question (kind: motivation) has no story: what it names, the candidate's own
#: voice, how their view formed, and its length carry the score. They sum to 1.
MOTIVATION_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "signals": 0.45, "ownership": 0.2, "reflection": 0.2, "length": 0.15,
})
MOTIVATION_SIGNALS_FOR_FULL_CREDIT = 3
OWNERSHIP_CREDIT: Mapping[str, float] = MappingProxyType(
    {"owned": 1.0, "shared": 0.5, "team": 0.0})
PROMPTED_CREDIT = 0.5      # a part heard only after a probe earns this share of its weight
SIGNALS_FOR_FULL_CREDIT = 2
MAX_QUOTES = 3
#: Which gap a probe should dig into first, most important first.
GAP_ORDER = ("result", "action", "numbers", "ownership", "reflection", "task", "situation")
OWNERSHIPS = ("owned", "shared", "team")
LENGTHS = ("short", "good", "long")

Phrase = tuple[str, ...]
Span = tuple[int, int]     # word positions: start, end


@dataclass(frozen=True)
class AnswerAnalysis:
    """What one answer contained, with the evidence, its score (0..1) and its feedback."""

    star: tuple[str, ...]                         # STAR parts present, in STAR order
    evidence: Mapping[str, tuple[str, ...]]       # STAR part -> the cues heard, quoted
    ownership: str                                # owned, shared or team
    singular: int                                 # "I" counted (who did the work)
    plural: int                                   # "we" counted
    numbers: tuple[str, ...]                      # the quantities found, quoted
    reflection: tuple[str, ...]                   # the reflection cues heard, quoted
    words: int
    length: str                                   # short, good or long
    signals_named: tuple[str, ...]                # the prompt's signal groups named
    signals_missed: tuple[str, ...]
    prompted: tuple[str, ...] = ()                # parts heard only after a probe
    #: False for a "why" question (the prompt's kind is motivation): no STAR expected.
    story: bool = True
    story_words: int = 0                          # with the probe answers; 0: just `words`
    score: float = 0.0
    feedback: tuple[str, ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(part for part in STAR_PARTS if part not in self.star)

    @property
    def quantified(self) -> bool:
        return bool(self.numbers)

    @property
    def reflects(self) -> bool:
        return bool(self.reflection)

    @property
    def gaps(self) -> tuple[str, ...]:
        """What the answer lacks, as probe targets, most important first."""
        lacking = set(self.missing) if self.story else set()
        lacking |= {"ownership"} if self.ownership != "owned" else set()
        lacking |= {"numbers"} if not self.quantified and self.story else set()
        lacking |= {"reflection"} if not self.reflects else set()
        return tuple(gap for gap in GAP_ORDER if gap in lacking)


# -- the cues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PhraseSet:
    """Cue phrases indexed by their first word, so a scan looks only where one can start.

    Phrases of plain words are compared as tuples; those with a placeholder
    (``<year>``) word by word, and those starting with one at every place.
    """

    plain: Mapping[str, tuple[Phrase, ...]]
    patterned: Mapping[str, tuple[Phrase, ...]]
    anywhere: tuple[Phrase, ...]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> _PhraseSet:
        plain: dict[str, list[Phrase]] = {}
        patterned: dict[str, list[Phrase]] = {}
        anywhere: list[Phrase] = []
        for text in phrases:
            phrase = tuple(_cue_words(text))
            if not phrase:
                continue
            if phrase[0].startswith("<"):
                anywhere.append(phrase)
            elif any(token.startswith("<") for token in phrase):
                patterned.setdefault(phrase[0], []).append(phrase)
            else:
                plain.setdefault(phrase[0], []).append(phrase)
        return cls({k: tuple(v) for k, v in plain.items()},
                   {k: tuple(v) for k, v in patterned.items()}, tuple(anywhere))

    def find(self, text_words: Sequence[str]) -> list[tuple[int, int]]:
        """Spans (start, end) of the longest cue at each place, never overlapping."""
        text = tuple(text_words)
        spans: list[tuple[int, int]] = []
        position = 0
        for start, word in enumerate(text):
            if start < position or (word not in self.plain and word not in self.patterned
                                    and not self.anywhere):
                continue
            ends = [start + len(p) for p in self.plain.get(word, ())
                    if text[start:start + len(p)] == p]
            ends += [start + len(p) for p in (*self.patterned.get(word, ()), *self.anywhere)
                     if _matches(p, text, start)]
            if ends:
                spans.append((start, max(ends)))
                position = max(ends)
        return spans


_PLACEHOLDERS = ("year", "number", "word", "ing")
_PLACEHOLDER = re.compile(rf"<({'|'.join(_PLACEHOLDERS)})>")


def _cue_words(text: str) -> list[str]:
    """A cue's words, normalised like an answer, its placeholders kept."""
    out: list[str] = []
    for piece in _PLACEHOLDER.split(str(text)):
        if piece in _PLACEHOLDERS:
            out.append(f"<{piece}>")
        else:
            out += words(piece)
    return out


def _word_fits(token: str, word: str) -> bool:
    if token == "<number>":
        return word.isdigit()
    if token == "<year>":
        return _is_year(word)
    if token == "<word>":
        return True
    if token == "<ing>":                          # "training", "running"; not "ring"
        return len(word) >= 5 and word.endswith("ing")
    return token == word


def _matches(phrase: Phrase, text_words: Sequence[str], start: int) -> bool:
    end = start + len(phrase)
    return end <= len(text_words) and all(
        _word_fits(token, word) for token, word in zip(phrase, text_words[start:end], strict=True))


@dataclass(frozen=True)
class _Cues:
    parts: Mapping[str, _PhraseSet]               # situation, task, result; action phrases
    opening: _PhraseSet                           # weaker scene cues, for the first sentences
    action_subjects: frozenset[str]
    action_verbs: frozenset[str]
    action_not_between: frozenset[str]
    negations: frozenset[str]                     # a S, T or R cue after one is denied
    reflection: _PhraseSet
    singular: frozenset[str]
    plural: frozenset[str]
    change_patterns: tuple[re.Pattern[str], ...]    # count anywhere
    amount_patterns: tuple[re.Pattern[str], ...]    # count from the first result on
    change_phrases: _PhraseSet
    amount_phrases: _PhraseSet


@cache
def _cues() -> _Cues:
    """``data/star_cues.yaml``, compiled once."""
    from ._yaml import load_plain

    source = resources.files("interviewer").joinpath("data", "star_cues.yaml")
    data = load_plain(source.read_text(encoding="utf-8"))
    action, quantities = data["action"], data["quantities"]
    changes, amounts = _quantity_patterns(quantities["units"], quantities["word_numbers"])
    return _Cues(
        parts=MappingProxyType({
            "situation": _PhraseSet.of(data["situation"]),
            "task": _PhraseSet.of(data["task"]),
            "action": _PhraseSet.of(action["phrases"]),
            "result": _PhraseSet.of(data["result"]),
        }),
        opening=_PhraseSet.of(data["opening"]),
        action_subjects=frozenset(action["subjects"]),
        action_verbs=frozenset(action["verbs"]),
        action_not_between=frozenset(action["not_between"]),
        negations=frozenset(data["negations"]),
        reflection=_PhraseSet.of(data["reflection"]),
        singular=frozenset(data["ownership"]["singular"]),
        plural=frozenset(data["ownership"]["plural"]),
        change_patterns=changes,
        amount_patterns=amounts,
        change_phrases=_PhraseSet.of(quantities["changes"]),
        amount_phrases=_PhraseSet.of(quantities["amounts"]),
    )


def _alternatives(items: Iterable[str]) -> str:
    return "|".join(re.escape(str(item)) for item in sorted(items, key=len, reverse=True))


def _quantity_patterns(units: Iterable[str], word_numbers: Iterable[str]
                       ) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """The shapes of a quantity over folded text (lower case, punctuation kept):
    (measures of change, amounts)."""
    digits = r"(?<![\w.,])\d+(?:[.,]\d+)*"
    unit, word = _alternatives(units), _alternatives(word_numbers)
    joined = r"(?:\s?-\s?|\s)"
    changes = [
        rf"\bfrom\s+(?:about\s+|around\s+|roughly\s+|over\s+|nearly\s+|almost\s+)?[$£€]?"
        rf"(?P<first>\d+(?:[.,]\d+)*)\S*(?:\s+\S+){{0,3}}?\s+(?:down\s+|up\s+)?to\s+"
        rf"(?:about\s+|around\s+|under\s+|below\s+|roughly\s+|just\s+|less than\s+)?[$£€]?"
        rf"(?P<second>\d+(?:[.,]\d+)*)(?:\s?(?:{unit})\b|%)?",
        r"[$£€]\s?\d+(?:[.,]\d+)*(?:\s?(?:k|m|bn|thousand|million|billion)\b)?",
        rf"{digits}\s?(?:k|m)?\s?(?:dollars|usd|euros?|eur|pounds|gbp)\b",
        rf"{digits}\s?(?:%|percent\b|per\s?cent\b)",
        rf"{digits}\s?(?:x|×)(?!\w)",
        rf"(?:{digits}|\b(?:{word})){joined}(?:times|fold)\b",
    ]
    amounts = [
        rf"{digits}{joined}?(?:of\s)?(?:{unit})\b",
        rf"\b(?:{word}){joined}(?:of\s)?(?:{unit})\b",
        rf"\b(?:week|day|month|sprint|quarter)\s(?:\d+|{word})\b",
    ]
    return (tuple(re.compile(shape) for shape in changes),
            tuple(re.compile(shape) for shape in amounts))


# -- the rules ------------------------------------------------------------------------------


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n\s*\n")


@dataclass(frozen=True)
class _Read:
    """An answer as the rules read it: its sentences (folded, punctuation kept for the
    quantity patterns), all its words, and where each sentence starts among them, so
    that a cue's place in the story (the opening, before the first action) is known."""

    sentences: tuple[str, ...]
    words: tuple[str, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> _Read:
        sentences = tuple(s for s in _SENTENCE_END.split(fold(text)) if s.strip())
        all_words: list[str] = []
        starts: list[int] = []
        for sentence in sentences:
            starts.append(len(all_words))
            all_words += words(sentence)
        return cls(sentences, tuple(all_words), tuple(starts))

    def sentence_of(self, position: int) -> int:
        """The index of the sentence the word at ``position`` is in."""
        return bisect_right(self.starts, position) - 1

    def opening_end(self) -> int:
        """The word position where the opening sentences end."""
        return (self.starts[OPENING_SENTENCES] if len(self.starts) > OPENING_SENTENCES
                else len(self.words))


def _quote(text_words: Sequence[str], spans: Iterable[Span]) -> tuple[str, ...]:
    """The words of each span as heard ("I" capitalised), each once, in order."""
    quotes: list[str] = []
    for start, end in spans:
        quote = " ".join("I" if w == "i" else w for w in text_words[start:end])
        if quote not in quotes:
            quotes.append(quote)
    return tuple(quotes)


def _outside(spans: Iterable[Span], taken: Sequence[Span]) -> list[Span]:
    """The spans that overlap none of ``taken``."""
    return [(start, end) for start, end in spans
            if not any(start < t_end and t_start < end for t_start, t_end in taken)]


def _action_spans(text_words: Sequence[str], cues: _Cues) -> list[Span]:
    """A subject then one of the verbs, directly or one word later; and the action phrases."""
    spans = cues.parts["action"].find(text_words)
    for start, word in enumerate(text_words[:-1]):
        if word not in cues.action_subjects:
            continue
        if text_words[start + 1] in cues.action_verbs:
            spans.append((start, start + 2))
        elif (start + 2 < len(text_words) and text_words[start + 2] in cues.action_verbs
              and text_words[start + 1] not in cues.action_not_between):
            spans.append((start, start + 3))
    return sorted(spans)


def _star(read: _Read, cues: _Cues, reflection: Sequence[Span]) -> dict[str, list[Span]]:
    """The cues of each STAR part, kept where the part can be in a story.

    Nothing inside a reflection counts ("if I had to do it again" is no task). A
    story begins with its first action: a result cue before it is still the setting
    ("the deadline was fixed by the launch"), and an answer without an action is
    read whole. A cue right after a negation is denied ("we never needed the
    replicas" is no task). When no situation cue is heard, a story's opening can
    still set the scene (``_opening``).
    """
    heard = {part: _outside(_action_spans(read.words, cues) if part == "action"
                            else _affirmed(read.words, cues, cues.parts[part]), reflection)
             for part in STAR_PARTS}
    begins = heard["action"][0][0] if heard["action"] else 0
    heard["result"] = [span for span in heard["result"] if span[0] >= begins]
    if heard["action"] and not heard["situation"]:
        heard["situation"] = _opening(read, cues, [*reflection, *heard["task"]])
    return heard


def _affirmed(text_words: Sequence[str], cues: _Cues, phrases: _PhraseSet) -> list[Span]:
    """The spans of ``phrases`` not right after a negation ("never needed", "not fixed")."""
    return [(start, end) for start, end in phrases.find(text_words)
            if not start or text_words[start - 1] not in cues.negations]


def _opening(read: _Read, cues: _Cues, taken: Sequence[Span]) -> list[Span]:
    """The weaker scene cues ("our gateway", "we were migrating") of the first sentences,
    outside ``taken``: "I was asked to" is a task, not a scene."""
    return _outside(cues.opening.find(read.words[:read.opening_end()]), taken)


def _ownership(text_words: Sequence[str], cues: _Cues) -> tuple[str, int, int]:
    singular = sum(1 for w in text_words if w in cues.singular)
    plural = sum(1 for w in text_words if w in cues.plural)
    share = singular / (singular + plural) if singular + plural else 0.0
    kind = "owned" if share >= OWNED_FROM else ("shared" if share >= TEAM_BELOW else "team")
    return kind, singular, plural


def _is_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and 1950 <= int(number) <= 2099


def _by_sentence(read: _Read, spans: Iterable[Span]) -> dict[int, list[Span]]:
    """The spans grouped by the sentence they start in, so quotes keep the story's order."""
    grouped: dict[int, list[Span]] = {}
    for span in spans:
        grouped.setdefault(read.sentence_of(span[0]), []).append(span)
    return grouped


def _numbers(read: _Read, cues: _Cues, star: Mapping[str, Sequence[Span]]) -> tuple[str, ...]:
    """The quantities of the story, from the sentence of its first action on (numbers
    before it describe the setting): measures of change there, amounts only from the
    first result's sentence, so that "we had two weeks" is not taken for a result."""
    actions, results = star["action"], star["result"]
    begins = read.sentence_of(actions[0][0]) if actions else 0
    amounts_from = read.sentence_of(results[0][0]) if results else len(read.sentences)
    changes = _by_sentence(read, cues.change_phrases.find(read.words))
    amounts = _by_sentence(read, cues.amount_phrases.find(read.words))
    quotes: list[str] = []
    for index in range(begins, len(read.sentences)):
        counting_amounts = index >= amounts_from
        patterns = cues.change_patterns + (cues.amount_patterns if counting_amounts else ())
        quotes += _quantities(read.sentences[index], patterns)
        quotes += _quote(read.words, changes.get(index, ()))
        if counting_amounts:
            quotes += _quote(read.words, amounts.get(index, ()))
    return tuple(dict.fromkeys(quotes))


_AGO = re.compile(r"\s+ago\b")


def _quantities(text: str, patterns: Sequence[re.Pattern[str]]) -> list[str]:
    """What the patterns find in folded ``text``, quoted; the longest of overlapping finds."""
    folded = text
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for found in pattern.finditer(folded):
            groups = found.groupdict()
            if groups.get("first") and _is_year(groups["first"]) and _is_year(groups["second"]):
                continue                                  # "from 2019 to 2021" is dates
            if _AGO.match(folded, found.end()):
                continue                                  # "two months ago" is a date
            spans.append(found.span())
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return [" ".join(folded[start:end].split()) for start, end in kept]


def _length(count: int) -> str:
    return "short" if count < SHORT_BELOW else ("long" if count > LONG_ABOVE else "good")


def _signals(text: str, prompt: BehavioralPrompt | None
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if prompt is None or not prompt.signals:
        return (), ()
    from ._concepts import concepts_named

    named = set(concepts_named(text, prompt.signals))
    labels = [group[0] for group in prompt.signals]
    return (tuple(label for i, label in enumerate(labels) if i in named),
            tuple(label for i, label in enumerate(labels) if i not in named))


def _facts(text: str, prompt: BehavioralPrompt | None) -> AnswerAnalysis:
    """Every rule applied to ``text``; no score or feedback yet."""
    cues = _cues()
    read = _Read.of(text)
    reflection = cues.reflection.find(read.words)
    star = _star(read, cues, reflection)
    ownership, singular, plural = _ownership(read.words, cues)
    count = len(text.split())
    named, missed = _signals(text, prompt)
    return AnswerAnalysis(
        star=tuple(part for part in STAR_PARTS if star[part]),
        evidence=MappingProxyType({part: _quote(read.words, spans)
                                   for part, spans in star.items() if spans}),
        ownership=ownership, singular=singular, plural=plural,
        numbers=_numbers(read, cues, star),
        reflection=_quote(read.words, reflection),
        words=count, length=_length(count),
        signals_named=named, signals_missed=missed,
        story=prompt is None or prompt.kind == "story",
    )


# -- score and feedback ---------------------------------------------------------------------


def _credit(part: str, present: bool, prompted: Sequence[str]) -> float:
    if not present:
        return 0.0
    return PROMPTED_CREDIT if part in prompted else 1.0


def score_of(analysis: AnswerAnalysis) -> float:
    """The weighted sum of the parts, 0..1 (see ``WEIGHTS``; ``MOTIVATION_WEIGHTS`` for a
    "why" question, which has no story to tell)."""
    if not analysis.story:
        return _motivation_score(analysis)
    a, prompted = analysis, analysis.prompted
    total = sum(WEIGHTS[part] * _credit(part, part in a.star, prompted) for part in STAR_PARTS)
    total += WEIGHTS["ownership"] * OWNERSHIP_CREDIT[a.ownership]
    total += WEIGHTS["numbers"] * _credit("numbers", a.quantified, prompted)
    total += WEIGHTS["reflection"] * _credit("reflection", a.reflects, prompted)
    groups = len(a.signals_named) + len(a.signals_missed)
    if groups:
        needed = min(SIGNALS_FOR_FULL_CREDIT, groups)
        total += WEIGHTS["signals"] * min(1.0, len(a.signals_named) / needed)
    else:
        total += WEIGHTS["signals"]
    total += WEIGHTS["length"] * (a.length == "good")
    if max(a.words, a.story_words) < TOO_THIN_BELOW:
        # A few sentences can name every part without telling a story: cues alone
        # must not make a two-line answer look like a good one.
        total = min(total, THIN_SCORE_CAP)
    return round(min(1.0, total), 4)


_DID = {"situation": "set the scene", "task": "said what you had to do",
        "action": "described your actions", "result": "said how it ended"}
_NOUN = {"situation": "situation", "task": "task", "action": "actions", "result": "result",
         "numbers": "numbers", "reflection": "reflection"}
_ADVICE = {
    "situation": "open with a sentence or two on where you were and what was going on.",
    "task": "say what you were responsible for, or what had to be achieved.",
    "action": "walk through the steps you took yourself ('I measured', 'I proposed').",
    "result": "say what changed, with a number if you have one.",
}


def join(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _quoted(quotes: Sequence[str], limit: int = MAX_QUOTES) -> str:
    return ", ".join(f"'{q}'" for q in quotes[:limit])


def _star_sentence(a: AnswerAnalysis) -> str:
    done = [f"{_DID[part]} ({_quoted(a.evidence[part], 2)})" for part in a.star]
    if not done:
        return ("I couldn't hear the shape of a story: name a real situation, what you had to "
                "do, what you did and how it ended.")
    if not a.missing:
        return f"You {join(done)}: the whole story, from situation to result."
    missing = join([_NOUN[part] for part in a.missing], "or")
    return f"You {join(done)} but gave no {missing}: {_ADVICE[a.missing[0]]}"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _ownership_sentence(a: AnswerAnalysis) -> str:
    counts = f"'I' {_times(a.singular)} against 'we' {_times(a.plural)}"
    if a.ownership == "owned":
        return f"You owned the story: {counts}."
    if a.ownership == "shared":
        return (f"A mix of 'I' ({a.singular}) and 'we' ({a.plural}): make sure the decisions "
                f"that were yours are said with 'I'.")
    if not a.singular + a.plural:
        return "I couldn't tell who did what: say 'I' for your own part of the work."
    return (f"Mostly 'we' ({a.plural}) against 'I' ({a.singular}): say which parts you did "
            f"yourself; the interviewer is hiring you, not the team.")


def _motivation_score(a: AnswerAnalysis) -> float:
    weights = MOTIVATION_WEIGHTS
    total = weights["ownership"] * OWNERSHIP_CREDIT[a.ownership]
    total += weights["reflection"] * _credit("reflection", a.reflects, a.prompted)
    groups = len(a.signals_named) + len(a.signals_missed)
    needed = min(MOTIVATION_SIGNALS_FOR_FULL_CREDIT, groups)
    total += weights["signals"] * (min(1.0, len(a.signals_named) / needed) if needed else 1.0)
    total += weights["length"] * (a.length == "good")
    if max(a.words, a.story_words) < TOO_THIN_BELOW:
        total = min(total, THIN_SCORE_CAP)
    return round(min(1.0, total), 4)


def _motivation_feedback(a: AnswerAnalysis) -> list[str]:
    """A "why" answer is judged on being specific and personal, not on STAR parts."""
    if a.signals_named:
        said = (f"You made it specific: you spoke about {join(list(a.signals_named))}.")
    else:
        said = ("It stayed general: name what you have read, followed or worked on, and "
                "why it matters to you.")
    voice = (f"It was in your own voice: 'I' {a.singular} times." if a.ownership == "owned"
             else f"Mostly 'we' ({a.plural}) against 'I' ({a.singular}): this question is "
                  f"about you, so say what draws you personally.")
    grown = (f"You showed how your view formed ({_quoted(a.reflection)})." if a.reflects else
             "Say what shaped your view, or how it has changed over time.")
    return [said, voice, grown]


def _feedback(a: AnswerAnalysis) -> tuple[str, ...]:
    if not a.story:
        return tuple(_motivation_feedback(a) + _length_and_signal_sentences(a, touched=False))
    sentences = [_star_sentence(a)]
    if a.prompted:
        names = join([_NOUN[part] for part in a.prompted])
        them = "them" if len(a.prompted) > 1 or a.prompted[0] in ("action", "numbers") else "it"
        sentences.append(f"The {names} came only when I asked: put {them} in the story from "
                         f"the start.")
    sentences.append(_ownership_sentence(a))
    sentences.append(f"You quantified it: {_quoted(a.numbers)}." if a.quantified else
                     "No numbers: give the impact as a figure, such as the time before and "
                     "after, a percentage, or the time or money saved.")
    sentences.append(f"You reflected on it ({_quoted(a.reflection)})." if a.reflects else
                     "Close with what you learned or what you would do differently.")
    return tuple(sentences + _length_and_signal_sentences(a))


def _length_and_signal_sentences(a: AnswerAnalysis, touched: bool = True) -> list[str]:
    """The length when it is off, and the signals: those named (unless already said) and
    those a strong answer also covers."""
    sentences = []
    if a.length == "short":
        sentences.append(f"At {a.words} words the answer is short: aim for about 150 to 300 "
                         f"words, two or three minutes spoken.")
    elif a.length == "long":
        sentences.append(f"At {a.words} words it runs long: keep the scene to a sentence or two "
                         f"and spend the words on your actions and the result.")
    if a.signals_named and touched:
        sentences.append(f"You touched on {join(list(a.signals_named))}.")
    if a.signals_missed:
        sentences.append(f"Strong answers to this question also talk about "
                         f"{join(list(a.signals_missed), 'or')}.")
    return sentences


def _verdict(facts: AnswerAnalysis) -> AnswerAnalysis:
    scored = replace(facts, score=score_of(facts))
    return replace(scored, feedback=_feedback(scored))


def analyse_answer(text: str, prompt: BehavioralPrompt | None) -> AnswerAnalysis:
    """Analyse one answer to ``prompt``: pure and deterministic."""
    return _verdict(_facts(text, prompt))


def analyse_story(answer: str, probe_answers: Sequence[str],
                  prompt: BehavioralPrompt | None) -> AnswerAnalysis:
    """The whole story: the answer with the answers to the probes.

    Everything is judged on the whole, except the length (that of the answer as
    first told); a part heard only in a probe answer is listed in ``prompted``
    and earns ``PROMPTED_CREDIT`` of its weight.
    """
    first = _facts(answer, prompt)
    if not any(text.strip() for text in probe_answers):
        return _verdict(first)
    whole = _facts("\n".join([answer, *probe_answers]), prompt)
    before = {*first.star, *(["numbers"] if first.quantified else []),
              *(["reflection"] if first.reflects else [])}
    after = [*whole.star, *(["numbers"] if whole.quantified else []),
             *(["reflection"] if whole.reflects else [])]
    prompted = tuple(part for part in after if part not in before)
    return _verdict(replace(whole, words=first.words, length=first.length, prompted=prompted,
                            story_words=whole.words))
