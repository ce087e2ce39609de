"""Text analysis shared by the clarification matcher and the global intents.

Everything here is a small pure function so that the matcher, the intents and
the tests all see a sentence exactly the same way:

1. ``normalise``: Unicode folding, lower case, apostrophes unified,
   contractions expanded ("doesn't" -> "does not"), a few symbol words kept
   ("c++" -> "cpp"), other punctuation turned into spaces.
2. ``words``: the alphanumeric words of a normalised text.
3. ``stem``: Snowball English stems, so "returns", "returned" and "returning"
   meet.
4. ``SynonymTable`` / ``rewrite``: alternatives rewritten to one canonical
   stem sequence ("erase" -> "delete", "time to live" -> "ttl"), from the
   global table in ``data/synonyms.yaml`` plus a question's own.
5. ``STOP_WORDS`` / ``content``: words that carry no topic ("what", "the",
   "should", "happens") dropped, after the synonyms so that phrases such as
   "is not there" still count.

``tokens`` and ``analyse`` run the whole pipeline (with an optional typo
corrector before stemming). The same pipeline is applied to the candidate's
words, to example phrasings and to keywords, which is what makes the
comparison fair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import snowballstemmer

from ._yaml import load_plain

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                              "\u02bc": "'", "\u2032": "'"})

# Whole-word contractions whose expansion is not regular.
_IRREGULAR = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "ain't": "is not", "let's": "let us", "y'all": "you all", "ma'am": "madam",
    "what's": "what is", "that's": "that is", "it's": "it is", "there's": "there is",
    "here's": "here is", "who's": "who is", "where's": "where is", "how's": "how is",
    "when's": "when is", "why's": "why is", "he's": "he is", "she's": "she is",
    "everything's": "everything is", "nothing's": "nothing is",
}
# Contractions commonly typed without the apostrophe.
_BARE = {
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not",
    "arent": "are not", "wasnt": "was not", "werent": "were not", "cant": "can not",
    "couldnt": "could not", "shouldnt": "should not", "wouldnt": "would not",
    "wont": "will not", "hasnt": "has not", "havent": "have not", "hadnt": "had not",
    "whats": "what is", "thats": "that is", "im": "i am", "ive": "i have", "youre": "you are",
    "theres": "there is", "lets": "let us",
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"),
             ("'d", " would"), ("'m", " am"), ("'s", ""))
# Symbols that name things ("c++") and would be lost with the punctuation.
_SYMBOL_WORDS = (
    (re.compile(r"(?<![a-z0-9])c\+\+(?![a-z0-9])"), " cpp "),
    (re.compile(r"(?<![a-z0-9])c#(?![a-z0-9])"), " csharp "),
    (re.compile(r"(?<![a-z0-9])f#(?![a-z0-9])"), " fsharp "),
    (re.compile(r"(?<![a-z0-9])\.net(?![a-z0-9])"), " dotnet "),
    (re.compile(r"(?<![a-z0-9])o\(\s*"), " big o("),
)
_APOSTROPHE_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)+")
# Keep dots and underscores inside identifiers ("collections.deque",
# "_rubric.yaml") for the intents; everything else that is not a letter,
# digit or space becomes a space.
_PUNCTUATION = re.compile(r"(?:(?<![a-z0-9_])\.|\.(?![a-z0-9_])|[^a-z0-9_.\s])+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, compatibility-folded, accents removed, apostrophes unified.

    NFKD then dropping combining marks turns "café" into "cafe" and full-width
    letters into ASCII, so typing style does not change the words.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _expand_word(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word.replace("'", " ")


def expand_contractions(text: str) -> str:
    """Expand English contractions in folded text ("doesn't" -> "does not").

    A trailing "'s" that is not a known "is" contraction is treated as a
    possessive and dropped ("the key's value" -> "the key value"). Common
    apostrophe-less spellings ("dont", "whats") are expanded too.
    """
    text = _APOSTROPHE_WORD.sub(lambda m: _expand_word(m.group(0)), text)
    return _WORD.sub(lambda m: _BARE.get(m.group(0), m.group(0)), text)


def normalise(text: str) -> str:
    """The canonical surface form of a sentence: folded, expanded, unpunctuated."""
    text = expand_contractions(fold(text))
    for pattern, replacement in _SYMBOL_WORDS:
        text = pattern.sub(replacement, text)
    text = _PUNCTUATION.sub(" ", text.replace("'", " "))
    return _SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The alphanumeric words of ``text`` after normalisation."""
    return _WORD.findall(normalise(text))


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball English stem, with a final "i" from a "y" dropped.

    Snowball maps "expiry" to "expiri" but "expire" to "expir"; dropping the
    trailing "i" of longer stems lets the noun and the verb meet.
    """
    result = _STEMMER.stemWord(word)
    if len(result) > 4 and result.endswith("i"):
        result = result[:-1]
    return result


_STOP_TEXT = """
    a an the and or but nor if then else so than as of at by for with about to from in on into
    onto upon via per i me my mine myself we us our ours you your yours he him his she her it its
    they them their this that these those there here what which who whom whose when where why how
    is am are was were be been being have has had having do does did doing done will would shall
    should can could may might must ought let lets please pls plz ok okay hi hey hello um uh er
    hmm well also actually really basically just quick quickly sure exactly maybe perhaps kind
    of way thing things stuff something anything everything happen happens happened
    happening wonder wondering assume assuming assumption suppose supposed guess think know mean
    meant tell ask asking say said want wanted need needed like would question questions clarify
    clarification clarifying curious expect expected expectation behaviour behavior behave
    handle handled handling treat treated deal dealt go going gonna wanna supposed correct right
    understand understood scenario scenarios situation
"""
# Negations and words such as "same", "all", "first", "before" are deliberately
# absent: they change what is being asked.
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())


def is_stop(word: str) -> bool:
    """True for words that say nothing about the topic of a question."""
    return word in STOP_WORDS


# -- synonyms -----------------------------------------------------------------------------

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class SynonymTable:
    """Alternative stem sequences mapped to a canonical stem sequence.

    ``longest`` bounds the phrase length tried at each position and ``firsts``
    (the first stems of the alternatives) skips positions where nothing can
    start, so rewriting stays linear in the sentence length.
    """

    entries: Mapping[Phrase, Phrase]
    longest: int = field(init=False)
    firsts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "longest", max(map(len, self.entries), default=0))
        object.__setattr__(self, "firsts", frozenset(s[0] for s in self.entries if s))

# A one-word alternative that is a negation would rewrite every negative
# sentence, so it is skipped.
_NEGATIONS = frozenset({("not",), ("no",), ("never",), ("nor",)})


def phrase_stems(text: str) -> Phrase:
    """Stems of every word of ``text``, stop words included."""
    return tuple(stem(w) for w in words(text))


def synonym_table(groups: Mapping[str, Iterable[str]]) -> SynonymTable:
    """Build a table from ``canonical -> alternatives`` (words or short phrases).

    Phrases keep their stop words ("time to live", "not there"), so they only
    match those words in that order. An alternative made only of stop words
    or a bare negation would rewrite too much and is skipped. The first group
    that claims an alternative keeps it, so a table is never ambiguous, and a
    canonical word maps to itself, which protects it from a later group
    listing it as an alternative.
    """
    entries: dict[Phrase, Phrase] = {}
    for canonical, alternatives in groups.items():
        target = phrase_stems(str(canonical))
        if not target:
            continue
        entries.setdefault(target, target)
        for alternative in alternatives:
            found = words(str(alternative))
            source = tuple(stem(w) for w in found)
            if source and source not in _NEGATIONS and not all(is_stop(w) for w in found):
                entries.setdefault(source, target)
    entries = {source: target for source, target in entries.items() if source != target}
    return SynonymTable(entries)


Token = tuple[str, bool]    # a stem and whether it is a stop word


def rewrite(tokens: Sequence[Token], table: SynonymTable) -> list[Token]:
    """Replace alternatives by their canonical stems, longest phrase first, left to right.

    Canonical stems are never stop words: they are what the text is about.
    """
    if not table.entries:
        return list(tokens)
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i][0] not in table.firsts:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(table.longest, n - i), 0, -1):
            target = table.entries.get(tuple(t[0] for t in tokens[i : i + size]))
            if target is not None:
                out.extend((s, False) for s in target)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def canonicalise(stems: Sequence[str], table: SynonymTable) -> Phrase:
    """``rewrite`` for a plain stem sequence."""
    return tuple(s for s, _ in rewrite([(s, False) for s in stems], table))


@lru_cache(maxsize=1)
def global_synonyms() -> Mapping[str, tuple[str, ...]]:
    """The global synonym groups of ``data/synonyms.yaml`` (loaded once)."""
    source = resources.files("interviewer").joinpath("data", "synonyms.yaml")
    data = load_plain(source.read_text(encoding="utf-8")) or {}
    return {str(k): tuple(str(v) for v in values) for k, values in data.items()}


@lru_cache(maxsize=1)
def global_table() -> SynonymTable:
    """The global synonym table, built once."""
    return synonym_table(global_synonyms())


Corrector = Callable[[str], str]


def tokens(text: str, tables: Sequence[SynonymTable] = (),
           correct: Corrector | None = None) -> list[Token]:
    """Every word of ``text`` as (stem, is stop word), after typo fixes and synonyms.

    Synonyms are rewritten before stop words are dropped, so phrases that
    contain stop words ("is not there", "give back") still count. ``tables``
    are applied in order (a question's own table before the global one), so
    a question's vocabulary wins and chains ("evict" -> "remove" -> "delete")
    resolve the same way for every text.
    """
    found = words(text)
    if correct is not None:
        found = [w if is_stop(w) else correct(w) for w in found]
    result: list[Token] = [(stem(w), is_stop(w)) for w in found]
    for table in tables:
        result = rewrite(result, table)
    return result


def content(stream: Sequence[Token]) -> Phrase:
    """The stems that carry the topic; all of them when every word is a stop word."""
    kept = tuple(s for s, stop in stream if not stop)
    return kept or tuple(s for s, _ in stream)


def analyse(text: str, tables: Sequence[SynonymTable] = (),
            correct: Corrector | None = None) -> Phrase:
    """The comparable form of ``text``: its content stems after typo fixes and synonyms."""
    return content(tokens(text, tables, correct))
