"""The interviewer's voice: every line exists, renders, varies by seed and keeps secrets."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest

from interviewer import _engine
from interviewer._voice import VoiceError, _template, line, load_lines, pick, render, variants

ENGINE = Path(_engine.__file__)
ENGINES = (ENGINE, ENGINE.with_name("_behavioral_engine.py"),
           ENGINE.with_name("_engine_core.py"))

# Realistic values for every line, named as the engine passes them. A new line
# needs its row here: the tests below render every variant with it.
VALUES: dict[str, dict[str, object]] = {
    "greeting": {"title": "In-Memory Database"},
    "setup": {"entry": "solution.py", "workspace": "/home/ada/interviews/01/workspace",
              "time_box": "45m"},
    "setup-untimed": {"entry": "solution.py", "workspace": "/home/ada/interviews/01/workspace",
                      "time_box": "0s"},
    "neutral": {},
    "acknowledge": {},
    "start-coding": {"level": 1, "level_title": "Basic records", "entry": "solution.py"},
    "level-open": {"passed": 1, "level": 2, "level_title": "Scans"},
    "level-open-skip": {"level": 3, "level_title": "Time to live"},
    "all-levels": {},
    "gated": {"level": 2},
    "gated-time": {"level": 2, "time_left": "4m 30s"},
    "to-followups": {},
    "followup": {"ask": "Where does your design spend its memory?"},
    "probe": {"probe": "What does one record cost you?"},
    "followup-thanks": {},
    "wrapup": {},
    "wrapup-again": {},
    "no-hints-left": {"level": 2},
    "hint-clarify": {},
    "hint": {"kind": "direction", "rung": 2, "total": 3,
             "text": "A dictionary of dictionaries keeps every lookup constant-time."},
    "stuck": {},
    "failing-streak": {},
    "time-left": {"time_left": "42m", "time_box": "45m"},
    "untimed": {"elapsed": "12m 30s"},
    "reminder-half": {"time_left": "22m 30s"},
    "reminder-15": {"time_left": "15m"},
    "reminder-5": {"time_left": "4m 58s"},
    "reminder-up": {"time_left": "0s"},
    "language": {"entry": "solution.py", "language": "C++"},
    "language-again": {"entry": "solution.py"},
    "language-python": {},
    "library-stdlib": {"library": "heapq"},
    "library-partly": {"library": "collections", "names": "collections.Counter",
                       "reason": "counting the words yourself is the exercise."},
    "library-forbidden": {"library": "functools.lru_cache",
                          "reason": "writing the cache is the exercise."},
    "library-other": {"library": "numpy"},
    "library-any": {},
    "forbidden-secret": {},
    "forbidden-solution": {},
    "done-early": {},
    "unknown-command": {"name": "frobnicate"},
    "ignored-argument": {"name": "time", "argument": "please"},
    "goodbye": {},
    "refused-late": {},
    "refused-after-feedback": {},
    "feedback-early": {},
    "feedback-confirm": {},
    "clock-to-coding": {},
    "clock-to-followups": {"time_left": "15m"},
    "reminder-15-talk": {"time_left": "15m"},
    "reminder-5-talk": {"time_left": "4m 58s"},
    "pause-refused": {},
    "paused": {},
    "unpaused": {"away": "12m 30s"},
    "grade-early": {},
    "grade": {"grade": "Lean Hire", "score": "61%"},
    "language-workspace": {"entry": "solution.py", "language": "C++"},
    # The behavioural interview.
    "behavioral-greeting": {"questions": "four questions", "time_box": "45m"},
    "behavioral-greeting-untimed": {"questions": "three questions"},
    "behavioral-how": {},
    "behavioral-first": {"ask": "Tell me about a difficult performance problem you debugged."},
    "behavioral-next": {"ask": "Tell me about a time you pushed back on a technical decision."},
    "behavioral-skip": {"ask": "What draws you to this company's mission?"},
    "behavioral-probe": {"ask": "What did you measure first?"},
    "behavioral-go-on": {},
    "behavioral-repeat": {"ask": "What did you measure first?"},
    "behavioral-wrapup": {},
    "behavioral-wrapup-time": {},
    "behavioral-wrapup-again": {},
    "behavioral-over": {},
    "behavioral-finish-answer": {},
    "behavioral-reminder-half": {"time_left": "22m 30s"},
    "behavioral-reminder-15": {"time_left": "15m"},
    "behavioral-reminder-5": {"time_left": "4m 58s"},
    "behavioral-reminder-up": {"time_left": "0s"},
    "behavioral-hint-star": {},
    "behavioral-hint-situation": {},
    "behavioral-hint-task": {},
    "behavioral-hint-action": {},
    "behavioral-hint-result": {},
    "behavioral-hint-numbers": {},
    "behavioral-hint-ownership": {},
    "behavioral-hint-reflection": {},
    "behavioral-hint-complete": {},
    "behavioral-hint-after": {},
    "behavioral-feedback-confirm": {"remaining": "two more questions"},
    "behavioral-forbidden-answer": {},
}
# Values that take a template down another branch, rendered as well.
MORE_VALUES: dict[str, list[dict[str, object]]] = {
    "time-left": [{"time_left": "0s", "time_box": "45m"}],
}
# Keys the engine builds at run time, by the source of the expression that builds them.
# What Python looks like: a definition, a return, an import, an assignment or a call.
CODE = re.compile(r"\bdef \w|\breturn\s|\bimport\s|\b\w+\s*=\s*[\w'\"(\[{]|\w\([^)]*\)")
BUILT_KEYS = {"f'reminder-{name}'": {"reminder-half", "reminder-15", "reminder-5", "reminder-up"},
              "f'reminder-{name}-talk'": {"reminder-15-talk", "reminder-5-talk"},
              "f'behavioral-reminder-{name}'": {
                  f"behavioral-reminder-{mark}" for mark in ("half", "15", "5", "up")},
              "f'behavioral-hint-{gaps[0]}'": {
                  f"behavioral-hint-{gap}" for gap in ("situation", "task", "action", "result",
                                                       "numbers", "ownership", "reflection")}}
# Keys the behavioural engine hands to its _next_prompt helper, which speaks them.
THROUGH_NEXT_PROMPT = ("behavioral-next", "behavioral-skip")


def every_variant() -> list[tuple[str, int, dict[str, object]]]:
    return [(key, index, values)
            for key, sources in load_lines().items()
            for index in range(len(sources))
            for values in [VALUES.get(key, {}), *MORE_VALUES.get(key, [])]]


def engine_lines() -> list[tuple[str, frozenset[str], str]]:
    """(key, value names, file:line) of every line the engines speak, read from their source."""
    return [line for engine in ENGINES for line in _lines_of(engine)] + [
        (key, frozenset(VALUES[key]), f"{ENGINES[1]} (through _next_prompt)")
        for key in THROUGH_NEXT_PROMPT]


def _lines_of(engine: Path) -> list[tuple[str, frozenset[str], str]]:
    spoken = []
    for function in ast.walk(ast.parse(engine.read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef):
            continue
        assigned = {target.id: node.value for node in ast.walk(function)
                    if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and _speaks(call)):
                continue
            key = call.args[0]
            if isinstance(key, ast.Name) and key.id not in assigned:
                continue                        # `_say` handing its own argument to `line`
            names = frozenset(kw.arg for kw in call.keywords if kw.arg is not None)
            spoken += [(name, names, f"{engine}:{call.lineno}")
                       for name in _keys(key, assigned, engine)]
    return spoken


def _speaks(call: ast.Call) -> bool:
    return ((isinstance(call.func, ast.Attribute) and call.func.attr == "_say")
            or (isinstance(call.func, ast.Name) and call.func.id == "line"))


def _keys(node: ast.expr, assigned: dict[str, ast.expr], engine: Path) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _keys(node.body, assigned, engine) | _keys(node.orelse, assigned, engine)
    if isinstance(node, ast.Name) and node.id in assigned:
        return _keys(assigned[node.id], assigned, engine)
    source = ast.unparse(node)
    assert source in BUILT_KEYS, f"{engine}:{node.lineno}: list the keys {source} makes"
    return BUILT_KEYS[source]


def sentences(text: str) -> list[str]:
    """The sentences and clauses of ``text`` with six words or more, lower case, single spaces.

    Clauses too: half a rubric sentence is still a leak.
    """
    parts = re.split(r"[.,!?;:()]+(?:\s|$)", " ".join(text.split()).lower())
    return [part.strip() for part in parts if len(part.split()) >= 6]


def without_tags(source: str) -> str:
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)


# -- every line exists and renders ------------------------------------------------------------


def test_the_engine_speaks_only_lines_that_exist_with_the_values_in_the_table():
    spoken = engine_lines()
    assert {"greeting", "hint", "level-open-skip", "reminder-up", "setup-untimed"} <= {
        key for key, _, _ in spoken}
    for key, names, where in spoken:
        assert key in load_lines(), f"{where}: no line '{key}' in the voice file"
        assert names == set(VALUES[key]), f"{where}: '{key}' is given {sorted(names)}"


def test_every_line_of_the_voice_file_is_spoken_and_has_example_values():
    spoken = {key for key, _, _ in engine_lines()}
    assert set(load_lines()) == spoken
    assert set(VALUES) == spoken


@pytest.mark.parametrize("key,index,values", every_variant(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_variant_renders_as_jinja2_renders_it(key, index, values):
    said = render(key, index, **values)
    assert said.strip() == said and said
    assert not re.search(r"\{\{|\}\}|\{%|%\}", said), said
    assert said == _template(key, index).render(**values)


def test_the_hint_keeps_its_exact_prefix():
    assert variants("hint") == ("Hint ({{ kind }}, {{ rung }} of {{ total }}): {{ text }}",)
    assert line("hint", 7, 12, kind="nudge", rung=1, total=3, text="Think about it.") == (
        "Hint (nudge, 1 of 3): Think about it.")


def test_question_text_in_a_value_is_shown_as_it_is():
    text = r"Keep {{ counts }} per {% word %}: \1 {x}"
    assert render("hint", 0, kind="nudge", rung=1, total=1, text=text).endswith(text)
    assert render("time-left", 0, time_left=text, time_box="45m").startswith(f"You have {text}")


def test_a_plain_line_is_filled_without_loading_jinja2():
    code = ("import sys; from interviewer._voice import line; "
            "line('greeting', 1, 1, title='T'); "
            "line('setup', 1, 2, entry='e.py', workspace='/w', time_box='45m'); "
            "line('setup-untimed', 1, 2, entry='e.py', workspace='/w'); "
            "print('jinja2' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False", "the first prompt would wait for Jinja2"


# -- variants: chosen by seed, all in use, all meaning the same ---------------------------------


def test_the_choice_depends_only_on_seed_key_and_counter():
    for key in ("greeting", "neutral", "stuck"):
        for seed, counter in [(1, 1), (3, 7), (2026, 40)]:
            expected = zlib.crc32(f"{seed}:{key}:{counter}".encode()) % len(variants(key))
            assert pick(key, seed, counter) == expected
            said = line(key, seed, counter, **VALUES[key])
            assert said == line(key, seed, counter, **VALUES[key])
            assert said == render(key, expected, **VALUES[key])


@pytest.mark.parametrize("key", sorted(VALUES))
def test_across_seeds_every_variant_is_chosen(key):
    chosen = {pick(key, seed, 3) for seed in range(300)}
    assert chosen == set(range(len(variants(key))))


def test_lines_heard_often_have_several_variants():
    often = ["greeting", "neutral", "acknowledge", "start-coding", "level-open",
             "level-open-skip", "gated", "to-followups", "followup-thanks", "wrapup", "stuck",
             "failing-streak", "time-left", "reminder-half", "reminder-15", "reminder-5",
             "reminder-up", "language", "language-again", "language-python", "library-stdlib",
             "library-partly", "library-forbidden", "library-other", "library-any",
             "forbidden-secret", "forbidden-solution", "done-early", "goodbye", "refused-late",
             "feedback-early"]
    assert [key for key in often if len(variants(key)) < 2] == []


@pytest.mark.parametrize("key", sorted(VALUES))
def test_every_variant_names_the_same_commands(key):
    def commands(text: str) -> set[str]:
        return set(re.findall(r"(?<![\w/])/[a-z]+\b|`[^`]+`", text))

    named = [commands(render(key, index, **VALUES[key])) for index in range(len(variants(key)))]
    assert all(each == named[0] for each in named), named


def test_lines_read_professionally():
    for key, sources in load_lines().items():
        for source in sources:
            assert "!" not in source, key
            assert not [c for c in source if unicodedata.category(c) == "So"], key


# -- secrecy and no code ---------------------------------------------------------------------


def test_no_line_carries_rubric_or_follow_up_text(bank):
    templates = " ".join(" ".join(source.split()).lower()
                         for sources in load_lines().values() for source in sources)
    for question_id, notes in bank.notes.items():
        texts = [text for item in notes.rubric.items
                 for text in (item.title, item.met, item.missed)]
        texts += [text or "" for followup in notes.followups
                  for text in (followup.ask, followup.probe, followup.model_answer)]
        found = [s for text in texts for s in sentences(text) if s in templates]
        assert found == [], f"question {question_id}: {found}"


def test_no_line_looks_like_code():
    for key, sources in load_lines().items():
        for source in sources:
            for row in without_tags(source).splitlines():
                assert not CODE.search(row), f"{key}: {row}"


def test_the_secrecy_checks_would_catch_a_leak():
    assert sentences("Met: you kept a  sorted Index of names, so scans cost log n. Good.") == [
        "you kept a sorted index of names"]
    assert all(CODE.search(row) for row in ["def add(self, word):", "counts = {}",
                                            "return total", "sorted(items)", "import heapq"])
    assert not CODE.search(without_tags("Hint ({{ kind }}, {{ rung }} of {{ total }}): x"))


# -- errors are programming errors that name the line ----------------------------------------


def test_a_missing_value_names_the_line_and_the_value():
    with pytest.raises(VoiceError, match=r"line 'greeting'.*'title' is undefined"):
        line("greeting", 1, 1)
    with pytest.raises(VoiceError, match=r"line 'time-left'.*'time_box' is undefined"):
        render("time-left", 0, time_left="42m")


def test_an_unknown_line_is_named():
    with pytest.raises(VoiceError, match="no line 'no-such-line'"):
        line("no-such-line", 1, 1)


def test_a_broken_voice_file_names_its_line(tmp_path):
    broken = tmp_path / "voice.yaml"
    broken.write_text("greeting:\n  - Hello.\nstuck: Type /hint.\n", encoding="utf-8")
    with pytest.raises(VoiceError, match=rf"{broken}:3: stuck"):
        load_lines(broken)
