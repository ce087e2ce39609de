"""The engine's behaviour, event by event, on the fixture question (no I/O)."""

from __future__ import annotations

import pytest

from interviewer import Engine
from interviewer._events import Commanded, Said, Started, Ticked, WorkspaceChanged
from interviewer._replies import RESULTS, SAY, STATEMENT

from .conftest import submission

T0 = 1_767_225_600.0


def start(bank, fmt="live", minutes=45, seed=3):
    question = bank.get("01")
    engine = Engine(question, bank.notes["01"])
    opening = engine.handle(Started(T0, question="01", format=fmt, seed=seed,
                                    workspace="/tmp/ws", minutes=minutes))
    return engine, opening


def texts(replies):
    return " ".join(r.text for r in replies)


def at(minutes: float) -> float:
    return T0 + minutes * 60


def test_opening_shows_statement_verbatim_and_names_workspace(fixture_bank):
    engine, opening = start(fixture_bank)
    statements = [r for r in opening if r.kind == STATEMENT]
    assert [r.text for r in statements] == [fixture_bank.get("01").statement]
    assert "/tmp/ws" in texts(opening) and "solution.py" in texts(opening)
    assert "starter" in texts(opening).lower()
    assert engine.state.phase == "clarify"


def test_first_event_must_be_started(fixture_bank):
    engine = Engine(fixture_bank.get("01"), fixture_bank.notes["01"])
    with pytest.raises(ValueError, match="Started"):
        engine.handle(Said(T0, text="hello"))


def test_matched_clarification_is_answered_and_recorded(fixture_bank):
    engine, _ = start(fixture_bank)
    replies = engine.handle(Said(at(1), text="Are the words case sensitive?"))
    assert texts(replies) == "Words are case sensitive."
    assert engine.state.clarifications == ["case"]
    assert engine.state.clarified_before_code == {"case"}


def test_unmatched_question_gets_neutral_reply_and_is_recorded(fixture_bank):
    engine, _ = start(fixture_bank)
    replies = engine.handle(Said(at(1), text="Should I worry about the phase of the moon?"))
    assert replies[0].kind == SAY
    assert "assum" in texts(replies).lower()
    assert engine.state.misses == ["Should I worry about the phase of the moon?"]


def test_a_remark_is_acknowledged_not_logged_as_a_miss(fixture_bank):
    engine, _ = start(fixture_bank)
    engine.handle(Said(at(1), text="I plan to keep a dictionary of counts."))
    assert engine.state.misses == []


def test_next_starts_coding_then_gating_holds_in_codesignal(fixture_bank):
    engine, _ = start(fixture_bank, fmt="codesignal")
    engine.handle(Commanded(at(1), name="next"))
    assert engine.state.phase == "implement" and engine.state.level == 1
    replies = engine.handle(Commanded(at(30), name="next"))
    assert engine.state.level == 1
    assert "level 1" in texts(replies).lower()


def test_passing_submission_opens_next_level(fixture_bank):
    engine, _ = start(fixture_bank, fmt="codesignal")
    engine.handle(Commanded(at(1), name="next"))
    failing = engine.handle(submission(at(5), 1, {1: (2, 3)}))
    assert "2 of 3 hidden tests passed" in texts(failing)
    assert engine.state.level == 1
    passing = engine.handle(submission(at(8), 1, {1: (3, 3)}))
    assert engine.state.level == 2 and engine.state.levels_passed == {1}
    assert "Ranking" in texts(passing)


def test_submission_reports_counts_never_test_names(fixture_bank):
    engine, _ = start(fixture_bank)
    engine.handle(Commanded(at(1), name="next"))
    replies = engine.handle(submission(at(5), 1, {1: (1, 3)}))
    results = [r for r in replies if r.kind == RESULTS]
    assert results and "test_l1" not in texts(results)


def test_live_format_lets_a_level_go_after_its_minutes(fixture_bank):
    engine, _ = start(fixture_bank, fmt="live")
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(Commanded(at(5), name="next"))
    assert engine.state.level == 1
    engine.handle(Commanded(at(12), name="next"))
    assert engine.state.level == 2


def test_practice_never_gates(fixture_bank):
    engine, _ = start(fixture_bank, fmt="practice", minutes=0)
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(Commanded(at(1.5), name="next"))
    assert engine.state.level == 2


def test_hint_ladder_in_order_then_exhausted(fixture_bank):
    engine, _ = start(fixture_bank)
    engine.handle(Commanded(at(1), name="next"))
    ladder = fixture_bank.get("01").hint_ladder(1)
    for rung, hint in enumerate(ladder, start=1):
        replies = engine.handle(Commanded(at(1 + rung), name="hint"))
        assert hint.text in texts(replies)
        assert f"{rung} of {len(ladder)}" in texts(replies)
    assert [(h.level, h.rung, h.kind) for h in engine.state.hints] == [
        (1, 1, "nudge"), (1, 2, "direction"), (1, 3, "pseudocode")]
    replies = engine.handle(Commanded(at(9), name="hint"))
    assert "every hint" in texts(replies)
    assert len(engine.state.hints) == 3


def test_spoken_hint_request_gives_a_hint(fixture_bank):
    engine, _ = start(fixture_bank)
    engine.handle(Commanded(at(1), name="next"))
    replies = engine.handle(Said(at(2), text="I'm stuck, can I get a hint?"))
    assert fixture_bank.get("01").hint_ladder(1)[0].text in texts(replies)


def test_followups_are_asked_one_at_a_time_with_probe(fixture_bank):
    engine, _ = start(fixture_bank)
    notes = fixture_bank.notes["01"]
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(submission(at(5), 1, {1: (3, 3)}))
    engine.handle(submission(at(9), 2, {1: (3, 3), 2: (2, 2)}))
    replies = engine.handle(Said(at(10), text="I'm done"))
    assert engine.state.phase == "followups"
    first, second = notes.followups
    assert first.ask in texts(replies) and second.ask not in texts(replies)
    thin = engine.handle(Said(at(11), text="Not a lot, I think it is fine for most uses."))
    assert first.probe in texts(thin)
    deeper = engine.handle(Said(at(12), text="A dict costs bytes per entry with pointer "
                                              "overhead for every key."))
    assert second.ask in texts(deeper)
    assert engine.state.followups[0].concepts_named == (0, 1)
    engine.handle(Said(at(13), text="Keep a heap of the top n, updates cost log n."))
    assert engine.state.phase == "wrapup"


def test_followup_waiting_for_a_level_is_not_asked_before_it(fixture_bank):
    engine, _ = start(fixture_bank)
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(Said(at(5), text="I'm done"))
    engine.handle(Said(at(6), text="A dictionary with some overhead in bytes per entry."))
    assert engine.state.phase == "wrapup"
    assert [f.id for f in engine.state.followups] == ["memory"]


def test_time_reminders_fire_once_each(fixture_bank):
    engine, _ = start(fixture_bank, fmt="codesignal", minutes=40)   # no phase plan
    engine.handle(Commanded(at(1), name="next"))
    said = {minute: texts(engine.handle(Ticked(at(minute)))).lower()
            for minute in (20.5, 21, 25.5, 26, 35.5, 36, 40.5)}
    assert "half" in said[20.5] and "half" not in said[21]
    assert "fifteen" in said[25.5] and "fifteen" not in said[26]
    assert "five minutes" in said[35.5] and "five minutes" not in said[36]
    assert "time" in said[40.5]
    assert engine.state.reminders == {"half", "15", "5", "up"}
    assert engine.state.phase == "followups"


def test_a_long_absence_gives_one_reminder_not_three(fixture_bank):
    engine, _ = start(fixture_bank, fmt="codesignal", minutes=40)   # no phase plan
    engine.handle(Commanded(at(1), name="next"))
    replies = engine.handle(Ticked(at(36)))
    assert "five minutes" in texts(replies).lower()
    assert "half" not in texts(replies).lower() and "fifteen" not in texts(replies).lower()


def test_stuck_offer_after_idle_minutes(fixture_bank):
    engine, _ = start(fixture_bank, minutes=45)
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(WorkspaceChanged(at(2), digest="a"))
    assert engine.handle(Ticked(at(5))) == []
    offer = engine.handle(Ticked(at(7.5)))
    assert "/hint" in texts(offer)
    assert engine.handle(Ticked(at(8))) == []


def test_failing_streak_offers_a_hint(fixture_bank):
    engine, _ = start(fixture_bank)
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(submission(at(2), 1, {1: (0, 3)}))
    replies = engine.handle(submission(at(3), 1, {1: (1, 3)}))
    assert "/hint" in texts(replies)


def test_other_language_is_redirected_to_python(fixture_bank):
    engine, _ = start(fixture_bank)
    first = engine.handle(Said(at(1), text="Can I write this in C++?"))
    assert "Python" in texts(first)
    again = engine.handle(Said(at(2), text="Could I use Java instead?"))
    assert "Python" in texts(again) and texts(again) != texts(first)


def test_library_question_distinguishes_standard_library(fixture_bank):
    engine, _ = start(fixture_bank)
    assert "standard library" in texts(engine.handle(Said(at(1), text="Can I use collections?")))
    assert "stick to the standard library" in texts(
        engine.handle(Said(at(2), text="Can I use numpy?")))


@pytest.mark.parametrize("fmt,minutes,expected", [("live", 45, "42m"),
                                                  ("practice", 0, "untimed")])
def test_time_question(fixture_bank, fmt, minutes, expected):
    engine, _ = start(fixture_bank, fmt=fmt, minutes=minutes)
    assert expected in texts(engine.handle(Said(at(3), text="How much time do I have left?")))


def test_unknown_command_is_explained(fixture_bank):
    engine, _ = start(fixture_bank)
    assert "/help" in texts(engine.handle(Commanded(at(1), name="frobnicate")))


def test_same_events_same_transcript_and_seed_changes_wording(fixture_bank):
    def play(seed):
        engine, _ = start(fixture_bank, seed=seed)
        for minute, text in enumerate(["hello there?", "what about the weather?",
                                       "and the moon?", "is pluto a planet?"], start=1):
            engine.handle(Said(at(minute), text=text))
        return engine.transcript_text()

    assert play(1) == play(1)
    assert any(play(1) != play(seed) for seed in range(2, 8))


def test_measured_figures_are_shown_with_the_results(fixture_bank):
    from dataclasses import replace

    from interviewer._events import TestsRan, format_figure

    engine, _ = start(fixture_bank)
    engine.handle(Commanded(at(1), name="next"))
    measured = replace(submission(at(5), 1, {1: (3, 3)}),
                       measures={"misses": 2048.0, "load utilisation %": 92.5})
    [result, *_] = engine.handle(measured)
    assert result.kind == RESULTS
    assert result.text.splitlines()[-1] == "Measured: load utilisation % 92.5, misses 2048"
    plain = engine.handle(TestsRan(at(6), kind="run", level=2))
    assert "Measured" not in texts(plain)
    assert [format_figure(v) for v in (147734.0, 0.125, 1.5e6)] == ["147734", "0.125",
                                                                    "1500000"]


def test_a_question_can_forbid_a_standard_library_name(fixture_bank):
    from dataclasses import replace

    question = replace(fixture_bank.get("01"), forbidden_libraries={
        "collections.Counter": "counting the words yourself is the exercise."})
    engine = Engine(question, fixture_bank.notes["01"])
    engine.handle(Started(T0, question="01", format="live", seed=1, workspace="/tmp/ws",
                          minutes=45))
    assert texts(engine.handle(Said(at(1), text="can I use collections.Counter?"))) == (
        "Not collections.Counter for this question, please: counting the words yourself is the "
        "exercise.")
    assert "except collections.Counter" in texts(engine.handle(
        Said(at(2), text="can I use collections?")))
    assert "go ahead" in texts(engine.handle(Said(at(3), text="can I use heapq?")))
