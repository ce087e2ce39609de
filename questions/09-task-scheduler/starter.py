"""A fault-tolerant task scheduler: a dependency order, a simulation on k
workers that puts the critical path first, retries with backoff, timeouts and
cancellation, then a real thread-pool executor under the same rules.

Fill in the functions; QUESTION.md describes every level. Keep the names and
signatures; add private helpers freely. Standard library only. ``Task``,
``Run``, ``Schedule``, ``RetryPolicy``, ``Attempt``, ``FailurePlan``, ``Job``,
``RunReport``, ``CycleError``, ``random_dag`` and ``adversarial_dag`` are
provided: leave them as they are.
"""

from __future__ import annotations

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


def topo_order(tasks: Sequence[Task]) -> list[str]:
    """Every task name, each after all of its dependencies; ready ties go to the smallest name.

    ValueError for a duplicate task name or an unknown dependency; CycleError
    (with the cycle described in QUESTION.md) when the dependencies loop.
    """
    raise NotImplementedError


# -- Levels 2 and 3: simulating k workers ------------------------------------------------------


def simulate(tasks: Sequence[Task], workers: int, policy: str = "critical_path",
             retry: RetryPolicy | None = None, failures: FailurePlan | None = None,
             cancel: Mapping[str, int] | None = None) -> Schedule:
    """Run the tasks on ``workers`` simulated workers and report every attempt.

    Level 2: ``policy`` is "critical_path" or "fifo"; every attempt succeeds.
    Level 3: ``retry``, ``failures`` (a FailurePlan), task timeouts and
    ``cancel`` (task name -> the time its cancellation arrives).
    """
    raise NotImplementedError


# -- Level 4: a real executor ------------------------------------------------------------------


def run_parallel(jobs: Sequence[Job], workers: int, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> RunReport:
    """Run every job's fn on a pool of ``workers`` threads, respecting dependencies.

    A job starts once all its dependencies have succeeded; a failing fn is
    retried under ``retry``, waiting ``sleep(delay)`` before each retry; the
    dependents of a job that fails for good are skipped.
    """
    raise NotImplementedError
