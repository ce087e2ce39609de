"""Level 2 hidden tests: each run of unmatched characters becomes one UNKNOWN."""

from __future__ import annotations

import random
from collections.abc import Iterable

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


def test_run_of_unmatched_characters_becomes_one_unknown(solution):
    vocab = Vocab(["a", " "])
    assert solution.tokenize("a xyz a", vocab) == [0, 1, UNKNOWN, 1, 0]


def test_runs_separated_by_a_token_stay_separate(solution):
    vocab = Vocab(["-"])
    assert solution.tokenize("ab-cd-ef", vocab) == [UNKNOWN, 0, UNKNOWN, 0, UNKNOWN]


def test_whole_text_unmatched_is_a_single_unknown_edge(solution):
    assert solution.tokenize("nothing matches", Vocab(["Q"])) == [UNKNOWN]


def test_run_at_the_start_edge(solution):
    assert solution.tokenize("##ok", Vocab(["ok"])) == [UNKNOWN, 0]


def test_run_at_the_end_edge(solution):
    assert solution.tokenize("ok##", Vocab(["ok"])) == [0, UNKNOWN]


def test_run_can_hold_characters_that_tokens_contain_edge(solution):
    # No token starts at "b" or at the first "a" of "aab", so they join one run.
    vocab = Vocab(["ab", "c"])
    assert solution.tokenize("baabc", vocab) == [UNKNOWN, 0, 1]


def test_greedy_dead_end_starts_a_run(solution):
    vocab = Vocab(["ab", "abc", "cd"])
    assert solution.tokenize("abcdd", vocab) == [1, UNKNOWN]
    assert solution.tokenize("abcddcd", vocab) == [1, UNKNOWN, 2]


def test_single_unmatched_character_is_still_one_unknown_edge(solution):
    assert solution.tokenize("a?a", Vocab(["a"])) == [0, UNKNOWN, 0]


def test_empty_vocabulary_makes_the_text_one_unknown_run_edge(solution):
    assert solution.tokenize("abc", Vocab([])) == [UNKNOWN]
    assert solution.tokenize("", Vocab([])) == []


def test_detokenize_shows_each_run_as_one_marker(solution):
    vocab = Vocab(["a", " "])
    ids = solution.tokenize("a xyz a", vocab)
    assert solution.detokenize(ids, vocab) == "a " + MARKER + " a"


def test_random_texts_match_a_simple_model(solution):
    rng = random.Random(62)
    for case in range(200):
        alphabet = "abcxy "
        pieces = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
                  for _ in range(rng.randint(0, 10))}
        tokens = sorted(pieces)
        rng.shuffle(tokens)
        ids = {token: i for i, token in enumerate(tokens)}
        text = "".join(rng.choice(alphabet + "z?") for _ in range(rng.randint(0, 40)))
        expected, pos = [], 0
        while pos < len(text):
            for length in range(min(4, len(text) - pos), 0, -1):
                if text[pos:pos + length] in ids:
                    expected.append(ids[text[pos:pos + length]])
                    pos += length
                    break
            else:
                if not expected or expected[-1] != UNKNOWN:
                    expected.append(UNKNOWN)
                pos += 1
        got = solution.tokenize(text, Vocab(tokens))
        assert got == expected, f"case {case}: {text!r} with {tokens!r}"
