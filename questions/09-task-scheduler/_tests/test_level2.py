"""Level 2 hidden tests: simulating k workers with critical-path and FIFO priorities.

Expected schedules come from a trusted, deliberately plain model of
QUESTION.md's simulation and from this file's own copies of the generators.
"""

import itertools
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


def assert_valid_schedule(tasks, workers, runs):
    """Every task once, after its dependencies, one task per worker at a time."""
    by_name = {t.name: t for t in tasks}
    assert sorted(run.task for run in runs) == sorted(by_name)
    end = {run.task: run.end for run in runs}
    per_worker = {}
    for run in runs:
        assert 0 <= run.worker < workers
        assert run.end - run.start == by_name[run.task].duration
        for dep in by_name[run.task].deps:
            assert end[dep] <= run.start, f"{run.task} started before {dep} ended"
        per_worker.setdefault(run.worker, []).append((run.start, run.end))
    for spans in per_worker.values():
        spans.sort()
        for (_, first_end), (second_start, _) in itertools.pairwise(spans):
            assert first_end <= second_start, "a worker ran two tasks at once"
    assert list(runs) == sorted(runs, key=lambda run: (run.start, run.worker))


# -- the basics --------------------------------------------------------------------------------


def test_a_single_task_runs_on_worker_zero_from_time_zero(solution):
    assert run_sim(solution, [Task("only", 7)], 3) == ([("only", 0, 0, 7, 1, "ok")], 7, [], [], [])


def test_a_chain_runs_back_to_back(solution):
    tasks = [Task("c", 3, ("b",)), Task("a", 2), Task("b", 4, ("a",))]
    runs, makespan, *_ = run_sim(solution, tasks, 2)
    assert runs == [("a", 0, 0, 2, 1, "ok"), ("b", 0, 2, 6, 1, "ok"), ("c", 0, 6, 9, 1, "ok")]
    assert makespan == 9


def test_independent_tasks_fill_the_workers_in_number_order(solution):
    tasks = [Task(name, 5) for name in "dcba"]
    runs, makespan, *_ = run_sim(solution, tasks, 3)
    assert runs == [("a", 0, 0, 5, 1, "ok"), ("b", 1, 0, 5, 1, "ok"), ("c", 2, 0, 5, 1, "ok"),
                    ("d", 0, 5, 10, 1, "ok")]
    assert makespan == 10


def test_a_task_starts_when_its_last_dependency_ends(solution):
    tasks = [Task("slow", 9), Task("quick", 2), Task("join", 1, ("quick", "slow"))]
    runs, makespan, *_ = run_sim(solution, tasks, 2)
    assert ("join", 0, 9, 10, 1, "ok") in runs
    assert makespan == 10


def test_the_result_is_a_schedule_with_empty_failure_lists(solution):
    result = solution.simulate([Task("a", 1), Task("b", 2, ("a",))], 1)
    assert result.makespan == 3
    assert list(result.failed) == [] and list(result.skipped) == [] and list(result.cancelled) == []
    assert result.runs[0] == Run("a", 0, 0, 1)


# -- priorities --------------------------------------------------------------------------------


def test_critical_path_rank_includes_the_task_own_duration(solution):
    # rank: solo 5, head 1 + 3 = 4, tail 3: solo goes first on the only worker.
    tasks = [Task("head", 1), Task("tail", 3, ("head",)), Task("solo", 5)]
    runs, _, *_ = run_sim(solution, tasks, 1)
    assert [run[0] for run in runs] == ["solo", "head", "tail"]


def test_critical_path_prefers_the_longest_remaining_path(solution):
    tasks = [Task("a", 2), Task("b", 2), Task("c", 1), Task("d", 6, ("c",)),
             Task("e", 1, ("a",))]
    runs, makespan, *_ = run_sim(solution, tasks, 1)
    assert [run[0] for run in runs] == ["c", "d", "a", "b", "e"]
    assert makespan == 12


def test_equal_ranks_go_to_the_smaller_name_edge(solution):
    tasks = [Task("m", 4), Task("k", 2, ()), Task("j", 2, ("k",)), Task("b", 4)]
    runs, _, *_ = run_sim(solution, tasks, 1)
    # b, k and m all have rank 4; once k is done, j (rank 2) waits behind m.
    assert [run[0] for run in runs] == ["b", "k", "m", "j"]


def test_free_workers_are_taken_lowest_number_first_edge(solution):
    # Workers 1 and 2 are idle long before worker 0; at time 5 all three are free.
    tasks = [Task("x", 5), Task("y", 2), Task("z", 3), Task("p", 4, ("x",)), Task("q", 1, ("x",))]
    runs, makespan, *_ = run_sim(solution, tasks, 3)
    assert runs == [("x", 0, 0, 5, 1, "ok"), ("z", 1, 0, 3, 1, "ok"), ("y", 2, 0, 2, 1, "ok"),
                    ("p", 0, 5, 9, 1, "ok"), ("q", 1, 5, 6, 1, "ok")]
    assert makespan == 9


def test_fifo_takes_tasks_in_the_order_they_became_ready(solution):
    tasks = [Task("a", 1), Task("z", 1, ("a",)), Task("m", 3), Task("b", 1, ("m",)),
             Task("c", 10)]
    runs, makespan, *_ = run_sim(solution, tasks, 1, "fifo")
    assert [run[0] for run in runs] == ["a", "c", "m", "z", "b"]
    assert makespan == 16


def test_fifo_ties_at_the_same_ready_time_go_by_name_edge(solution):
    tasks = [Task("root", 2), Task("delta", 1, ("root",)), Task("alpha", 1, ("root",)),
             Task("charlie", 1, ("root",))]
    runs, _, *_ = run_sim(solution, tasks, 2, "fifo")
    assert runs == [("root", 0, 0, 2, 1, "ok"), ("alpha", 0, 2, 3, 1, "ok"),
                    ("charlie", 1, 2, 3, 1, "ok"), ("delta", 0, 3, 4, 1, "ok")]


def test_critical_path_beats_fifo_on_the_adversarial_dag(solution):
    tasks = adversarial_dag()
    critical = run_sim(solution, tasks, 2, "critical_path")
    fifo = run_sim(solution, tasks, 2, "fifo")
    assert critical == expect(tasks, 2, "critical_path")
    assert fifo == expect(tasks, 2, "fifo")
    assert (critical[1], fifo[1]) == (150, 200)


# -- edges -------------------------------------------------------------------------------------


def test_no_tasks_give_an_empty_schedule_edge(solution):
    for policy in ("critical_path", "fifo"):
        assert run_sim(solution, [], 4, policy) == ([], 0, [], [], [])


def test_more_workers_than_tasks_edge(solution):
    tasks = [Task("a", 3), Task("b", 1), Task("c", 2, ("b",))]
    runs, makespan, *_ = run_sim(solution, tasks, 10)
    assert runs == [("a", 0, 0, 3, 1, "ok"), ("b", 1, 0, 1, 1, "ok"), ("c", 1, 1, 3, 1, "ok")]
    assert makespan == 3


def test_one_worker_runs_everything_back_to_back_edge(solution):
    tasks = random_dag(40, seed=4)
    runs, makespan, *_ = run_sim(solution, tasks, 1)
    assert makespan == sum(t.duration for t in tasks)
    assert all(run[1] == 0 for run in runs)
    assert (runs, makespan) == expect(tasks, 1)[:2]


def test_bad_worker_count_and_unknown_policy_raise_edge(solution):
    tasks = [Task("a", 1)]
    for workers in (0, -2):
        with pytest.raises(ValueError):
            solution.simulate(tasks, workers)
    with pytest.raises(ValueError):
        solution.simulate(tasks, 2, "shortest_first")


def test_simulate_checks_its_input_like_topo_order_edge(solution):
    with pytest.raises(solution.CycleError) as err:
        solution.simulate([Task("a", 1, ("b",)), Task("b", 1, ("a",))], 2)
    assert list(err.value.cycle) == ["a", "b", "a"]
    with pytest.raises(ValueError, match="ghost"):
        solution.simulate([Task("a", 1, ("ghost",))], 2)
    with pytest.raises(ValueError):
        solution.simulate([Task("a", 1), Task("a", 1)], 2)


# -- against the model -------------------------------------------------------------------------


def test_schedules_match_the_model_on_random_dags(solution):
    for seed, n, workers in ((11, 60, 2), (12, 80, 3), (13, 120, 5), (14, 50, 16)):
        tasks = random_dag(n, seed=seed, max_deps=4, max_duration=9)
        for policy in ("critical_path", "fifo"):
            assert run_sim(solution, tasks, workers, policy) == expect(
                tasks, workers, policy), (seed, policy)


def test_large_dags_give_valid_schedules_within_the_time_limit(solution):
    tasks = random_dag(5000, seed=21, max_deps=4)
    result = solution.simulate(tasks, 64)
    assert_valid_schedule(tasks, 64, result.runs)
    assert result.makespan == max(run.end for run in result.runs)
    # Forty fully connected layers of three: ranks must be computed once per task.
    layers = [[f"L{depth:02d}{k}" for k in "abc"] for depth in range(40)]
    layered = [Task(name, 1 + (depth + i) % 3, tuple(layers[depth - 1]) if depth else ())
               for depth, layer in enumerate(layers) for i, name in enumerate(layer)]
    result = solution.simulate(layered, 2)
    assert_valid_schedule(layered, 2, result.runs)
    assert [tuple(run) for run in result.runs] == expect(layered, 2)[0]


def test_makespan_on_the_fixed_dags(solution, measure):
    total = 0
    for tasks, workers in [(adversarial_dag(), 2)] + [
            (random_dag(300, seed), 8) for seed in (1, 2, 3)]:
        result = run_sim(solution, tasks, workers)
        assert result == expect(tasks, workers)
        total += result[1]
    assert total == 1350
    measure("makespan", total)
