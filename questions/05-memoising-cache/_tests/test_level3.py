"""Level 3 hidden tests: thread safety, one computation per key, shared failures.

Overlap is forced with events and barriers, never assumed from sleeps: a
computation blocks until the test releases it, and the test releases it only
once every other caller has reached the cache (seen through an argument that
records which threads hashed it). Every wait has a timeout, so a wrong
solution fails instead of hanging.
"""

import random
import sys
import threading

WAIT = 3.0  # seconds; only a wrong solution ever waits this long


class Arrivals:
    """Records the threads that have hashed an argument, so the test knows they arrived."""

    def __init__(self):
        self.threads = set()
        self.condition = threading.Condition()

    def saw(self):
        with self.condition:
            self.threads.add(threading.get_ident())
            self.condition.notify_all()

    def wait_for(self, count):
        with self.condition:
            return self.condition.wait_for(lambda: len(self.threads) >= count, timeout=WAIT)


class Tracked:
    """A hashable argument that tells ``arrivals`` which thread hashed it."""

    def __init__(self, n, arrivals):
        self.n, self.arrivals = n, arrivals

    def __eq__(self, other):
        return isinstance(other, Tracked) and self.n == other.n

    def __hash__(self):
        self.arrivals.saw()
        return hash(self.n)


def run_in_threads(targets):
    """Run each target in its own thread; return (results, errors) in target order."""
    results, errors = [None] * len(targets), [None] * len(targets)

    def runner(index, target):
        try:
            results[index] = target()
        except BaseException as error:  # reported to the test
            errors[index] = error

    threads = [threading.Thread(target=runner, args=(i, t), daemon=True)
               for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    return threads, results, errors


def join_all(threads):
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads), "a call never returned"


def blocked_function(solution, outcome):
    """A memoised function whose computation waits for ``release``; ``outcome`` decides it."""
    state = {"calls": 0, "release": threading.Event(), "started": threading.Event()}

    @solution.memoize(capacity=8)
    def compute(arg):
        state["calls"] += 1
        state["started"].set()
        state["release"].wait(WAIT)
        return outcome(arg)

    return compute, state


def start_same_key_callers(solution, compute, state, count=6):
    arrivals = Arrivals()
    first = run_in_threads([lambda: compute(Tracked(7, arrivals))])
    assert state["started"].wait(WAIT), "the first call never started"
    rest = run_in_threads([lambda: compute(Tracked(7, arrivals)) for _ in range(count - 1)])
    arrivals.wait_for(count)  # every caller has reached the cache
    state["release"].set()
    threads = first[0] + rest[0]
    join_all(threads)
    return first[1] + rest[1], first[2] + rest[2]


# -- one computation per key ------------------------------------------------------------------


def test_concurrent_callers_of_one_key_compute_it_once(solution):
    compute, state = blocked_function(solution, lambda arg: arg.n * 2)
    results, errors = start_same_key_callers(solution, compute, state)
    assert errors == [None] * 6
    assert results == [14] * 6
    assert state["calls"] == 1


def test_callers_that_waited_count_as_hits(solution):
    compute, state = blocked_function(solution, lambda arg: arg.n * 2)
    start_same_key_callers(solution, compute, state)
    assert compute.cache_info() == solution.CacheInfo(hits=5, misses=1, capacity=8, size=1)


def test_exception_reaches_every_waiter_edge(solution):
    def fail(arg):
        raise RuntimeError(f"cannot compute {arg.n}")

    compute, state = blocked_function(solution, fail)
    results, errors = start_same_key_callers(solution, compute, state)
    assert results == [None] * 6
    assert all(isinstance(e, RuntimeError) and str(e) == "cannot compute 7" for e in errors), errors
    assert state["calls"] == 1, "waiters must share the failure, not compute again"
    assert compute.cache_info() == solution.CacheInfo(hits=5, misses=1, capacity=8, size=0)


def test_failed_computation_is_not_cached_for_later_callers_edge(solution):
    outcomes = iter([RuntimeError("first"), None])

    def fail_once(arg):
        error = next(outcomes)
        if error is not None:
            raise error
        return arg.n

    compute, state = blocked_function(solution, fail_once)
    _, errors = start_same_key_callers(solution, compute, state, count=3)
    assert all(isinstance(e, RuntimeError) for e in errors)
    assert compute(Tracked(7, Arrivals())) == 7
    assert state["calls"] == 2
    assert compute(Tracked(7, Arrivals())) == 7
    assert state["calls"] == 2


# -- no lock held while the function runs -----------------------------------------------------


def test_different_keys_compute_in_parallel(solution):
    barrier = threading.Barrier(4, timeout=WAIT)

    @solution.memoize(capacity=8)
    def meet(n):
        barrier.wait()  # passes only when all four computations run at the same time
        return -n

    threads, results, errors = run_in_threads([lambda n=n: meet(n) for n in range(4)])
    join_all(threads)
    assert errors == [None] * 4, "the computations did not run in parallel"
    assert results == [0, -1, -2, -3]


def test_a_hit_is_answered_while_another_key_is_computing(solution):
    release, started = threading.Event(), threading.Event()
    waited = []

    @solution.memoize(capacity=8)
    def compute(n):
        if n == 1:
            started.set()
            waited.append(release.wait(WAIT))
        return n * 100

    assert compute(2) == 200
    threads, results, _ = run_in_threads([lambda: compute(1)])
    assert started.wait(WAIT)
    assert compute(2) == 200  # must not wait for the computation of 1
    assert compute(3) == 300  # a miss on another key does not wait either
    release.set()
    join_all(threads)
    assert waited == [True], "the hit waited for another key's computation"
    assert results == [100]


def test_recursive_function_from_several_threads_computes_each_value_once(solution):
    calls, lock = [], threading.Lock()

    @solution.memoize(capacity=64)
    def fib(n):
        with lock:
            calls.append(n)
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    barrier = threading.Barrier(4, timeout=WAIT)

    def worker():
        barrier.wait()
        return fib(25)

    threads, results, errors = run_in_threads([worker] * 4)
    join_all(threads)
    assert errors == [None] * 4
    assert results == [75025] * 4
    assert sorted(calls) == list(range(26))


# -- consistency under contention -------------------------------------------------------------


def test_many_threads_keep_statistics_and_capacity_consistent(solution):
    calls, lock = [], threading.Lock()

    @solution.memoize(capacity=16)
    def compute(n):
        with lock:
            calls.append(n)
        return n * n

    def worker(seed):
        rng = random.Random(seed)
        for _ in range(1500):
            n = rng.randrange(48)
            if compute(n) != n * n:
                raise AssertionError(f"wrong result for {n}")
        return True

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, to expose unguarded updates
    try:
        threads, results, errors = run_in_threads([lambda s=s: worker(s) for s in range(6)])
        join_all(threads)
    finally:
        sys.setswitchinterval(interval)
    assert errors == [None] * 6
    assert results == [True] * 6
    stats = compute.cache_info()
    assert stats.hits + stats.misses == 6 * 1500
    assert stats.misses == len(calls)
    assert stats.size == 16
