"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest

MARKER = "\ufffd"
TOKENS = ["a", "an", "ant", "t", "s", " ", "he", "the"]


def test_example_level1_greedy_longest_match(solution):
    vocab = solution.Vocab(TOKENS)
    assert solution.tokenize("ants", vocab) == [2, 4]
    assert solution.tokenize("the ant", vocab) == [7, 5, 2]
    assert solution.tokenize("a hat", vocab) == [0, 5, -1, 0, 3]
    assert solution.tokenize("", vocab) == []

    greedy = solution.Vocab(["ab", "abc", "cd"])
    assert solution.tokenize("abcd", greedy) == [1, -1]

    assert solution.detokenize([7, 5, 2, 4], vocab) == "the ants"
    assert solution.detokenize([0, 5, -1, 0, 3], vocab) == "a " + MARKER + "at"
    with pytest.raises(ValueError):
        solution.detokenize([8], vocab)
    with pytest.raises(ValueError):
        solution.detokenize([-2], vocab)


def test_example_level2_unknown_runs(solution):
    vocab = solution.Vocab(TOKENS)
    assert solution.tokenize("a cold hat", vocab) == [0, 5, -1, 5, -1, 0, 3]
    assert solution.tokenize("xyz", vocab) == [-1]
    shown = solution.detokenize([0, 5, -1, 5, -1, 0, 3], vocab)
    assert shown == "a " + MARKER + " " + MARKER + "at"


def test_example_level3_reversible_unknowns(solution):
    vocab = solution.Vocab(TOKENS)
    assert solution.encode("a cold hat", vocab) == ([0, 5, -1, 5, -1, 0, 3], ["cold", "h"])
    assert solution.detokenize([0, 5, -1, 5, -1, 0, 3], vocab, ["cold", "h"]) == "a cold hat"
    assert solution.encode("a " + MARKER, vocab) == ([0, 5, -1], [MARKER])
    assert solution.detokenize([0, 5, -1], vocab, [MARKER]) == "a " + MARKER
    with pytest.raises(ValueError):
        solution.detokenize([0, -1], vocab, [])


def test_example_level4_fast_matching(solution):
    tokens = TOKENS + [f"#{i}" for i in range(2000)]
    text = "the ants " * 1000
    big = solution.Vocab(tokens, budget=100 * len(text))
    assert solution.tokenize(text, big) == [7, 5, 2, 4, 5] * 1000
    assert big.comparisons <= 100 * len(text)
