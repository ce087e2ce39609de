"""Level 3 hidden tests: encode keeps the unknown text, detokenize puts it back."""

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


def _round_trip(solution, text, vocab):
    ids, unknowns = solution.encode(text, vocab)
    return solution.detokenize(ids, vocab, unknowns)


def test_encode_gives_the_ids_of_tokenize(solution):
    vocab = Vocab(["a", " ", "ant"])
    text = "an ant?? a"
    ids, _ = solution.encode(text, vocab)
    assert ids == solution.tokenize(text, vocab) == [0, UNKNOWN, 1, 2, UNKNOWN, 1, 0]


def test_encode_keeps_the_text_of_each_unknown_run_in_order(solution):
    vocab = Vocab(["a", " ", "ant"])
    assert solution.encode("an ant?? a", vocab) == (
        [0, UNKNOWN, 1, 2, UNKNOWN, 1, 0], ["n", "??"])


def test_encode_returns_lists(solution):
    ids, unknowns = solution.encode("ab?", Vocab(["a", "b"]))
    assert isinstance(ids, list) and isinstance(unknowns, list)
    assert (ids, unknowns) == ([0, 1, UNKNOWN], ["?"])


def test_encode_of_empty_text_edge(solution):
    assert solution.encode("", Vocab(["a"])) == ([], [])


def test_encode_of_text_without_unknowns_has_no_unknown_texts_edge(solution):
    assert solution.encode("abba", Vocab(["a", "b", "bb"])) == ([0, 2, 0], [])


def test_encode_of_entirely_unknown_text_edge(solution):
    assert solution.encode("xyz", Vocab(["a"])) == ([UNKNOWN], ["xyz"])


def test_detokenize_puts_the_unknown_texts_back(solution):
    vocab = Vocab(["a", " ", "ant"])
    ids = [0, UNKNOWN, 1, 2, UNKNOWN, 1, 0]
    assert solution.detokenize(ids, vocab, ["n", "??"]) == "an ant?? a"


def test_round_trip_with_unknown_runs(solution):
    vocab = Vocab(["to", "ken", "s", " "])
    text = "tokens: 12 tokens, token!"
    assert _round_trip(solution, text, vocab) == text


def test_round_trip_text_containing_the_marker_edge(solution):
    vocab = Vocab(["a", " "])
    text = "a " + MARKER + " a" + MARKER
    ids, unknowns = solution.encode(text, vocab)
    assert unknowns == [MARKER, MARKER]
    assert solution.detokenize(ids, vocab, unknowns) == text


def test_round_trip_when_the_marker_is_a_token_edge(solution):
    vocab = Vocab([MARKER, "a", MARKER + "a"])
    text = "a" + MARKER + "?" + MARKER + "a" + MARKER
    ids, unknowns = solution.encode(text, vocab)
    assert ids == [1, 0, UNKNOWN, 2, 0]
    assert unknowns == ["?"]
    assert solution.detokenize(ids, vocab, unknowns) == text


def test_round_trip_when_an_unknown_run_holds_the_marker_edge(solution):
    vocab = Vocab(["ab"])
    text = "x" + MARKER + "yab?ab" + MARKER
    ids, unknowns = solution.encode(text, vocab)
    assert (ids, unknowns) == ([UNKNOWN, 0, UNKNOWN, 0, UNKNOWN], ["x" + MARKER + "y", "?", MARKER])
    assert solution.detokenize(ids, vocab, unknowns) == text


def test_round_trip_of_text_that_looks_like_an_unknown_tag_edge(solution):
    vocab = Vocab(["<", ">", "unk", "<unk>", " "])
    text = "<unk> <UNK> <unk"
    ids, unknowns = solution.encode(text, vocab)
    assert ids == [3, 4, 0, UNKNOWN, 1, 4, 0, 2]
    assert solution.detokenize(ids, vocab, unknowns) == text


def test_detokenize_without_unknowns_still_shows_markers(solution):
    vocab = Vocab(["a"])
    assert solution.detokenize([0, UNKNOWN, 0], vocab) == "a" + MARKER + "a"


def test_detokenize_accepts_any_unknown_strings(solution):
    vocab = Vocab(["a"])
    assert solution.detokenize([UNKNOWN, 0, UNKNOWN], vocab, ["", "a" + MARKER]) == "aa" + MARKER


def test_detokenize_accepts_a_tuple_of_unknowns(solution):
    vocab = Vocab(["a"])
    assert solution.detokenize((UNKNOWN, 0), vocab, ("zz",)) == "zza"


def test_detokenize_with_no_unknown_ids_and_no_unknown_texts(solution):
    vocab = Vocab(["a", "b"])
    assert solution.detokenize([0, 1], vocab, []) == "ab"


def test_detokenize_rejects_too_few_unknown_texts_edge(solution):
    vocab = Vocab(["a"])
    with pytest.raises(ValueError):
        solution.detokenize([UNKNOWN, 0, UNKNOWN], vocab, ["x"])
    with pytest.raises(ValueError):
        solution.detokenize([UNKNOWN], vocab, [])


def test_detokenize_rejects_too_many_unknown_texts_edge(solution):
    vocab = Vocab(["a"])
    with pytest.raises(ValueError):
        solution.detokenize([UNKNOWN, 0], vocab, ["x", "y"])
    with pytest.raises(ValueError):
        solution.detokenize([0], vocab, ["x"])


def test_detokenize_still_rejects_invalid_ids_with_unknown_texts_edge(solution):
    vocab = Vocab(["a"])
    with pytest.raises(ValueError):
        solution.detokenize([UNKNOWN, 1], vocab, ["x"])


def test_detokenize_leaves_the_unknown_texts_unchanged_edge(solution):
    vocab = Vocab(["a"])
    ids, unknowns = solution.encode("xaya", vocab)
    saved = list(unknowns)
    first = solution.detokenize(ids, vocab, unknowns)
    assert unknowns == saved
    assert solution.detokenize(ids, vocab, unknowns) == first == "xaya"


def test_random_round_trips(solution):
    rng = random.Random(63)
    alphabet = "ab <>" + MARKER
    for case in range(200):
        pieces = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
                  for _ in range(rng.randint(0, 8))}
        tokens = sorted(pieces)
        rng.shuffle(tokens)
        vocab = Vocab(tokens)
        text = "".join(rng.choice(alphabet + "xy") for _ in range(rng.randint(0, 40)))
        ids, unknowns = solution.encode(text, vocab)
        assert ids == solution.tokenize(text, vocab), f"case {case}: {text!r}"
        assert len(unknowns) == ids.count(UNKNOWN), f"case {case}: {text!r}"
        assert solution.detokenize(ids, vocab, unknowns) == text, f"case {case}: {text!r}"
