"""Which of a follow-up's expected concepts an answer names.

A concept is a list of words or phrases, any of which names it. Matching is
on word stems, phrase by phrase, so "sharding" names "shard" and "write-ahead
logs" names "write ahead log". The concepts themselves are never shown to
the candidate before feedback.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ._text import stem, words


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


@cache
def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    width = len(needle)
    return width > 0 and any(
        tuple(haystack[i:i + width]) == tuple(needle) for i in range(len(haystack) - width + 1)
    )


def concepts_named(answer: str, concepts: Sequence[Sequence[str]]) -> list[int]:
    """Indices of the concepts that ``answer`` names, in order."""
    words = stems(answer)
    return [
        index for index, alternatives in enumerate(concepts)
        if any(_contains(words, _phrase_stems(alt)) for alt in alternatives)
    ]
