"""Fault-tolerant task scheduler: a weak solution.

The order is right on small inputs, but duplicate names are not checked and
the cycle is found by a recursive walk that overflows on long cycles. The
simulation ranks a task without its own duration and orders fifo by the
input list; retries wait one factor too long, timeouts and cancellations are
ignored, and the real executor was never started.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Mapping, Sequence
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


def topo_order(tasks):
    deps = {}
    for t in tasks:
        deps[t.name] = list(t.deps)
    for n in deps:
        for d in deps[n]:
            if d not in deps:
                raise ValueError("unknown dependency " + d)
    done = []
    count = {}
    for n in deps:
        count[n] = len(set(deps[n]))
    heap = []
    for n in deps:
        if count[n] == 0:
            heapq.heappush(heap, n)
    users = {n: [] for n in deps}
    for m in deps:
        for d in set(deps[m]):
            users[d].append(m)
    while heap:
        n = heapq.heappop(heap)
        done.append(n)
        for m in users[n]:
            count[m] -= 1
            if count[m] == 0:
                heapq.heappush(heap, m)
    if len(done) < len(deps):
        seen = set()
        for n in sorted(deps):
            c = visit(n, deps, [], seen)
            if c:
                raise CycleError(c)
    return done


def visit(n, deps, path, seen):
    if n in path:
        return path[path.index(n):] + [n]
    if n in seen:
        return None
    seen.add(n)
    for d in sorted(deps[n]):
        c = visit(d, deps, path + [n], seen)
        if c:
            return c
    return None


# -- Levels 2 and 3: simulating k workers ------------------------------------------------------


def simulate(tasks, workers, policy="critical_path", retry=None, failures=None, cancel=None):
    order = topo_order(tasks)
    by = {t.name: t for t in tasks}
    position = {t.name: i for i, t in enumerate(tasks)}
    rank = {}
    for n in reversed(order):
        rank[n] = 0
        for m in by:
            if n in by[m].deps:
                rank[n] = max(rank[n], rank[m] + by[m].duration)
    if retry is None:
        retry = RetryPolicy()
    finished = set()
    failed = []
    tries = {n: 0 for n in by}
    free_at = [0] * workers
    runs = []
    pending = list(order)
    now = 0
    while pending:
        ready = [n for n in pending if all(d in finished for d in by[n].deps)]
        if policy == "fifo":
            ready.sort(key=lambda n: position[n])
        else:
            ready.sort(key=lambda n: (-rank[n], n))
        for w in range(workers):
            if free_at[w] <= now and ready:
                n = ready.pop(0)
                pending.remove(n)
                tries[n] += 1
                fails = failures is not None and failures.attempt(by[n], tries[n]).fails
                end = now + by[n].duration
                runs.append(Run(n, w, now, end, tries[n], "error" if fails else "ok"))
                free_at[w] = end
                if not fails:
                    finished.add(n)
                elif tries[n] < retry.max_attempts:
                    pending.append(n)
                else:
                    failed.append(n)
        now += 1
        if now > 100000:
            break
    runs.sort(key=lambda r: (r.start, r.worker))
    makespan = max([r.end for r in runs] + [0])
    return Schedule(runs, makespan, sorted(failed))


# -- Level 4: a real executor ------------------------------------------------------------------


def run_parallel(jobs: Sequence[Job], workers: int, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> RunReport:
    """Run every job's fn on a pool of ``workers`` threads, respecting dependencies.

    A job starts once all its dependencies have succeeded; a failing fn is
    retried under ``retry``, waiting ``sleep(delay)`` before each retry; the
    dependents of a job that fails for good are skipped.
    """
    raise NotImplementedError
