"""Format behaviours in the engine: phases moved on by the clock, follow-up counts,
pauses and the grade on request, and the redirect to Python (no I/O)."""

from __future__ import annotations

from interviewer import Engine
from interviewer._events import Commanded, Said, Scored, Started, Ticked, WorkspaceChanged
from interviewer._formats import FORMATS, get_format

from .conftest import submission

T0 = 1_767_225_600.0


def start(bank, fmt, minutes=60, seed=5):
    engine = Engine(bank.get("01"), bank.notes["01"])
    engine.handle(Started(T0, question="01", format=fmt, seed=seed, workspace="/tmp/ws",
                          minutes=minutes))
    return engine


def at(minutes: float) -> float:
    return T0 + minutes * 60


def texts(replies) -> str:
    return " ".join(r.text for r in replies)


def test_live_moves_from_clarifying_to_coding_after_a_sixth_of_the_box(fixture_bank):
    engine = start(fixture_bank, "live", minutes=60)
    assert engine.handle(Ticked(at(9.5))) == []
    replies = engine.handle(Ticked(at(10)))
    assert engine.state.phase == "implement"
    assert "Level 1 is open" in texts(replies) or "level 1" in texts(replies).lower()


def test_live_moves_to_followups_with_a_quarter_left_in_one_announcement(fixture_bank):
    engine = start(fixture_bank, "live", minutes=60)
    engine.handle(Commanded(at(3), name="next"))
    engine.handle(Ticked(at(30.5)))                       # the half-time reminder
    replies = engine.handle(Ticked(at(45)))
    said = texts(replies)
    assert engine.state.phase == "followups"
    assert "15m" in said and said.count("fifteen") == 0   # one line, no second reminder
    assert engine.state.reminders >= {"half", "15"}
    assert len(engine.state.followups) == 1               # and the first follow-up is asked


def test_time_up_during_the_discussion_wraps_up(fixture_bank):
    engine = start(fixture_bank, "live", minutes=60)
    engine.handle(Commanded(at(3), name="next"))
    engine.handle(Ticked(at(45)))
    replies = engine.handle(Ticked(at(60.5)))
    assert engine.state.phase == "wrapup"
    assert "/feedback" in texts(replies)
    assert engine.state.followups[-1].skipped


def test_live_asks_at_most_four_followups_and_deep_dives_ask_them_all(fixture_bank, bank):
    question, notes = bank.get("07"), bank.notes["07"]
    assert len(notes.followups) > 4
    for fmt, expected in (("live", 4), ("perf-deep-dive", len(notes.followups))):
        engine = Engine(question, notes)
        engine.handle(Started(T0, question="07", format=fmt, seed=1, workspace="/w", minutes=60))
        engine.handle(Commanded(at(2), name="next"))
        for level in range(1, len(question.levels) + 1):
            engine.handle(submission(at(3 + level), level, {level: (2, 2)}))
        engine.handle(Said(at(10), text="I'm done"))
        for minute in range(11, 11 + len(notes.followups)):
            engine.handle(Commanded(at(minute), name="next"))
        assert len(engine.state.followups) == expected, fmt
        assert engine.state.phase == "wrapup"


def test_deep_dives_keep_half_the_box_for_followups(fixture_bank):
    for fmt in ("perf-deep-dive", "gpu-deep-dive"):
        engine = start(fixture_bank, fmt, minutes=60)
        engine.handle(Ticked(at(5)))
        assert engine.state.phase == "implement", fmt
        engine.handle(Ticked(at(29.5)))
        assert engine.state.phase == "implement", fmt
        engine.handle(Ticked(at(30)))
        assert engine.state.phase == "followups", fmt


def test_codesignal_and_takehome_leave_the_phases_to_the_candidate(fixture_bank):
    for fmt in ("codesignal", "takehome"):
        engine = start(fixture_bank, fmt, minutes=90)
        engine.handle(Ticked(at(30)))
        assert engine.state.phase == "clarify", fmt
        engine.handle(Commanded(at(31), name="next"))
        engine.handle(Ticked(at(85)))
        assert engine.state.phase == "implement", fmt
        engine.handle(Ticked(at(90.5)))
        assert engine.state.phase == "followups", fmt


def test_practice_pauses_and_any_input_carries_on(fixture_bank):
    engine = start(fixture_bank, "practice", minutes=0)
    engine.handle(Commanded(at(1), name="next"))
    paused = engine.handle(Commanded(at(2), name="pause"))
    assert "paused" in texts(paused).lower()
    assert engine.handle(Ticked(at(40))) == []            # no stuck offer while away
    time_while_paused = texts(engine.handle(Commanded(at(41), name="time")))
    assert "2m" in time_while_paused                      # the clock stood still
    back = engine.handle(Said(at(62), text="what does count return for a word never added?"))
    assert "running again" in texts(back) and "1h 00m" in texts(back)
    assert "Zero." in texts(back)
    assert engine.state.paused_seconds(at(70)) == 60 * 60
    assert "10m" in texts(engine.handle(Commanded(at(70), name="time")))


def test_pause_toggles_and_is_refused_in_timed_formats(fixture_bank):
    practice = start(fixture_bank, "practice", minutes=0)
    practice.handle(Commanded(at(1), name="pause"))
    again = practice.handle(Commanded(at(3), name="pause"))
    assert "running again" in texts(again) and practice.state.paused_since is None
    live = start(fixture_bank, "live")
    refused = texts(live.handle(Commanded(at(1), name="pause")))
    assert "keeps running" in refused and live.state.paused_since is None


def test_grade_waits_for_the_report_and_then_answers(fixture_bank):
    engine = start(fixture_bank, "practice", minutes=0)
    engine.handle(Commanded(at(1), name="next"))
    assert "/feedback" in texts(engine.handle(Commanded(at(2), name="grade")))
    engine.handle(Scored(at(3), grade="Lean Hire", score=0.61, summary="report"))
    said = texts(engine.handle(Commanded(at(4), name="grade")))
    assert "Lean Hire" in said and "61%" in said


def test_code_in_another_language_is_redirected_once_unless_it_comes_back(fixture_bank):
    engine = start(fixture_bank, "live")
    engine.handle(Commanded(at(1), name="next"))
    first = texts(engine.handle(WorkspaceChanged(at(2), digest="a", language="C++")))
    assert "Python" in first and "C++" in first
    assert engine.handle(WorkspaceChanged(at(3), digest="b", language="C++")) == []
    assert engine.handle(WorkspaceChanged(at(4), digest="c", language="")) == []
    again = texts(engine.handle(WorkspaceChanged(at(5), digest="d", language="Java")))
    assert "Python only" in again
    assert engine.state.language_redirects == 2


def test_every_format_is_described_with_its_rules():
    assert set(FORMATS) >= {"takehome", "codesignal", "live", "perf-deep-dive",
                            "gpu-deep-dive", "practice"}
    assert get_format("codesignal").refuses_late_submissions
    assert get_format("practice").pausable and not get_format("practice").timed
    assert get_format("no-such-format") == FORMATS["live"]


def test_the_formats_a_session_can_start_in(fixture_bank):
    from interviewer._formats import startable_formats

    assert startable_formats(fixture_bank) == ["codesignal", "live", "practice"]
    assert startable_formats(fixture_bank, prompts=4)[-1] == "behavioral"
