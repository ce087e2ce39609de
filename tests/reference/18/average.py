"""GPU cluster scheduling: placement, a 3D-parallelism planner, failures and a
trace-driven comparison of FIFO with EASY backfilling.

Everything is plain Python and exact: times are integers and every ratio is a
Fraction. QUESTION.md describes every level. Keep the names and signatures;
add private helpers freely. Standard library only. The constants, the result
types, the cost model of level 2 and the trace of level 4 below are provided.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from fractions import Fraction
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


# -- Level 1 ------------------------------------------------------------------------------------


class Cluster:
    def __init__(self, nodes: int) -> None:
        if nodes < 1:
            raise ValueError("nodes")
        self.nodes = nodes
        self.used = [[None] * GPUS_PER_NODE for _ in range(nodes)]   # job id per GPU
        self.down = [False] * nodes
        self.order = []

    def allocate(self, job_id, gpus):
        if gpus < 1 or (gpus > 8 and gpus % 8 != 0):
            raise ValueError("bad size")
        if job_id in self.order:
            raise ValueError("already placed")
        result = []
        if gpus <= 8:
            best = None
            for n in range(self.nodes):
                if self.down[n]:
                    continue
                free = 0
                for g in range(8):
                    if self.used[n][g] is None:
                        free += 1
                if free >= gpus:
                    if best is None or free < best[0]:
                        best = (free, n)
            if best is None:
                return None
            n = best[1]
            for g in range(8):
                if self.used[n][g] is None and len(result) < gpus:
                    result.append((n, g))
        else:
            need = gpus // 8
            whole = []
            for n in range(self.nodes):
                if not self.down[n] and all(x is None for x in self.used[n]):
                    whole.append(n)
            if len(whole) < need:
                return None
            for n in whole[:need]:
                for g in range(8):
                    result.append((n, g))
        for n, g in result:
            self.used[n][g] = job_id
        self.order.append(job_id)
        return result

    def release(self, job_id):
        if job_id not in self.order:
            raise ValueError("not placed")
        count = 0
        for n in range(self.nodes):
            for g in range(8):
                if self.used[n][g] == job_id:
                    self.used[n][g] = None
                    count += 1
        self.order.remove(job_id)
        return count

    def free_gpus(self):
        out = []
        for n in range(self.nodes):
            if self.down[n]:
                out.append(0)
            else:
                out.append(sum(1 for x in self.used[n] if x is None))
        return out

    def placement(self, job_id):
        if job_id not in self.order:
            return None
        return [(n, g) for n in range(self.nodes) for g in range(8) if self.used[n][g] == job_id]

    def fail_node(self, node):
        if node < 0 or node >= self.nodes:
            raise ValueError("node")
        if self.down[node]:
            return []
        hit = []
        for job in self.order:
            if job in self.used[node]:
                hit.append(job)
        for job in hit:
            self.release(job)
        self.down[node] = True
        return hit

    def repair_node(self, node):
        if node < 0 or node >= self.nodes:
            raise ValueError("node")
        self.down[node] = False


# -- Level 2 ------------------------------------------------------------------------------------


def layouts(model, gpus):
    if gpus < 1:
        raise ValueError("gpus")
    out = []
    for tp in TP_SIZES:
        for pp in range(1, gpus + 1):
            if gpus % (tp * pp) == 0:
                dp = gpus // (tp * pp)
                if model.layers % pp == 0 and model.micro_batches % dp == 0:
                    out.append((tp, pp, dp))
    return out


def memory_per_gpu(model, tp, pp, dp, zero_stage=0):
    if tp not in TP_SIZES or pp < 1 or dp < 1 or model.layers % pp or model.micro_batches % dp:
        raise ValueError("layout")
    if zero_stage == 0:
        per = Fraction(WEIGHT_BYTES + GRAD_BYTES + OPTIMIZER_BYTES)
    elif zero_stage == 1:
        per = WEIGHT_BYTES + GRAD_BYTES + Fraction(OPTIMIZER_BYTES, dp)
    elif zero_stage == 2:
        per = WEIGHT_BYTES + Fraction(GRAD_BYTES + OPTIMIZER_BYTES, dp)
    elif zero_stage == 3:
        per = Fraction(WEIGHT_BYTES + GRAD_BYTES + OPTIMIZER_BYTES, dp)
    else:
        raise ValueError("zero")
    states = Fraction(model.params, tp * pp) * per
    acts = Fraction(model.activation_bytes * min(pp, model.micro_batches // dp), tp * pp)
    return states + acts


def plan(model, gpus, gpu_memory, cost, zero_stage=0):
    # profile everything, then keep what fits
    results = []
    for tp, pp, dp in layouts(model, gpus):
        speed = cost.throughput(model, tp, pp, dp, zero_stage)
        results.append((tp, pp, dp, speed))
    best = None
    for tp, pp, dp, speed in results:
        mem = memory_per_gpu(model, tp, pp, dp, zero_stage)
        if mem <= gpu_memory:
            if best is None or speed > best[4]:
                best = (tp, pp, dp, mem, speed)
    if best is None:
        return None
    return Plan(best[0], best[1], best[2], best[3], Fraction(best[4]))


# -- Level 3 ------------------------------------------------------------------------------------


def run_with_failures(work, interval, checkpoint_cost, restart_cost, failures):
    if work < 1 or interval < 1 or checkpoint_cost < 0 or restart_cost < 0:
        raise ValueError("args")
    for i in range(len(failures)):
        if failures[i] < 0 or (i > 0 and failures[i] <= failures[i - 1]):
            raise ValueError("failures")
    t = 0
    saved = 0
    lost = 0
    checkpoints = 0
    restarts = 0
    i = 0
    while True:
        seg = min(interval, work - saved)
        nxt = failures[i] if i < len(failures) else None
        if nxt is not None and nxt < t + seg:
            lost += nxt - t
            restarts += 1
            t = nxt + restart_cost
            i += 1
            while i < len(failures) and failures[i] < t:
                restarts += 1
                t = failures[i] + restart_cost
                i += 1
            continue
        t += seg
        if saved + seg == work:
            break
        if nxt is not None and nxt < t + checkpoint_cost:
            lost += seg
            restarts += 1
            t = nxt + restart_cost
            i += 1
            while i < len(failures) and failures[i] < t:
                restarts += 1
                t = failures[i] + restart_cost
                i += 1
            continue
        t += checkpoint_cost
        saved += seg
        checkpoints += 1
    return Run(t, lost, checkpoints, restarts, Fraction(work, t))


def young_daly_interval(checkpoint_cost, mtbf):
    if checkpoint_cost < 0 or mtbf < 1:
        raise ValueError("args")
    x = 2 * checkpoint_cost * mtbf
    r = math.isqrt(x)
    if (2 * r + 1) ** 2 <= 4 * x:
        r += 1
    if r < 1:
        r = 1
    return r


def checkpoint_plan(checkpoint_cost, mtbf):
    t = young_daly_interval(checkpoint_cost, mtbf)
    return CheckpointPlan(t, Fraction(checkpoint_cost, t) + Fraction(t, 2 * mtbf), Fraction(t, 2))


# -- Level 4 ------------------------------------------------------------------------------------


def head_start(cluster, running, head):
    c = copy.deepcopy(cluster)
    for end in sorted(set(running.values())):
        for j in list(running):
            if running[j] == end:
                c.release(j)
        if c.allocate(head.job_id, head.gpus) is not None:
            return end
    return None


def simulate(jobs, nodes, policy):
    if policy not in POLICIES:
        raise ValueError("policy")
    ids = set()
    for j in jobs:
        if j.job_id in ids:
            raise ValueError("dup")
        ids.add(j.job_id)
        if j.gpus < 1 or (j.gpus > 8 and j.gpus % 8) or j.gpus > 8 * nodes:
            raise ValueError("size")
        if j.duration < 1 or j.submit < 0:
            raise ValueError("job")
    cluster = Cluster(nodes)
    waiting = sorted(jobs, key=lambda j: j.submit)
    queue = []
    running = {}
    starts = {}
    t = 0
    while waiting or queue or running:
        times = [e for e in running.values()]
        if waiting:
            times.append(waiting[0].submit)
        t = min(times)
        for j in list(running):
            if running[j] == t:
                cluster.release(j)
                del running[j]
        while waiting and waiting[0].submit == t:
            queue.append(waiting.pop(0))
        while queue and cluster.allocate(queue[0].job_id, queue[0].gpus) is not None:
            starts[queue[0].job_id] = t
            running[queue[0].job_id] = t + queue[0].duration
            queue.pop(0)
        if policy == "easy" and queue:
            res = head_start(cluster, running, queue[0])
            for j in list(queue[1:]):
                # only jobs that are done before the head's reservation
                if t + j.duration <= res:
                    if cluster.allocate(j.job_id, j.gpus) is not None:
                        starts[j.job_id] = t
                        running[j.job_id] = t + j.duration
                        queue.remove(j)
    waits = [starts[j.job_id] - j.submit for j in jobs]
    end = max(starts[j.job_id] + j.duration for j in jobs)
    span = end - min(j.submit for j in jobs)
    busy = sum(j.gpus * j.duration for j in jobs)
    return Schedule({j.job_id: starts[j.job_id] for j in jobs}, Fraction(sum(waits), len(jobs)),
                    span, Fraction(busy, 8 * nodes * span))
