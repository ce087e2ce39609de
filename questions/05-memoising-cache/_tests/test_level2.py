"""Level 2 hidden tests: the memoising decorator, LRU eviction and statistics."""

import gc
import random
import time
from collections import OrderedDict

import pytest


def counted(solution, capacity, function=None):
    """A memoised function that records the argument of every real call."""
    calls = []
    function = function or (lambda n: n * 10)

    def compute(*args, **kwargs):
        calls.append((args, kwargs) if kwargs or len(args) != 1 else args[0])
        return function(*args, **kwargs)

    return solution.memoize(capacity=capacity)(compute), calls


def info(solution, hits, misses, capacity, size):
    return solution.CacheInfo(hits=hits, misses=misses, capacity=capacity, size=size)


# -- hits, misses and statistics ---------------------------------------------------------------


def test_second_call_is_a_hit_and_does_not_call_the_function(solution):
    double, calls = counted(solution, 4)
    assert double(3) == 30
    assert double(3) == 30
    assert calls == [3]


def test_cache_info_has_the_documented_shape(solution):
    double, _ = counted(solution, 4)
    double(1), double(2), double(1), double(1)
    stats = double.cache_info()
    assert isinstance(stats, solution.CacheInfo)
    assert (stats.hits, stats.misses, stats.capacity, stats.size) == (2, 2, 4, 2)


def test_default_capacity_is_128(solution):
    @solution.memoize()
    def identity(n):
        return n

    for n in range(200):
        identity(n)
    assert identity.cache_info() == info(solution, 0, 200, 128, 128)


def test_keyword_order_shares_one_entry(solution):
    def add(a=0, b=0):
        return a + b

    cached, calls = counted(solution, 4, add)
    assert cached(a=1, b=2) == 3
    assert cached(b=2, a=1) == 3
    assert len(calls) == 1
    assert cached.cache_info() == info(solution, 1, 1, 4, 1)


def test_calls_that_differ_only_in_type_are_separate_entries_edge(solution):
    identity, calls = counted(solution, 8, lambda n: n)
    results = [identity(1), identity(1.0), identity(True)]
    assert [type(r) for r in results] == [int, float, bool]
    assert calls == [1, 1.0, True]


def test_list_and_dict_arguments_are_cached_by_content(solution):
    total, calls = counted(solution, 4, lambda items: sum(items["xs"]))
    assert total({"xs": [1, 2, 3]}) == 6
    assert total({"xs": [1, 2, 3]}) == 6
    assert len(calls) == 1


def test_mutating_an_argument_after_the_call_does_not_touch_the_entry_edge(solution):
    total, calls = counted(solution, 4, sum)
    numbers = [1, 2]
    assert total(numbers) == 3
    numbers.append(3)
    assert total(numbers) == 6
    assert total([1, 2]) == 3
    assert len(calls) == 2


def test_none_and_falsy_results_are_cached_edge(solution):
    values = {0: None, 1: 0, 2: "", 3: False, 4: [], 5: 0.0}
    lookup, calls = counted(solution, 8, values.__getitem__)
    for _ in range(3):
        for n in range(6):
            assert lookup(n) == values[n]
    assert calls == list(range(6))
    assert lookup.cache_info() == info(solution, 12, 6, 8, 6)


def test_each_decorated_function_has_its_own_cache(solution):
    double, double_calls = counted(solution, 4, lambda n: n * 2)
    triple, triple_calls = counted(solution, 4, lambda n: n * 3)
    assert (double(5), triple(5), double(5), triple(5)) == (10, 15, 10, 15)
    assert double_calls == [5] and triple_calls == [5]
    assert double.cache_info() == info(solution, 1, 1, 4, 1)


# -- eviction ---------------------------------------------------------------------------------


def test_least_recently_used_entry_is_evicted(solution):
    square, calls = counted(solution, 3, lambda n: n * n)
    for n in (1, 2, 3, 4):
        square(n)
    square(2), square(3), square(4)
    assert calls == [1, 2, 3, 4]
    square(1)
    assert calls == [1, 2, 3, 4, 1]
    assert square.cache_info().size == 3


def test_a_hit_makes_the_entry_most_recently_used(solution):
    square, calls = counted(solution, 3, lambda n: n * n)
    square(1), square(2), square(3)
    square(1)  # now 2 is the least recently used
    square(4)  # evicts 2
    square(1), square(3), square(4)
    assert calls == [1, 2, 3, 4]
    square(2)
    assert calls == [1, 2, 3, 4, 2]


def test_capacity_one_keeps_only_the_last_entry_edge(solution):
    square, calls = counted(solution, 1, lambda n: n * n)
    square(1), square(1), square(2), square(1), square(1)
    assert calls == [1, 2, 1]
    assert square.cache_info() == info(solution, 2, 3, 1, 1)


def test_misses_match_an_lru_model_on_a_random_trace(solution):
    rng = random.Random(52)
    capacity = 17
    cached, calls = counted(solution, capacity, lambda n: n + 1000)
    model, expected = OrderedDict(), []
    for _ in range(3000):
        n = rng.randrange(40) if rng.random() < 0.8 else rng.randrange(200)
        assert cached(n) == n + 1000
        if n in model:
            model.move_to_end(n)
        else:
            expected.append(n)
            model[n] = True
            if len(model) > capacity:
                model.popitem(last=False)
    assert calls == expected
    assert cached.cache_info() == info(solution, 3000 - len(expected), len(expected),
                                       capacity, capacity)


# -- failures, clearing and the decorator itself ---------------------------------------------


def test_exception_reaches_the_caller_and_is_not_cached(solution):
    attempts = []

    @solution.memoize(capacity=4)
    def fragile(n):
        attempts.append(n)
        if len(attempts) < 3:
            raise KeyError(f"attempt {len(attempts)}")
        return n

    for attempt in (1, 2):
        with pytest.raises(KeyError, match=f"attempt {attempt}"):
            fragile(9)
    assert fragile(9) == 9
    assert fragile(9) == 9
    assert attempts == [9, 9, 9]
    assert fragile.cache_info() == info(solution, 1, 3, 4, 1)


def test_unsupported_argument_raises_type_error_without_a_call_edge(solution):
    double, calls = counted(solution, 4)
    double(1)
    with pytest.raises(TypeError):
        double(bytearray(b"x"))
    assert calls == [1]
    assert double.cache_info() == info(solution, 0, 1, 4, 1)


def test_cache_clear_empties_the_cache_and_resets_statistics(solution):
    double, calls = counted(solution, 4)
    double(1), double(2), double(1)
    assert double.cache_clear() is None
    assert double.cache_info() == info(solution, 0, 0, 4, 0)
    double(1)
    assert calls == [1, 2, 1]
    assert double.cache_info() == info(solution, 0, 1, 4, 1)


def test_zero_or_negative_capacity_is_rejected_edge(solution):
    for capacity in (0, -1):
        with pytest.raises(ValueError):
            solution.memoize(capacity=capacity)


def test_decorated_function_keeps_name_doc_and_wrapped(solution):
    def area(width, height):
        """Width times height."""
        return width * height

    cached = solution.memoize(capacity=2)(area)
    assert cached.__name__ == "area"
    assert cached.__doc__ == "Width times height."
    assert cached.__wrapped__ is area
    assert cached(3, height=4) == 12


def test_recursive_function_is_memoised(solution):
    calls = []

    @solution.memoize(capacity=128)
    def fib(n):
        calls.append(n)
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    assert fib(30) == 832040
    assert sorted(calls) == list(range(31))
    assert fib.cache_info() == info(solution, 28, 31, 128, 31)


# -- O(1) per call ----------------------------------------------------------------------------


class Token:
    """A hashable argument that counts how often it is compared for equality."""

    comparisons = 0

    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        Token.comparisons += 1
        return isinstance(other, Token) and self.n == other.n

    def __hash__(self):
        return hash(self.n)


def test_constant_time_lookups_do_not_scan_the_cached_keys(solution):
    capacity, rng = 500, random.Random(7)
    cached, _ = counted(solution, capacity, lambda token: token.n)
    for n in range(capacity):
        cached(Token(n))
    Token.comparisons = 0
    operations = 0
    for step in range(1500):
        assert cached(Token(rng.randrange(capacity))) is not None
        operations += 1
        if step % 3 == 0:
            cached(Token(capacity + step))  # a miss that evicts
            operations += 1
    assert Token.comparisons <= 20 * operations, (
        f"{Token.comparisons} key comparisons for {operations} calls: the cache scans its keys")


def run_steps(cached, capacity, start, steps):
    """Each step is a miss on a new key (evicting one) and a hit on a fairly recent key."""
    begin = time.perf_counter()
    for n in range(start, start + steps):
        cached(n)
        cached(n - capacity // 4)
    return time.perf_counter() - begin


def test_constant_time_call_cost_does_not_grow_with_capacity(solution):
    small_capacity, large_capacity, steps = 64, 4096, 800
    small = solution.memoize(capacity=small_capacity)(lambda n: n)
    large = solution.memoize(capacity=large_capacity)(lambda n: n)
    for n in range(large_capacity):
        large(n)
        small(n)
    small_times, large_times = [], []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for round_number in range(4):
            start = large_capacity + round_number * steps
            small_times.append(run_steps(small, small_capacity, start, steps))
            large_times.append(run_steps(large, large_capacity, start, steps))
            if large_times[-1] > 20 * min(small_times) + 0.05:
                break  # clearly not constant time: no need to keep measuring
    finally:
        if gc_was_enabled:
            gc.enable()
    assert large(large_capacity + 4 * steps - 1) == large_capacity + 4 * steps - 1
    ratio = min(large_times) / min(small_times)
    assert ratio < 5, f"a cache of {large_capacity} entries is {ratio:.0f}x slower per call " \
                      f"than one of {small_capacity}: some operation is not O(1)"


# -- fixed traces: misses are the deterministic performance figure ----------------------------


def check_trace(solution, measure, capacity, trace):
    cached, calls = counted(solution, capacity, lambda n: n * 3 + 1)
    for n in trace:
        assert cached(n) == n * 3 + 1
    stats = cached.cache_info()
    assert stats.misses == len(calls), "misses must count the calls of the function"
    assert stats.hits + stats.misses == len(trace)
    assert stats.size <= capacity and stats.capacity == capacity
    measure("misses", len(calls))


def test_misses_on_a_shifting_working_set_trace(solution, measure):
    rng = random.Random(2024)
    trace = []
    for phase in range(5):
        hot = list(range(phase * 20, phase * 20 + 40))
        for _ in range(2000):
            trace.append(rng.choice(hot) if rng.random() < 0.85 else rng.randrange(1000))
    check_trace(solution, measure, 64, trace)


def test_misses_on_a_skewed_trace(solution, measure):
    rng = random.Random(11)
    trace = [min(int(rng.paretovariate(1.1)), 3000) for _ in range(8000)]
    check_trace(solution, measure, 50, trace)


def test_misses_on_a_trace_with_recency(solution, measure):
    rng = random.Random(99)
    recent, trace, fresh = [], [], 0
    for _ in range(8000):
        if recent and rng.random() < 0.75:
            depth = min(int(rng.expovariate(1 / 12)), len(recent) - 1)
            key = recent.pop(len(recent) - 1 - depth)
        else:
            key, fresh = fresh, fresh + 1
        recent.append(key)
        trace.append(key)
    check_trace(solution, measure, 32, trace)
