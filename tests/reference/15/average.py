"""Collective communication: an average candidate's solution.

Levels 1 to 3 work, written as long functions with the ring loop copied into each
collective. Level 4 sums and counts traffic correctly, but the flat ring always
takes the network's cost when there are several nodes, even when NVLink is the
slower hop, and the cost functions do not check their arguments.
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
    if parts < 1 or length < 0:
        raise ValueError("bad arguments")
    result = []
    start = 0
    for i in range(parts):
        size = length // parts
        if i < length % parts:
            size += 1
        result.append((start, start + size))
        start += size
    return result


def reduce_scatter(buffers):
    if len(buffers) == 0:
        raise ValueError("no buffers")
    for b in buffers:
        if len(b) != len(buffers[0]):
            raise ValueError("lengths differ")
    n = len(buffers)
    bufs = [list(b) for b in buffers]
    bounds = chunk_bounds(len(bufs[0]), n)
    steps = []
    for s in range(n - 1):
        step = []
        data = []
        for r in range(n):
            c = (r - 1 - s) % n
            step.append(Send(r, c, (r + 1) % n))
            data.append(bufs[r][bounds[c][0]:bounds[c][1]])
        for i in range(n):
            send = step[i]
            a, b = bounds[send.chunk]
            for k in range(a, b):
                bufs[send.dst][k] = bufs[send.dst][k] + data[i][k - a]
        steps.append(step)
    return RingResult(bufs, steps)


def all_gather(buffers):
    if len(buffers) == 0:
        raise ValueError("no buffers")
    for b in buffers:
        if len(b) != len(buffers[0]):
            raise ValueError("lengths differ")
    n = len(buffers)
    bufs = [list(b) for b in buffers]
    bounds = chunk_bounds(len(bufs[0]), n)
    steps = []
    for s in range(n - 1):
        step = []
        data = []
        for r in range(n):
            c = (r - s) % n
            step.append(Send(r, c, (r + 1) % n))
            data.append(bufs[r][bounds[c][0]:bounds[c][1]])
        for i in range(n):
            send = step[i]
            a, b = bounds[send.chunk]
            for k in range(a, b):
                bufs[send.dst][k] = data[i][k - a]
        steps.append(step)
    return RingResult(bufs, steps)


def ring_allreduce(buffers):
    first = reduce_scatter(buffers)
    second = all_gather(first.buffers)
    return RingResult(second.buffers, first.steps + second.steps)


# -- Level 2 -------------------------------------------------------------------------------------


def allreduce_time(algorithm, n_bytes, n_ranks, link):
    if n_bytes < 0 or n_ranks < 1 or link.alpha_us < 0 or link.bytes_per_s < 1:
        raise ValueError("bad arguments")
    beta = Fraction(1000000, link.bytes_per_s)
    if algorithm == "ring":
        return 2 * (n_ranks - 1) * link.alpha_us + Fraction(2 * (n_ranks - 1), n_ranks) * n_bytes * beta
    elif algorithm == "recursive_doubling":
        if n_ranks & (n_ranks - 1) != 0:
            raise ValueError("not a power of two")
        steps = 0
        while (1 << steps) < n_ranks:
            steps += 1
        return steps * (link.alpha_us + n_bytes * beta)
    elif algorithm == "naive":
        return 2 * (n_ranks - 1) * (link.alpha_us + n_bytes * beta)
    else:
        raise ValueError("unknown algorithm")


def best_algorithm(n_bytes, n_ranks, link):
    best = None
    best_time = None
    for name in ALGORITHMS:
        if name == "recursive_doubling" and n_ranks & (n_ranks - 1) != 0:
            continue
        t = allreduce_time(name, n_bytes, n_ranks, link)
        if best_time is None or t < best_time:
            best = name
            best_time = t
    return best


def crossover(first, second, n_ranks, link):
    # both are lines: time(n) = a + b * n
    a1 = allreduce_time(first, 0, n_ranks, link)
    b1 = allreduce_time(first, 1, n_ranks, link) - a1
    a2 = allreduce_time(second, 0, n_ranks, link)
    b2 = allreduce_time(second, 1, n_ranks, link) - a2
    if a2 < a1:
        return 0
    if b2 >= b1:
        return None
    lo, hi = 0, MAX_CROSSOVER_BYTES
    if allreduce_time(second, hi, n_ranks, link) >= allreduce_time(first, hi, n_ranks, link):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if allreduce_time(second, mid, n_ranks, link) < allreduce_time(first, mid, n_ranks, link):
            hi = mid
        else:
            lo = mid + 1
    return lo


# -- Level 3 -------------------------------------------------------------------------------------


def stage_order(schedule, stages, micro_batches, stage):
    if stages < 1 or micro_batches < 1 or stage < 0 or stage >= stages:
        raise ValueError("bad arguments")
    order = []
    if schedule == "gpipe":
        for j in range(micro_batches):
            order.append(("F", j))
        for j in range(micro_batches):
            order.append(("B", j))
    elif schedule == "1f1b":
        w = min(stages - stage - 1, micro_batches)
        for j in range(w):
            order.append(("F", j))
        for i in range(micro_batches - w):
            order.append(("F", w + i))
            order.append(("B", i))
        for j in range(micro_batches - w, micro_batches):
            order.append(("B", j))
    else:
        raise ValueError("unknown schedule")
    return order


def pipeline(schedule, stages, micro_batches, forward=1, backward=2):
    if forward < 1 or backward < 1 or stages < 1:
        raise ValueError("bad arguments")
    orders = [stage_order(schedule, stages, micro_batches, s) for s in range(stages)]
    done = {}
    timeline = [[] for _ in range(stages)]
    position = [0] * stages
    free = [0] * stages
    remaining = stages * micro_batches * 2
    while remaining > 0:
        for s in range(stages):
            while position[s] < len(orders[s]):
                kind, j = orders[s][position[s]]
                if kind == "F":
                    if s > 0 and ("F", s - 1, j) not in done:
                        break
                    ready = done[("F", s - 1, j)] if s > 0 else 0
                    length = forward
                else:
                    if s < stages - 1:
                        if ("B", s + 1, j) not in done:
                            break
                        ready = done[("B", s + 1, j)]
                    else:
                        ready = done[("F", s, j)]
                    length = backward
                start = max(free[s], ready)
                timeline[s].append(Slot(start, start + length, kind, j))
                done[(kind, s, j)] = start + length
                free[s] = start + length
                position[s] += 1
                remaining -= 1
    makespan = 0
    busy = 0
    for row in timeline:
        for slot in row:
            makespan = max(makespan, slot.end)
            busy += slot.end - slot.start
    peaks = []
    for order in orders:
        live = 0
        peak = 0
        for kind, _ in order:
            if kind == "F":
                live += 1
            else:
                live -= 1
            if live > peak:
                peak = live
        peaks.append(peak)
    bubble = Fraction(stages * makespan - busy, stages * makespan)
    return PipelineResult(timeline, makespan, bubble, peaks)


# -- Level 4 -------------------------------------------------------------------------------------


def hierarchical_allreduce(buffers, gpus_per_node):
    if len(buffers) == 0 or gpus_per_node < 1 or len(buffers) % gpus_per_node != 0:
        raise ValueError("bad shape")
    for b in buffers:
        if len(b) != len(buffers[0]):
            raise ValueError("lengths differ")
    g = gpus_per_node
    m = len(buffers) // g
    n = len(buffers[0])
    bufs = [list(b) for b in buffers]
    nvlink = [0] * len(bufs)
    network = [0] * len(bufs)
    local_bounds = chunk_bounds(n, g)
    # phase 1: reduce-scatter inside each node
    for node in range(m):
        ranks = list(range(node * g, node * g + g))
        result = reduce_scatter([bufs[r] for r in ranks])
        for i, r in enumerate(ranks):
            bufs[r] = result.buffers[i]
        for step in result.steps:
            for send in step:
                a, b = local_bounds[send.chunk]
                nvlink[ranks[send.src]] += (b - a) * ELEMENT_BYTES
    # phase 2: allreduce across nodes on each local chunk
    for local in range(g):
        a, b = local_bounds[local]
        ranks = [node * g + local for node in range(m)]
        result = ring_allreduce([bufs[r][a:b] for r in ranks])
        sub = chunk_bounds(b - a, m)
        for i, r in enumerate(ranks):
            bufs[r][a:b] = result.buffers[i]
        for step in result.steps:
            for send in step:
                x, y = sub[send.chunk]
                network[ranks[send.src]] += (y - x) * ELEMENT_BYTES
    # phase 3: all-gather inside each node
    for node in range(m):
        ranks = list(range(node * g, node * g + g))
        result = all_gather([bufs[r] for r in ranks])
        for i, r in enumerate(ranks):
            bufs[r] = result.buffers[i]
        for step in result.steps:
            for send in step:
                a, b = local_bounds[send.chunk]
                nvlink[ranks[send.src]] += (b - a) * ELEMENT_BYTES
    return HierarchicalResult(bufs, nvlink, network)


def hierarchical_time(n_bytes, nodes, gpus_per_node, nvlink, network):
    g, m = gpus_per_node, nodes
    t = 2 * (g - 1) * (nvlink.alpha_us + Fraction(n_bytes, g) * Fraction(1000000, nvlink.bytes_per_s))
    t += 2 * (m - 1) * (network.alpha_us + Fraction(n_bytes, g * m) * Fraction(1000000, network.bytes_per_s))
    return t


def flat_ring_time(n_bytes, nodes, gpus_per_node, nvlink, network):
    n = nodes * gpus_per_node
    if nodes > 1:
        link = network
    else:
        link = nvlink
    return 2 * (n - 1) * (link.alpha_us + Fraction(n_bytes, n) * Fraction(1000000, link.bytes_per_s))
