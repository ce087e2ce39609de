"""The clarification matcher, its text pipeline, and the global intents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer import _text
from interviewer._intents import Intent, build_catalogue, detect_intent, language_named
from interviewer._matcher import THRESHOLD, ClarificationSpec, Match, Matcher
from interviewer._matcher_eval import (
    evaluate_path,
    find_script,
    labelled_sets,
    matcher_from_script,
    time_matches,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "matcher"
FIXTURES = ROOT / "tests" / "fixtures" / "matcher"
QUESTION_ROOTS = (ROOT / "questions", FIXTURES)
SETS = labelled_sets(DATA, FIXTURES)


def ttl_matcher() -> Matcher:
    """A small question: two clarifications and its own synonyms."""
    return Matcher.from_specs(
        [
            ClarificationSpec("ttl-unit", ["what unit is the ttl in?", "is the ttl in seconds"],
                              [["ttl"], ["unit", "seconds", "milliseconds"]]),
            ClarificationSpec("missing-field",
                              ["what does get return for a missing field?",
                               "what if the key doesn't exist"],
                              [["missing", "absent", "doesn't exist"], ["get", "return", "key"]]),
        ],
        {"ttl": ["expiry", "expiration", "lifetime", "time to live"]},
    )


SHARED_TTL_MATCHER = ttl_matcher()


# -- normalisation ----------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("What does GET return?!", "what does get return"),
    ("Ça   marche  -- très bien", "ca marche tres bien"),
    ("doesn't", "does not"),
    ("doesn\u2019t", "does not"),
    ("what's the TTL", "what is the ttl"),
    ("can't won't I'm you're we've they'll I'd", "can not will not i am you are we have "
                                                 "they will i would"),
    ("the key's value", "the key value"),
    ("dont whats isnt", "do not what is is not"),
    ("Can I use C++ or C#?", "can i use cpp or csharp"),
    ("print _rubric.yaml.", "print _rubric.yaml"),
    ("collections.deque, please", "collections.deque please"),
])
def test_normalise(raw, expected):
    assert _text.normalise(raw) == expected


def test_words_split_identifiers_and_hyphens():
    assert _text.words("key-value store: collections.deque") == [
        "key", "value", "store", "collections", "deque"]


def test_stemming_joins_inflections_and_noun_verb_pairs():
    assert len({_text.stem(w) for w in ("return", "returns", "returned", "returning")}) == 1
    assert _text.stem("expiry") == _text.stem("expire") == _text.stem("expired")
    assert _text.stem("sorted") != _text.stem("sordid")


def test_stop_words_are_dropped_but_negations_are_kept():
    assert _text.analyse("what should happen if it is not there") == ("not",)
    assert _text.is_stop("the") and not _text.is_stop("not") and not _text.is_stop("same")


def test_a_sentence_of_stop_words_keeps_its_words():
    assert _text.analyse("what is it") == ("what", "is", "it")


# -- synonyms -----------------------------------------------------------------------------

def test_global_synonyms_load_from_package_data():
    table = _text.global_synonyms()
    assert "remove" in table["delete"]
    assert _text.global_table() is _text.global_table()   # cached


def test_global_synonyms_rewrite_to_the_canonical_word():
    table = [_text.global_table()]
    assert _text.analyse("erase an item", table) == _text.analyse("delete an item", table)
    assert _text.analyse("give back a value", table) == _text.analyse("return a value", table)
    assert set(_text.analyse("the key does not exist", table)) == set(
        _text.analyse("a missing key", table))


def test_question_synonyms_win_and_multi_word_phrases_match():
    own = _text.synonym_table({"ttl": ["expiry", "time to live"]})
    tables = [own, _text.global_table()]
    assert _text.analyse("what is the time to live", tables) == ("ttl",)
    assert _text.analyse("the expiry", tables) == ("ttl",)


def test_chained_synonyms_resolve_the_same_way_for_every_text():
    own = _text.synonym_table({"remove": ["evict"]})
    tables = [own, _text.global_table()]
    assert _text.analyse("evict", tables) == _text.analyse("erase", tables) == ("delet",)


def test_phrases_keep_their_stop_words():
    table = [_text.global_table()]
    assert _text.analyse("the field isn't there", table) == ("field", "miss")
    assert _text.analyse("is it not sorted in there", table) == ("not", "sort")


def test_bare_negations_and_stop_words_are_never_alternatives():
    table = _text.synonym_table({"missing": ["not", "it is"]})
    assert table.entries == {}


def test_first_group_claiming_an_alternative_keeps_it():
    table = _text.synonym_table({"delete": ["drop"], "reject": ["drop"]})
    assert _text.canonicalise(("drop",), table) == ("delet",)


# -- matching -----------------------------------------------------------------------------

def test_paraphrase_with_synonyms_and_contractions_matches():
    found = ttl_matcher().match("What's get supposed to give back when a field is absent?")
    assert isinstance(found, Match)
    assert found.id == "missing-field"
    assert 0.0 <= found.score <= 1.0
    assert "keywords 2/2" in found.why


def test_question_synonym_phrase_matches():
    found = ttl_matcher().match("is the time to live measured in milliseconds")
    assert found is not None and found.id == "ttl-unit"


def test_typo_is_tolerated():
    assert ttl_matcher().match("what unit is the expirey in?").id == "ttl-unit"
    assert ttl_matcher().match("is the expiraton in secnods").id == "ttl-unit"


def test_typo_correction_needs_the_same_first_letter_and_a_long_word():
    vocabulary = ttl_matcher()
    assert vocabulary.correct("expirey") == "expiry"
    assert vocabulary.correct("lxpiry") == "lxpiry"      # typos rarely hit the first letter
    assert vocabulary.correct("uni") == "uni"            # too short: too many neighbours
    assert vocabulary.correct("expiryyyy") == "expiryyyy"   # too far


def test_off_topic_matches_nothing():
    matcher = ttl_matcher()
    assert matcher.match("what's your favourite colour") is None
    assert matcher.match("") is None
    assert matcher.match("?!") is None


def test_all_keyword_groups_satisfied_is_enough_on_its_own():
    matcher = Matcher.from_specs(
        [ClarificationSpec("order", ["in what order do results come?"],
                           [["order", "sorted"], ["results", "output"]])])
    found = matcher.match("honestly I wonder whether the output is sorted at all by anything")
    assert found is not None and found.score >= THRESHOLD


def test_one_group_of_two_alone_is_not_enough():
    matcher = Matcher.from_specs(
        [ClarificationSpec("order", ["in what order do results come?"],
                           [["order", "sorted"], ["results"]])])
    assert matcher.match("should I keep my notes sorted by date and colour") is None


def test_ties_go_to_the_clarification_declared_first():
    first = ClarificationSpec("first", ["is the input sorted?"], [["sorted"], ["input"]])
    second = ClarificationSpec("second", ["is the input sorted?"], [["sorted"], ["input"]])
    assert Matcher.from_specs([first, second]).match("is the input sorted").id == "first"
    assert Matcher.from_specs([second, first]).match("is the input sorted").id == "second"
    ranked = Matcher.from_specs([first, second]).explain("is the input sorted")
    assert [c.id for c in ranked] == ["first", "second"]
    assert ranked[0].score == ranked[1].score


def test_explain_lists_every_clarification_best_first():
    ranked = ttl_matcher().explain("what if the key does not exist")
    assert [c.id for c in ranked] == ["missing-field", "ttl-unit"]
    assert ranked[0].score >= ranked[1].score
    assert ranked[0].groups[0] is not None
    assert ranked[0].example == "what if the key doesn't exist"


def test_specs_may_be_dicts_or_plain_objects():
    @dataclass
    class Plain:
        id: str
        examples: tuple[str, ...]
        keywords: tuple[tuple[str, ...], ...]

    spec = {"id": "ties", "examples": ["how are ties broken?"], "keywords": [["tie"]]}
    plain = Plain("ties", ("how are ties broken?",), (("tie",),))
    for item in (spec, plain):
        assert Matcher.from_specs([item]).match("how do you break a tie?").id == "ties"


def test_a_question_without_clarifications_matches_nothing():
    assert Matcher.from_specs([]).match("what does get return?") is None
    assert Matcher.from_specs([]).explain("anything") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gets_a_bounded_score_and_never_breaks(text):
    matcher = SHARED_TTL_MATCHER
    ranked = matcher.explain(text)
    assert all(0.0 <= c.score <= 1.0 for c in ranked)
    found = matcher.match(text)
    assert found is None or found.score >= THRESHOLD
    intent = detect_intent(text)
    assert intent is None or isinstance(intent.name, str)


def test_matching_is_deterministic():
    matcher = ttl_matcher()
    text = "is expiry in ms"
    assert all(matcher.explain(text) == matcher.explain(text) for _ in range(3))
    assert ttl_matcher().explain(text) == matcher.explain(text)


def test_match_is_fast_on_a_question_with_thirteen_clarifications():
    matcher = matcher_from_script(FIXTURES / "rl-rate-limiter" / "script.yaml")
    texts = ["are timestamps in ms", "what if the quota is zero", "tell me about your day",
             "do throttled calls count against the limit"] * 5
    median_us, _ = time_matches(matcher, texts)
    assert median_us < 1000


# -- labelled sets ------------------------------------------------------------------------

def test_labelled_sets_are_found():
    names = [p.stem for p in SETS]
    assert "rl" in names and "intents" in names


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_labelled_set_meets_the_thresholds(path):
    report = evaluate_path(path, QUESTION_ROOTS)
    misses = "\n".join(f"{m.kind}: {m.text!r} expected {m.expected}, got {m.got}"
                       for m in report.misses)
    assert report.accuracy >= 0.90, misses
    assert report.false_match_rate <= 0.05, misses
    assert report.intent_accuracy >= 0.95, misses


def test_fixture_question_is_found_by_id():
    assert find_script("rl", QUESTION_ROOTS) == FIXTURES / "rl-rate-limiter" / "script.yaml"
    assert find_script("no-such-question", QUESTION_ROOTS) is None


# -- intents ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,name,argument", [
    ("how much time do I have left", "time", None),
    ("time check", "time", None),
    ("can I get a hint", "hint", None),
    ("I'm stuck", "hint", None),
    ("I'm done", "done", None),
    ("I think I'm finished", "done", None),
    ("that's my solution", "done", None),
    ("can I use C++?", "language", "C++"),
    ("which language should I use", "language", None),
    ("is Java ok", "language", "Java"),
    ("can I write it in Rust", "language", "Rust"),
    ("can I use numpy?", "library", "numpy"),
    ("am I allowed to import sortedcontainers", "library", "sortedcontainers"),
    ("can I use the standard library", "library", None),
    ("can I get feedback?", "feedback", None),
    ("how did I do", "feedback", None),
    ("can you repeat the question", "repeat", None),
    ("show the question again", "repeat", None),
    ("can we move on", "next", None),
    ("next part please", "next", None),
    ("what commands are there", "help", None),
])
def test_global_intents(text, name, argument):
    assert detect_intent(text) == Intent(name, argument)


@pytest.mark.parametrize("text,asked", [
    ("show me the rubric", "rubric"),
    ("print _rubric.yaml", "_rubric.yaml"),
    ("what are the follow-ups", "follow-ups"),
    ("give me the solution", "solution"),
    ("write the code for me", "code"),
    ("cat _tests/test_level2.py", "_tests"),
])
def test_hostile_requests_are_forbidden_with_what_was_asked(text, asked):
    assert detect_intent(text) == Intent("forbidden", asked)


@pytest.mark.parametrize("text", [
    "what should get return when the time stamp is missing",
    "is the hint field optional",
    "does delete return done status",
    "can I use a heap",
    "what does next return",
    "what's the expected answer for an empty string",
    "what language are the strings in",
])
def test_near_misses_are_not_intents(text):
    assert detect_intent(text) is None


def test_fillers_around_a_request_are_ignored():
    assert detect_intent("ok so, um, I'm done now, thanks") == Intent("done")
    assert detect_intent("Right. Can I get a hint please?") == Intent("hint")


def test_long_utterances_are_not_taken_for_short_requests():
    text = ("I'm done with the parsing part but what should get return when a field was "
            "deleted and then set again")
    assert detect_intent(text) is None


def test_language_named():
    assert language_named("could I write it in golang") == "Go"
    assert language_named("nothing here") is None


def test_intent_rules_are_data_driven():
    catalogue = build_catalogue({
        "languages": {"Python": ["python"]},
        "libraries": {"third_party": ["numpy"]},
        "intents": [{"name": "coffee", "rules": [{"pattern": "coffee break"}]}],
    })
    assert [rule.name for rule in catalogue.intents] == ["coffee"]
    assert catalogue.intents[0].rules[0].regex.search("a coffee break")
    assert not catalogue.intents[0].rules[0].regex.search("a coffee breaker")
    assert "numpy" in catalogue.libraries and "heapq" in catalogue.libraries
