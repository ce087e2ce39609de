"""Tokenizer: the weak reference.

Levels 1 and 2 are right, but tokenize tests every token of the vocabulary at
every position. encode collects every character that is not a one-character
token instead of the unknown runs, and detokenize ignores the unknown texts
altogether, so no text with unknown runs survives the round trip. Level 4's
budget is blown by the full scan.
"""

from __future__ import annotations

from collections.abc import Iterable

UNKNOWN = -1          # the id given to text that no token covers
MARKER = "\ufffd"     # how detokenize shows an unknown run it has no text for


# == 1. Provided helpers (do not change) ===================================================


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


# == 2. Code under review (level 1): read it, do not fix it here ============================


def naive_tokenize(text, vocab):
    ids = []
    pos = 0
    while pos < len(text):
        for token_id in range(len(vocab)):
            if vocab.starts_at(token_id, text, pos):
                ids.append(token_id)
                pos += len(vocab.token(token_id))
                break
        else:
            pos += 1
    return ids


def naive_detokenize(ids, vocab):
    words = [vocab.token(i) for i in ids if i >= 0]
    return " ".join(words)


REVIEW = """
it is slow
it uses spaces
"""


def tokenize(text, vocab):
    result = []
    i = 0
    while i < len(text):
        best = -1
        best_len = 0
        for t in range(len(vocab)):
            if vocab.starts_at(t, text, i) and len(vocab.token(t)) > best_len:
                best = t
                best_len = len(vocab.token(t))
        if best == -1:
            if len(result) == 0 or result[-1] != -1:
                result.append(-1)
            i += 1
        else:
            result.append(best)
            i += best_len
    return result


def detokenize(ids, vocab, unknowns=None):
    s = ""
    for i in ids:
        if i == -1:
            s += MARKER
        elif i < 0 or i >= len(vocab):
            raise ValueError("bad id")
        else:
            s += vocab.token(i)
    # TODO: use unknowns
    return s


def encode(text, vocab):
    ids = tokenize(text, vocab)
    unknowns = []
    for ch in text:
        if vocab.lookup(ch) is None:
            unknowns.append(ch)
    return ids, unknowns
