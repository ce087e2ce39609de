"""Level 4 hidden tests: matching cost, counted through the vocabulary.

The tests use their own copy of the provided helpers, so the count does not
depend on the solution's copy. The long texts are 20,000 characters over
vocabularies of 2,000 tokens, and the budget is 100 comparisons per character.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from itertools import accumulate

UNKNOWN = -1
BUDGET_PER_CHAR = 100
TEXT_SIZE = 20_000
VOCAB_SIZE = 2_000

# -- a copy of the provided helpers of starter.py; the solution's copy is not used --


class BudgetExceeded(Exception):
    """Raised by a Vocab with a budget once its comparison count goes over it."""


class Vocab:
    """A vocabulary of tokens; the id of a token is its index in ``tokens``.

    Tokens are non-empty, distinct strings. Three operations compare text with
    the vocabulary, and each call of one of them adds 1 to ``comparisons``:
    ``starts_at``, ``lookup`` and ``TrieNode.child`` (on nodes from
    ``trie_root``). Everything else (``len``, ``max_len``, ``token``,
    ``TrieNode.add_child``) is free. With a ``budget``, the comparison that goes
    over it raises ``BudgetExceeded``.
    """

    def __init__(self, tokens: Iterable[str], budget: int | None = None) -> None:
        self._tokens: list[str] = list(tokens)
        self._ids: dict[str, int] = {}
        for token_id, token in enumerate(self._tokens):
            if not isinstance(token, str) or not token:
                raise ValueError(f"token {token_id} is not a non-empty string: {token!r}")
            if token in self._ids:
                raise ValueError(f"token {token!r} appears twice")
            self._ids[token] = token_id
        self._max_len = max((len(token) for token in self._tokens), default=0)
        self._budget = budget
        self._comparisons = 0

    def __len__(self) -> int:
        """The number of tokens; valid ids are 0 .. len(vocab) - 1."""
        return len(self._tokens)

    @property
    def max_len(self) -> int:
        """The length of the longest token (0 for an empty vocabulary)."""
        return self._max_len

    @property
    def comparisons(self) -> int:
        """How many counted comparisons have been made so far."""
        return self._comparisons

    def token(self, token_id: int) -> str:
        """The string of token ``token_id`` (free). IndexError for an invalid id."""
        if not 0 <= token_id < len(self._tokens):
            raise IndexError(f"no token with id {token_id}")
        return self._tokens[token_id]

    def starts_at(self, token_id: int, text: str, pos: int) -> bool:
        """Counted: does token ``token_id`` occur in ``text`` starting at ``pos``?"""
        self._count()
        return text.startswith(self.token(token_id), pos)

    def lookup(self, piece: str) -> int | None:
        """Counted: the id of the token equal to ``piece``, or None."""
        self._count()
        return self._ids.get(piece)

    def trie_root(self) -> TrieNode:
        """A new, empty trie root whose ``child`` steps are counted by this vocabulary."""
        return TrieNode(self)

    def _count(self) -> None:
        self._comparisons += 1
        if self._budget is not None and self._comparisons > self._budget:
            raise BudgetExceeded(f"more than {self._budget} comparisons")


class TrieNode:
    """One node of a character trie. Build with ``add_child``, walk with ``child``.

    ``token_id`` is the id of the token that ends at this node, or None; set it
    yourself while building.
    """

    __slots__ = ("_children", "_vocab", "token_id")

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._children: dict[str, TrieNode] = {}
        self.token_id: int | None = None

    def child(self, char: str) -> TrieNode | None:
        """Counted: the child reached by ``char``, or None."""
        self._vocab._count()
        return self._children.get(char)

    def add_child(self, char: str) -> TrieNode:
        """Free: the child reached by ``char``, created if it does not exist yet."""
        node = self._children.get(char)
        if node is None:
            node = self._children[char] = TrieNode(self._vocab)
        return node


# -- long inputs ------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz"
UNKNOWN_CHARS = "0123456789QXZ\u00e9\u00df\ufffd"


def _words(rng: random.Random, count: int) -> list[str]:
    onsets, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = [c + v for c in onsets for v in vowels]
    syllables += [c + v + "n" for c in "klmst" for v in vowels]
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    return sorted(found)


def _corpus(rng: random.Random, words: list[str], size: int, unknown_rate: float = 0.0) -> str:
    """Words drawn with Zipf-like frequencies, with some unknown characters mixed in."""
    cumulative = list(accumulate(1.0 / (rank + 1) for rank in range(len(words))))
    parts, length = [], 0
    while length < size:
        word = rng.choices(words, cum_weights=cumulative)[0]
        if rng.random() < unknown_rate:
            word = "".join(rng.choice(UNKNOWN_CHARS) for _ in range(rng.randint(1, 4))) + word
        part = word + rng.choice((" ", " ", " ", ", ", ". "))
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]


def _tokens(rng: random.Random, words: list[str], longest: int = 8, phrases: int = 0) -> list[str]:
    """Letters, common words with and without a leading space, and pieces of text."""
    found = set(LETTERS) | {" ", ",", "."}
    for word in words[:300]:
        found.update((word, " " + word))
    sample = _corpus(rng, words, 50_000)
    for _ in range(phrases):
        start = rng.randrange(len(sample) - longest)
        found.add(sample[start:start + rng.randint(longest // 2, longest)])
    while len(found) < VOCAB_SIZE:
        start = rng.randrange(len(sample) - 8)
        found.add(sample[start:start + rng.randint(2, 8)])
    ordered = sorted(found)
    rng.shuffle(ordered)
    return ordered


def _expected(text: str, tokens: list[str]) -> tuple[list[int], list[str]]:
    """Greedy longest match with plain strings: obviously right, and not counted."""
    ids = {token: i for i, token in enumerate(tokens)}
    longest = max(map(len, tokens))
    out, unknowns, pos = [], [], 0
    while pos < len(text):
        for length in range(min(longest, len(text) - pos), 0, -1):
            if text[pos:pos + length] in ids:
                out.append(ids[text[pos:pos + length]])
                pos += length
                break
        else:
            if out and out[-1] == UNKNOWN:
                unknowns[-1] += text[pos]
            else:
                out.append(UNKNOWN)
                unknowns.append(text[pos])
            pos += 1
    return out, unknowns


def _check_cost(vocab: Vocab, text: str, ids: list[int]) -> None:
    produced = sum(1 for token_id in ids if token_id != UNKNOWN)
    assert vocab.comparisons >= produced, (
        f"{vocab.comparisons} counted comparisons for {produced} tokens: match through "
        "starts_at, lookup or TrieNode.child, as level 4 asks")
    assert vocab.comparisons <= BUDGET_PER_CHAR * len(text)


def _budgeted(tokens: list[str], text: str) -> Vocab:
    return Vocab(tokens, budget=BUDGET_PER_CHAR * len(text))


def test_long_text_stays_within_the_comparison_budget(solution, measure):
    rng = random.Random(2024)
    words = _words(rng, 1500)
    tokens = _tokens(rng, words)
    text = _corpus(rng, words, TEXT_SIZE, unknown_rate=0.03)
    vocab = _budgeted(tokens, text)
    ids = solution.tokenize(text, vocab)
    assert ids == _expected(text, tokens)[0]
    _check_cost(vocab, text, ids)
    measure("comparisons", vocab.comparisons)


def test_long_text_with_many_unknown_runs_stays_within_budget(solution, measure):
    rng = random.Random(7)
    words = _words(rng, 1500)
    tokens = _tokens(rng, words)
    text = _corpus(rng, words, TEXT_SIZE, unknown_rate=0.35)
    vocab = _budgeted(tokens, text)
    ids = solution.tokenize(text, vocab)
    assert ids == _expected(text, tokens)[0]
    _check_cost(vocab, text, ids)
    measure("comparisons", vocab.comparisons)


def test_encode_of_long_text_with_long_tokens_stays_within_budget(solution, measure):
    rng = random.Random(99)
    words = _words(rng, 1500)
    tokens = _tokens(rng, words, longest=24, phrases=400)
    text = _corpus(rng, words, TEXT_SIZE, unknown_rate=0.05)
    vocab = _budgeted(tokens, text)
    ids, unknowns = solution.encode(text, vocab)
    assert (ids, unknowns) == _expected(text, tokens)
    _check_cost(vocab, text, ids)
    measure("comparisons", vocab.comparisons)


def test_long_text_round_trips_within_budget(solution):
    rng = random.Random(5)
    words = _words(rng, 800)
    tokens = _tokens(rng, words)
    text = _corpus(rng, words, TEXT_SIZE // 2, unknown_rate=0.1)
    vocab = _budgeted(tokens, text)
    ids, unknowns = solution.encode(text, vocab)
    _check_cost(vocab, text, ids)
    assert solution.detokenize(ids, vocab, unknowns) == text


def test_comparisons_go_through_the_vocabulary(solution):
    vocab = Vocab(["ab", "a", "b", " "])
    ids = solution.tokenize("ab ab a b", vocab)
    assert ids == [0, 3, 0, 3, 1, 3, 2]
    assert vocab.comparisons >= len(ids), (
        "matching must use starts_at, lookup or TrieNode.child so it can be counted")


# -- the cases a fast matcher gets wrong -------------------------------------------------------


def test_dead_end_falls_back_to_the_last_complete_token_edge(solution):
    vocab = Vocab(["a", "abcd", "b", "c"])
    assert solution.tokenize("abcx", vocab) == [0, 2, 3, UNKNOWN]


def test_dead_end_without_a_complete_token_restarts_one_character_later_edge(solution):
    vocab = Vocab(["abcd", "bc"])
    assert solution.tokenize("abcx", vocab) == [UNKNOWN, 1, UNKNOWN]


def test_text_ending_inside_a_longer_token_edge(solution):
    vocab = Vocab(["abc", "a", "b"])
    assert solution.tokenize("ab", vocab) == [1, 2]
    assert solution.tokenize("ca", Vocab(["abc", "ab"])) == [UNKNOWN]


def test_longest_match_found_past_a_branch_with_no_token_edge(solution):
    vocab = Vocab(["x", "xyz1", "xyz123", "2", "3"])
    assert solution.tokenize("xyz12xyz1234", vocab) == [1, 3, 2, UNKNOWN]


def test_each_vocabulary_gets_its_own_index_edge(solution):
    first, second = Vocab(["a", "ab"]), Vocab(["b", "ba"])
    assert solution.tokenize("abab", first) == [1, 1]
    assert solution.tokenize("abab", second) == [UNKNOWN, 1, 0]
    assert solution.tokenize("abab", first) == [1, 1]


def test_repeated_calls_on_one_vocabulary_agree(solution):
    vocab = Vocab(["to", "tok", "en", "ken", " "])
    assert [solution.tokenize("token tok", vocab) for _ in range(3)] == [[1, 2, 4, 1]] * 3
