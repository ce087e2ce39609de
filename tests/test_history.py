"""Practice history: the store, trends and advice, the random pick, the report and the CLI."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from interviewer import Interview, ManualClock, load_bank
from interviewer._charts import bar_chart, line_chart
from interviewer._events import TestOutcome
from interviewer._history import (
    HISTORY_NAME,
    SCHEMA_VERSION,
    HistoryError,
    HistoryStore,
    SessionRecord,
    record_from_interview,
)
from interviewer._history_cli import recorder
from interviewer._history_report import render_history_html
from interviewer._progress import category_trends, prefer_untried, recommend
from interviewer._runner import RunResult

from .conftest import FIXTURES, ROOT

BANK = FIXTURES / "bank"
DAY = 86_400.0
START = 1_767_225_600.0   # 2026-01-01 00:00 UTC


def session(number: int, question: str = "01", *, category: str = "known", score: float = 0.5,
            format: str = "live", title: str = "Word Counter", **changes) -> SessionRecord:
    """A recorded session, ``number`` days after the first."""
    started = START + number * DAY
    values = dict(session_id=f"s{number:02d}", started_at=started, finished_at=started + 1800,
                  format=format, question_id=question, question_title=title, category=category,
                  grade="Lean Hire", score=score, minutes_used=30.0, time_box=45, hints=1,
                  seed=number)
    values.update(changes)
    return SessionRecord(**values)


@pytest.fixture
def store(tmp_path) -> HistoryStore:
    return HistoryStore(tmp_path / HISTORY_NAME)


def run_cli(args: list[str], data_dir: Path, stdin: str = "", bank: Path = BANK):
    return subprocess.run(
        [sys.executable, "-m", "interviewer", "--data-dir", str(data_dir), "--bank", str(bank),
         *args],
        input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )


# -- the store --------------------------------------------------------------------------------


def test_recording_a_session_again_replaces_its_row(store):
    store.record(session(1, score=0.4, grade="Lean No Hire"))
    store.record(session(1, score=0.8, grade="Hire"))
    [row] = store.sessions()
    assert (row.score, row.grade) == (0.8, "Hire")


def test_sessions_come_back_oldest_first_with_every_field(store):
    later, earlier = session(5, "02", hints=3), session(2, "01", time_box=0)
    store.record(later)
    store.record(earlier)
    assert store.sessions() == [earlier, later]


def test_no_history_file_means_no_sessions_and_no_file_is_made(store):
    assert store.sessions() == []
    assert not store.path.exists()


def test_a_new_store_carries_the_schema_version(store):
    store.record(session(1))
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_history_from_a_newer_interviewer_is_refused(store):
    store.record(session(1))
    with sqlite3.connect(store.path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="written by a newer interviewer"):
        store.sessions()


def test_a_damaged_database_file_is_one_clear_error(store):
    store.path.write_bytes(b"this is not sqlite\n" * 100)
    with pytest.raises(HistoryError, match=rf"{re.escape(str(store.path))}: the history file "
                                           r"is damaged"):
        store.sessions()
    with pytest.raises(HistoryError, match="damaged"):
        store.record(session(1))


def test_a_locked_database_is_a_clear_error(tmp_path):
    path = tmp_path / HISTORY_NAME
    HistoryStore(path).record(session(1))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="locked by another interviewer"):
            HistoryStore(path, timeout=0.05).record(session(2))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [r.session_id for r in HistoryStore(path).sessions()] == ["s01"]


def test_the_cli_reports_a_damaged_database_in_one_line(tmp_path):
    (tmp_path / HISTORY_NAME).write_text("garbage")
    result = run_cli(["history"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / HISTORY_NAME}: the history file is damaged" in result.stderr


# -- export and import ------------------------------------------------------------------------


def test_export_then_import_into_an_empty_store_round_trips(tmp_path, store):
    records = [session(1), session(2, "02", score=0.9, format="codesignal"), session(3, hints=0)]
    for record in records:
        store.record(record)
    exported = tmp_path / "history.json"
    assert store.export_json(exported) == 3
    fresh = HistoryStore(tmp_path / "other" / HISTORY_NAME)
    result = fresh.import_json(exported)
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    assert fresh.sessions() == records


def test_import_merges_by_session_id_and_counts_what_changed(tmp_path, store):
    store.record(session(1, score=0.2))
    store.record(session(2))
    exported = tmp_path / "history.json"
    other = HistoryStore(tmp_path / "other" / HISTORY_NAME)
    for record in (session(1, score=0.9), session(2), session(3)):
        other.record(record)
    other.export_json(exported)
    result = store.import_json(exported)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert [(r.session_id, r.score) for r in store.sessions()] == [
        ("s01", 0.9), ("s02", 0.5), ("s03", 0.5)]


def _export_with(tmp_path: Path, sessions) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"kind": "interviewer-history", "version": 1,
                                "sessions": sessions}))
    return path


@pytest.mark.parametrize(("content", "message"), [
    ('{"kind": "interviewer-history", "version": 1, "sessions": [', "not JSON"),
    ('[1, 2, 3]', "not a history export"),
    ('{"kind": "interviewer-history", "version": 9, "sessions": []}', "unsupported export "
                                                                      "version 9"),
    ('{"kind": "interviewer-history", "version": 1, "sessions": {}}', "must be a list"),
])
def test_a_damaged_export_names_the_file_and_the_problem(tmp_path, store, content, message):
    store.record(session(1))
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(HistoryError, match=rf"^{re.escape(str(path))}.*{message}"):
        store.import_json(path)
    assert store.sessions() == [session(1)]


def test_one_bad_session_in_an_export_imports_nothing(tmp_path, store):
    good = json.loads(json.dumps(session(2).__dict__))
    bad = {**good, "session_id": "s03", "score": "high"}
    path = _export_with(tmp_path, [good, bad])
    with pytest.raises(HistoryError, match="session 2: field 'score' must be a number"):
        store.import_json(path)
    assert store.sessions() == []


def test_a_session_missing_a_field_is_named(tmp_path, store):
    entry = dict(session(1).__dict__)
    del entry["grade"]
    with pytest.raises(HistoryError, match="session 1: missing field 'grade'"):
        store.import_json(_export_with(tmp_path, [entry]))


def test_the_cli_import_of_a_damaged_file_changes_nothing_and_says_why(tmp_path):
    HistoryStore(tmp_path / HISTORY_NAME).record(session(1))
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"kind": "interviewer-history", "version": 1, "sessions": [{')
    result = run_cli(["history", "--import", str(damaged)], tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"interviewer: {damaged}:1: not JSON")
    assert HistoryStore(tmp_path / HISTORY_NAME).sessions() == [session(1)]


# -- trends, advice and the random pick ---------------------------------------------------------


def test_trends_give_count_mean_latest_and_the_change_between_halves():
    records = [session(1, category="gpu", score=0.2), session(2, category="gpu", score=0.5),
               session(3, category="gpu", score=0.8), session(4, category="known", score=0.6)]
    gpu, known = category_trends(records)
    assert (gpu.category, gpu.sessions, gpu.latest_score) == ("gpu", 3, 0.8)
    assert gpu.mean_score == pytest.approx(0.5)
    assert gpu.change == pytest.approx(0.6)      # the middle session belongs to neither half
    assert gpu.trend == "+60 pts"
    assert (known.sessions, known.change, known.trend) == (1, None, "new")


def test_a_falling_category_shows_a_negative_trend():
    records = [session(i, score=s) for i, s in enumerate((0.9, 0.8, 0.5, 0.4))]
    [trend] = category_trends(records)
    assert trend.change == pytest.approx(-0.4) and trend.trend == "-40 pts"


@pytest.fixture(scope="module")
def real_bank():
    return load_bank()


def test_recommend_names_the_weakest_category_untried_questions_and_missing_formats(real_bank):
    records = [
        session(1, "13", category="gpu", score=0.4, format="gpu-deep-dive",
                title="GPU Execution Model"),
        session(2, "14", category="gpu", score=0.56, format="live", title="Quantization"),
        session(3, "01", category="known", score=0.9, format="codesignal"),
        session(4, "07", category="performance", score=0.7, format="perf-deep-dive"),
    ]
    reasons = [r.reason for r in recommend(records, real_bank)]
    assert reasons[0] == "weakest category: gpu (mean 48%)"
    never_tried = [r for r in reasons if r.startswith("never tried: ")]
    assert len(never_tried) == 3
    assert "never tried: 13 GPU Execution Model" not in reasons
    assert reasons[-1] == "format not yet done: takehome"
    assert "format not yet done: live" not in reasons
    assert not any("practice" in reason for reason in reasons)


def test_the_weakest_category_suggests_a_question_of_it_never_tried(real_bank):
    records = [session(1, "13", category="gpu", score=0.3, format="gpu-deep-dive"),
               session(2, "01", category="known", score=0.9)]
    first = recommend(records, real_bank)[0]
    question = real_bank.get(first.question_id)
    assert question.category == "gpu" and question.id != "13"
    assert first.command() == f"python -m interviewer --format {first.format} --question " \
                              f"{first.question_id}"


def test_never_tried_questions_of_unpractised_categories_come_first(real_bank):
    records = [session(1, "01", category="known"), session(2, "02", category="known")]
    never = [r for r in recommend(records, real_bank) if r.reason.startswith("never tried")]
    assert all(real_bank.get(r.question_id).category != "known" for r in never)


def test_recommendations_are_the_same_for_the_same_history(real_bank):
    records = [session(i, f"{i:02d}", score=i / 20) for i in range(1, 6)]
    assert recommend(records, real_bank) == recommend(list(records), real_bank)


def test_a_format_outside_the_bank_is_recommended_without_a_question(fixture_bank):
    records = [session(1, format="live"), session(2, format="codesignal")]
    advice = recommend(records, fixture_bank, formats=["live", "codesignal", "behavioral"])
    assert [(r.reason, r.question_id) for r in advice] == [
        ("format not yet done: behavioral", None)]
    assert advice[0].command() == "python -m interviewer --format behavioral"


def test_when_everything_is_done_the_lowest_latest_score_is_suggested(fixture_bank):
    records = [session(1, format="live", score=0.3), session(2, format="codesignal", score=0.6)]
    [advice] = recommend(records, fixture_bank)
    assert advice.reason == "lowest latest score: 01 Word Counter (60%)"
    assert (advice.format, advice.question_id) == ("codesignal", "01")


def test_prefer_untried_picks_only_questions_never_tried():
    records = [session(1, "01"), session(2, "02"), session(3, "04")]
    picks = {prefer_untried(["01", "02", "03", "04", "05"], records, random.Random(seed))
             for seed in range(40)}
    assert picks == {"03", "05"}


def test_prefer_untried_picks_the_least_tried_once_all_are_tried():
    records = [session(1, "01"), session(2, "01"), session(3, "02"), session(4, "03"),
               session(5, "03")]
    picks = {prefer_untried(["01", "02", "03"], records, random.Random(seed))
             for seed in range(20)}
    assert picks == {"02"}


def test_prefer_untried_is_reproducible_with_a_seed():
    records = [session(1, "01")]
    choices = [f"{i:02d}" for i in range(10)]
    first = [prefer_untried(choices, records, random.Random(seed)) for seed in range(10)]
    again = [prefer_untried(choices, records, random.Random(seed)) for seed in range(10)]
    assert first == again and len(set(first)) > 1


def test_with_no_history_the_seed_picks_as_before():
    choices = ["01", "02", "03", "04"]
    for seed in range(10):
        assert prefer_untried(choices, [], random.Random(seed)) == \
            random.Random(seed).choice(choices)


# -- charts and the HTML report -----------------------------------------------------------------


def test_the_line_chart_places_scores_left_to_right_and_bottom_to_top():
    chart = line_chart([0.0, 1.0, 0.5], ["a", "b", "c"])
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.right
    assert [p.y for p in chart.points] == [chart.bottom, chart.top,
                                           (chart.top + chart.bottom) / 2]
    assert chart.polyline.count(",") == 3


def test_one_session_sits_in_the_middle_of_the_line_chart():
    [point] = line_chart([0.7], ["only"]).points
    chart = line_chart([0.7], ["only"])
    assert point.x == (chart.left + chart.right) / 2


def test_bars_are_as_long_as_their_scores():
    chart = bar_chart([("gpu", 0.25), ("known", 1.0)])
    gpu, known = chart.bars
    assert known.width == chart.track_width and gpu.width == pytest.approx(chart.track_width / 4)
    assert gpu.y < known.y and (gpu.value, known.value) == ("25%", "100%")


def test_the_html_report_is_self_contained_with_one_point_per_session():
    records = [session(i, f"{i:02d}", score=i / 10, category=("gpu", "known")[i % 2])
               for i in range(1, 6)]
    html = render_history_html(records)
    assert "<svg" in html and html.count("<circle") == len(records)
    assert html.count('class="bar"') == 2
    for forbidden in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert forbidden not in html
    assert re.findall(r"\bsrc\s*=", html) == []


def test_the_html_report_escapes_every_string():
    hostile = session(1, title='<script>alert("x")</script>', category="<b>gpu</b>",
                      format="live&co", grade="<i>Hire</i>")
    html = render_history_html([hostile])
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "live&amp;co" in html


def test_an_empty_history_still_makes_a_report():
    html = render_history_html([])
    assert "No sessions recorded yet" in html and "<circle" not in html


# -- recording a real interview -----------------------------------------------------------------


class PassingRunner:
    """Every test passes at once: the interview moves on without the sandbox."""

    def run_examples(self, question, workspace):
        return RunResult("completed", "", (TestOutcome("test_example", None, "pass"),))

    def run_hidden(self, question, workspace, level):
        outcomes = tuple(TestOutcome(f"test_l{lv.id}", lv.id, "pass")
                         for lv in question.levels if lv.id <= level)
        return RunResult("completed", "", outcomes)


def fixed_scorer(interview):
    return "Hire", 0.74, "Grade: Hire (score 74%)"


def _scored_interview(tmp_path, fixture_bank, on_scored) -> tuple[Interview, str]:
    """A codesignal session played to its report: one hint, 15 minutes; the report's text."""
    clock = ManualClock(START)
    interview = Interview.start(fixture_bank, "01", workspace=tmp_path / "ws", clock=clock,
                                seed=11, format="codesignal", runner=PassingRunner(),
                                scorer=fixed_scorer, log_path=tmp_path / "s" / "events.jsonl")
    interview.on_scored = on_scored
    interview.command("/next")
    clock.advance(minutes=6)
    interview.command("/hint")
    clock.advance(minutes=6)
    interview.command("/submit")
    clock.advance(minutes=3)
    interview.command("/feedback")                     # while coding: asks to confirm
    report = " ".join(r.text for r in interview.command("/feedback"))
    interview.close()
    return interview, report


def test_a_scored_interview_is_recorded_through_the_on_scored_hook(tmp_path, fixture_bank):
    console = Console(file=io.StringIO())
    interview, _ = _scored_interview(tmp_path, fixture_bank,
                                     recorder(tmp_path / "data", "20260101-000000-q01", console))
    [row] = HistoryStore(tmp_path / "data" / HISTORY_NAME).sessions()
    assert row == SessionRecord(
        session_id="20260101-000000-q01", started_at=START, finished_at=START + 15 * 60,
        format="codesignal", question_id="01", question_title="Word Counter", category="known",
        grade="Hire", score=0.74, minutes_used=15.0, time_box=45, hints=1, seed=11)
    assert row == record_from_interview(interview, "20260101-000000-q01")
    assert console.file.getvalue() == ""


def test_a_history_that_cannot_be_written_warns_once_and_the_interview_goes_on(
        tmp_path, fixture_bank):
    data = tmp_path / "data"
    (data / HISTORY_NAME).mkdir(parents=True)        # a folder where the file should be
    console = Console(file=io.StringIO(), width=400)
    interview, report = _scored_interview(tmp_path, fixture_bank, recorder(data, "s1", console))
    warning = console.file.getvalue()
    assert warning.count("\n") == 1
    assert warning.startswith("Could not add this session to the practice history: ")
    assert "Grade: Hire" in report
    assert interview.state.phase == "feedback"


def test_an_unscored_interview_has_no_record(tmp_path, fixture_bank):
    interview = Interview.start(fixture_bank, "01", workspace=tmp_path / "ws",
                                clock=ManualClock(), runner=PassingRunner())
    with pytest.raises(ValueError, match="not been scored"):
        record_from_interview(interview, "s1")


# -- the command line -------------------------------------------------------------------------


def test_history_shows_a_recorded_sessions_fields_and_the_trends(tmp_path):
    store = HistoryStore(tmp_path / HISTORY_NAME)
    store.record(session(0, score=0.62, grade="Lean Hire", hints=2, minutes_used=31.5,
                         format="codesignal"))
    store.record(session(1, score=0.8, grade="Hire", hints=0, time_box=0, minutes_used=12.0))
    result = run_cli(["history"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    first = next(line for line in out.splitlines() if "2026-01-01 00:00" in line)
    for field in ("codesignal", "01 Word Counter", "Lean Hire", "62%", "31.5 of 45 min", "2"):
        assert field in first
    second = next(line for line in out.splitlines() if "2026-01-02 00:00" in line)
    assert "Hire" in second and "12 min" in second and "80%" in second
    trend = next(line for line in out.splitlines() if "known" in line)
    assert re.search(r"known\s*│\s*2\s*│\s*71%\s*│\s*80%\s*│\s*\+18 pts", trend)


def test_history_with_nothing_recorded_says_so(tmp_path):
    result = run_cli(["history"], tmp_path)
    assert result.returncode == 0
    assert "No practice history yet" in result.stdout
    assert not (tmp_path / HISTORY_NAME).exists()


def test_history_writes_the_html_report_and_the_export(tmp_path):
    HistoryStore(tmp_path / HISTORY_NAME).record(session(1))
    report, export = tmp_path / "out.html", tmp_path / "out.json"
    assert run_cli(["history", "--html", str(report)], tmp_path).returncode == 0
    assert report.read_text().count("<circle") == 1
    assert run_cli(["history", "--export", str(export)], tmp_path).returncode == 0
    assert json.loads(export.read_text())["sessions"][0]["session_id"] == "s01"


def test_next_suggests_the_format_not_yet_done_with_its_command(tmp_path):
    HistoryStore(tmp_path / HISTORY_NAME).record(session(1, format="live"))
    result = run_cli(["next"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "format not yet done: codesignal" in result.stdout
    assert f"python -m interviewer --data-dir {tmp_path} --bank {BANK} --format codesignal " \
           f"--question 01" in result.stdout
    assert "format not yet done: behavioral" in result.stdout   # prompts beside the bank
    assert f"--bank {BANK} --format behavioral\n" in result.stdout


def test_a_finished_cli_session_appears_in_the_history(tmp_path):
    played = run_cli(["--question", "01", "--format", "live", "--seed", "4"], tmp_path,
                     stdin="/next\n/feedback\n/feedback\n/quit\n")
    assert played.returncode == 0, played.stderr
    [folder] = (tmp_path / "sessions").iterdir()
    [row] = HistoryStore(tmp_path / HISTORY_NAME).sessions()
    assert (row.session_id, row.format, row.question_id, row.seed) == (folder.name, "live",
                                                                      "01", 4)
    assert f"Grade: {row.grade}" in played.stdout


def test_random_prefers_the_question_never_tried(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(BANK / "01-word-counter", bank / "01-word-counter")
    shutil.copytree(BANK / "01-word-counter", bank / "02-word-counter")
    script = bank / "02-word-counter" / "script.yaml"
    script.write_text(script.read_text().replace('id: "01"', 'id: "02"', 1))
    data = tmp_path / "data"
    HistoryStore(data / HISTORY_NAME).record(session(1, "01"))
    for seed in (1, 2, 3):   # each of these seeds alone would pick 01 of [01, 02]
        result = run_cli(["--question", "random", "--format", "live", "--seed", str(seed)],
                         data, stdin="/quit\n", bank=bank)
        assert result.returncode == 0, result.stderr
    logs = sorted((data / "sessions").glob("*/events.jsonl"))
    started = [json.loads(log.read_text().splitlines()[0]) for log in logs]
    assert [event["question"] for event in started] == ["02"] * 3

