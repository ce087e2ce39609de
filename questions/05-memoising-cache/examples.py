"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import threading
import time

import pytest


def test_example_level1_key_builder(solution):
    make_key = solution.make_key
    assert make_key((1, 2), {"b": 3, "a": 4}) == make_key((1, 2), {"a": 4, "b": 3})
    assert make_key((1,), {}) != make_key((1.0,), {})
    assert make_key((1,), {}) != make_key((True,), {})
    assert make_key(([1, 2],), {}) != make_key(((1, 2),), {})
    assert make_key((1,), {}) != make_key((), {"x": 1})
    assert make_key(([1, {"k": {2, 3}}],), {}) == make_key(([1, {"k": {3, 2}}],), {})
    assert isinstance(hash(make_key(([1, [2]], {"k": [3]}), {"s": {4}})), int)
    with pytest.raises(TypeError):
        make_key((bytearray(b"x"),), {})


def test_example_level2_lru_decorator(solution):
    calls = []

    @solution.memoize(capacity=2)
    def square(n):
        calls.append(n)
        return n * n

    assert (square(2), square(3), square(2)) == (4, 9, 4)
    assert square(4) == 16
    assert square(3) == 9
    assert calls == [2, 3, 4, 3]
    assert square.cache_info() == solution.CacheInfo(hits=1, misses=4, capacity=2, size=2)
    square.cache_clear()
    assert square.cache_info() == solution.CacheInfo(hits=0, misses=0, capacity=2, size=0)


def test_example_level3_threads(solution):
    calls = []

    @solution.memoize(capacity=8)
    def slow_square(n):
        calls.append(n)
        time.sleep(0.05)
        return n * n

    threads = [threading.Thread(target=slow_square, args=(4,)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert calls == [4]
    assert slow_square.cache_info() == solution.CacheInfo(hits=4, misses=1, capacity=8, size=1)

    attempts = []

    @solution.memoize(capacity=8)
    def flaky(n):
        attempts.append(n)
        if len(attempts) == 1:
            raise ValueError("first try fails")
        return n

    with pytest.raises(ValueError):
        flaky(7)
    assert flaky(7) == 7
    assert flaky.cache_info() == solution.CacheInfo(hits=0, misses=2, capacity=8, size=1)


def test_example_level4_log(solution, tmp_path):
    log = tmp_path / "squares.log"

    @solution.memoize(capacity=3, log_path=log)
    def square(n):
        return n * n

    assert (square(2), square(3), square(2)) == (4, 9, 4)
    assert len(log.read_text().splitlines()) == 2

    @solution.memoize(capacity=3, log_path=log)
    def square_again(n):
        raise AssertionError("not called for cached arguments")

    assert square_again.cache_info() == solution.CacheInfo(hits=0, misses=0, capacity=3, size=2)
    assert square_again(3) == 9
    square_again.cache_compact()
    assert len(log.read_text().splitlines()) == 2
