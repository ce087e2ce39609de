"""Interview: the library's session object, with a real sandbox and a real log."""

from __future__ import annotations

import json

import pytest

from interviewer import Interview, ManualClock
from interviewer._workspace import WorkspaceError

GOOD_SOLUTION = '''
from collections import Counter


class WordCounter:
    def __init__(self):
        self.counts = Counter()

    def add(self, word):
        self.counts[word] += 1

    def count(self, word):
        return self.counts[word]

    def top(self, n):
        return sorted(self.counts, key=lambda w: (-self.counts[w], w))[:n]
'''


@pytest.fixture
def session(tmp_path, fixture_bank, clock):
    log = tmp_path / "session" / "events.jsonl"
    interview = Interview.start(fixture_bank, "01", workspace=tmp_path / "ws", clock=clock,
                                seed=5, log_path=log, format="codesignal")
    yield interview, log
    interview.close()


def test_start_copies_starter_and_logs_the_start(session, fixture_bank):
    interview, log = session
    starter = (fixture_bank.get("01").folder / "starter.py").read_text()
    assert (interview.workspace / "solution.py").read_text() == starter
    first = json.loads(log.read_text().splitlines()[0])
    assert first["type"] == "started" and first["question"] == "01" and first["seed"] == 5


def test_run_on_the_starter_shows_failing_examples(session):
    interview, _ = session
    [results] = [r for r in interview.command("/run") if r.kind == "results"]
    assert "Examples: 0 of 2 passed." in results.text
    assert "test_example_count" in results.text


def test_submit_a_good_solution_opens_level_two(session, clock):
    interview, log = session
    interview.command("/next")
    clock.advance(minutes=4)
    (interview.workspace / "solution.py").write_text(GOOD_SOLUTION)
    replies = interview.command("/submit")
    text = "\n".join(r.text for r in replies)
    assert "level 1: 3 of 3 hidden tests passed" in text
    assert interview.state.level == 2
    kinds = [json.loads(line)["type"] for line in log.read_text().splitlines()]
    assert kinds == ["started", "command", "workspace", "command", "tests"]


def test_every_event_is_on_disk_before_the_reply(session):
    interview, log = session
    interview.say("are words case sensitive?")
    assert json.loads(log.read_text().splitlines()[-1])["text"] == "are words case sensitive?"


def test_replay_gives_the_identical_transcript(session, clock, fixture_bank):
    interview, log = session
    interview.say("are words case sensitive?")
    clock.advance(minutes=2)
    interview.command("/next")
    clock.advance(minutes=8)
    interview.command("/hint")
    (interview.workspace / "solution.py").write_text(GOOD_SOLUTION)
    interview.command("/submit")
    clock.advance(minutes=30)
    interview.tick()
    interview.say("how much time is left?")
    replayed = Interview.replay(fixture_bank, log)
    assert replayed.transcript() == interview.transcript()
    assert replayed.state.level == interview.state.level == 2


def test_resume_continues_with_the_whole_transcript(session, clock, fixture_bank):
    interview, log = session
    interview.say("are words case sensitive?")
    interview.close()
    clock.advance(minutes=1)
    resumed = Interview.resume(fixture_bank, log, clock=clock)
    assert "Words are case sensitive." in resumed.transcript()
    resumed.say("what does count return for a word never added?")
    resumed.close()
    assert "Zero." in Interview.replay(fixture_bank, log).transcript()


def test_a_torn_last_line_is_ignored_on_resume(session, fixture_bank, clock):
    interview, log = session
    interview.say("are words case sensitive?")
    interview.close()
    with log.open("a") as handle:
        handle.write('{"type": "said", "at": 17672')
    resumed = Interview.resume(fixture_bank, log, clock=clock)
    assert "Words are case sensitive." in resumed.transcript()


def test_damage_before_the_end_names_the_line(session, fixture_bank):
    from interviewer._events import LogError

    interview, log = session
    interview.say("hello?")
    lines = log.read_text().splitlines()
    log.write_text("\n".join([lines[0], "garbage", *lines[1:]]) + "\n")
    with pytest.raises(LogError, match=rf"{log}:2: not JSON"):
        Interview.replay(fixture_bank, log)


def test_unknown_question_lists_the_known_ones(tmp_path, fixture_bank):
    with pytest.raises(KeyError, match=r"no question '42'.*known: 01"):
        Interview.start(fixture_bank, "42", workspace=tmp_path / "ws", clock=ManualClock())


def test_workspace_under_a_file_is_a_clear_error(tmp_path, fixture_bank):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(WorkspaceError, match=f"cannot prepare the workspace at {blocker}/ws"):
        Interview.start(fixture_bank, "01", workspace=blocker / "ws", clock=ManualClock())


def test_existing_solution_in_a_chosen_workspace_is_kept(tmp_path, fixture_bank):
    workspace = tmp_path / "mine"
    workspace.mkdir()
    (workspace / "solution.py").write_text(GOOD_SOLUTION)
    Interview.start(fixture_bank, "01", workspace=workspace, clock=ManualClock())
    assert (workspace / "solution.py").read_text() == GOOD_SOLUTION


def test_long_paste_is_cut_and_answered(session):
    interview, _ = session
    replies = interview.say("why? " * 5000)
    assert replies and len(interview.engine.transcript[-2].text) <= 4000


def test_codesignal_refuses_submissions_after_the_deadline(session, clock):
    interview, _ = session
    interview.command("/next")
    clock.advance(minutes=46)
    replies = interview.command("/submit")
    assert "can't accept another submission" in " ".join(r.text for r in replies)


def test_feedback_while_coding_asks_once_and_then_ends_the_interview(session, clock):
    interview, log = session
    interview.command("/next")
    (interview.workspace / "solution.py").write_text(GOOD_SOLUTION)
    confirm = " ".join(r.text for r in interview.command("/feedback"))
    assert "ends the interview" in confirm and "Grade:" not in confirm
    report = " ".join(r.text for r in interview.command("/feedback"))
    assert "Grade:" in report and interview.state.phase == "feedback"
    clock.advance(minutes=1)
    refused = " ".join(r.text for r in interview.command("/submit"))
    assert "report stands" in refused
    assert '"kind": "refused"' in log.read_text().splitlines()[-1]


def test_codesignal_scores_the_last_submission_not_later_edits(session, clock):
    interview, log = session
    interview.command("/next")
    entry = interview.workspace / "solution.py"
    entry.write_text(GOOD_SOLUTION)
    interview.command("/submit")
    clock.advance(minutes=46)                              # past the deadline
    entry.write_text("class WordCounter:\n    pass\n")     # an edit that was never submitted
    interview.command("/feedback")
    assert interview.solution_folder() == log.parent / "last-submission"
    assert (interview.solution_folder() / "solution.py").read_text() == GOOD_SOLUTION
    card = interview.last_scorecard
    assert all(level.passed == level.total for level in card.levels)


def test_codesignal_without_a_submission_scores_the_starter(session, fixture_bank):
    interview, _ = session
    interview.command("/next")
    (interview.workspace / "solution.py").write_text(GOOD_SOLUTION)   # never submitted
    starter = fixture_bank.get("01").folder / "starter.py"
    assert (interview.solution_folder() / "solution.py").read_text() == starter.read_text()


def test_other_formats_score_the_workspace_as_it_is(tmp_path, fixture_bank, clock):
    interview = Interview.start(fixture_bank, "01", workspace=tmp_path / "ws", clock=clock,
                                format="live")
    assert interview.solution_folder() == tmp_path / "ws"


def test_code_in_another_language_in_the_workspace_is_redirected(session):
    interview, log = session
    interview.command("/next")
    (interview.workspace / "solution.py").write_text(
        "#include <map>\nclass WordCounter {\n  std::map<std::string, int> counts;\n};\n")
    said = " ".join(r.text for r in interview.say("okay, I've started"))
    assert "Python" in said and "C++" in said
    assert '"language": "C++"' in log.read_text()


def test_the_deadline_does_not_move_while_a_session_is_away(session, clock, fixture_bank):
    interview, log = session                               # codesignal, 45 minutes
    interview.command("/next")
    clock.advance(minutes=10)
    interview.command("/quit")
    interview.close()
    later = ManualClock(clock.now() + 20 * 60)             # the laptop was closed for 20 min
    resumed = Interview.resume(fixture_bank, log, clock=later)
    assert resumed.time_left() == 15 * 60
    said = " ".join(r.text for r in resumed.command("/time"))
    assert "15m" in said
    resumed.close()
