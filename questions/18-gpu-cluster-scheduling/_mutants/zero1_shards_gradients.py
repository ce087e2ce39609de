"""Mutant: ZeRO stage 1 shards the gradients as well as the optimizer state
(that is stage 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise
from math import isqrt
from typing import NamedTuple

# -- provided: constants and result types -----------------------------------------------------

GPUS_PER_NODE = 8                     # every node has 8 GPUs, numbered 0..7 inside it
TP_SIZES = (1, 2, 4, 8)               # tensor-parallel degrees: a tensor group stays in one node
WEIGHT_BYTES = 2                      # bf16 weights, per parameter
GRAD_BYTES = 2                        # bf16 gradients, per parameter
OPTIMIZER_BYTES = 12                  # fp32 master weights and two Adam moments, per parameter
TP_SLOWDOWN = {1: Fraction(1), 2: Fraction(11, 10), 4: Fraction(6, 5), 8: Fraction(7, 5)}
POLICIES = ("fifo", "easy")


class Model(NamedTuple):
    """A model to train (level 2)."""

    params: int             # number of parameters
    layers: int             # transformer layers; the pipeline degree must divide it
    micro_batches: int      # micro-batches in one global batch; the data degree must divide it
    activation_bytes: int   # activations of one micro-batch through all layers, at tp = 1


class Plan(NamedTuple):
    """The layout chosen by plan() (level 2)."""

    tp: int
    pp: int
    dp: int
    memory: Fraction        # bytes per GPU, from memory_per_gpu
    throughput: Fraction    # from the cost model


class Run(NamedTuple):
    """One job run through a failure trace (level 3)."""

    wall_time: int          # when the job finished
    lost_work: int          # seconds of computation thrown away by failures
    checkpoints: int        # checkpoints completed
    restarts: int           # failures that hit the job
    goodput: Fraction       # work / wall_time


class CheckpointPlan(NamedTuple):
    """The Young/Daly checkpoint interval and what it costs (level 3)."""

    interval: int           # seconds of computation between checkpoints
    overhead: Fraction      # expected share of wall time lost to checkpoints and failures
    expected_lost: Fraction  # expected computation lost by one failure


class Job(NamedTuple):
    """One job of a trace (level 4)."""

    job_id: str
    submit: int             # seconds
    gpus: int
    duration: int           # seconds; exact and known to the scheduler


class Schedule(NamedTuple):
    """The outcome of simulate() (level 4)."""

    starts: dict[str, int]  # job id -> start time
    average_wait: Fraction  # mean of start - submit
    makespan: int           # last end minus first submit
    utilisation: Fraction   # busy GPU-seconds / (all GPUs * makespan)


class CostModel:
    """The throughput model of level 2 (provided; do not change it).

    Each call of ``throughput`` stands for one profiling run of a layout, which on
    a real cluster costs minutes; ``calls`` counts them. The hidden tests pass
    their own cost models (some with other numbers), so take every throughput
    from the ``cost`` object you are given.
    """

    def __init__(self, ms_per_billion_params: int = 400,
                 network_bytes_per_ms: int = 25_000_000) -> None:
        self.ms_per_billion_params = ms_per_billion_params    # one micro-batch on one GPU
        self.network_bytes_per_ms = network_bytes_per_ms      # per GPU: 25 GB/s
        self.calls = 0

    def throughput(self, model: Model, tp: int, pp: int, dp: int,
                   zero_stage: int = 0) -> Fraction:
        """Micro-batches per second of one training step with this layout."""
        self.calls += 1
        if (tp not in TP_SIZES or pp < 1 or dp < 1 or model.layers % pp
                or model.micro_batches % dp or zero_stage not in (0, 1, 2, 3)):
            raise ValueError(f"not a valid layout: tp={tp} pp={pp} dp={dp} zero={zero_stage}")
        micro = model.micro_batches // dp
        stage_ms = (Fraction(model.params * self.ms_per_billion_params, 10**9 * tp * pp)
                    * TP_SLOWDOWN[tp])
        pipeline_ms = (micro + pp - 1) * stage_ms
        grad_bytes = Fraction(GRAD_BYTES * model.params, tp * pp)
        traffic = Fraction(2 * (dp - 1), dp) * grad_bytes
        if zero_stage == 3:
            traffic *= Fraction(3, 2)         # parameters are gathered again
        step_ms = pipeline_ms + traffic / self.network_bytes_per_ms
        return 1000 * model.micro_batches / step_ms


def sample_trace() -> list[Job]:
    """The trace of level 4: 4 nodes (32 GPUs)."""
    rows = [
        ("a", 0, 16, 100), ("b", 0, 8, 50), ("c", 10, 32, 60), ("d", 20, 4, 40),
        ("e", 20, 8, 30), ("f", 30, 2, 80), ("g", 40, 24, 50), ("h", 50, 4, 60),
    ]
    return [Job(*row) for row in rows]


# -- Level 1: placement -------------------------------------------------------------------------

GPU = tuple[int, int]


def check_job_size(gpus: int) -> None:
    """Raise ValueError for a size no placement rule covers."""
    if gpus < 1:
        raise ValueError("a job needs at least one GPU")
    if gpus > GPUS_PER_NODE and gpus % GPUS_PER_NODE:
        raise ValueError(f"a multi-node job needs a multiple of {GPUS_PER_NODE} GPUs, not {gpus}")


class Cluster:
    """Nodes of GPUS_PER_NODE GPUs; jobs are placed whole or not at all."""

    def __init__(self, nodes: int) -> None:
        if nodes < 1:
            raise ValueError("a cluster needs at least one node")
        self._free = [set(range(GPUS_PER_NODE)) for _ in range(nodes)]
        self._down: set[int] = set()
        self._jobs: dict[str, list[GPU]] = {}

    # Level 1

    def allocate(self, job_id: str, gpus: int) -> list[GPU] | None:
        """Place a job; return its GPUs sorted, or None (and change nothing)."""
        check_job_size(gpus)
        if job_id in self._jobs:
            raise ValueError(f"job {job_id!r} is already placed")
        if gpus <= GPUS_PER_NODE:
            chosen = self._best_fit(gpus)
        else:
            chosen = self._whole_nodes(gpus // GPUS_PER_NODE)
        if chosen is None:
            return None
        for node, gpu in chosen:
            self._free[node].discard(gpu)
        self._jobs[job_id] = chosen
        return list(chosen)

    def release(self, job_id: str) -> int:
        """Free every GPU of a placed job; return how many."""
        gpus = self._pop(job_id)
        return len(gpus)

    def free_gpus(self) -> list[int]:
        """Free GPUs per node; a node that is down has none."""
        return [0 if node in self._down else len(free) for node, free in enumerate(self._free)]

    def placement(self, job_id: str) -> list[GPU] | None:
        """The GPUs of a placed job, sorted, or None."""
        found = self._jobs.get(job_id)
        return list(found) if found is not None else None

    # Level 3

    def fail_node(self, node: int) -> list[str]:
        """Take a node down; stop and release every job on it, in allocation order."""
        self._check_node(node)
        self._down.add(node)
        hit = [job for job, gpus in self._jobs.items() if any(n == node for n, _ in gpus)]
        for job in hit:
            self._pop(job)
        return hit

    def repair_node(self, node: int) -> None:
        """Bring a node back with all its GPUs free."""
        self._check_node(node)
        self._down.discard(node)

    # helpers

    def clone(self) -> Cluster:
        """An independent copy, for trying placements out."""
        twin = Cluster.__new__(Cluster)
        twin._free = [set(free) for free in self._free]
        twin._down = set(self._down)
        twin._jobs = dict(self._jobs)
        return twin

    def _healthy(self) -> list[int]:
        return [node for node in range(len(self._free)) if node not in self._down]

    def _best_fit(self, gpus: int) -> list[GPU] | None:
        fits = [(len(self._free[n]), n) for n in self._healthy() if len(self._free[n]) >= gpus]
        if not fits:
            return None
        _, node = min(fits)
        return [(node, gpu) for gpu in sorted(self._free[node])[:gpus]]

    def _whole_nodes(self, count: int) -> list[GPU] | None:
        empty = [n for n in self._healthy() if len(self._free[n]) == GPUS_PER_NODE]
        if len(empty) < count:
            return None
        return [(node, gpu) for node in empty[:count] for gpu in range(GPUS_PER_NODE)]

    def _pop(self, job_id: str) -> list[GPU]:
        if job_id not in self._jobs:
            raise ValueError(f"job {job_id!r} is not placed")
        gpus = self._jobs.pop(job_id)
        for node, gpu in gpus:
            self._free[node].add(gpu)
        return gpus

    def _check_node(self, node: int) -> None:
        if not 0 <= node < len(self._free):
            raise ValueError(f"no node {node}")


# -- Level 2: the 3D-parallelism planner -------------------------------------------------------


def _check_layout(model: Model, tp: int, pp: int, dp: int) -> None:
    if tp not in TP_SIZES or pp < 1 or dp < 1 or model.layers % pp or model.micro_batches % dp:
        raise ValueError(f"not a valid layout: tp={tp} pp={pp} dp={dp}")


def layouts(model: Model, gpus: int) -> list[tuple[int, int, int]]:
    """Every valid (tp, pp, dp) with tp * pp * dp == gpus, by tp and then pp."""
    if gpus < 1:
        raise ValueError("need at least one GPU")
    found = []
    for tp in TP_SIZES:
        for pp in range(1, gpus // tp + 1):
            dp, rest = divmod(gpus, tp * pp)
            if not rest and not model.layers % pp and not model.micro_batches % dp:
                found.append((tp, pp, dp))
    return found


def _state_bytes_per_param(dp: int, zero_stage: int) -> Fraction:
    sharded = {0: (), 1: ("optimizer", "grads"), 2: ("optimizer", "grads"),
               3: ("optimizer", "grads", "weights")}[zero_stage]
    parts = {"weights": WEIGHT_BYTES, "grads": GRAD_BYTES, "optimizer": OPTIMIZER_BYTES}
    return sum((Fraction(size, dp) if name in sharded else Fraction(size)
                for name, size in parts.items()), Fraction(0))


def memory_per_gpu(model: Model, tp: int, pp: int, dp: int, zero_stage: int = 0) -> Fraction:
    """Bytes one GPU holds: its share of the model states plus its activations."""
    _check_layout(model, tp, pp, dp)
    if zero_stage not in (0, 1, 2, 3):
        raise ValueError(f"no ZeRO stage {zero_stage}")
    states = Fraction(model.params, tp * pp) * _state_bytes_per_param(dp, zero_stage)
    in_flight = min(pp, model.micro_batches // dp)
    activations = Fraction(model.activation_bytes * in_flight, tp * pp)
    return states + activations


def plan(model: Model, gpus: int, gpu_memory: int, cost: CostModel,
         zero_stage: int = 0) -> Plan | None:
    """The fitting layout of highest throughput; ties go to the smaller tp, then pp."""
    best: Plan | None = None
    for tp, pp, dp in layouts(model, gpus):
        memory = memory_per_gpu(model, tp, pp, dp, zero_stage)
        if memory > gpu_memory:
            continue
        speed = Fraction(cost.throughput(model, tp, pp, dp, zero_stage))
        if best is None or speed > best.throughput:
            best = Plan(tp, pp, dp, memory, speed)
    return best


# -- Level 3: failures --------------------------------------------------------------------------


def _check_run(work: int, interval: int, checkpoint_cost: int, restart_cost: int,
               failures: Sequence[int]) -> None:
    if min(work, interval) < 1 or min(checkpoint_cost, restart_cost) < 0:
        raise ValueError("need work >= 1, interval >= 1 and costs >= 0")
    times = [-1, *failures]
    if any(a >= b for a, b in pairwise(times)):
        raise ValueError("failure times must be >= 0 and strictly increasing")


class _Job:
    """The state of one job running through a failure trace."""

    def __init__(self, work: int, interval: int, checkpoint_cost: int, restart_cost: int):
        self.work, self.interval = work, interval
        self.checkpoint_cost, self.restart_cost = checkpoint_cost, restart_cost
        self.saved = self.lost = self.checkpoints = self.restarts = 0
        self.now = 0

    def segment(self) -> int:
        return min(self.interval, self.work - self.saved)

    def run_until(self, failure: int | None) -> bool:
        """Compute and checkpoint until the failure time; True when the work is done."""
        while True:
            piece = self.segment()
            if failure is not None and failure < self.now + piece:
                self.lost += failure - self.now
                return False
            self.now += piece
            if self.saved + piece == self.work:
                return True
            if failure is not None and failure < self.now + self.checkpoint_cost:
                self.lost += piece
                return False
            self.now += self.checkpoint_cost
            self.saved += piece
            self.checkpoints += 1

    def fail(self, failures: Sequence[int], index: int) -> int:
        """Restart at failures[index]; return the index of the first failure after it."""
        self.restarts += 1
        self.now = failures[index] + self.restart_cost
        index += 1
        while index < len(failures) and failures[index] < self.now:
            self.restarts += 1
            self.now = failures[index] + self.restart_cost
            index += 1
        return index


def run_with_failures(work: int, interval: int, checkpoint_cost: int, restart_cost: int,
                      failures: Sequence[int]) -> Run:
    """Run one job through a trace of failure times, restarting from its last checkpoint."""
    failures = list(failures)
    _check_run(work, interval, checkpoint_cost, restart_cost, failures)
    job = _Job(work, interval, checkpoint_cost, restart_cost)
    index = 0
    while True:
        upcoming = failures[index] if index < len(failures) else None
        if job.run_until(upcoming):
            break
        index = job.fail(failures, index)
    return Run(job.now, job.lost, job.checkpoints, job.restarts, Fraction(work, job.now))


def young_daly_interval(checkpoint_cost: int, mtbf: int) -> int:
    """sqrt(2 * checkpoint_cost * mtbf), rounded to the nearest integer, at least 1."""
    if checkpoint_cost < 0 or mtbf < 1:
        raise ValueError("need checkpoint_cost >= 0 and mtbf >= 1")
    square = 2 * checkpoint_cost * mtbf
    root = isqrt(square)
    if square > root * root + root:          # sqrt(square) >= root + 1/2
        root += 1
    return max(1, root)


def checkpoint_plan(checkpoint_cost: int, mtbf: int) -> CheckpointPlan:
    """The Young/Daly interval, its expected overhead and the work one failure loses."""
    interval = young_daly_interval(checkpoint_cost, mtbf)
    overhead = Fraction(checkpoint_cost, interval) + Fraction(interval, 2 * mtbf)
    return CheckpointPlan(interval, overhead, Fraction(interval, 2))


# -- Level 4: FIFO and EASY backfilling -------------------------------------------------------


def _check_trace(jobs: Sequence[Job], nodes: int, policy: str) -> None:
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    if nodes < 1:
        raise ValueError("a cluster needs at least one node")
    if len({job.job_id for job in jobs}) != len(jobs):
        raise ValueError("job ids must be unique")
    for job in jobs:
        _check_job(job, nodes)


def _check_job(job: Job, nodes: int) -> None:
    check_job_size(job.gpus)
    if job.gpus > nodes * GPUS_PER_NODE or job.duration < 1 or job.submit < 0:
        raise ValueError(f"job {job.job_id!r} can never run")


class _Simulation:
    """The cluster, the running jobs and the queue of one trace-driven run."""

    def __init__(self, jobs: Sequence[Job], nodes: int, policy: str) -> None:
        self.cluster = Cluster(nodes)
        self.policy = policy
        self.pending = sorted(jobs, key=lambda job: job.submit)   # stable: ties keep trace order
        self.queue: list[Job] = []
        self.ends: dict[str, int] = {}           # running job -> end time
        self.starts: dict[str, int] = {}

    def events(self) -> int | None:
        times = [job.submit for job in self.pending[:1]] + list(self.ends.values())
        return min(times) if times else None

    def step(self, now: int) -> None:
        for job_id in [j for j, end in self.ends.items() if end == now]:
            self.cluster.release(job_id)
            del self.ends[job_id]
        while self.pending and self.pending[0].submit == now:
            self.queue.append(self.pending.pop(0))
        self.start_heads(now)
        if self.policy == "easy" and self.queue:
            self.backfill(now)

    def start(self, job: Job, now: int, cluster: Cluster) -> bool:
        if cluster.allocate(job.job_id, job.gpus) is None:
            return False
        self.starts[job.job_id] = now
        self.ends[job.job_id] = now + job.duration
        return True

    def start_heads(self, now: int) -> None:
        while self.queue and self.start(self.queue[0], now, self.cluster):
            self.queue.pop(0)

    def backfill(self, now: int) -> None:
        head = self.queue[0]
        reservation = earliest_start(self.cluster, self.ends, head)
        for job in list(self.queue[1:]):
            trial = self.cluster.clone()
            if trial.allocate(job.job_id, job.gpus) is None:
                continue
            ends = {**self.ends, job.job_id: now + job.duration}
            if earliest_start(trial, ends, head) <= reservation:
                self.start(job, now, self.cluster)
                self.queue.remove(job)


def earliest_start(cluster: Cluster, ends: dict[str, int], job: Job) -> int:
    """When ``job`` could start if no other job started: release running jobs by end time."""
    trial = cluster.clone()
    for end in sorted(set(ends.values())):
        for job_id in [j for j, e in ends.items() if e == end]:
            trial.release(job_id)
        if trial.allocate(job.job_id, job.gpus) is not None:
            return end
    raise ValueError(f"job {job.job_id!r} never fits")


def simulate(jobs: Sequence[Job], nodes: int, policy: str) -> Schedule:
    """Run a trace with the level 1 placement rules under FIFO or EASY backfilling."""
    jobs = list(jobs)
    _check_trace(jobs, nodes, policy)
    if not jobs:
        return Schedule({}, Fraction(0), 0, Fraction(0))
    sim = _Simulation(jobs, nodes, policy)
    now = sim.events()
    while now is not None:
        sim.step(now)
        now = sim.events()
    starts = {job.job_id: sim.starts[job.job_id] for job in jobs}
    wait = Fraction(sum(starts[job.job_id] - job.submit for job in jobs), len(jobs))
    makespan = max(starts[j.job_id] + j.duration for j in jobs) - min(j.submit for j in jobs)
    busy = sum(job.gpus * job.duration for job in jobs)
    return Schedule(starts, wait, makespan, Fraction(busy, nodes * GPUS_PER_NODE * makespan))
