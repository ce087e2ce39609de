"""Fault-tolerant task scheduler: an average solution.

Levels 1 to 3 are right, but the simulation is one long function that
handles every kind of event inline, and the input checks are repeated. The
executor runs the graph in waves: it submits every job that is ready, waits
for the whole wave, then starts the next, so a dependent waits for unrelated
long jobs.
"""

from __future__ import annotations

import heapq
import random
import time
from concurrent.futures import ThreadPoolExecutor
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
    names = set(t.name for t in tasks)
    if len(names) != len(tasks):
        raise ValueError("duplicate task name")
    deps = {}
    for t in tasks:
        for d in t.deps:
            if d not in names:
                raise ValueError("unknown dependency " + d)
        deps[t.name] = sorted(set(t.deps))
    children = {n: [] for n in deps}
    for n in deps:
        for d in deps[n]:
            children[d].append(n)
    count = {n: len(deps[n]) for n in deps}
    heap = [n for n in deps if count[n] == 0]
    heapq.heapify(heap)
    result = []
    while heap:
        n = heapq.heappop(heap)
        result.append(n)
        for c in children[n]:
            count[c] -= 1
            if count[c] == 0:
                heapq.heappush(heap, c)
    if len(result) != len(deps):
        raise CycleError(find_cycle(deps))
    return result


def find_cycle(deps):
    state = {}
    for root in sorted(deps):
        if root in state:
            continue
        path = [root]
        iters = [iter(deps[root])]
        state[root] = "grey"
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path[-1]] = "black"
                path.pop()
                iters.pop()
            elif state.get(nxt) == "grey":
                i = path.index(nxt)
                return path[i:] + [nxt]
            elif nxt not in state:
                state[nxt] = "grey"
                path.append(nxt)
                iters.append(iter(deps[nxt]))
    return []


# -- Levels 2 and 3: simulating k workers ------------------------------------------------------


def simulate(tasks, workers, policy="critical_path", retry=None, failures=None, cancel=None):
    if workers < 1:
        raise ValueError("bad workers")
    if policy != "critical_path" and policy != "fifo":
        raise ValueError("bad policy")
    order = topo_order(tasks)
    if retry is None:
        retry = RetryPolicy()
    if retry.max_attempts < 1 or retry.base < 0 or retry.factor < 1:
        raise ValueError("bad retry policy")
    if failures is None:
        failures = FailurePlan()
    if cancel is None:
        cancel = {}
    by = {t.name: t for t in tasks}
    for n in cancel:
        if n not in by:
            raise ValueError("unknown task " + n)
    children = {n: [] for n in by}
    for t in tasks:
        for d in set(t.deps):
            children[d].append(t.name)
    rank = {}
    for n in reversed(order):
        best = 0
        for c in children[n]:
            if rank[c] > best:
                best = rank[c]
        rank[n] = by[n].duration + best
    left = {t.name: len(set(t.deps)) for t in tasks}
    status = {n: "waiting" for n in by}
    tries = {n: 0 for n in by}
    ready = []
    events = []
    free = list(range(workers))
    runs = []
    for n in order:
        if left[n] == 0:
            if policy == "fifo":
                heapq.heappush(ready, (0, n))
            else:
                heapq.heappush(ready, (-rank[n], n))
    for n, when in cancel.items():
        heapq.heappush(events, (when, 2, n, None))
    now = 0
    while True:
        cancelled_now = []
        while events and events[0][0] <= now:
            when, kind, n, run = heapq.heappop(events)
            if kind == 0:
                heapq.heappush(free, run.worker)
                if run.outcome == "ok":
                    status[n] = "done"
                    for c in children[n]:
                        left[c] -= 1
                        if left[c] == 0 and status[c] == "waiting":
                            if policy == "fifo":
                                heapq.heappush(ready, (now, c))
                            else:
                                heapq.heappush(ready, (-rank[c], c))
                elif run.attempt < retry.max_attempts:
                    wait = retry.base * retry.factor ** (run.attempt - 1)
                    heapq.heappush(events, (now + wait, 1, n, None))
                else:
                    status[n] = "failed"
                    stack = [n]
                    while stack:
                        x = stack.pop()
                        for c in children[x]:
                            if status[c] == "waiting":
                                status[c] = "skipped"
                                stack.append(c)
            elif kind == 1:
                if policy == "fifo":
                    heapq.heappush(ready, (now, n))
                else:
                    heapq.heappush(ready, (-rank[n], n))
            else:
                cancelled_now.append(n)
        hit = [n for n in cancelled_now if status[n] == "waiting"]
        for n in hit:
            status[n] = "cancelled"
        for n in hit:
            stack = [n]
            while stack:
                x = stack.pop()
                for c in children[x]:
                    if status[c] == "waiting":
                        status[c] = "skipped"
                        stack.append(c)
        while free and ready:
            _, n = heapq.heappop(ready)
            if status[n] != "waiting" and status[n] != "started":
                continue
            w = heapq.heappop(free)
            tries[n] += 1
            status[n] = "started"
            a = failures.attempt(by[n], tries[n])
            t = by[n].timeout
            if t is not None and a.duration > t:
                run = Run(n, w, now, now + t, tries[n], "timeout")
            elif a.fails:
                run = Run(n, w, now, now + a.duration, tries[n], "error")
            else:
                run = Run(n, w, now, now + a.duration, tries[n], "ok")
            runs.append(run)
            heapq.heappush(events, (run.end, 0, n, run))
        if not events:
            break
        now = events[0][0]
    runs.sort(key=lambda r: (r.start, r.worker))
    makespan = 0
    for r in runs:
        if r.end > makespan:
            makespan = r.end
    failed = sorted(n for n in status if status[n] == "failed")
    skipped = sorted(n for n in status if status[n] == "skipped")
    cancelled = sorted(n for n in status if status[n] == "cancelled")
    return Schedule(runs, makespan, failed, skipped, cancelled)


# -- Level 4: a real executor ------------------------------------------------------------------


def call_job(fn, retry, sleep):
    n = 1
    while True:
        try:
            return True, fn()
        except Exception as e:
            if n >= retry.max_attempts:
                return False, e
            sleep(retry.base * retry.factor ** (n - 1))
            n += 1


def run_parallel(jobs, workers, retry=None, sleep=time.sleep):
    if workers < 1:
        raise ValueError("bad workers")
    order = topo_order([Task(j.name, 1, j.deps) for j in jobs])
    if retry is None:
        retry = RetryPolicy()
    fns = {j.name: j.fn for j in jobs}
    deps = {j.name: set(j.deps) for j in jobs}
    results, failed, skipped = {}, {}, []
    done = set()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        remaining = list(order)
        while remaining:
            wave = [n for n in remaining if deps[n] <= done]
            bad = [n for n in remaining if deps[n] & (set(failed) | set(skipped))]
            for n in bad:
                skipped.append(n)
                remaining.remove(n)
            wave = [n for n in wave if n not in bad]
            if not wave:
                continue
            futures = {n: pool.submit(call_job, fns[n], retry, sleep) for n in wave}
            for n in wave:
                ok, value = futures[n].result()
                if ok:
                    results[n] = value
                    done.add(n)
                else:
                    failed[n] = value
                remaining.remove(n)
    return RunReport(results, failed, sorted(skipped))
