"""Level 4 hidden tests: the real executor on a thread pool.

Every wait inside a job has a timeout, so a wrong executor fails a test
instead of hanging it. Only one test looks at the clock, and it compares with
a sequential run of the same jobs in the same test, with a wide margin.
"""

import random
import threading
import time
from typing import NamedTuple

import pytest

WAIT = 3.0      # seconds any job waits for another thread before giving up


class Job(NamedTuple):
    name: str
    fn: object
    deps: tuple = ()


class RetryPolicy(NamedTuple):
    max_attempts: int = 1
    base: int = 0
    factor: int = 2


class Log:
    """A thread-safe record of what the jobs did, and how many ran at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []
        self.active = 0
        self.peak = 0

    def job(self, name, value=None, pause=0.0, action=None):
        def fn():
            with self.lock:
                self.events.append(("start", name))
                self.active += 1
                self.peak = max(self.peak, self.active)
            try:
                if pause:
                    time.sleep(pause)
                result = action() if action else value
            finally:
                with self.lock:
                    self.active -= 1
                    self.events.append(("end", name))
            return result
        return fn

    def called(self):
        return [name for kind, name in self.events if kind == "start"]


def flaky(failures, value, exc=ConnectionError):
    """A fn that raises on its first ``failures`` calls; counts its calls."""
    state = {"calls": 0}
    lock = threading.Lock()

    def fn():
        with lock:
            state["calls"] += 1
            calls = state["calls"]
        if calls <= failures:
            raise exc(f"attempt {calls}")
        return value
    fn.state = state
    return fn


def report_of(solution, jobs, workers, **options):
    options.setdefault("sleep", lambda seconds: None)
    report = solution.run_parallel(jobs, workers, **options)
    results, failed, skipped = report
    return dict(results), dict(failed), list(skipped)


# -- results and order -------------------------------------------------------------------------


def test_a_single_job_returns_its_result(solution):
    assert report_of(solution, [Job("only", lambda: 42)], 2) == ({"only": 42}, {}, [])


def test_no_jobs_give_an_empty_report_edge(solution):
    assert report_of(solution, [], 3) == ({}, {}, [])


def test_a_none_result_still_counts_as_success_edge(solution):
    log = Log()
    jobs = [Job("quiet", lambda: None), Job("after", log.job("after", 1), ("quiet",))]
    assert report_of(solution, jobs, 2) == ({"quiet": None, "after": 1}, {}, [])


def test_every_job_starts_after_its_dependencies_end(solution):
    log = Log()
    jobs = [Job("d", log.job("d", 4, 0.01), ("b", "c")), Job("b", log.job("b", 2, 0.01), ("a",)),
            Job("a", log.job("a", 1, 0.01)), Job("c", log.job("c", 3, 0.02), ("a",))]
    results, failed, skipped = report_of(solution, jobs, 3)
    assert results == {"a": 1, "b": 2, "c": 3, "d": 4} and not failed and not skipped
    position = {event: i for i, event in enumerate(log.events)}
    for job in jobs:
        for dep in job.deps:
            assert position[("end", dep)] < position[("start", job.name)], (dep, job.name)


def test_each_fn_is_called_exactly_once_when_nothing_fails(solution):
    log = Log()
    jobs = [Job(f"j{i:02d}", log.job(f"j{i:02d}", i), (f"j{i - 1:02d}",) if i % 4 else ())
            for i in range(24)]
    results, _, _ = report_of(solution, jobs, 4)
    assert results == {f"j{i:02d}": i for i in range(24)}
    assert sorted(log.called()) == sorted(results)


# -- real concurrency --------------------------------------------------------------------------


def test_concurrency_independent_jobs_really_run_at_the_same_time(solution):
    barrier = threading.Barrier(4, timeout=WAIT)

    def meet():
        barrier.wait()
        return True

    jobs = [Job(f"p{i}", meet) for i in range(4)]
    results, failed, _ = report_of(solution, jobs, 4)
    assert not failed, "the four jobs never ran at the same time"
    assert results == {f"p{i}": True for i in range(4)}


def test_concurrency_never_exceeds_the_worker_count(solution):
    log = Log()
    jobs = [Job(f"w{i}", log.job(f"w{i}", i, 0.02)) for i in range(9)]
    results, _, _ = report_of(solution, jobs, 3)
    assert len(results) == 9
    assert log.peak == 3


def test_concurrency_a_dependent_starts_while_unrelated_work_still_runs(solution):
    released = threading.Event()
    log = Log()
    jobs = [Job("long", lambda: released.wait(WAIT)),
            Job("first", log.job("first", 1)),
            Job("second", log.job("second", 2, action=lambda: released.set() or 2), ("first",))]
    results, failed, _ = report_of(solution, jobs, 2)
    assert not failed
    assert results["long"] is True, "second only ran after long had finished"


def test_concurrency_workers_never_block_waiting_for_other_jobs_edge(solution):
    # Two workers: "a" waits for "c", which must run even though "b" (after "a")
    # is also known. A pool thread parked on "a" for "b" would starve "c".
    released = threading.Event()
    jobs = [Job("a", lambda: released.wait(WAIT)), Job("b", lambda: "b", ("a",)),
            Job("c", lambda: released.set() or "c")]
    results, failed, _ = report_of(solution, jobs, 2)
    assert not failed
    assert results == {"a": True, "b": "b", "c": "c"}


def test_the_pool_threads_are_gone_when_it_returns(solution):
    before = threading.active_count()
    report_of(solution, [Job(f"x{i}", lambda: 1) for i in range(6)], 3)
    assert threading.active_count() == before


def test_concurrency_parallel_run_beats_running_the_jobs_one_by_one(solution):
    def nap():
        time.sleep(0.03)
        return "rested"

    jobs = [Job(f"n{i:02d}", nap) for i in range(12)]
    start = time.perf_counter()
    for job in jobs:
        job.fn()
    sequential = time.perf_counter() - start
    start = time.perf_counter()
    results, failed, _ = report_of(solution, jobs, 6)
    parallel = time.perf_counter() - start
    assert not failed and len(results) == 12
    assert parallel < 0.5 * sequential, f"parallel {parallel:.3f}s vs sequential {sequential:.3f}s"


# -- retries and failures ----------------------------------------------------------------------


def test_a_failing_job_is_retried_with_backoff_waits(solution):
    waits = []
    fn = flaky(3, "finally")
    report = report_of(solution, [Job("f", fn)], 2, retry=RetryPolicy(4, 0.5, 3),
                       sleep=waits.append)
    assert report == ({"f": "finally"}, {}, [])
    assert fn.state["calls"] == 4
    assert waits == [0.5, 1.5, 4.5]


def test_a_job_failing_every_attempt_reports_its_last_exception(solution):
    waits = []
    fn = flaky(10, "never", exc=TimeoutError)
    results, failed, skipped = report_of(solution, [Job("f", fn)], 1,
                                         retry=RetryPolicy(3, 1, 2), sleep=waits.append)
    assert results == {} and skipped == []
    assert isinstance(failed["f"], TimeoutError) and str(failed["f"]) == "attempt 3"
    assert fn.state["calls"] == 3 and waits == [1, 2]


def test_without_a_retry_policy_there_is_one_call_and_no_sleep_edge(solution):
    waits = []
    fn = flaky(1, "second time")
    results, failed, _ = report_of(solution, [Job("f", fn)], 2, sleep=waits.append)
    assert results == {} and isinstance(failed["f"], ConnectionError)
    assert fn.state["calls"] == 1 and waits == []


def test_dependents_of_a_failed_job_are_never_called(solution):
    log = Log()
    jobs = [Job("bad", flaky(5, 0)), Job("child", log.job("child", 1), ("bad",)),
            Job("grand", log.job("grand", 2), ("child",)),
            Job("mixed", log.job("mixed", 3), ("grand", "fine")),
            Job("fine", log.job("fine", 4))]
    results, failed, skipped = report_of(solution, jobs, 2, retry=RetryPolicy(2, 0, 2))
    assert list(failed) == ["bad"]
    assert skipped == ["child", "grand", "mixed"]
    assert results == {"fine": 4}
    assert log.called() == ["fine"]


def test_independent_jobs_still_run_after_a_failure(solution):
    log = Log()
    jobs = [Job("boom", flaky(1, 0, exc=ValueError))]
    jobs += [Job(f"ok{i}", log.job(f"ok{i}", i, 0.005), (f"ok{i - 1}",) if i else ())
             for i in range(6)]
    results, failed, skipped = report_of(solution, jobs, 2)
    assert results == {f"ok{i}": i for i in range(6)}
    assert list(failed) == ["boom"] and skipped == []


def test_one_worker_still_finishes_everything_it_can_edge(solution):
    waits = []
    jobs = [Job("a", flaky(1, "a")), Job("b", flaky(9, "b"), ("a",)), Job("c", lambda: "c", ("b",)),
            Job("d", lambda: "d", ("a",))]
    results, failed, skipped = report_of(solution, jobs, 1, retry=RetryPolicy(2, 2, 5),
                                         sleep=waits.append)
    assert results == {"a": "a", "d": "d"}
    assert list(failed) == ["b"] and skipped == ["c"]
    assert waits == [2, 2]


# -- input checks ------------------------------------------------------------------------------


def test_bad_input_raises_before_any_job_runs_edge(solution):
    log = Log()
    with pytest.raises(solution.CycleError) as err:
        solution.run_parallel([Job("a", log.job("a"), ("b",)), Job("b", log.job("b"), ("a",)),
                               Job("c", log.job("c"))], 2)
    assert list(err.value.cycle) == ["a", "b", "a"]
    with pytest.raises(ValueError, match="missing"):
        solution.run_parallel([Job("a", log.job("a"), ("missing",)), Job("c", log.job("c"))], 2)
    with pytest.raises(ValueError):
        solution.run_parallel([Job("a", log.job("a")), Job("a", log.job("a"))], 2)
    assert log.events == []


def test_a_bad_worker_count_raises_edge(solution):
    for workers in (0, -1):
        with pytest.raises(ValueError):
            solution.run_parallel([Job("a", lambda: 1)], workers)


def test_two_hundred_jobs_with_failures_follow_the_rules(solution):
    rng = random.Random(3)
    names = [f"j{i:03d}" for i in range(200)]
    deps = {name: tuple(names[j] for j in rng.sample(range(i), min(i, rng.randint(0, 3))))
            for i, name in enumerate(names)}
    doomed = {name for name in names if rng.random() < 0.05}
    log = Log()
    jobs = [Job(name, flaky(3, name) if name in doomed else log.job(name, name), deps[name])
            for name in names]
    results, failed, skipped = report_of(solution, jobs, 8, retry=RetryPolicy(2, 0, 2))
    below = set()
    for name in names:
        if any(dep in doomed or dep in below for dep in deps[name]):
            below.add(name)
    assert set(failed) == doomed - below
    assert skipped == sorted(below)
    assert set(results) == set(names) - doomed - below
    position = {event: i for i, event in enumerate(log.events)}
    for name in results:
        for dep in deps[name]:
            assert position[("end", dep)] < position[("start", name)]
