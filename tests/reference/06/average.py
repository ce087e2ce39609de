"""Tokenizer: the average reference.

Correct at every level. For speed it groups the token ids by first character
and tests every token of the bucket at each position with starts_at: within
the budget, but the count still grows with the vocabulary, about thirty times
the comparisons of a trie walk. encode repeats the scan of tokenize instead of
sharing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
naive_tokenize picks the first token that matches, not the longest one.
Characters that no token covers are skipped, so text is lost.
It compares every token at every position, which is slow for a big vocabulary.
naive_detokenize adds spaces between tokens and silently drops negative ids.
"""


def _buckets(vocab):
    """Token ids grouped by their first character."""
    buckets = {}
    for token_id in range(len(vocab)):
        buckets.setdefault(vocab.token(token_id)[0], []).append(token_id)
    return buckets


def _match(text, pos, vocab, buckets):
    """(id, length) of the longest token at pos, or None."""
    best = None
    for token_id in buckets.get(text[pos], []):
        if vocab.starts_at(token_id, text, pos):
            length = len(vocab.token(token_id))
            if best is None or length > best[1]:
                best = (token_id, length)
    return best


def tokenize(text: str, vocab: Vocab) -> list[int]:
    buckets = _buckets(vocab)
    ids = []
    pos = 0
    while pos < len(text):
        found = _match(text, pos, vocab, buckets)
        if found is None:
            if not ids or ids[-1] != UNKNOWN:
                ids.append(UNKNOWN)
            pos += 1
        else:
            ids.append(found[0])
            pos += found[1]
    return ids


def encode(text: str, vocab: Vocab) -> tuple[list[int], list[str]]:
    buckets = _buckets(vocab)
    ids, unknowns = [], []
    pos = 0
    while pos < len(text):
        found = _match(text, pos, vocab, buckets)
        if found is None:
            if ids and ids[-1] == UNKNOWN:
                unknowns[-1] += text[pos]
            else:
                ids.append(UNKNOWN)
                unknowns.append(text[pos])
            pos += 1
        else:
            ids.append(found[0])
            pos += found[1]
    return ids, unknowns


def detokenize(ids: Sequence[int], vocab: Vocab,
               unknowns: Sequence[str] | None = None) -> str:
    count = sum(1 for i in ids if i == UNKNOWN)
    if unknowns is not None and len(unknowns) != count:
        raise ValueError("wrong number of unknown texts")
    out = []
    k = 0
    for i in ids:
        if i == UNKNOWN:
            if unknowns is None:
                out.append(MARKER)
            else:
                out.append(unknowns[k])
                k += 1
        elif 0 <= i < len(vocab):
            out.append(vocab.token(i))
        else:
            raise ValueError(f"invalid id {i}")
    return "".join(out)
