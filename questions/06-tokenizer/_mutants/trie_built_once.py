"""Mutant: builds the trie the first time it is called and keeps it in a module
global, as if there were only ever one vocabulary; later vocabularies are
matched against the first one's trie.
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


# Level 1: list what is wrong with naive_tokenize and naive_detokenize (inputs
# that break them, and what they cost), one finding per line.
REVIEW = """
See the discussion.
"""


# == 3. Implementation ===================================================================


_TRIE = []


def _index(vocab):
    if _TRIE:
        return _TRIE[0]
    root = vocab.trie_root()
    for token_id in range(len(vocab)):
        node = root
        for char in vocab.token(token_id):
            node = node.add_child(char)
        node.token_id = token_id
    _TRIE.append(root)
    return root


def _longest(text, pos, vocab, root):
    best, node, end = None, root, pos
    while end < len(text):
        node = node.child(text[end])
        if node is None:
            break
        end += 1
        if node.token_id is not None:
            best = (node.token_id, end)
    return best


def _pieces(text, vocab):
    index = _index(vocab)
    pieces, pos, run = [], 0, None
    while pos < len(text):
        found = _longest(text, pos, vocab, index)
        if found is None:
            if run is None:
                run = pos
            pos += 1
            continue
        if run is not None:
            pieces.append((UNKNOWN, run, pos))
            run = None
        pieces.append((found[0], pos, found[1]))
        pos = found[1]
    if run is not None:
        pieces.append((UNKNOWN, run, len(text)))
    return pieces


def tokenize(text: str, vocab: Vocab) -> list[int]:
    return [token_id for token_id, _, _ in _pieces(text, vocab)]


def encode(text: str, vocab: Vocab) -> tuple[list[int], list[str]]:
    pieces = _pieces(text, vocab)
    ids = [token_id for token_id, _, _ in pieces]
    return ids, [text[a:b] for token_id, a, b in pieces if token_id == UNKNOWN]


def detokenize(ids: Sequence[int], vocab: Vocab,
               unknowns: Sequence[str] | None = None) -> str:
    wanted = sum(1 for token_id in ids if token_id == UNKNOWN)
    if unknowns is not None and len(unknowns) != wanted:
        raise ValueError("one unknown text per UNKNOWN id is needed")
    fill = iter(unknowns if unknowns is not None else [MARKER] * wanted)
    parts = []
    for token_id in ids:
        if token_id == UNKNOWN:
            parts.append(next(fill))
        elif 0 <= token_id < len(vocab):
            parts.append(vocab.token(token_id))
        else:
            raise ValueError(f"bad id {token_id}")
    return "".join(parts)
