"""The parsed-file cache: same results as parsing, never stale, never a reason to fail."""

from __future__ import annotations

import shutil

import pytest

from interviewer import load_bank
from interviewer._parse_cache import CACHE_VARIABLE, load_checked

from .conftest import FIXTURES

QUESTION = FIXTURES / "bank" / "01-word-counter"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    return folder


@pytest.fixture
def script(tmp_path):
    target = tmp_path / "bank" / QUESTION.name
    shutil.copytree(QUESTION, target)
    return target / "script.yaml"


def test_a_cached_load_equals_a_fresh_parse(cache, script):
    fresh, fresh_problems = load_checked(script, "script")
    assert len(list(cache.iterdir())) == 1
    cached, cached_problems = load_checked(script, "script")
    assert cached == fresh and cached.lines == fresh.lines
    assert cached_problems == fresh_problems == []


def test_schema_problems_come_back_from_the_cache_with_their_lines(cache, script):
    script.write_text(script.read_text().replace("minutes: 45", "minutes: many"))
    first = load_checked(script, "script")[1]
    second = load_checked(script, "script")[1]
    assert first == second and first and "minutes" in str(first[0])


def test_an_edited_file_is_parsed_again(cache, script):
    load_checked(script, "script")
    script.write_text(script.read_text().replace("title: Word Counter", "title: Word Tally"))
    located, _ = load_checked(script, "script")
    assert located.data["title"] == "Word Tally"
    assert len(list(cache.iterdir())) == 2


def test_a_damaged_entry_is_ignored(cache, script):
    load_checked(script, "script")
    [entry] = cache.iterdir()
    entry.write_bytes(b"not marshal data")
    located, problems = load_checked(script, "script")
    assert located.data["id"] == "01" and problems == []


def test_an_unwritable_cache_does_not_stop_loading(tmp_path, monkeypatch, script):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    located, problems = load_checked(script, "script")
    assert located.data["id"] == "01" and problems == []


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, script):
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_checked(script, "script")
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()


def test_a_bank_loads_the_same_from_the_cache(cache):
    first, second = load_bank(FIXTURES / "bank"), load_bank(FIXTURES / "bank")
    assert first.questions == second.questions and first.notes == second.notes
