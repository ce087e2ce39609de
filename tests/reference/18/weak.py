"""GPU cluster scheduling: placement, a 3D-parallelism planner, failures and a
trace-driven comparison of FIFO with EASY backfilling.

Everything is plain Python and exact: times are integers and every ratio is a
Fraction. QUESTION.md describes every level. Keep the names and signatures;
add private helpers freely. Standard library only. The constants, the result
types, the cost model of level 2 and the trace of level 4 below are provided.
"""

from __future__ import annotations

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


# -- Level 1: placement -------------------------------------------------------------------------


class Cluster:
    def __init__(self, nodes):
        self.free = [8] * nodes
        self.jobs = {}

    def allocate(self, job_id, gpus):
        # first node with room, otherwise take GPUs from several nodes
        for n in range(len(self.free)):
            if self.free[n] >= gpus:
                start = 8 - self.free[n]
                self.free[n] -= gpus
                self.jobs[job_id] = [(n, start + i) for i in range(gpus)]
                return self.jobs[job_id]
        if sum(self.free) < gpus:
            return None
        got = []
        for n in range(len(self.free)):
            while self.free[n] > 0 and len(got) < gpus:
                got.append((n, 8 - self.free[n]))
                self.free[n] -= 1
        self.jobs[job_id] = got
        return got

    def release(self, job_id):
        got = self.jobs.pop(job_id)
        for n, g in got:
            self.free[n] += 1
        return len(got)

    def free_gpus(self):
        return self.free

    def placement(self, job_id):
        return self.jobs.get(job_id)

    def fail_node(self, node):
        raise NotImplementedError

    def repair_node(self, node):
        raise NotImplementedError


# -- Level 2: the 3D-parallelism planner -------------------------------------------------------


def layouts(model: Model, gpus: int) -> list[tuple[int, int, int]]:
    """Every valid (tp, pp, dp) with tp * pp * dp == gpus, sorted by tp and then pp."""
    out = []
    for tp in TP_SIZES:
        for pp in range(1, gpus + 1):
            if gpus % (tp * pp) == 0:
                out.append((tp, pp, gpus // (tp * pp)))
    return out


def memory_per_gpu(model: Model, tp: int, pp: int, dp: int, zero_stage: int = 0) -> Fraction:
    """Bytes one GPU holds: its share of the model states plus its activations."""
    return model.params * 16 / (tp * pp * dp) + model.activation_bytes / tp


def plan(model: Model, gpus: int, gpu_memory: int, cost: CostModel,
         zero_stage: int = 0) -> Plan | None:
    """The fitting layout with the highest cost.throughput; ties to the smaller tp, then pp."""
    raise NotImplementedError


# -- Level 3: failures and checkpoints ---------------------------------------------------------


def run_with_failures(work: int, interval: int, checkpoint_cost: int, restart_cost: int,
                      failures: Sequence[int]) -> Run:
    """Run one job through a trace of failure times, restarting from its last checkpoint."""
    raise NotImplementedError


def young_daly_interval(checkpoint_cost: int, mtbf: int) -> int:
    """sqrt(2 * checkpoint_cost * mtbf) rounded to the nearest integer, at least 1, exactly."""
    raise NotImplementedError


def checkpoint_plan(checkpoint_cost: int, mtbf: int) -> CheckpointPlan:
    """The Young/Daly interval, its expected overhead and the work one failure loses."""
    raise NotImplementedError


# -- Level 4: FIFO and EASY backfilling -------------------------------------------------------


def simulate(jobs: Sequence[Job], nodes: int, policy: str) -> Schedule:
    """Run a trace on Cluster(nodes) under "fifo" or "easy"."""
    raise NotImplementedError
