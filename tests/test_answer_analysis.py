"""The behavioural answer analysis: each rule on its own, and its accuracy on
every labelled answer in ``tests/data/behavioral/``."""

from __future__ import annotations

import pytest

from interviewer._answer_analysis import (
    LONG_ABOVE,
    SHORT_BELOW,
    WEIGHTS,
    analyse_answer,
    analyse_story,
)
from interviewer._answer_eval import PROPERTIES, evaluate, read_labelled
from interviewer._behavioral_bank import load_behavioral_bank

from .conftest import FIXTURES, ROOT

DATA = ROOT / "tests" / "data" / "behavioral"
MIN_ACCURACY = 0.85

COMPLETE = (
    "At my previous job our checkout service slowed down every afternoon. My job was to find "
    "out why before the holiday traffic. I profiled it with a flame graph and I found a lock "
    "in the connection pool, so I rewrote the pool to hand out connections per shard. As a "
    "result the p99 went from 800 ms to 120 ms, and the afternoon alerts stopped for good. In "
    "hindsight I should have set a baseline benchmark much earlier, and I learned to measure "
    "before guessing, which is how I start every investigation now."
)
NO_RESULT = (
    "At my previous job our checkout service slowed down every afternoon. My job was to find "
    "out why before the holiday traffic. I profiled it with a flame graph and I found a lock "
    "in the connection pool, so I rewrote the pool to hand out connections per shard."
)


@pytest.fixture(scope="module")
def prompts():
    return load_behavioral_bank(FIXTURES / "behavioral")


@pytest.fixture(scope="module")
def perf(prompts):
    return prompts.get("perf-debugging")


# -- accuracy over the labelled sets ---------------------------------------------------------


def test_every_property_is_right_on_at_least_85_percent_of_the_labelled_answers():
    labelled = read_labelled(sorted(DATA.glob("*.yaml")))
    assert len(labelled) >= 15
    report = evaluate(labelled, load_behavioral_bank(ROOT / "behavioral"))
    for miss in report.misses:
        print(f"MISS {miss.source} {miss.prop}: expected {miss.expected}, got {miss.got}: "
              f"{miss.answer[:80]}...")
    accuracy = {prop: report.accuracy(prop) for prop in PROPERTIES}
    print(accuracy)
    assert all(value >= MIN_ACCURACY for value in accuracy.values()), accuracy


# -- STAR ------------------------------------------------------------------------------------


def test_a_complete_story_has_every_star_part_with_its_cues(perf):
    analysis = analyse_answer(COMPLETE, perf)
    assert analysis.star == ("situation", "task", "action", "result")
    assert analysis.missing == ()
    assert analysis.evidence["situation"] == ("at my previous",)   # not "our checkout"
    assert analysis.evidence["task"] == ("my job was",)
    assert analysis.evidence["action"][:3] == ("I profiled", "I found", "I rewrote")
    assert "as a result" in analysis.evidence["result"]


def test_a_story_without_a_result_is_told_exactly_what_is_missing(perf):
    analysis = analyse_answer(NO_RESULT, perf)
    assert analysis.missing == ("result",)
    assert analysis.feedback[0] == (
        "You set the scene ('at my previous'), said what you had to do ('my job was') and "
        "described your actions ('I profiled', 'I found') but gave no result: say what "
        "changed, with a number if you have one.")


def test_a_goal_to_reduce_is_a_task_not_a_result():
    analysis = analyse_answer("The goal was to reduce the latency of the search page.", None)
    assert analysis.star == ("task",)


def test_actions_need_something_done_not_a_habit_or_a_wish():
    assert analyse_answer("I then profiled the service.", None).star == ("action",)
    assert analyse_answer("We quickly rolled it back.", None).star == ("action",)
    assert analyse_answer("I went through the logs.", None).star == ("action",)
    for habit in ("I usually read the docs first.", "I would profile it.",
                  "I have read a lot about it."):
        assert "action" not in analyse_answer(habit, None).star, habit


@pytest.mark.parametrize("text,scene", [
    ("Our gateway had a custom allocator. I replaced it with jemalloc.", "our gateway"),
    ("We were migrating the billing database. I wrote the dual-write shim.", "we were migrating"),
    ("A research group I supported was training models. I rewrote the loader.",
     "was training"),
    ("I pushed back when my lead wanted a second cache.", "my lead"),
])
def test_a_story_that_opens_on_its_world_sets_the_scene(text, scene):
    analysis = analyse_answer(text, None)
    assert "situation" in analysis.star
    assert analysis.evidence["situation"][0] == scene


@pytest.mark.parametrize("text", [
    "Our time needs safer systems, and I care about that a lot.",        # no story: an opinion
    "I profiled it. I found a lock. I rewrote the pool. Then I asked our lead to review it.",
    "I was asked to cut the cost. I profiled the service.",              # a task, not a scene
])
def test_the_opening_sets_no_scene_outside_a_story_its_first_sentences_or_a_task(text):
    assert "situation" not in analyse_answer(text, None).star


@pytest.mark.parametrize("text", [
    "My manager asked me to cut the build time, so I profiled it.",
    "We set out to replace the scheduler.",
    "The constraint was the memory budget, so I profiled it.",
    "I offered to be her onboarding buddy.",
    "We needed it ported within a month.",
    "My manager had promised the VP a date, so I broke the work down.",
])
def test_task_cues(text):
    assert "task" in analyse_answer(text, None).star


def test_a_denied_cue_does_not_count():
    assert "task" in analyse_answer("We needed the replicas, so we added them.", None).star
    denied = analyse_answer("We added a cache, and we never needed the replicas.", None)
    assert "task" not in denied.star


@pytest.mark.parametrize("text", [
    "I rolled it out and the compaction stalls disappeared.",
    "I moved the old segments and writes recovered an hour later.",
    "I benchmarked it, and it was slower.",
    "I told him it was risky. He listened.",
    "We rewrote it and the job dropped back to eighteen minutes.",
    "We made it an option and the feed got noticeably faster.",
    "I added monitoring, and after a month the complaints stopped.",
    "I switched the allocator and we have not had an incident since.",
    "I broke it down, which I took as the real outcome.",
])
def test_result_cues(text):
    assert "result" in analyse_answer(text, None).star


def test_a_result_cue_before_the_first_action_is_the_setting():
    setting = analyse_answer("The deadline was fixed by the launch. I picked Parquet.", None)
    assert "result" not in setting.star
    story = analyse_answer("I patched the parser and the bug was fixed.", None)
    assert "result" in story.star
    assert "result" in analyse_answer("The outage was fixed within the hour.", None).star


def test_cues_inside_a_reflection_do_not_count_for_the_story():
    analysis = analyse_answer("If I had to do it again I would start with a load test.", None)
    assert analysis.star == ()
    assert analysis.reflects


def test_a_bare_opinion_has_no_story():
    analysis = analyse_answer("I always go for correctness, because speed does not matter if "
                              "the answer is wrong.", None)
    assert analysis.star == ()
    assert analysis.feedback[0].startswith("I couldn't hear the shape of a story")


# -- ownership -------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("I profiled it, I found the lock and I fixed it with my own patch.", "owned"),
    ("I profiled it, then we found the lock and we fixed it in our service.", "shared"),
    ("I fixed our service and my manager thanked us for it.", "owned"),  # "our", "us": setting
    ("We profiled it, we found the lock and our team fixed it for us.", "team"),
    ("The service was profiled and the lock was removed.", "team"),
])
def test_ownership_weighs_i_against_we(text, expected):
    assert analyse_answer(text, None).ownership == expected


def test_ownership_counts_only_who_did_the_work():
    analysis = analyse_answer("Our lead asked me to fix our service, and I fixed it.", None)
    assert (analysis.singular, analysis.plural) == (1, 0)


def test_ownership_feedback_quotes_the_counts():
    analysis = analyse_answer("We found it, we fixed it, we shipped it and I reviewed it.", None)
    assert (analysis.singular, analysis.plural) == (1, 3)
    assert any("Mostly 'we' (3) against 'I' (1)" in s for s in analysis.feedback)


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text,quote", [
    ("As a result the deploy went from 40 minutes to 5.", "from 40 minutes to 5"),
    ("It cut the error rate by 35%.", "35%"),
    ("The new parser is 2x faster.", "2x"),
    ("The job ran three times faster.", "three times"),
    ("That saved us $40k a year.", "$40k"),
    ("It doubled the throughput.", "doubled"),
    ("In the end it saved us hours every week.", "saved us hours"),
    ("As a result it took three hours less.", "three hours"),
    ("In the end we served 2,000 requests per second.", "2,000 requests"),
    ("In the end it took eighteen minutes.", "eighteen minutes"),
])
def test_quantified_results_are_found_and_quoted(text, quote):
    assert quote in analyse_answer(text, None).numbers


@pytest.mark.parametrize("text", [
    "In 2019 I joined the team.",
    "From 2019 to 2021 I worked on payments.",
    "Two months ago we had an outage. The result was fine.",
    "We had two weeks to do it, and five engineers.",
    "I asked three people, and nobody knew.",
])
def test_years_dates_and_context_are_not_quantified_results(text):
    assert analyse_answer(text, None).numbers == ()


def test_numbers_before_the_first_action_are_the_setting():
    setting = "Most services spent under 5 percent of their time there. I wrote a doc."
    assert analyse_answer(setting, None).numbers == ()
    story = "I wrote a doc. It showed that serialisation took 5 percent of the time."
    assert analyse_answer(story, None).numbers == ("5 percent",)


def test_an_amount_counts_only_once_a_result_is_told():
    assert analyse_answer("We had two weeks.", None).numbers == ()
    assert analyse_answer("We had two weeks. In the end it took two weeks.",
                          None).numbers == ("two weeks",)


# -- reflection, length, signals -------------------------------------------------------------


@pytest.mark.parametrize("text", ["In hindsight we shipped too early.", "I learned to ask first.",
                                  "Next time I'd write the test first.",
                                  "Looking back, it was the right call.",
                                  "The real lesson for me was to test behind the balancer.",
                                  "Now I check the layer below first.",
                                  "We realised our test images were synthetic.",
                                  "What I took from it: measure first.",
                                  "What I changed afterwards is simple: profile first."])
def test_reflection_cues(text):
    assert analyse_answer(text, None).reflects


@pytest.mark.parametrize("text", ["I took the read-path work myself.",
                                  "I try to make a small change early.",
                                  "We changed the pool afterwards."])
def test_no_reflection_in_a_plain_step_or_habit(text):
    assert not analyse_answer(text, None).reflects


def test_no_reflection_is_named_in_the_feedback(perf):
    analysis = analyse_answer(NO_RESULT, perf)
    assert not analysis.reflects
    assert "Close with what you learned or what you would do differently." in analysis.feedback


@pytest.mark.parametrize("count,expected", [(SHORT_BELOW - 1, "short"), (SHORT_BELOW, "good"),
                                            (LONG_ABOVE, "good"), (LONG_ABOVE + 1, "long")])
def test_length_thresholds(count, expected):
    analysis = analyse_answer(" ".join(["word"] * count), None)
    assert (analysis.words, analysis.length) == (count, expected)


def test_signals_are_matched_on_stems_and_named_in_the_feedback(perf):
    analysis = analyse_answer(COMPLETE + " Profiling showed it.", perf)
    assert analysis.signals_named == ("profile", "baseline")
    assert analysis.signals_missed == ("root cause",)
    assert "Strong answers to this question also talk about root cause." in analysis.feedback


# -- score and gaps --------------------------------------------------------------------------


def test_weights_sum_to_one_and_a_complete_answer_scores_full_marks(perf):
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert analyse_answer(COMPLETE, perf).score == pytest.approx(1.0)


def test_a_missing_result_costs_its_weight(perf):
    complete, partial = analyse_answer(COMPLETE, perf), analyse_answer(NO_RESULT, perf)
    assert partial.score < complete.score - WEIGHTS["result"]


def test_a_two_line_story_scores_little_however_many_cues_it_names(perf):
    thin = ("Last year I needed to fix a slow query. I profiled it and I added an index, "
            "which cut it from 3 s to 40 ms. I learned to measure first.")
    analysis = analyse_answer(thin, perf)
    assert set(analysis.star) >= {"task", "action", "result"} and analysis.quantified
    assert analysis.words < 40 and analysis.score == pytest.approx(0.3)


def test_gaps_come_most_important_first(perf):
    assert analyse_answer(NO_RESULT, perf).gaps == ("result", "numbers", "reflection")


def test_a_part_heard_only_after_a_probe_earns_half_its_weight(perf):
    alone = analyse_answer(NO_RESULT, perf)
    story = analyse_story(NO_RESULT, ["As a result the p99 went from 800 ms to 120 ms."], perf)
    assert story.prompted == ("result", "numbers")
    assert story.score == pytest.approx(
        alone.score + (WEIGHTS["result"] + WEIGHTS["numbers"]) / 2)
    assert story.length == alone.length and story.words == alone.words
    assert any("came only when I asked" in sentence for sentence in story.feedback)


def test_the_analysis_is_deterministic(perf):
    assert analyse_answer(COMPLETE, perf) == analyse_answer(COMPLETE, perf)


MISSION_ANSWER = (
    "What draws me is that the capabilities are moving faster than our ability to check them. "
    "I started reading the interpretability papers two years ago and I realised that the work "
    "I do, making training and inference cheaper, decides how much compute is left for "
    "evaluations and red teaming. I care about a lab that writes down a responsible scaling "
    "policy and sticks to it, and I want my performance work to buy time for that. Looking "
    "back, I used to think safety was someone else's job; now I think efficiency is part of it."
)


def test_a_why_question_is_judged_without_star_parts():
    bank = load_behavioral_bank()
    mission = bank.get("mission-ai-safety")
    assert mission.kind == "motivation"
    why = analyse_answer(MISSION_ANSWER, mission)
    assert not why.story and why.score >= 0.85
    assert not any("result" in gap or gap in ("situation", "task", "action", "numbers")
                   for gap in why.gaps)
    assert not any("STAR" in s or "how it ended" in s or "No numbers" in s for s in why.feedback)
    assert any(s.startswith("You made it specific") for s in why.feedback)
    as_story = analyse_answer(MISSION_ANSWER, bank.get("perf-debugging"))
    assert as_story.story and as_story.score < why.score      # a story prompt wants STAR


def test_a_vague_why_answer_is_told_to_be_specific():
    mission = load_behavioral_bank().get("mission-ai-safety")
    vague = analyse_answer("We think safety matters a lot, and the team cares about doing "
                           "things the right way because it is important for everyone who "
                           "uses the products we build every single day.", mission)
    assert vague.score <= 0.3
    assert any("say what draws you personally" in s for s in vague.feedback)
