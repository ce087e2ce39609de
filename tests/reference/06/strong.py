"""Greedy longest-match tokenizer: the strong reference.

QUESTION.md describes every level. The file has three parts:

1. Provided helpers (``Vocab``, ``TrieNode``, ``BudgetExceeded``): use them, do
   not change them. The tests build their own identical copies.
2. The code under review (``naive_tokenize``, ``naive_detokenize``): read it,
   do not fix it in place, and write what is wrong with it in ``REVIEW``.
3. Your implementation: ``tokenize``, ``detokenize`` and ``encode``.

Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

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
naive_tokenize takes the first token in id order that matches, not the longest:
  with tokens ["a", "ab"], "ab" becomes [0] and then "b" is lost.
naive_tokenize skips a character no token covers without emitting anything, so
  text is silently dropped and the ids cannot be turned back into the text.
naive_tokenize compares every token at every position: O(len(text) * len(vocab))
  comparisons, and a miss costs the whole vocabulary.
naive_detokenize joins the tokens with spaces, adding characters that were never
  in the text (and doubling spaces that tokens already carry).
naive_detokenize drops every negative id without a trace, so unknown text just
  disappears; an id past the end raises IndexError instead of a clear ValueError.
Neither function has a policy for unknown text, so no round trip is possible.
"""


# == 3. Implementation =====================================================================
#
# One scan serves tokenize and encode: a character trie of the vocabulary is
# walked from each position, remembering the last node that ends a token, so
# each position costs at most (longest match + 1) counted steps, whatever the
# size of the vocabulary. Unmatched characters are gathered into runs.

Piece = tuple[int, int, int]  # (token id or UNKNOWN, start, end) of a slice of the text


def _build_trie(vocab: Vocab) -> TrieNode:
    root = vocab.trie_root()
    for token_id in range(len(vocab)):
        node = root
        for char in vocab.token(token_id):
            node = node.add_child(char)
        node.token_id = token_id
    return root


def _longest_at(root: TrieNode, text: str, pos: int) -> Piece | None:
    """The longest token starting at ``pos``, or None when no token starts there."""
    best, node, end = None, root, pos
    while end < len(text):
        node = node.child(text[end])
        if node is None:
            break
        end += 1
        if node.token_id is not None:
            best = (node.token_id, pos, end)
    return best


def _pieces(text: str, vocab: Vocab) -> list[Piece]:
    """Tokens and unknown runs covering ``text`` from left to right."""
    root = _build_trie(vocab)
    pieces: list[Piece] = []
    pos, run_start = 0, None
    while pos < len(text):
        found = _longest_at(root, text, pos)
        if found is None:
            run_start = pos if run_start is None else run_start
            pos += 1
            continue
        if run_start is not None:
            pieces.append((UNKNOWN, run_start, pos))
            run_start = None
        pieces.append(found)
        pos = found[2]
    if run_start is not None:
        pieces.append((UNKNOWN, run_start, len(text)))
    return pieces


def tokenize(text: str, vocab: Vocab) -> list[int]:
    """Greedy longest-match token ids of ``text``; one UNKNOWN per unmatched run."""
    return [token_id for token_id, _, _ in _pieces(text, vocab)]


def encode(text: str, vocab: Vocab) -> tuple[list[int], list[str]]:
    """``(tokenize(text, vocab), the text of each unknown run in order)``."""
    pieces = _pieces(text, vocab)
    ids = [token_id for token_id, _, _ in pieces]
    unknowns = [text[start:end] for token_id, start, end in pieces if token_id == UNKNOWN]
    return ids, unknowns


def _token_text(token_id: int, vocab: Vocab) -> str:
    if not 0 <= token_id < len(vocab):
        raise ValueError(f"{token_id} is not a token id")
    return vocab.token(token_id)


def _unknown_texts(ids: Sequence[int], unknowns: Sequence[str] | None) -> Iterator[str]:
    """The strings that take the place of the UNKNOWN ids, in order."""
    wanted = sum(1 for token_id in ids if token_id == UNKNOWN)
    if unknowns is None:
        return iter([MARKER] * wanted)
    if len(unknowns) != wanted:
        raise ValueError(f"{wanted} unknown id(s) but {len(unknowns)} unknown text(s)")
    return iter(unknowns)


def detokenize(ids: Sequence[int], vocab: Vocab,
               unknowns: Sequence[str] | None = None) -> str:
    """The text of ``ids``. Each UNKNOWN takes the next of ``unknowns``, or MARKER."""
    fill = _unknown_texts(ids, unknowns)
    return "".join(next(fill) if token_id == UNKNOWN else _token_text(token_id, vocab)
                   for token_id in ids)
