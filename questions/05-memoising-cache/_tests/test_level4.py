"""Level 4 hidden tests: the append-only log, replay, torn lines and compaction.

A "restart" is a new decorated function on the same log path. The tests
never depend on the fields inside a line, only on lines, files and behaviour;
every log lives under pytest's ``tmp_path``.
"""

import json
import os
import threading

import pytest


def cached(solution, path, capacity=8, function=None):
    """A memoised function with a log; ``calls`` records the arguments of real calls."""
    calls = []
    function = function or (lambda n: n * n)

    def compute(*args, **kwargs):
        calls.append(args[0] if len(args) == 1 and not kwargs else (args, kwargs))
        return function(*args, **kwargs)

    return solution.memoize(capacity=capacity, log_path=path)(compute), calls


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def info(solution, hits, misses, capacity, size):
    return solution.CacheInfo(hits=hits, misses=misses, capacity=capacity, size=size)


# -- appending and replaying ------------------------------------------------------------------


def test_entries_survive_a_restart(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log)
    for n in (2, 3, 4):
        square(n)
    again, calls = cached(solution, log)
    assert [again(n) for n in (2, 3, 4)] == [4, 9, 16]
    assert calls == []


def test_log_holds_one_json_line_per_stored_entry(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log)
    square(2), square(3), square(2), square(3), square(5)
    assert len(lines(log)) == 3
    for line in lines(log):
        json.loads(line)
    assert log.read_bytes().endswith(b"\n")


def test_each_entry_is_in_the_file_before_the_call_returns(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log)
    square(2)
    assert len(lines(log)) == 1  # flushed, while the first cache is still open
    square(3)
    again, calls = cached(solution, log)
    assert again(3) == 9 and calls == []


def test_replay_starts_with_fresh_statistics(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=5)
    for n in (1, 2, 3, 1, 1):
        square(n)
    again, _ = cached(solution, log, capacity=5)
    assert again.cache_info() == info(solution, 0, 0, 5, 3)


def test_missing_or_empty_log_starts_empty_edge(solution, tmp_path):
    square, calls = cached(solution, tmp_path / "new.log")
    assert square.cache_info() == info(solution, 0, 0, 8, 0)
    assert square(3) == 9 and calls == [3]
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    other, _ = cached(solution, empty)
    assert other.cache_info() == info(solution, 0, 0, 8, 0)


def test_failed_calls_and_hits_write_nothing(solution, tmp_path):
    log = tmp_path / "cache.log"

    def picky(n):
        if n < 0:
            raise ValueError("negative")
        return n

    checked, _ = cached(solution, log, function=picky)
    checked(1), checked(1)
    with pytest.raises(ValueError):
        checked(-1)
    assert len(lines(log)) == 1


def test_replay_keeps_the_latest_entries_within_a_smaller_capacity_edge(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=10)
    for n in range(10):
        square(n)
    again, calls = cached(solution, log, capacity=3)
    assert again.cache_info() == info(solution, 0, 0, 3, 3)
    assert [again(n) for n in (7, 8, 9)] == [49, 64, 81]
    assert calls == []
    again(6)
    assert calls == [6]


def test_replay_order_is_the_order_of_the_lines(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=3)
    square(1), square(2), square(3), square(1)  # the hit on 1 is not logged
    again, calls = cached(solution, log, capacity=3)
    again(4)  # evicts 1, the oldest line
    again(2), again(3)
    assert calls == [4]
    again(1)
    assert calls == [4, 1]


def test_a_later_line_for_the_same_call_wins_on_replay(solution, tmp_path):
    log = tmp_path / "cache.log"
    results = iter(["old", "other", "new"])
    first, _ = cached(solution, log, capacity=1, function=lambda n: next(results))
    assert first(1) == "old"
    assert first(2) == "other"  # evicts 1
    assert first(1) == "new"  # logged a second time
    again, calls = cached(solution, log, capacity=2)
    assert again.cache_info().size == 2
    assert again(1) == "new" and again(2) == "other" and calls == []


def test_json_types_survive_the_round_trip_edge(solution, tmp_path):
    log = tmp_path / "cache.log"

    def describe(*args, **kwargs):
        return {"args": list(args), "kwargs": kwargs, "type": type(args[0]).__name__}

    first, _ = cached(solution, log, capacity=16, function=describe)
    calls_to_make = [((1,), {}), ((1.0,), {}), ((True,), {}), ((None,), {}),
                     ((["a", [1, 2]],), {"opt": {"x": [True, None]}}), (("é ☃ \n",), {})]
    expected = [first(*args, **kwargs) for args, kwargs in calls_to_make]
    assert len(lines(log)) == len(calls_to_make)
    again, calls = cached(solution, log, capacity=16, function=describe)
    assert [again(*args, **kwargs) for args, kwargs in calls_to_make] == expected
    assert calls == []
    assert [e["type"] for e in expected[:3]] == ["int", "float", "bool"]


# -- torn and corrupt lines -------------------------------------------------------------------


def write_three(solution, log):
    square, _ = cached(solution, log)
    square(1), square(2), square(3)
    return log.read_bytes()


def test_torn_last_line_is_ignored_edge(solution, tmp_path):
    log = tmp_path / "cache.log"
    data = write_three(solution, log)
    cut = data.rfind(b"\n", 0, len(data) - 1) + 1  # start of the last line
    log.write_bytes(data[: cut + (len(data) - cut) // 2])  # half of the last line
    again, calls = cached(solution, log)
    assert again.cache_info().size == 2
    assert [again(n) for n in (1, 2, 3)] == [1, 4, 9]
    assert calls == [3]


def test_last_line_without_its_newline_is_ignored_edge(solution, tmp_path):
    log = tmp_path / "cache.log"
    data = write_three(solution, log)
    log.write_bytes(data[:-1])
    again, calls = cached(solution, log)
    assert again.cache_info().size == 2
    again(3)
    assert calls == [3]


def test_torn_tail_of_zero_bytes_is_ignored_edge(solution, tmp_path):
    log = tmp_path / "cache.log"
    data = write_three(solution, log)
    log.write_bytes(data + b"\x00" * 37)
    again, calls = cached(solution, log)
    assert again.cache_info().size == 3
    assert again(2) == 4 and calls == []


def test_log_is_repaired_after_a_torn_line_edge(solution, tmp_path):
    log = tmp_path / "cache.log"
    data = write_three(solution, log)
    log.write_bytes(data + b'{"torn": [1, 2')
    again, _ = cached(solution, log)
    again(4)
    assert all(line.strip() for line in lines(log))
    third, calls = cached(solution, log)
    assert third.cache_info().size == 4
    assert [third(n) for n in (1, 2, 3, 4)] == [1, 4, 9, 16]
    assert calls == []


def test_corrupt_line_before_the_end_raises_value_error_edge(solution, tmp_path):
    log = tmp_path / "cache.log"
    data = write_three(solution, log)
    log.write_bytes(b"this is not json\n" + data)
    with pytest.raises(ValueError):
        cached(solution, log)
    first_line_end = data.find(b"\n") + 1
    log.write_bytes(data[:first_line_end] + b"{\n" + data[first_line_end:])
    with pytest.raises(ValueError):
        cached(solution, log)


# -- compaction and clearing ------------------------------------------------------------------


def test_compaction_keeps_only_the_cached_entries(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=3)
    for n in range(10):
        square(n)
    assert len(lines(log)) == 10
    assert square.cache_compact() is None
    assert len(lines(log)) == 3
    again, calls = cached(solution, log, capacity=3)
    assert [again(n) for n in (7, 8, 9)] == [49, 64, 81]
    assert calls == []


def test_compaction_preserves_the_eviction_order(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=3)
    square(1), square(2), square(3), square(1)  # least to most recent: 2, 3, 1
    square.cache_compact()
    again, calls = cached(solution, log, capacity=3)
    again(4)  # evicts 2
    again(3), again(1)
    assert calls == [4]
    again(2)
    assert calls == [4, 2]


def test_compaction_replaces_the_file_by_a_rename(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log)
    square(1), square(2)
    before = os.stat(log).st_ino
    square.cache_compact()
    assert os.stat(log).st_ino != before, "the log was rewritten in place, not replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.log"]


def test_appends_after_compaction_reach_the_new_log(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=4)
    square(1), square(2), square(1)
    square.cache_compact()
    square(3), square(4)
    assert len(lines(log)) == 4
    again, calls = cached(solution, log, capacity=4)
    assert [again(n) for n in (1, 2, 3, 4)] == [1, 4, 9, 16]
    assert calls == []


def test_failed_rename_leaves_the_old_log_intact_edge(solution, tmp_path, monkeypatch):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=2)
    for n in (1, 2, 3, 4):
        square(n)
    before = log.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("simulated failure of the rename")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", broken)
        patch.setattr(os, "rename", broken)
        with pytest.raises(OSError):
            square.cache_compact()
    assert log.read_bytes() == before
    square(5)
    again, calls = cached(solution, log, capacity=8)
    assert again.cache_info().size == 5
    assert again(5) == 25 and calls == []


def test_cache_clear_empties_the_log(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log)
    square(1), square(2)
    square.cache_clear()
    assert lines(log) == []
    square(3)
    again, calls = cached(solution, log)
    assert again.cache_info().size == 1
    again(1)
    assert calls == [1]


def test_compaction_without_a_log_does_nothing_edge(solution):
    @solution.memoize(capacity=2)
    def square(n):
        return n * n

    square(1), square(2)
    assert square.cache_compact() is None
    assert square.cache_info() == info(solution, 0, 2, 2, 2)


def test_concurrent_misses_each_write_one_complete_line(solution, tmp_path):
    log = tmp_path / "cache.log"
    square, _ = cached(solution, log, capacity=256)
    start = threading.Barrier(4, timeout=5)

    def worker(offset):
        start.wait()
        for n in range(offset, 200, 4):
            square(n)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert len(lines(log)) == 200
    for line in lines(log):
        json.loads(line)
    again, calls = cached(solution, log, capacity=256)
    assert again.cache_info().size == 200 and calls == []
