"""Collective communication: a weak candidate's solution.

The chunks put the whole remainder at the end, the allreduce adds everything up
directly and passes every chunk around the ring in every step, the all-gather and
the crossover were never written, the costs are floats, and levels 3 and 4 were
not started.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

# -- provided ----------------------------------------------------------------------------------

ELEMENT_BYTES = 4                      # every buffer element stands for one 4-byte value
MAX_CROSSOVER_BYTES = 2 ** 40          # crossover() looks at message sizes 0 .. this
ALGORITHMS = ("ring", "recursive_doubling", "naive")   # also the order that breaks ties


class Send(NamedTuple):
    """One message of a ring step: rank ``src`` sends chunk ``chunk`` to rank ``dst``."""

    src: int
    chunk: int
    dst: int


class RingResult(NamedTuple):
    """The buffers after a ring collective, and its steps (each a list of Sends by src)."""

    buffers: list[list[int]]
    steps: list[list[Send]]


class Link(NamedTuple):
    """A link of the alpha-beta model: latency in microseconds, bandwidth in bytes per second."""

    alpha_us: int
    bytes_per_s: int


class Slot(NamedTuple):
    """One pass on one stage: kind "F" (forward) or "B" (backward) of micro-batch ``micro``."""

    start: int
    end: int
    kind: str
    micro: int


class PipelineResult(NamedTuple):
    """A simulated pipeline schedule."""

    timeline: list[list[Slot]]         # timeline[stage]: its passes in execution order
    makespan: int                      # end of the last pass of any stage
    bubble: Fraction                   # idle share of all stage-time, exactly
    peak_activations: list[int]        # per stage: most micro-batches held at once


class HierarchicalResult(NamedTuple):
    """The buffers after a hierarchical allreduce, and the bytes each rank sent per link kind."""

    buffers: list[list[int]]
    nvlink_bytes: list[int]
    network_bytes: list[int]


# -- Level 1 -------------------------------------------------------------------------------------


def chunk_bounds(length, parts):
    size = length // parts
    result = []
    for i in range(parts):
        if i == parts - 1:
            result.append((i * size, length))
        else:
            result.append((i * size, (i + 1) * size))
    return result


def ring_allreduce(buffers):
    n = len(buffers)
    total = [0] * len(buffers[0])
    for b in buffers:
        for i in range(len(b)):
            total[i] += b[i]
    steps = []
    for s in range(n - 1):
        step = []
        for r in range(n):
            for c in range(n):
                step.append(Send(r, c, (r + 1) % n))
        steps.append(step)
    return RingResult([total for _ in range(n)], steps)


def reduce_scatter(buffers):
    result = ring_allreduce(buffers)
    return RingResult(result.buffers, result.steps)


def all_gather(buffers):
    raise NotImplementedError


# -- Level 2 -------------------------------------------------------------------------------------


def allreduce_time(algorithm, n_bytes, n_ranks, link):
    beta = 1 / link.bytes_per_s * 1000000
    if algorithm == "ring":
        return 2 * (n_ranks - 1) * link.alpha_us + 2 * (n_ranks - 1) / n_ranks * n_bytes * beta
    if algorithm == "recursive_doubling":
        import math
        return math.log2(n_ranks) * (link.alpha_us + n_bytes * beta)
    return 2 * (n_ranks - 1) * (link.alpha_us + n_bytes * beta)


def best_algorithm(n_bytes, n_ranks, link):
    times = {}
    for name in ALGORITHMS:
        times[name] = allreduce_time(name, n_bytes, n_ranks, link)
    return min(times, key=times.get)


def crossover(first, second, n_ranks, link):
    raise NotImplementedError


# -- Level 3 -------------------------------------------------------------------------------------


def stage_order(schedule, stages, micro_batches, stage):
    raise NotImplementedError


def pipeline(schedule, stages, micro_batches, forward=1, backward=2):
    raise NotImplementedError


# -- Level 4 -------------------------------------------------------------------------------------


def hierarchical_allreduce(buffers, gpus_per_node):
    raise NotImplementedError


def hierarchical_time(n_bytes, nodes, gpus_per_node, nvlink, network):
    raise NotImplementedError


def flat_ring_time(n_bytes, nodes, gpus_per_node, nvlink, network):
    raise NotImplementedError
