"""Mutant: every step scans all tasks for the smallest ready name, which is correct
but quadratic: 20,000 tasks take far longer than the time limit.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, NamedTuple

# -- provided ----------------------------------------------------------------------------------


class Task(NamedTuple):
    """A unit of work for the simulation: its name, how long it runs, what it waits for."""

    name: str
    duration: int
    deps: tuple[str, ...] = ()
    timeout: int | None = None


class Run(NamedTuple):
    """One attempt of one task on one worker, from ``start`` to ``end``."""

    task: str
    worker: int
    start: int
    end: int
    attempt: int = 1
    outcome: str = "ok"          # "ok", "error" or "timeout"


class Schedule(NamedTuple):
    """The outcome of ``simulate``: every attempt, the makespan, and what did not run."""

    runs: list[Run]
    makespan: int
    failed: Sequence[str] = ()       # names, sorted
    skipped: Sequence[str] = ()      # names, sorted
    cancelled: Sequence[str] = ()    # names, sorted


class RetryPolicy(NamedTuple):
    """At most ``max_attempts`` attempts; after failed attempt n, wait base * factor ** (n - 1)."""

    max_attempts: int = 1
    base: int = 0
    factor: int = 2


class Attempt(NamedTuple):
    """How one attempt goes: how long it runs, and whether it ends in an error."""

    duration: int
    fails: bool = False


class FailurePlan:
    """Decides, deterministically, how every attempt of every task goes.

    ``fail_first[name] = n``: the first n attempts of that task end in an error.
    ``durations[(name, number)] = d``: attempt ``number`` of that task runs for d
    (a straggler) instead of the task's duration.
    """

    def __init__(self, fail_first: Mapping[str, int] | None = None,
                 durations: Mapping[tuple[str, int], int] | None = None) -> None:
        self.fail_first = dict(fail_first or {})
        self.durations = dict(durations or {})

    def attempt(self, task: Task, number: int) -> Attempt:
        """How attempt ``number`` (1 for the first) of ``task`` goes."""
        duration = self.durations.get((task.name, number), task.duration)
        return Attempt(duration, number <= self.fail_first.get(task.name, 0))


class Job(NamedTuple):
    """A unit of real work for ``run_parallel``: ``fn()`` is called with no arguments."""

    name: str
    fn: Callable[[], Any]
    deps: tuple[str, ...] = ()


class RunReport(NamedTuple):
    """The outcome of ``run_parallel``."""

    results: dict[str, Any]              # job name -> what its fn returned
    failed: dict[str, Exception]         # job name -> the exception of its last attempt
    skipped: list[str]                   # jobs never called because a dependency failed


class CycleError(ValueError):
    """The dependencies contain a cycle; ``cycle`` is the path, first name repeated at the end."""

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = list(cycle)
        super().__init__("dependency cycle: " + " -> ".join(self.cycle))


def random_dag(n: int, seed: int = 0, max_deps: int = 3, max_duration: int = 20) -> list[Task]:
    """A deterministic random DAG of ``n`` tasks named t000, t001, ... in a shuffled list.

    Every dependency of a task has a smaller number, so there is never a cycle.
    """
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


def adversarial_dag() -> list[Task]:
    """A DAG on which taking ready tasks in arrival order is slow on 2 workers.

    A chain z0 -> z1 -> ... -> z9 of ten tasks of 10 sits beside twenty
    independent tasks a00 ... a19 of 10 each.
    """
    chain = [Task(f"z{i}", 10, (f"z{i - 1}",) if i else ()) for i in range(10)]
    side = [Task(f"a{i:02d}", 10) for i in range(20)]
    return side + chain


# -- Level 1: a dependency order ---------------------------------------------------------------


def _graph(tasks: Sequence[Task | Job]) -> dict[str, list[str]]:
    """Each name -> its distinct dependencies in name order; ValueError on bad input."""
    deps: dict[str, list[str]] = {}
    for task in tasks:
        if task.name in deps:
            raise ValueError(f"duplicate task name {task.name!r}")
        deps[task.name] = sorted(set(task.deps))
    for name, needed in deps.items():
        for dep in needed:
            if dep not in deps:
                raise ValueError(f"task {name!r} depends on unknown task {dep!r}")
    return deps


def _dependents(deps: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each name -> the names that depend on it, in name order."""
    result: dict[str, list[str]] = {name: [] for name in deps}
    for name in sorted(deps):
        for dep in deps[name]:
            result[dep].append(name)
    return result


def _find_cycle(deps: dict[str, list[str]]) -> list[str]:
    """The first cycle a depth-first walk meets: roots and dependencies in name order."""
    colour: dict[str, int] = {}          # 1: on the current path, 2: finished
    for root in sorted(deps):
        if root in colour:
            continue
        path, where, stack = [root], {root: 0}, [iter(deps[root])]
        colour[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                stack.pop()
            elif colour.get(nxt) == 1:
                return [*path[where[nxt]:], nxt]
            elif nxt not in colour:
                colour[nxt], where[nxt] = 1, len(path)
                path.append(nxt)
                stack.append(iter(deps[nxt]))
    raise AssertionError("no cycle found")


def _order(deps: dict[str, list[str]]) -> list[str]:
    """Kahn's algorithm, smallest ready name first; CycleError if some names never get ready."""
    dependents = _dependents(deps)
    waiting = {name: len(needed) for name, needed in deps.items()}
    placed: set[str] = set()
    order = []
    while True:
        ready = [name for name, count in waiting.items() if count == 0 and name not in placed]
        if not ready:
            break
        name = min(ready)
        placed.add(name)
        order.append(name)
        for dependent in dependents[name]:
            waiting[dependent] -= 1
    if len(order) < len(deps):
        raise CycleError(_find_cycle(deps))
    return order


def topo_order(tasks: Sequence[Task]) -> list[str]:
    """Every task name, each after all of its dependencies; ready ties go to the smallest name."""
    return _order(_graph(tasks))


# -- Levels 2 and 3: simulating k workers ------------------------------------------------------

_FINISH, _RETRY, _CANCEL = 0, 1, 2          # events at the same time run in this order
_PENDING, _STARTED, _DONE = "pending", "started", "done"


def _check_retry(retry: RetryPolicy | None) -> RetryPolicy:
    policy = retry or RetryPolicy()
    if policy.max_attempts < 1 or policy.base < 0 or policy.factor < 1:
        raise ValueError(f"invalid retry policy {policy}")
    return policy


def _ranks(tasks: dict[str, Task], order: list[str],
           dependents: dict[str, list[str]]) -> dict[str, int]:
    """Critical-path rank: a task's duration plus the largest rank among its dependents."""
    rank: dict[str, int] = {}
    for name in reversed(order):
        rank[name] = tasks[name].duration + max((rank[d] for d in dependents[name]), default=0)
    return rank


class _Simulation:
    """The state of one simulate call; ``run`` plays it to the end."""

    def __init__(self, tasks: Sequence[Task], workers: int, policy: str,
                 retry: RetryPolicy, failures: FailurePlan) -> None:
        deps = _graph(tasks)
        order = _order(deps)
        self.tasks = {task.name: task for task in tasks}
        self.dependents = _dependents(deps)
        self.waiting = {name: len(needed) for name, needed in deps.items()}
        self.state = dict.fromkeys(deps, _PENDING)
        self.attempts = dict.fromkeys(deps, 0)
        rank = _ranks(self.tasks, order, self.dependents)
        if policy == "critical_path":
            self.key = lambda name, now: (-rank[name], name)
        else:
            self.key = lambda name, now: (now, name)
        self.retry, self.failures = retry, failures
        self.free = list(range(workers))
        self.ready: list[tuple[Any, str]] = []
        self.events: list[tuple[int, int, int, Any]] = []
        self.runs: list[Run] = []
        self.seq = 0
        for name in order:
            if self.waiting[name] == 0:
                self.make_ready(name, 0)

    def push(self, time: int, kind: int, payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.events, (time, kind, self.seq, payload))

    def make_ready(self, name: str, now: int) -> None:
        heapq.heappush(self.ready, (self.key(name, now), name))

    def skip_below(self, name: str) -> None:
        """Mark every pending task downstream of ``name`` as skipped."""
        stack = [name]
        while stack:
            for dependent in self.dependents[stack.pop()]:
                if self.state[dependent] == _PENDING:
                    self.state[dependent] = "skipped"
                    stack.append(dependent)

    def start(self, name: str, worker: int, now: int) -> None:
        task = self.tasks[name]
        self.attempts[name] += 1
        number = self.attempts[name]
        self.state[name] = _STARTED
        attempt = self.failures.attempt(task, number)
        if task.timeout is not None and attempt.duration > task.timeout:
            end, outcome = now + task.timeout, "timeout"
        else:
            end, outcome = now + attempt.duration, "error" if attempt.fails else "ok"
        run = Run(name, worker, now, end, number, outcome)
        self.runs.append(run)
        self.push(end, _FINISH, run)

    def finish(self, run: Run) -> None:
        heapq.heappush(self.free, run.worker)
        if run.outcome == "ok":
            self.state[run.task] = _DONE
            for dependent in self.dependents[run.task]:
                self.waiting[dependent] -= 1
                if self.waiting[dependent] == 0 and self.state[dependent] == _PENDING:
                    self.make_ready(dependent, run.end)
        elif run.attempt < self.retry.max_attempts:
            delay = self.retry.base * self.retry.factor ** (run.attempt - 1)
            self.push(run.end + delay, _RETRY, run.task)
        else:
            self.state[run.task] = "failed"
            self.skip_below(run.task)

    def cancel(self, names: list[str]) -> None:
        """Cancel together every named task that has not started, then skip below them."""
        hit = [name for name in names if self.state[name] == _PENDING]
        for name in hit:
            self.state[name] = "cancelled"
        for name in hit:
            self.skip_below(name)

    def handle(self, now: int, kind: int, payload: Any) -> None:
        if kind == _FINISH:
            self.finish(payload)
        else:
            self.make_ready(payload, now)

    def assign(self, now: int) -> None:
        while self.free and self.ready:
            _, name = heapq.heappop(self.ready)
            if self.state[name] in (_PENDING, _STARTED):
                self.start(name, heapq.heappop(self.free), now)

    def run(self) -> Schedule:
        now = 0
        while True:
            cancels = []
            while self.events and self.events[0][0] <= now:
                _, kind, _, payload = heapq.heappop(self.events)
                if kind == _CANCEL:
                    cancels.append(payload)
                else:
                    self.handle(now, kind, payload)
            self.cancel(cancels)
            self.assign(now)
            if not self.events:
                break
            now = self.events[0][0]
        return self.report()

    def report(self) -> Schedule:
        runs = sorted(self.runs, key=lambda run: (run.start, run.worker))
        makespan = max((run.end for run in runs), default=0)
        def named(state: str) -> list[str]:
            return sorted(name for name, value in self.state.items() if value == state)
        return Schedule(runs, makespan, named("failed"), named("skipped"), named("cancelled"))


def simulate(tasks: Sequence[Task], workers: int, policy: str = "critical_path",
             retry: RetryPolicy | None = None, failures: FailurePlan | None = None,
             cancel: Mapping[str, int] | None = None) -> Schedule:
    """Run the tasks on ``workers`` simulated workers and report every attempt."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if policy not in ("critical_path", "fifo"):
        raise ValueError(f"unknown policy {policy!r}")
    sim = _Simulation(tasks, workers, policy, _check_retry(retry), failures or FailurePlan())
    for name, when in (cancel or {}).items():
        if name not in sim.state:
            raise ValueError(f"cannot cancel unknown task {name!r}")
        sim.push(when, _CANCEL, name)
    return sim.run()


# -- Level 4: a real executor ------------------------------------------------------------------


def _call_with_retries(fn: Callable[[], Any], policy: RetryPolicy,
                       sleep: Callable[[float], None]) -> tuple[bool, Any]:
    """(True, value) once fn returns, or (False, the last exception) after the last attempt."""
    for number in range(1, policy.max_attempts + 1):
        try:
            return True, fn()
        except Exception as exc:  # any error of the job is a failed attempt
            if number == policy.max_attempts:
                return False, exc
            sleep(policy.base * policy.factor ** (number - 1))
    raise AssertionError("unreachable")


class _Executor:
    """One run_parallel call: the bookkeeping lives in the calling thread."""

    def __init__(self, jobs: Sequence[Job], workers: int, policy: RetryPolicy,
                 sleep: Callable[[float], None]) -> None:
        deps = _graph(jobs)
        self.order = _order(deps)
        self.fns = {job.name: job.fn for job in jobs}
        self.dependents = _dependents(deps)
        self.waiting = {name: len(needed) for name, needed in deps.items()}
        self.workers, self.policy, self.sleep = workers, policy, sleep
        self.results: dict[str, Any] = {}
        self.failed: dict[str, Exception] = {}
        self.skipped: set[str] = set()
        self.running: dict[Future, str] = {}

    def submit(self, pool: ThreadPoolExecutor, name: str) -> None:
        future = pool.submit(_call_with_retries, self.fns[name], self.policy, self.sleep)
        self.running[future] = name

    def settle(self, pool: ThreadPoolExecutor, name: str, ok: bool, value: Any) -> None:
        """Record one finished job and submit the dependents it has just released."""
        if not ok:
            self.failed[name] = value
            self.skipped |= _downstream(name, self.dependents)
            return
        self.results[name] = value
        for dependent in self.dependents[name]:
            self.waiting[dependent] -= 1
            if self.waiting[dependent] == 0:
                self.submit(pool, dependent)

    def run(self) -> RunReport:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for name in self.order:
                if self.waiting[name] == 0:
                    self.submit(pool, name)
            while self.running:
                done, _ = wait(self.running, return_when=FIRST_COMPLETED)
                for future in done:
                    self.settle(pool, self.running.pop(future), *future.result())
        return RunReport(self.results, self.failed, sorted(self.skipped))


def run_parallel(jobs: Sequence[Job], workers: int, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> RunReport:
    """Run every job's fn on a pool of ``workers`` threads, respecting dependencies."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    return _Executor(jobs, workers, _check_retry(retry), sleep).run()


def _downstream(name: str, dependents: dict[str, list[str]]) -> set[str]:
    """Every name that depends on ``name``, directly or through others."""
    seen: set[str] = set()
    stack = [name]
    while stack:
        for dependent in dependents[stack.pop()]:
            if dependent not in seen:
                seen.add(dependent)
                stack.append(dependent)
    return seen
