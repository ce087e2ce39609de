"""Level 3 hidden tests: retries with backoff, failures, timeouts and cancellation.

Expected schedules come from a trusted, deliberately plain model of
QUESTION.md's simulation; failure plans are this file's own FailurePlan.
"""

import random
from typing import NamedTuple

import pytest


class Task(NamedTuple):
    name: str
    duration: int
    deps: tuple = ()
    timeout: int | None = None


class Run(NamedTuple):
    task: str
    worker: int
    start: int
    end: int
    attempt: int = 1
    outcome: str = "ok"


class Attempt(NamedTuple):
    duration: int
    fails: bool = False


class RetryPolicy(NamedTuple):
    max_attempts: int = 1
    base: int = 0
    factor: int = 2


class FailurePlan:
    """The same plan as the starter's ``FailurePlan``."""

    def __init__(self, fail_first=None, durations=None):
        self.fail_first = dict(fail_first or {})
        self.durations = dict(durations or {})

    def attempt(self, task, number):
        duration = self.durations.get((task.name, number), task.duration)
        return Attempt(duration, number <= self.fail_first.get(task.name, 0))


def random_dag(n, seed=0, max_deps=3, max_duration=20):
    """The same generator as the starter's ``random_dag``."""
    rng = random.Random(seed)
    width = len(str(max(n - 1, 0)))
    names = [f"t{i:0{width}d}" for i in range(n)]
    tasks = []
    for i, name in enumerate(names):
        count = rng.randint(0, min(i, max_deps))
        deps = tuple(sorted(names[j] for j in rng.sample(range(i), count)))
        tasks.append(Task(name, rng.randint(1, max_duration), deps))
    rng.shuffle(tasks)
    return tasks


def adversarial_dag():
    """The same DAG as the starter's ``adversarial_dag``."""
    chain = [Task(f"z{i}", 10, (f"z{i - 1}",) if i else ()) for i in range(10)]
    side = [Task(f"a{i:02d}", 10) for i in range(20)]
    return side + chain


def model_simulate(tasks, workers, policy="critical_path", retry=None, plan=None, cancel=None):
    """A trusted, deliberately plain model of QUESTION.md's simulation: it scans
    instead of using heaps, so it is only for small inputs. Answers
    (runs, makespan, failed, skipped, cancelled) with plain lists."""
    max_attempts, base, factor = retry or (1, 0, 2)
    plan = plan or FailurePlan()
    cancel = dict(cancel or {})
    by_name = {t.name: t for t in tasks}
    deps = {t.name: set(t.deps) for t in tasks}
    dependents = {name: [] for name in by_name}
    for name in by_name:
        for dep in deps[name]:
            dependents[dep].append(name)
    order, placed = [], set()
    while len(order) < len(by_name):
        step = [n for n in by_name if n not in placed and deps[n] <= placed]
        order.extend(step)
        placed.update(step)
    rank = {}
    for name in reversed(order):
        rank[name] = by_name[name].duration + max([rank[d] for d in dependents[name]], default=0)

    status = dict.fromkeys(by_name, "waiting")
    ready_at = {name: 0 for name in by_name if not deps[name]}
    retry_at, attempts, busy, runs, done = {}, dict.fromkeys(by_name, 0), {}, [], set()

    def skip_below(name):
        todo = list(dependents[name])
        while todo:
            below = todo.pop()
            if status[below] == "waiting":
                status[below] = "skipped"
                ready_at.pop(below, None)
                todo.extend(dependents[below])

    def priority(name):
        if policy == "critical_path":
            return (-rank[name], name)
        return (ready_at[name], name)

    now = 0
    while True:
        for worker in sorted(busy):
            end, run = busy[worker]
            if end != now:
                continue
            del busy[worker]
            if run.outcome == "ok":
                status[run.task] = "done"
                done.add(run.task)
                for below in dependents[run.task]:
                    if deps[below] <= done and status[below] == "waiting":
                        ready_at[below] = now
            elif run.attempt < max_attempts:
                retry_at[run.task] = now + base * factor ** (run.attempt - 1)
            else:
                status[run.task] = "failed"
                skip_below(run.task)
        for name in sorted(retry_at):
            if retry_at[name] == now:
                del retry_at[name]
                ready_at[name] = now
        hit = [name for name, when in cancel.items() if when == now and status[name] == "waiting"]
        for name in hit:
            status[name] = "cancelled"
            ready_at.pop(name, None)
        for name in hit:
            skip_below(name)
        for worker in range(workers):
            if worker in busy or not ready_at:
                continue
            name = min(ready_at, key=priority)
            del ready_at[name]
            status[name] = "started"
            attempts[name] += 1
            task = by_name[name]
            attempt = plan.attempt(task, attempts[name])
            if task.timeout is not None and attempt.duration > task.timeout:
                end, outcome = now + task.timeout, "timeout"
            else:
                end, outcome = now + attempt.duration, ("error" if attempt.fails else "ok")
            run = Run(name, worker, now, end, attempts[name], outcome)
            runs.append(run)
            busy[worker] = (end, run)
        upcoming = [end for end, _ in busy.values()] + list(retry_at.values())
        upcoming += [when for when in cancel.values() if when > now]
        if not upcoming:
            break
        now = min(upcoming)
    runs.sort(key=lambda run: (run.start, run.worker))
    makespan = max((run.end for run in runs), default=0)

    def named(state):
        return sorted(name for name, value in status.items() if value == state)

    return runs, makespan, named("failed"), named("skipped"), named("cancelled")


def run_sim(solution, tasks, workers, policy="critical_path", **options):
    """The candidate's schedule as plain lists, comparable with the model's."""
    result = solution.simulate(tasks, workers, policy, **options)
    runs, makespan, failed, skipped, cancelled = result
    return ([tuple(run) for run in runs], makespan, list(failed), list(skipped),
            list(cancelled))


def expect(tasks, workers, policy="critical_path", retry=None, failures=None, cancel=None):
    runs, makespan, failed, skipped, cancelled = model_simulate(
        tasks, workers, policy, retry, failures, cancel)
    return [tuple(run) for run in runs], makespan, failed, skipped, cancelled


class RecordingPlan(FailurePlan):
    """A FailurePlan that remembers what it was asked."""

    def __init__(self, fail_first=None, durations=None):
        super().__init__(fail_first, durations)
        self.asked = []

    def attempt(self, task, number):
        self.asked.append((task.name, task.duration, number))
        return super().attempt(task, number)


def outcome(solution, tasks, workers, policy="critical_path", retry=None, failures=None,
            cancel=None):
    got = run_sim(solution, tasks, workers, policy, retry=retry, failures=failures, cancel=cancel)
    assert got == expect(tasks, workers, policy, retry, failures, cancel)
    return got


# -- retries and backoff -----------------------------------------------------------------------


def test_without_a_retry_policy_a_failing_task_fails_at_once_edge(solution):
    tasks = [Task("a", 3), Task("b", 1, ("a",))]
    runs, makespan, failed, skipped, cancelled = run_sim(
        solution, tasks, 1, failures=FailurePlan({"a": 1}))
    assert runs == [("a", 0, 0, 3, 1, "error")]
    assert (makespan, failed, skipped, cancelled) == (3, ["a"], ["b"], [])


def test_a_failed_attempt_is_retried_after_exponential_backoff(solution):
    tasks = [Task("a", 1)]
    runs, makespan, failed, *_ = run_sim(solution, tasks, 1, retry=RetryPolicy(4, 3, 2),
                                         failures=FailurePlan({"a": 3}))
    assert runs == [("a", 0, 0, 1, 1, "error"), ("a", 0, 4, 5, 2, "error"),
                    ("a", 0, 11, 12, 3, "error"), ("a", 0, 24, 25, 4, "ok")]
    assert (makespan, failed) == (25, [])


def test_a_factor_of_one_waits_the_same_each_time(solution):
    runs, *_ = run_sim(solution, [Task("a", 2)], 1, retry=RetryPolicy(3, 5, 1),
                       failures=FailurePlan({"a": 2}))
    assert [run[2] for run in runs] == [0, 7, 14]


def test_a_zero_base_retries_at_the_same_moment_edge(solution):
    tasks = [Task("a", 2), Task("b", 1)]
    runs, makespan, *_ = run_sim(solution, tasks, 1, retry=RetryPolicy(3, 0, 2),
                                 failures=FailurePlan({"a": 2}))
    assert runs == [("a", 0, 0, 2, 1, "error"), ("a", 0, 2, 4, 2, "error"),
                    ("a", 0, 4, 6, 3, "ok"), ("b", 0, 6, 7, 1, "ok")]
    assert makespan == 7


def test_the_worker_is_free_while_a_task_waits_for_its_retry(solution):
    tasks = [Task("a", 2), Task("b", 3), Task("c", 1)]
    runs, makespan, *_ = run_sim(solution, tasks, 1, retry=RetryPolicy(2, 10, 2),
                                 failures=FailurePlan({"a": 1}))
    assert runs == [("b", 0, 0, 3, 1, "ok"), ("a", 0, 3, 5, 1, "error"), ("c", 0, 5, 6, 1, "ok"),
                    ("a", 0, 15, 17, 2, "ok")]
    assert makespan == 17


def test_a_retried_task_keeps_its_critical_path_rank(solution):
    # At time 3 the retry of "long" (rank 8) and "mid" (rank 4, ready since 0) compete.
    tasks = [Task("long", 3), Task("tail", 5, ("long",)), Task("mid", 4), Task("tiny", 1)]
    runs, makespan, *_ = run_sim(solution, tasks, 1, retry=RetryPolicy(2, 0, 2),
                                 failures=FailurePlan({"long": 1}))
    assert [run[0] for run in runs] == ["long", "long", "tail", "mid", "tiny"]
    assert makespan == 16


def test_fifo_retries_rejoin_at_their_new_ready_time(solution):
    tasks = [Task("a", 2), Task("b", 2), Task("c", 2)]
    runs, *_ = run_sim(solution, tasks, 1, "fifo", retry=RetryPolicy(2, 0, 2),
                       failures=FailurePlan({"a": 1}))
    assert [(run[0], run[4]) for run in runs] == [("a", 1), ("b", 1), ("c", 1), ("a", 2)]


def test_invalid_retry_policies_raise_edge(solution):
    tasks = [Task("a", 1)]
    for policy in (RetryPolicy(0, 1, 2), RetryPolicy(3, -1, 2), RetryPolicy(3, 1, 0)):
        with pytest.raises(ValueError):
            solution.simulate(tasks, 1, retry=policy)


# -- failures ----------------------------------------------------------------------------------


def test_a_task_out_of_attempts_fails_and_skips_everything_downstream(solution):
    tasks = [Task("root", 1), Task("child", 1, ("root",)), Task("grandchild", 1, ("child",)),
             Task("great", 1, ("grandchild",)), Task("other", 2)]
    runs, makespan, failed, skipped, cancelled = run_sim(
        solution, tasks, 2, retry=RetryPolicy(2, 1, 2), failures=FailurePlan({"root": 9}))
    assert [run[0] for run in runs if run[0] != "other"] == ["root", "root"]
    assert (failed, skipped, cancelled) == (["root"], ["child", "grandchild", "great"], [])
    assert makespan == 3


def test_independent_work_continues_after_a_failure(solution):
    tasks = [Task("bad", 1), Task("after", 4, ("bad",)), Task("x", 3), Task("y", 3, ("x",)),
             Task("z", 2, ("y",))]
    runs, makespan, failed, skipped, _ = run_sim(solution, tasks, 2,
                                                 failures=FailurePlan({"bad": 1}))
    assert failed == ["bad"] and skipped == ["after"]
    assert {run[0] for run in runs} == {"bad", "x", "y", "z"}
    assert makespan == 8


def test_a_task_with_one_failed_dependency_is_skipped_edge(solution):
    tasks = [Task("good", 1), Task("bad", 5), Task("both", 1, ("good", "bad")),
             Task("only_good", 1, ("good",))]
    _, _, failed, skipped, _ = outcome(solution, tasks, 2, failures=FailurePlan({"bad": 1}))
    assert (failed, skipped) == (["bad"], ["both"])


def test_the_failure_plan_is_asked_once_per_attempt_with_the_task(solution):
    plan = RecordingPlan({"a": 2})
    tasks = [Task("a", 3), Task("b", 4, ("a",))]
    run_sim(solution, tasks, 1, retry=RetryPolicy(3, 1, 2), failures=plan)
    assert sorted(plan.asked) == [("a", 3, 1), ("a", 3, 2), ("a", 3, 3), ("b", 4, 1)]


def test_a_straggler_changes_only_its_own_attempt(solution):
    tasks = [Task("a", 2), Task("b", 2, ("a",))]
    runs, makespan, *_ = run_sim(solution, tasks, 1, retry=RetryPolicy(2, 1, 2),
                                 failures=FailurePlan({"a": 1}, {("a", 1): 7, ("b", 1): 1}))
    assert runs == [("a", 0, 0, 7, 1, "error"), ("a", 0, 8, 10, 2, "ok"), ("b", 0, 10, 11, 1, "ok")]
    assert makespan == 11


# -- timeouts ----------------------------------------------------------------------------------


def test_an_attempt_longer_than_the_timeout_is_stopped_there(solution):
    tasks = [Task("t", 3, (), 5), Task("next", 1, ("t",))]
    runs, makespan, failed, skipped, _ = run_sim(
        solution, tasks, 1, retry=RetryPolicy(2, 2, 2), failures=FailurePlan({}, {("t", 1): 50}))
    assert runs == [("t", 0, 0, 5, 1, "timeout"), ("t", 0, 7, 10, 2, "ok"),
                    ("next", 0, 10, 11, 1, "ok")]
    assert (makespan, failed, skipped) == (11, [], [])


def test_an_attempt_exactly_as_long_as_the_timeout_succeeds_edge(solution):
    tasks = [Task("t", 5, (), 5)]
    assert run_sim(solution, tasks, 1) == ([("t", 0, 0, 5, 1, "ok")], 5, [], [], [])
    runs, *_ = run_sim(solution, tasks, 1, failures=FailurePlan({}, {("t", 1): 6}))
    assert runs == [("t", 0, 0, 5, 1, "timeout")]


def test_a_timeout_wins_over_an_error_edge(solution):
    tasks = [Task("t", 9, (), 4)]
    runs, makespan, failed, *_ = run_sim(solution, tasks, 1, failures=FailurePlan({"t": 1}))
    assert runs == [("t", 0, 0, 4, 1, "timeout")]
    assert (makespan, failed) == (4, ["t"])


def test_a_task_that_always_times_out_fails_after_its_attempts(solution):
    tasks = [Task("hang", 10, (), 2), Task("after", 1, ("hang",)), Task("free", 1)]
    runs, makespan, failed, skipped, _ = outcome(solution, tasks, 1, retry=RetryPolicy(3, 1, 3))
    assert [run[5] for run in runs if run[0] == "hang"] == ["timeout"] * 3
    assert (makespan, failed, skipped) == (2 + 1 + 2 + 3 + 2, ["hang"], ["after"])


# -- cancellation ------------------------------------------------------------------------------


def test_cancel_before_start_skips_the_task_and_its_dependents(solution):
    tasks = [Task("a", 5), Task("b", 2, ("a",)), Task("c", 1, ("b",)), Task("d", 1)]
    runs, makespan, failed, skipped, cancelled = run_sim(solution, tasks, 1, cancel={"b": 3})
    assert [run[0] for run in runs] == ["a", "d"]
    assert (makespan, failed, skipped, cancelled) == (6, [], ["c"], ["b"])


def test_cancel_at_time_zero_stops_a_root_edge(solution):
    tasks = [Task("root", 4), Task("leaf", 1, ("root",)), Task("side", 2)]
    assert run_sim(solution, tasks, 2, cancel={"root": 0}) == (
        [("side", 0, 0, 2, 1, "ok")], 2, [], ["leaf"], ["root"])


def test_cancel_arriving_when_the_task_would_start_wins_edge(solution):
    tasks = [Task("a", 3), Task("b", 2, ("a",))]
    assert run_sim(solution, tasks, 1, cancel={"b": 3}) == (
        [("a", 0, 0, 3, 1, "ok")], 3, [], [], ["b"])


def test_cancel_after_the_task_started_changes_nothing_edge(solution):
    tasks = [Task("a", 3), Task("b", 2, ("a",))]
    plain = run_sim(solution, tasks, 1)
    assert run_sim(solution, tasks, 1, cancel={"a": 1}) == plain
    assert run_sim(solution, tasks, 1, cancel={"b": 4, "a": 99}) == plain
    # A task waiting for its retry has started: the cancellation is ignored.
    runs, _, failed, _, cancelled = run_sim(solution, [Task("r", 1)], 1, retry=RetryPolicy(2, 5, 2),
                                            failures=FailurePlan({"r": 1}), cancel={"r": 3})
    assert [run[4] for run in runs] == [1, 2] and (failed, cancelled) == ([], [])


def test_cancel_of_an_already_skipped_task_keeps_it_skipped_edge(solution):
    tasks = [Task("a", 1), Task("b", 1, ("a",)), Task("c", 1, ("b",))]
    result = run_sim(solution, tasks, 1, failures=FailurePlan({"a": 1}), cancel={"c": 4})
    assert result[2:] == (["a"], ["b", "c"], [])


def test_cancellations_at_the_same_time_apply_together_edge(solution):
    tasks = [Task("up", 2), Task("mid", 1, ("up",)), Task("low", 1, ("mid",)), Task("x", 3)]
    result = run_sim(solution, tasks, 1, cancel={"low": 0, "up": 0})
    assert result == ([("x", 0, 0, 3, 1, "ok")], 3, [], ["mid"], ["low", "up"])


def test_cancelling_an_unknown_task_raises_edge(solution):
    with pytest.raises(ValueError):
        solution.simulate([Task("a", 1)], 1, cancel={"nobody": 0})


# -- the whole picture -------------------------------------------------------------------------


def test_defaults_behave_exactly_like_level_two(solution):
    tasks = random_dag(60, seed=31)
    plain = run_sim(solution, tasks, 3)
    assert run_sim(solution, tasks, 3, retry=RetryPolicy(), failures=FailurePlan(),
                   cancel={}) == plain
    assert run_sim(solution, tasks, 3, retry=None, failures=None, cancel=None) == plain


def test_failures_timeouts_and_cancels_match_the_model_on_random_dags(solution):
    for seed in range(8):
        rng = random.Random(100 + seed)
        tasks = random_dag(rng.randint(20, 60), seed=seed, max_deps=3, max_duration=6)
        tasks = [t._replace(timeout=rng.choice([None, None, 3, 5])) for t in tasks]
        plan = FailurePlan({t.name: rng.choice([0, 0, 0, 1, 2, 5]) for t in tasks},
                           {(t.name, k): rng.randint(1, 9) for t in tasks for k in (1, 2, 3)
                            if rng.random() < 0.2})
        retry = RetryPolicy(rng.randint(1, 3), rng.randint(0, 3), rng.randint(1, 3))
        cancel = {t.name: rng.randint(0, 30) for t in tasks if rng.random() < 0.15}
        workers, policy = rng.randint(1, 4), rng.choice(["critical_path", "fifo"])
        got = run_sim(solution, tasks, workers, policy, retry=retry, failures=plan, cancel=cancel)
        assert got == expect(tasks, workers, policy, retry, plan, cancel), f"case {seed}"


def test_a_large_dag_with_failures_is_simulated_within_the_time_limit(solution):
    rng = random.Random(7)
    tasks = random_dag(3000, seed=8, max_deps=3)
    plan = FailurePlan({t.name: rng.choice([0] * 8 + [1, 2]) for t in tasks})
    result = solution.simulate(tasks, 16, retry=RetryPolicy(3, 2, 2), failures=plan)
    assert len(result.runs) == len(tasks) + sum(plan.fail_first.values())
    assert list(result.failed) == [] and list(result.skipped) == []
    deps = {t.name: t.deps for t in tasks}
    done_at = {run.task: run.end for run in result.runs if run.outcome == "ok"}
    busy = {}
    for run in result.runs:
        assert busy.get(run.worker, 0) <= run.start, "a worker ran two attempts at once"
        busy[run.worker] = run.end
        for dep in deps[run.task]:
            assert done_at[dep] <= run.start, f"{run.task} started before {dep} succeeded"
