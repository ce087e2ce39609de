"""Level 1 hidden tests: greedy longest-match tokenize and a plain detokenize.

Level 2 changes what happens to several unmatched characters in a row, so
these tests only ever leave single characters unmatched. The tests build
vocabularies from their own copy of the provided helpers.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import pytest

UNKNOWN = -1
MARKER = "\ufffd"

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


def test_single_token_text(solution):
    vocab = Vocab(["hello"])
    assert solution.tokenize("hello", vocab) == [0]


def test_text_split_into_several_tokens(solution):
    vocab = Vocab(["the", " ", "cat", "s"])
    assert solution.tokenize("the cats", vocab) == [0, 1, 2, 3]


def test_longest_match_wins_over_a_shorter_prefix(solution):
    vocab = Vocab(["a", "ab", "abc"])
    assert solution.tokenize("abc", vocab) == [2]


def test_longest_match_wins_whatever_the_id_order(solution):
    vocab = Vocab(["abc", "ab", "a", "c"])
    assert solution.tokenize("abcab", vocab) == [0, 1]
    assert solution.tokenize("abac", vocab) == [1, 2, 3]


def test_matching_continues_right_after_the_chosen_token(solution):
    vocab = Vocab(["aa", "a"])
    assert solution.tokenize("aaaaa", vocab) == [0, 0, 1]


def test_greedy_choice_is_kept_even_when_it_leaves_a_character_unmatched_edge(solution):
    # "ab" + "cd" would cover everything, but greedy takes the longest token "abc" first.
    vocab = Vocab(["ab", "abc", "cd"])
    assert solution.tokenize("abcd", vocab) == [1, UNKNOWN]


def test_uncovered_character_becomes_unknown(solution):
    vocab = Vocab(["a", "b"])
    assert solution.tokenize("axb", vocab) == [0, UNKNOWN, 1]


def test_uncovered_characters_apart_get_one_unknown_each(solution):
    vocab = Vocab(["ab", "c"])
    assert solution.tokenize("xabycz", vocab) == [UNKNOWN, 0, UNKNOWN, 1, UNKNOWN]


def test_unknown_at_the_start_and_at_the_end_edge(solution):
    vocab = Vocab(["mid"])
    assert solution.tokenize("?mid!", vocab) == [UNKNOWN, 0, UNKNOWN]


def test_character_of_a_token_can_still_be_unmatched_edge(solution):
    # "b" appears inside "ab", but no token starts with "b".
    vocab = Vocab(["ab", "c"])
    assert solution.tokenize("bab", vocab) == [UNKNOWN, 0]


def test_empty_text_gives_no_ids_edge(solution):
    assert solution.tokenize("", Vocab(["a"])) == []


def test_single_unknown_character_text_edge(solution):
    assert solution.tokenize("z", Vocab(["a"])) == [UNKNOWN]


def test_matching_is_case_sensitive_edge(solution):
    vocab = Vocab(["A", "a", "Ab"])
    assert solution.tokenize("Aba", vocab) == [2, 1]
    assert solution.tokenize("aB", Vocab(["a", "ab"])) == [0, UNKNOWN]


def test_tokens_may_hold_spaces_and_punctuation(solution):
    vocab = Vocab([" the", ",", " ", "end", ".\n"])
    assert solution.tokenize("end, the end.\n", vocab) == [3, 1, 0, 2, 3, 4]


def test_no_unicode_normalisation_edge(solution):
    composed, decomposed = "\u00e9", "e\u0301"  # both display as an accented e
    vocab = Vocab([composed, "e"])
    assert solution.tokenize(composed, vocab) == [0]
    assert solution.tokenize(decomposed, vocab) == [1, UNKNOWN]


def test_characters_beyond_the_basic_plane_are_single_characters_edge(solution):
    vocab = Vocab(["\U0001f600", "\U0001f600!", "ok"])
    assert solution.tokenize("ok\U0001f600!\U0001f600", vocab) == [2, 1, 0]


def test_tokenize_leaves_the_vocabulary_usable(solution):
    vocab = Vocab(["to", "ken", " "])
    first = solution.tokenize("token token", vocab)
    assert solution.tokenize("token token", vocab) == first == [0, 1, 2, 0, 1]
    assert [vocab.token(i) for i in range(len(vocab))] == ["to", "ken", " "]


def test_detokenize_joins_tokens_with_nothing_in_between(solution):
    vocab = Vocab(["the", " ", "cat", "s"])
    assert solution.detokenize([0, 1, 2, 3], vocab) == "the cats"
    assert solution.detokenize([2, 2, 3], vocab) == "catcats"


def test_detokenize_of_no_ids_is_the_empty_string_edge(solution):
    assert solution.detokenize([], Vocab(["a"])) == ""


def test_detokenize_keeps_whitespace_inside_tokens_edge(solution):
    vocab = Vocab([" a", "b ", "\t", "\n\n"])
    assert solution.detokenize([0, 1, 2, 3, 0], vocab) == " ab \t\n\n a"


def test_detokenize_shows_unknown_as_the_marker(solution):
    vocab = Vocab(["a", "b"])
    assert solution.detokenize([0, UNKNOWN, 1], vocab) == "a" + MARKER + "b"
    assert solution.detokenize([UNKNOWN], vocab) == MARKER


def test_detokenize_rejects_an_id_past_the_end_edge(solution):
    vocab = Vocab(["a", "b"])
    with pytest.raises(ValueError):
        solution.detokenize([0, 2], vocab)


def test_detokenize_rejects_negative_ids_other_than_unknown_edge(solution):
    vocab = Vocab(["a", "b"])
    with pytest.raises(ValueError):
        solution.detokenize([0, -2], vocab)


def test_detokenize_rejects_any_id_with_an_empty_vocabulary_edge(solution):
    with pytest.raises(ValueError):
        solution.detokenize([0], Vocab([]))


def test_round_trip_when_every_character_is_covered(solution):
    vocab = Vocab(["in", "ter", "view", " ", "er", "s", "i", "n", "t", "e", "r", "v", "w"])
    text = "interviewers interview interns"
    assert solution.detokenize(solution.tokenize(text, vocab), vocab) == text


def test_random_texts_match_a_simple_model(solution):
    rng = random.Random(61)
    alphabet = "abcd "
    for case in range(150):
        pieces = {"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4)))
                  for _ in range(rng.randint(1, 8))}
        tokens = sorted(pieces | set(alphabet))
        rng.shuffle(tokens)
        ids = {token: i for i, token in enumerate(tokens)}
        # "z" is in no token, and never twice in a row, so every unknown stands alone.
        text = "".join(rng.choice(alphabet) if rng.random() < 0.85 else "z" + rng.choice(alphabet)
                       for _ in range(rng.randint(0, 30)))
        expected, pos = [], 0
        while pos < len(text):
            for length in range(min(4, len(text) - pos), 0, -1):
                if text[pos:pos + length] in ids:
                    expected.append(ids[text[pos:pos + length]])
                    pos += length
                    break
            else:
                expected.append(UNKNOWN)
                pos += 1
        assert solution.tokenize(text, Vocab(tokens)) == expected, f"case {case}: {text!r}"
