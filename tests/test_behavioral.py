"""The behavioural format: its bank, its engine from start to feedback, the session's
log (replay, resume), secrecy of the probes, and the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer import ManualClock, validate_path
from interviewer._behavioral_bank import (
    REQUIRED_PROMPTS,
    bank_beside,
    load_behavioral_bank,
)
from interviewer._behavioral_engine import (
    BehavioralEngine,
    choose_probe,
    plan_prompts,
)
from interviewer._behavioral_session import BehavioralInterview, is_behavioral_log
from interviewer._events import Commanded, Said, Started, Ticked, event_from_json
from interviewer._grade import grade_for
from interviewer._paths import behavioral_root
from interviewer._repl import _save_refusal
from interviewer._replies import REQUEST

from .conftest import FIXTURES, ROOT
from .test_repl import run_cli, session_logs

PROMPTS = FIXTURES / "behavioral"
T0 = 1_767_225_600.0

# Stories for the fixture prompts, each missing something a probe can dig into.
PERF_NO_RESULT = (
    "At my previous job our search API got slow every Monday morning. My job was to find out "
    "why before a big customer launch. I pulled the traces for the slowest requests and I saw "
    "most of the time spent waiting on a lock in the connection pool, so I changed the pool to "
    "hand out connections per shard instead of globally."
)
PERF_RESULT = "As a result the p99 went from 2.3 seconds to 180 ms and the alerts stopped."
PERF_LESSON = "In hindsight I would have built the load test months earlier."
CODEBASE_TEAM = (
    "When I joined my current team we had a huge monorepo that nobody fully understood. We "
    "read the design docs together, we paired with the previous owners and we picked a small "
    "bug to fix first so we could learn the release process. In the end we shipped the new "
    "export feature on time."
)


@pytest.fixture(scope="module")
def prompts():
    bank = load_behavioral_bank(PROMPTS)
    assert not bank.problems, bank.problems
    return bank


def texts(replies) -> str:
    return "\n".join(r.text for r in replies)


# -- the bank ---------------------------------------------------------------------------------


@pytest.fixture
def bank_copy(tmp_path) -> Path:
    target = tmp_path / "behavioral"
    shutil.copytree(PROMPTS, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str, last: bool = False) -> int:
    found = [i for i, row in enumerate(path.read_text().splitlines(), 1) if needle in row]
    return found[-1] if last else found[0]


def test_the_fixture_bank_loads_sorted_by_id(prompts):
    assert list(prompts.prompts) == ["missed-deadline", "new-codebase", "perf-debugging",
                                     "pushing-back"]
    perf = prompts.get("perf-debugging")
    assert perf.minutes == 8 and perf.theme == "performance"
    assert [probe.id for probe in perf.probes] == ["measure", "impact", "lesson"]
    assert perf.probe("impact").targets == ("result", "numbers")
    assert perf.signals[0] == ("profile", "profiler", "flame graph", "trace")


def test_an_unknown_prompt_names_the_known_ones(prompts):
    with pytest.raises(KeyError, match="no behavioural prompt 'nope' \\(known: missed-deadline"):
        prompts.get("nope")


@pytest.mark.parametrize("old,new,needle,message", [
    ("theme: performance", "theme: astrology", "astrology", "theme: 'astrology' is not one of"),
    ("minutes: 8", "minutes: 8\nminuets: 8", "minuets", "unknown key 'minuets' in top level"),
    ("id: perf-debugging", "id: perf-debug", "perf-debug",
     "id 'perf-debug' does not match the file name 'perf-debugging.yaml'"),
    ("targets: [reflection]", "targets: [feelings]", "feelings", "is not one of"),
    ("  - id: lesson", "  - id: impact", "id: impact", "duplicate probe id 'impact'"),
])
def test_a_broken_prompt_is_reported_at_its_line(bank_copy, old, new, needle, message):
    path = bank_copy / "perf-debugging.yaml"
    edit(path, old, new)
    bank = load_behavioral_bank(bank_copy)
    assert "perf-debugging" not in bank
    assert len(bank) == 3                                   # the others still load
    where = f"{path}:{line_of(path, needle, last=True)}: "
    assert any(str(p).startswith(where) and message in str(p) for p in bank.problems), \
        [str(p) for p in bank.problems]


def test_bad_yaml_is_one_problem_naming_the_file(bank_copy):
    path = bank_copy / "perf-debugging.yaml"
    edit(path, "minutes: 8", "minutes: [8")
    [problem] = load_behavioral_bank(bank_copy).problems
    assert str(problem).startswith(f"{path}:") and "bad YAML" in str(problem)


def test_a_missing_required_key_and_too_many_probes(bank_copy):
    path = bank_copy / "pushing-back.yaml"
    edit(path, "title: Disagreeing with a decision\n", "")
    edit(path, "signals:", "  - {id: more, ask: And what happened next?, targets: [result]}\n"
                           "  - {id: extra, ask: Anything else to add?, targets: [reflection]}\n"
                           "signals:")
    messages = [str(p) for p in load_behavioral_bank(bank_copy).problems]
    assert f"{path}:1: missing key 'title' in top level" in messages
    assert any(m.startswith(f"{path}:{line_of(path, 'probes:')}: probes:") and "too long" in m
               for m in messages), messages


def test_validate_reports_a_behavioural_folder_with_the_standard(bank_copy):
    report = validate_path(bank_copy)
    assert report.ok and report.prompts == 4 and report.checked == 0
    warnings = [str(p) for p in report.warnings]
    assert f"{bank_copy}:1: warning: the standard asks for at least 15 behavioural prompts; " \
           f"found 4" in warnings
    assert any("the standard asks for the prompt 'mission-ai-safety'" in w for w in warnings)
    strict = validate_path(bank_copy, strict=True)
    assert not strict.ok and len(strict.errors) == 1 + len(REQUIRED_PROMPTS) - 2


def test_validate_command_on_a_broken_behavioural_folder(bank_copy):
    path = bank_copy / "new-codebase.yaml"
    edit(path, "theme: learning", "theme: cooking")
    result = subprocess.run([sys.executable, "-m", "interviewer", "validate", str(bank_copy)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert f"{path}:{line_of(path, 'cooking')}: theme: 'cooking' is not one of" in result.stdout
    assert "4 behavioural prompt(s) checked: 1 error(s)" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_builtin_bank_meets_the_standard():
    """At least 15 prompts, the five the issue names, 2-3 probes each, no problems."""
    report = validate_path(behavioral_root(), strict=True)
    assert [str(p) for p in report.errors] == []
    bank = load_behavioral_bank()
    assert len(bank) >= 15
    assert set(REQUIRED_PROMPTS) <= set(bank.prompts)
    assert all(2 <= len(prompt.probes) <= 3 for prompt in bank)


def test_plain_validate_checks_the_builtin_behavioural_bank_too():
    report = validate_path(None)
    assert report.prompts == len(list(behavioral_root().glob("*.yaml")))


def test_a_bank_given_with_bank_brings_the_behavioural_folder_beside_it(tmp_path):
    assert bank_beside(FIXTURES / "bank") == PROMPTS.resolve()
    assert bank_beside(tmp_path / "questions") == behavioral_root()
    assert bank_beside(None) == behavioral_root()


# -- planning and probing -----------------------------------------------------------------------


def test_prompts_fill_the_time_box_with_varied_themes(prompts):
    assert plan_prompts(prompts, 45, 1) == ("perf-debugging", "new-codebase", "missed-deadline",
                                            "pushing-back")
    thirty = plan_prompts(prompts, 30, 1)
    assert thirty == ("perf-debugging", "new-codebase", "missed-deadline")
    assert len({prompts.get(p).theme for p in thirty}) == 3
    assert plan_prompts(prompts, 30, 1) == thirty                       # the seed decides
    assert any(plan_prompts(prompts, 30, seed) != thirty for seed in range(2, 6))
    assert plan_prompts(prompts, 30, 1, first="pushing-back")[0] == "pushing-back"
    assert plan_prompts(prompts, 5, 1) == ("perf-debugging",)          # always one prompt


def test_the_probe_for_a_missing_result_is_the_one_that_targets_it(prompts):
    perf = prompts.get("perf-debugging")
    assert choose_probe(perf, (), ("result", "numbers")).id == "impact"
    assert choose_probe(perf, ("impact",), ("result", "reflection")).id == "lesson"
    assert choose_probe(perf, (), ()).id == "measure"                  # at least one probe
    assert choose_probe(perf, ("measure",), ()) is None


def test_started_carries_the_planned_prompts_through_the_log():
    event = Started(T0, question="behavioral", format="behavioral", minutes=30,
                    prompts=("a-prompt", "b-prompt"))
    assert event_from_json(event.to_json()) == event
    old = event_from_json('{"type": "started", "at": 1.0, "question": "01"}')
    assert old.prompts == ()


# -- a whole session with a fake clock ---------------------------------------------------------


def play_full_session(prompts, clock: ManualClock, log_path: Path | None = None):
    """Forty-five minutes, seed 1: four prompts, every reminder, cut off at time up."""
    interview = BehavioralInterview.start(prompts, minutes=45, seed=1, clock=clock,
                                          log_path=log_path)
    said: list[tuple[str, str]] = [("start", texts(interview.history))]
    phases: list[str] = [interview.state.phase]

    def step(minutes: float, action: str) -> None:
        clock.advance(minutes=minutes)
        if action == "tick":
            replies = interview.tick()
        elif action.startswith("/"):
            replies = interview.command(action)
        else:
            replies = interview.say(action)
        said.append((action, texts(replies)))
        phases.append(interview.state.phase)

    step(2, PERF_NO_RESULT)                 # 02:00 no result: the result probe
    step(2, PERF_RESULT)                    # 04:00 no reflection: the lesson probe
    step(2, PERF_LESSON)                    # 06:00 complete: the next prompt
    step(3, CODEBASE_TEAM)                  # 09:00 no numbers, all "we": the numbers probe
    step(3, "It took about three weeks from my first day to the release.")
    step(2, "I read the build files myself and I wrote the first fix on my own.")
    step(9, "tick")                         # 23:00 half time
    step(1, "We missed a release last year.")                            # short: go on
    step(1, "/hint")
    step(1, "I was leading the migration of our billing exports and I had promised a date "
            "without checking the vendor's limits. When I saw the risk I told the stakeholders "
            "early and I proposed cutting the scope to the two biggest customers first.")
    step(4.5, "tick")                       # 30:30 fifteen minutes left
    step(0.5, "/next")                      # 31:00 skip the probe: the last prompt
    step(9.5, "tick")                       # 40:30 five minutes left
    step(1, "On my last team my lead wanted to rewrite our ingestion service in Rust. I "
            "disagreed, because I had measured it and the time went to the network, not the "
            "CPU. I wrote a short document with the flame graphs and I proposed a two week "
            "experiment with batching instead.")
    step(4, "My lead agreed to try it first, and batching cut the ingestion time by 60%.")
    # 45:30: at time, wrapped up after this answer
    step(1, "/feedback")
    return interview, said, phases


def test_a_session_runs_from_greeting_to_feedback(prompts, clock):
    interview, said, phases = play_full_session(prompts, clock)
    state = interview.state
    assert state.plan == ("perf-debugging", "new-codebase", "missed-deadline", "pushing-back")
    assert [a.id for a in state.answers] == list(state.plan)
    assert {a.id: [p.id for p in a.probes] for a in state.answers} == {
        "perf-debugging": ["impact", "lesson"],
        "new-codebase": ["delivered", "approach"],
        "missed-deadline": ["recovery"],
        "pushing-back": ["ending"],
    }
    assert phases == [
        "prompt", "probe", "probe", "prompt",                     # perf-debugging: two probes
        "probe", "probe", "prompt",                               # new-codebase: two probes
        "prompt", "prompt", "prompt", "probe", "probe",           # go on, hint, a probe, tick
        "prompt", "prompt", "probe",                              # /next, tick, a probe
        "wrapup", "feedback"]                                     # at time; the report
    replies = dict(said)
    perf, codebase = prompts.get("perf-debugging"), prompts.get("new-codebase")
    opening = said[0][1]
    assert "behavioural" in opening and "four questions" in opening and "45m" in opening
    assert opening.endswith(perf.ask)
    assert replies[PERF_NO_RESULT].endswith(perf.probe("impact").ask)   # the result is missing
    assert replies[PERF_RESULT].endswith(perf.probe("lesson").ask)
    assert replies[PERF_LESSON].endswith(codebase.ask)
    assert replies[CODEBASE_TEAM].endswith(codebase.probe("delivered").ask)
    assert replies["We missed a release last year."] in (
        "Mm-hm, go on.", "Okay, I'm listening. Please go on.", "Please continue.")
    assert replies["/hint"] == ("So far I haven't heard how it turned out. Say what changed in "
                                "the end.")                          # the story's first gap


def test_every_reminder_is_said_once_and_time_up_wraps_up_after_the_answer(prompts, clock):
    interview, said, _ = play_full_session(prompts, clock)
    ticks = [text for action, text in said if action == "tick"]
    assert "halfway" in ticks[0] and "22m" in ticks[0]
    assert "fifteen minutes" in ticks[1]
    assert "five minutes" in ticks[2].lower()
    assert interview.state.reminders == {"half", "15", "5", "up"}
    last_answer = said[-2][1]
    assert last_answer.splitlines()[0] in ("We're at time.", "That brings us to time.")
    assert "/feedback" in last_answer.splitlines()[1]                   # wrapped up, no probe
    assert interview.state.answers[-1].probes[-1].answer.endswith("by 60%.")


def test_the_report_gives_feedback_per_answer_and_a_grade(prompts, clock):
    interview, said, _ = play_full_session(prompts, clock)
    report = interview.last_scorecard
    assert interview.state.phase == "feedback"
    assert [a.prompt_id for a in report.answers] == list(interview.state.plan)
    scores = [a.score for a in report.answers]
    assert report.score == pytest.approx(sum(scores) / 4, abs=1e-4)
    assert report.grade == grade_for(report.score) == "Lean Hire"
    text = said[-1][1]
    assert text.startswith("Feedback for your behavioural interview")
    assert "1. A slow service you made fast (score " in text
    assert "     result: 'as a result', 'went from'" in text
    assert "   Heard only after a follow-up: result, numbers, reflection" in text
    assert "   Ownership: shared ('I' 3, 'we' 6)" in text
    assert "Follow-up asked: What did you deliver, and how long did it take?" in text
    assert "A mix of 'I' (3) and 'we' (6)" in text
    assert text.rstrip().endswith(f"Overall: score {report.score:.0%}, grade Lean Hire.")


def test_on_scored_is_called_once_the_report_is_logged(prompts, tmp_path):
    clock, log = ManualClock(), tmp_path / "events.jsonl"
    interview = BehavioralInterview.start(prompts, minutes=30, seed=1, clock=clock, log_path=log)
    seen = []
    interview.on_scored = lambda session: seen.append(
        (session.last_scorecard.grade, '"type": "scored"' in log.read_text()))
    interview.say(PERF_NO_RESULT)
    interview.command("/feedback")
    assert seen == []                                          # only asked to confirm
    interview.command("/feedback")
    assert seen == [(interview.last_scorecard.grade, True)]


def test_the_same_seed_and_inputs_give_the_same_transcript_and_replay_agrees(prompts,
                                                                               tmp_path):
    first, _, _ = play_full_session(prompts, ManualClock(), tmp_path / "a.jsonl")
    second, _, _ = play_full_session(prompts, ManualClock(), tmp_path / "b.jsonl")
    first.close()
    second.close()
    assert first.transcript() == second.transcript()
    replayed = BehavioralInterview.replay(prompts, tmp_path / "a.jsonl")
    assert replayed.transcript() == first.transcript()
    assert replayed.last_scorecard == first.last_scorecard
    assert is_behavioral_log(tmp_path / "a.jsonl")


def test_resume_after_quitting_shows_the_true_time_left(prompts, tmp_path):
    clock = ManualClock()
    log = tmp_path / "events.jsonl"
    interview = BehavioralInterview.start(prompts, minutes=30, seed=2, clock=clock, log_path=log)
    clock.advance(minutes=4)
    interview.say(PERF_NO_RESULT)
    clock.advance(minutes=2)
    interview.command("/quit")
    interview.close()
    clock.advance(minutes=10)                                  # away: the clock keeps running
    resumed = BehavioralInterview.resume(prompts, log, clock=clock)
    assert resumed.time_left() == pytest.approx(14 * 60)
    assert "14m" in texts(resumed.command("/time"))
    assert resumed.transcript().startswith(interview.transcript())
    clock.advance(minutes=15)
    assert "time" in texts(resumed.tick()).lower()               # past the stored deadline


def test_time_up_with_a_question_not_yet_answered_wraps_up_at_once(prompts, clock):
    interview = BehavioralInterview.start(prompts, minutes=30, seed=1, clock=clock)
    clock.advance(minutes=5)
    interview.say(PERF_NO_RESULT)
    clock.advance(minutes=1)
    interview.command("/next")
    clock.advance(minutes=25)
    replies = interview.tick()
    assert "/feedback" in texts(replies)
    assert interview.state.phase == "wrapup" and interview.state.answers[-1].dropped
    report = texts(interview.command("/feedback"))
    assert "1 of 3 planned question(s) assessed." in report   # the dropped one is not scored
    assert "2. " not in report


def test_time_up_during_an_answer_asks_to_finish_it(prompts, clock):
    interview = BehavioralInterview.start(prompts, minutes=30, seed=1, clock=clock)
    clock.advance(minutes=10)
    interview.say(PERF_NO_RESULT)                               # a probe is asked
    clock.advance(minutes=21)
    assert "finish the answer" in texts(interview.tick())
    wrapped = texts(interview.say(PERF_RESULT))
    assert "/feedback" in wrapped and interview.state.phase == "wrapup"


# -- commands and what the candidate says -------------------------------------------------------


def engine_for(prompts, minutes=30) -> BehavioralEngine:
    engine = BehavioralEngine(prompts)
    engine.handle(Started(T0, question="behavioral", format="behavioral", seed=1,
                          minutes=minutes, prompts=("perf-debugging", "new-codebase")))
    return engine


def at(minutes: float) -> float:
    return T0 + minutes * 60


def test_next_skips_the_rest_of_a_prompt_and_a_skipped_prompt_scores_zero(prompts):
    engine = engine_for(prompts)
    replies = engine.handle(Commanded(at(1), name="next"))
    assert texts(replies).endswith(prompts.get("new-codebase").ask)
    assert engine.state.answers[0].skipped
    engine.handle(Said(at(2), text=CODEBASE_TEAM))
    engine.handle(Commanded(at(3), name="next"))
    assert engine.state.phase == "wrapup"


def test_saying_done_after_the_story_brings_the_probes_and_after_a_probe_moves_on(prompts):
    engine = engine_for(prompts)
    engine.handle(Said(at(1), text="We had a slow service and I fixed it."))   # short: go on
    assert engine.state.phase == "prompt"
    probe = texts(engine.handle(Said(at(2), text="That's it.")))
    assert probe.endswith(prompts.get("perf-debugging").probe("impact").ask)
    moved = texts(engine.handle(Said(at(3), text="I'm done")))
    assert moved.endswith(prompts.get("new-codebase").ask)


def test_hint_reminds_of_star_before_an_answer_then_nudges_on_a_gap(prompts):
    engine = engine_for(prompts)
    star = texts(engine.handle(Commanded(at(1), name="hint")))
    assert "the situation, the task you had" in star
    engine.handle(Said(at(2), text=PERF_NO_RESULT))
    nudge = texts(engine.handle(Commanded(at(3), name="hint")))
    assert "how it turned out" in nudge
    assert engine.state.hints == 2


def test_a_long_answer_that_mentions_time_is_an_answer_not_a_request(prompts):
    engine = engine_for(prompts)
    short = texts(engine.handle(Said(at(1), text="How much time do I have left?")))
    assert "left of 30m" in short or "to go, out of 30m" in short
    long = ("How much time do I have left is what I kept asking myself when I was profiling "
            "the service at my previous job, and I found the lock.")
    engine.handle(Said(at(2), text=long))
    assert engine.state.answers[0].answer == long


def test_feedback_asks_once_to_confirm_while_questions_remain(prompts):
    engine = engine_for(prompts)
    confirm = texts(engine.handle(Commanded(at(1), name="feedback")))
    assert "two more questions" in confirm
    [request] = engine.handle(Commanded(at(2), name="feedback"))
    assert request.kind == REQUEST


def test_feedback_after_the_last_answer_needs_no_confirmation(prompts):
    engine = engine_for(prompts)
    engine.handle(Commanded(at(1), name="next"))
    engine.handle(Said(at(2), text=CODEBASE_TEAM))
    assert [r.kind for r in engine.handle(Commanded(at(3), name="feedback"))] == [REQUEST]


def test_help_lists_the_commands_and_unknown_ones_are_explained(prompts):
    engine = engine_for(prompts)
    assert "/next" in texts(engine.handle(Commanded(at(1), name="help")))
    assert "/help" in texts(engine.handle(Commanded(at(1), name="submit")))
    assert "Of course." in texts(engine.handle(Commanded(at(1), name="question")))


def test_the_first_event_must_be_started(prompts):
    with pytest.raises(ValueError):
        BehavioralEngine(prompts).handle(Ticked(T0))


def test_saving_the_transcript_never_writes_into_the_prompt_bank(prompts, tmp_path):
    interview = BehavioralInterview.start(prompts, minutes=30, clock=ManualClock())
    assert "question bank" in _save_refusal(interview, PROMPTS / "perf-debugging.yaml")
    assert _save_refusal(interview, tmp_path / "transcript.txt") is None


# -- secrecy: probes are never shown before they are asked --------------------------------------

HOSTILE = [
    "what are the follow-up questions?", "what will you ask me next?",
    "show me the rubric", "what would a strong answer say?", "give me the answer",
    "how am I being graded?", "/hint", "/question", "/help", "/transcript", "/time",
    "/followups", "I don't know.", "/hint", "Hmm.", "/feedback",
]


def unasked_probes(interview) -> list[str]:
    asked = {(a.id, p.id) for a in interview.state.answers for p in a.probes}
    return [probe.ask for prompt in interview.bank for probe in prompt.probes
            if (prompt.id, probe.id) not in asked]


@pytest.mark.parametrize("root", [PROMPTS, behavioral_root()], ids=["fixture", "builtin"])
def test_hostile_inputs_never_reveal_a_probe_before_it_is_asked(root):
    bank = load_behavioral_bank(root)
    for prompt in bank:
        clock = ManualClock()
        interview = BehavioralInterview.start(bank, minutes=30, first=prompt.id, clock=clock)
        seen = [r.text for r in interview.history]
        for line in HOSTILE:
            clock.advance(minutes=1)
            replies = interview.command(line) if line.startswith("/") else interview.say(line)
            seen += [r.text for r in replies]
            blob = "\n".join(seen)
            for ask in unasked_probes(interview):
                assert ask not in blob, (prompt.id, line)


# -- the command line ---------------------------------------------------------------------------


def test_a_piped_behavioural_session_through_the_command_line(tmp_path):
    script = "\n".join([PERF_NO_RESULT, "/hint", "/time", PERF_RESULT, "/next", "/next",
                        "/next", "/feedback", ""])
    result = run_cli(["--format", "behavioral", "--minutes", "30", "--seed", "3"], script,
                     tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "\x1b" not in out
    bank = load_behavioral_bank(PROMPTS)
    first = plan_prompts(bank, 30, 3)[0]
    assert bank.get(first).ask in result.stdout
    assert "you> /hint" in result.stdout
    assert "left of 30m" in result.stdout or "to go, out of 30m" in result.stdout
    assert "Feedback for your behavioural interview" in result.stdout
    assert "Overall: score" in result.stdout
    [log] = session_logs(tmp_path)
    replay = run_cli(["replay", log.parent.name], "", tmp_path)
    assert replay.returncode == 0, replay.stderr
    assert "Overall: score" in replay.stdout
    session = BehavioralInterview.replay(bank, log)
    before_report = result.stdout.split("Feedback for your behavioural interview")[0]
    for ask in unasked_probes(session):
        assert ask not in before_report


def test_the_time_box_is_asked_and_resume_continues_the_session(tmp_path):
    started = run_cli(["--format", "behavioral", "--seed", "4"],
                      "45\nAt my previous job I profiled a slow service.\n/quit\n", tmp_path)
    assert started.returncode == 0, started.stderr
    assert "time box in minutes (30, 45) [30]: 45" in started.stdout
    assert "45m" in started.stdout
    resumed = run_cli(["resume"], "/time\n/quit\n", tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "I profiled a slow service." in resumed.stdout          # the transcript so far
    assert "Time left:" in resumed.stdout


def test_an_unknown_first_prompt_is_a_clear_error(tmp_path):
    result = run_cli(["--format", "behavioral", "--minutes", "30", "--question", "nope"], "",
                     tmp_path)
    assert result.returncode == 2
    assert "no behavioural prompt 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_list_shows_the_behavioural_bank_size(tmp_path):
    result = run_cli(["list"], "", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "behavioral" in result.stdout and "4 prompts" in result.stdout


def test_a_finished_behavioural_session_is_recorded_in_the_history(prompts, clock, tmp_path):
    import io

    from rich.console import Console

    from interviewer._history import HISTORY_NAME, HistoryStore
    from interviewer._history_cli import recorder

    console = Console(file=io.StringIO())
    interview = BehavioralInterview.start(prompts, minutes=30, seed=2, clock=clock)
    interview.on_scored = recorder(tmp_path, "20260101-000000-qbehavioral", console)
    clock.advance(minutes=3)
    interview.command("/hint")
    interview.say(PERF_NO_RESULT)
    interview.command("/feedback")
    interview.command("/feedback")                     # the confirmation, then the report
    [row] = HistoryStore(tmp_path / HISTORY_NAME).sessions()
    assert (row.format, row.question_id, row.category) == ("behavioral", "behavioral",
                                                           "behavioral")
    assert row.hints == 1 and row.time_box == 30 and row.minutes_used == 3.0
    assert row.grade == interview.last_scorecard.grade
    assert console.file.getvalue() == ""
