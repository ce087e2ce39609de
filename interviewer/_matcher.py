"""Answering clarifying questions: which clarification does an utterance ask for?

A ``Matcher`` is built once per question from its clarifications. Building
does all the work that does not depend on the utterance (analysing examples
and keywords, weighting terms, indexing), so ``match`` only analyses the
utterance and adds up a few numbers.

Each clarification gets a score in [0, 1] from four pieces of evidence:

* keywords ``k``: the share of its keyword groups that the utterance
  satisfies (a group is satisfied when any of its alternatives appears; one
  word counts for one group only). A clarification with a single group gets
  ``SINGLE_GROUP_DAMPING`` of it: one word alone is weak evidence;
* example ``e``: the best weighted cosine similarity between the utterance
  and one of its example phrasings, rare terms weighing more;
* coverage ``c``: the share of the utterance's term weight that the
  clarification's vocabulary (examples and keywords) explains, so words the
  script never mentions pull the score down;
* all groups ``a``: 1 when a clarification with two or more groups has every
  group satisfied.

``score = W_KEYWORDS * k + W_EXAMPLES * e + W_COVERAGE * c + W_ALL_GROUPS * a``
(the weights add up to 1). The best clarification is returned when its score
reaches ``THRESHOLD``; equal scores go to the clarification declared first.
``docs/matcher.md`` walks through the pipeline with examples.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import _text
from ._text import Phrase, SynonymTable

THRESHOLD = 0.5
W_KEYWORDS = 0.3      # share of keyword groups satisfied
W_EXAMPLES = 0.3      # best cosine similarity to one example phrasing
W_COVERAGE = 0.3      # share of the utterance's weight the clarification's vocabulary explains
W_ALL_GROUPS = 0.1    # every group of a two-or-more-group clarification satisfied
SINGLE_GROUP_DAMPING = 0.8   # one satisfied group alone is weaker than two
PHRASE_SLACK = 2             # extra words allowed inside a multi-word keyword
FUZZY_MIN_LENGTH = 4         # shorter words are never corrected: too many neighbours
_CORRECTION_CACHE_LIMIT = 4096
_OPTIONS_PER_GROUP = 8       # bounds the search for disjoint keyword evidence


@dataclass(frozen=True)
class ClarificationSpec:
    """What the matcher needs of a clarification: its id, examples and keyword groups."""

    id: str
    examples: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        # Accept lists (as read from YAML) while keeping the spec hashable.
        object.__setattr__(self, "examples", tuple(str(e) for e in self.examples))
        object.__setattr__(self, "keywords",
                           tuple(tuple(str(a) for a in group) for group in self.keywords))

    @classmethod
    def coerce(cls, item: Any) -> ClarificationSpec:
        """A spec from a spec, a mapping or any object with the three attributes."""
        if isinstance(item, cls):
            return item
        if isinstance(item, Mapping):
            return cls(str(item["id"]), item.get("examples", ()), item.get("keywords", ()))
        return cls(str(item.id), item.examples, item.keywords)


@dataclass(frozen=True)
class Match:
    """The clarification an utterance asks for, how sure we are, and why."""

    id: str
    score: float
    why: str


@dataclass(frozen=True)
class Candidate:
    """The full scoring of one clarification for one utterance (for ``explain``)."""

    id: str
    score: float
    keyword_share: float
    example_similarity: float
    coverage: float
    groups: tuple[str | None, ...]
    example: str | None

    @property
    def why(self) -> str:
        """A one-line account: satisfied keyword groups, closest example, coverage."""
        hits = [alt for alt in self.groups if alt is not None]
        keywords = f"keywords {len(hits)}/{len(self.groups)}"
        if hits:
            keywords += " (" + ", ".join(hits) + ")"
        example = f"example {self.example_similarity:.2f}"
        if self.example is not None:
            example += f" {self.example!r}"
        return f"{keywords}; {example}; coverage {self.coverage:.2f}"


@dataclass(frozen=True)
class _Alternative:
    label: str
    stems: Phrase        # every word, stop words included: phrases match word for word
    content: Phrase      # the topic words, for term weights


@dataclass(frozen=True)
class _Clarification:
    id: str
    examples: tuple[str, ...]
    example_terms: tuple[frozenset[str], ...]
    first_example: int   # number of its first example in the matcher's index
    groups: tuple[tuple[_Alternative, ...], ...]


@dataclass(frozen=True)
class _Utterance:
    content: Phrase
    everything: Phrase
    positions: Mapping[str, tuple[int, ...]]   # stem -> where it occurs in ``everything``

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.content)


class Matcher:
    """Scores an utterance against every clarification of one question."""

    def __init__(self, specs: Sequence[ClarificationSpec],
                 synonyms: Mapping[str, Iterable[str]] | None = None,
                 threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        own = _text.synonym_table(dict(synonyms or {}))
        self._tables: tuple[SynonymTable, ...] = (own, _text.global_table())
        self._vocabulary = _Vocabulary(specs, synonyms or {})
        self._clarifications = self._compile(specs)
        self._terms = self._documents()
        self._weights, self._unknown_weight = self._idf(self._terms)
        self._index, self._norms = self._index_examples()
        self._keywords = self._index_keywords()

    @classmethod
    def from_specs(cls, specs: Iterable[Any],
                   synonyms: Mapping[str, Iterable[str]] | None = None) -> Matcher:
        """Build from specs, mappings or objects with ``id``, ``examples`` and ``keywords``."""
        return cls([ClarificationSpec.coerce(item) for item in specs], synonyms)

    # -- construction -----------------------------------------------------------------

    def _analyse(self, text: str) -> Phrase:
        return _text.analyse(text, self._tables)

    def _compile(self, specs: Sequence[ClarificationSpec]) -> tuple[_Clarification, ...]:
        compiled, first = [], 0
        for spec in specs:
            groups = tuple(
                tuple(self._alternative(alt) for alt in group if _text.words(alt))
                for group in spec.keywords
            )
            terms = tuple(frozenset(self._analyse(example)) for example in spec.examples)
            compiled.append(_Clarification(spec.id, spec.examples, terms, first,
                                           tuple(g for g in groups if g)))
            first += len(spec.examples)
        return tuple(compiled)

    def _alternative(self, label: str) -> _Alternative:
        stream = _text.tokens(label, self._tables)
        return _Alternative(label, tuple(s for s, _ in stream), _text.content(stream))

    def _documents(self) -> list[frozenset[str]]:
        """Each clarification's vocabulary: the terms of its examples and keywords."""
        return [
            frozenset().union(*spec.example_terms,
                              *(alt.content for group in spec.groups for alt in group))
            for spec in self._clarifications
        ]

    @staticmethod
    def _idf(documents: Sequence[frozenset[str]]) -> tuple[dict[str, float], float]:
        """Inverse document frequency over clarifications: rare terms decide more.

        A term unknown to every clarification weighs as much as the rarest
        known term: an utterance about something the script never mentions
        should look unlike every example.
        """
        total = len(documents)
        frequency: dict[str, int] = defaultdict(int)
        for terms in documents:
            for term in terms:
                frequency[term] += 1
        weights = {t: math.log(1 + (total + 1) / df) for t, df in frequency.items()}
        return weights, math.log(1 + (total + 1))

    def _index_examples(self) -> tuple[dict[str, list[tuple[int, float]]], list[float]]:
        """An inverted index term -> (example number, squared weight), and example norms."""
        index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        norms: list[float] = []
        for spec in self._clarifications:
            for terms in spec.example_terms:
                for term in sorted(terms):
                    index[term].append((len(norms), self._weight(term) ** 2))
                norms.append(math.sqrt(sum(self._weight(t) ** 2 for t in terms)) or 1.0)
        return dict(index), norms

    def _index_keywords(self) -> dict[str, list[tuple[int, int, int, _Alternative]]]:
        """First stem of each alternative -> (clarification, group, alternative, it).

        Only the alternatives whose first word occurs in an utterance are ever
        looked at, which keeps matching fast with many clarifications.
        """
        index: dict[str, list[tuple[int, int, int, _Alternative]]] = defaultdict(list)
        for ci, spec in enumerate(self._clarifications):
            for gi, group in enumerate(spec.groups):
                for ai, alternative in enumerate(group):
                    if alternative.stems:
                        index[alternative.stems[0]].append((ci, gi, ai, alternative))
        return dict(index)

    def _weight(self, term: str) -> float:
        return self._weights.get(term, self._unknown_weight)

    # -- matching -----------------------------------------------------------------------

    def match(self, text: str) -> Match | None:
        """The best clarification for ``text``, or None when none reaches the threshold."""
        candidates = self.explain(text)
        if not candidates or candidates[0].score < self.threshold:
            return None
        best = candidates[0]
        return Match(best.id, best.score, best.why)

    def explain(self, text: str) -> list[Candidate]:
        """Every clarification scored for ``text``, best first (ties: declaration order)."""
        utterance = self._utterance(text)
        similarities = self._similarities(utterance)
        coverage = self._coverage(utterance)
        options = self._keyword_options(utterance)
        scored = [self._score(c, options.get(i), similarities, coverage[i])
                  for i, c in enumerate(self._clarifications)]
        order = {c.id: i for i, c in enumerate(self._clarifications)}
        return sorted(scored, key=lambda c: (-round(c.score, 9), order[c.id]))

    def correct(self, word: str) -> str:
        """The known word that ``word`` is taken for (itself when it is no typo)."""
        return self._vocabulary.correct(word)

    def _utterance(self, text: str) -> _Utterance:
        stream = _text.tokens(text, self._tables, self._vocabulary.correct)
        everything = tuple(s for s, _ in stream)
        positions: dict[str, list[int]] = defaultdict(list)
        for position, stem in enumerate(everything):
            positions[stem].append(position)
        return _Utterance(_text.content(stream), everything,
                          {stem: tuple(p) for stem, p in positions.items()})

    def _similarities(self, utterance: _Utterance) -> list[float]:
        """Weighted cosine between the utterance's terms and every example."""
        terms = utterance.terms
        dots = [0.0] * len(self._norms)
        for term in terms:
            for number, weight in self._index.get(term, ()):
                dots[number] += weight
        norm = math.sqrt(sum(self._weight(t) ** 2 for t in terms)) or 1.0
        return [dot / (norm * self._norms[i]) for i, dot in enumerate(dots)]

    def _coverage(self, utterance: _Utterance) -> list[float]:
        """The share of the utterance's weight that each clarification's vocabulary explains."""
        weights = {t: self._weight(t) ** 2 for t in utterance.terms}
        total = sum(weights.values()) or 1.0
        return [sum(w for t, w in weights.items() if t in terms) / total
                for terms in self._terms]

    def _keyword_options(self, utterance: _Utterance) -> dict[int, list[list[Option]]]:
        """Per clarification and group, every keyword occurrence in the utterance."""
        found: dict[int, list[list[tuple[int, Option]]]] = {}
        for stem in utterance.positions:
            for ci, gi, ai, alternative in self._keywords.get(stem, ()):
                places = _occurrences(utterance, alternative.stems)
                if places:
                    groups = found.setdefault(
                        ci, [[] for _ in self._clarifications[ci].groups])
                    groups[gi] += [(ai, (alternative.label, p)) for p in places]
        return {ci: [[option for _, option in sorted(g, key=_by_order)[:_OPTIONS_PER_GROUP]]
                     for g in groups]
                for ci, groups in found.items()}

    def _score(self, spec: _Clarification, options: list[list[Option]] | None,
               similarities: list[float], coverage: float) -> Candidate:
        groups = _satisfied(options) if options else (None,) * len(spec.groups)
        hits = sum(g is not None for g in groups)
        share = hits / len(groups) if groups else 0.0
        keyword = share * (SINGLE_GROUP_DAMPING if len(groups) == 1 else 1.0)
        every = 1.0 if len(groups) >= 2 and hits == len(groups) else 0.0
        best, example = 0.0, None
        for offset, text in enumerate(spec.examples):
            similarity = similarities[spec.first_example + offset]
            if similarity > best:
                best, example = similarity, text
        score = min(1.0, W_KEYWORDS * keyword + W_EXAMPLES * best + W_COVERAGE * coverage
                    + W_ALL_GROUPS * every)
        return Candidate(spec.id, score, share, best, coverage, groups, example)


Option = tuple[str, frozenset[int]]   # an alternative's label and the word positions it used


def _by_order(item: tuple[int, Option]) -> tuple[int, int]:
    """Declaration order of the alternative, then position in the utterance."""
    return item[0], min(item[1][1])


def _satisfied(options: list[list[Option]]) -> tuple[str | None, ...]:
    """For each group, the alternative that satisfies it, or None.

    One word of the utterance counts for one group only: "change" may not
    satisfy both "[set, update]" and "[overwrite, replace]" when synonyms
    make them the same word, because two groups ask for two pieces of
    evidence. The assignment that satisfies the most groups wins (earlier
    alternatives first, so the result is deterministic).
    """
    greedy = _assign(options, 0, frozenset(), greedy=True)
    if sum(label is not None for label in greedy) == sum(bool(o) for o in options):
        return greedy
    return _assign(options, 0, frozenset(), greedy=False)


def _assign(options: list[list[Option]], index: int, used: frozenset[int],
            greedy: bool) -> tuple[str | None, ...]:
    """Pick one option per group on disjoint words, maximising satisfied groups."""
    if index == len(options):
        return ()
    best: tuple[str | None, ...] | None = None
    for label, positions in options[index]:
        if positions & used:
            continue
        rest = _assign(options, index + 1, used | positions, greedy)
        candidate = (label, *rest)
        if best is None or _count(candidate) > _count(best):
            best = candidate
        if greedy or _count(best) == len(options) - index:
            break
    skipped = (None, *_assign(options, index + 1, used, greedy))
    if best is None or _count(skipped) > _count(best):
        best = skipped
    return best


def _count(labels: tuple[str | None, ...]) -> int:
    return sum(label is not None for label in labels)


def _occurrences(utterance: _Utterance, phrase: Phrase) -> list[frozenset[int]]:
    """Where ``phrase`` occurs in order, with at most PHRASE_SLACK extra words inside."""
    starts = utterance.positions.get(phrase[0], ()) if phrase else ()
    if len(phrase) == 1:
        return [frozenset((start,)) for start in starts]
    stream, found = utterance.everything, []
    for start in starts:
        position, limit, taken = start, start + len(phrase) + PHRASE_SLACK, [start]
        for part in phrase[1:]:
            try:
                position = stream.index(part, position + 1, limit)
            except ValueError:
                break
            taken.append(position)
        else:
            found.append(frozenset(taken))
    return found


class _Vocabulary:
    """The words a question knows, used to correct typos in an utterance.

    A word is left alone when it is short, a stop word, known, or shares a
    stem with a known word. Otherwise the closest known word with the same
    first letter within a small edit distance (transpositions count as one
    edit) replaces it, so "expirey" reads as "expiry".
    """

    def __init__(self, specs: Sequence[ClarificationSpec],
                 synonyms: Mapping[str, Iterable[str]]) -> None:
        texts: list[str] = []
        for spec in specs:
            texts += spec.examples
            texts += [alt for group in spec.keywords for alt in group]
        for table in (synonyms, _text.global_synonyms()):
            for canonical, alternatives in table.items():
                texts += [canonical, *alternatives]
        known = {w for text in texts for w in _text.words(text) if not _text.is_stop(w)}
        self._known = frozenset(known)
        self._stems = frozenset(_text.stem(w) for w in known)
        by_letter: dict[str, list[str]] = defaultdict(list)
        for word in sorted(known):
            if len(word) >= FUZZY_MIN_LENGTH - 1 and word.isalpha():
                by_letter[word[0]].append(word)
        self._by_letter = dict(by_letter)
        self._cache: dict[str, str] = {}

    def correct(self, word: str) -> str:
        """``word`` itself, or the known word it is most likely a typo of."""
        if (len(word) < FUZZY_MIN_LENGTH or word in self._known or not word.isalpha()
                or _text.stem(word) in self._stems):
            return word
        cached = self._cache.get(word)
        if cached is None:
            if len(self._cache) >= _CORRECTION_CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[word] = self._closest(word)
        return cached

    def _closest(self, word: str) -> str:
        limit = 1 if len(word) <= 7 else 2
        choices = self._by_letter.get(word[0], ())
        found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        return found[0] if found is not None else word
