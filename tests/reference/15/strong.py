"""Collective communication: ring allreduce, alpha-beta costs, pipeline schedules and a
hierarchical allreduce, all simulated exactly."""

from __future__ import annotations

from collections.abc import Callable
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


# -- Level 1: ring allreduce -------------------------------------------------------------------


def chunk_bounds(length: int, parts: int) -> list[tuple[int, int]]:
    """Split range(length) into ``parts`` contiguous chunks; the first ones take the remainder."""
    if parts < 1 or length < 0:
        raise ValueError("need parts >= 1 and length >= 0")
    size, extra = divmod(length, parts)
    bounds, start = [], 0
    for chunk in range(parts):
        end = start + size + (chunk < extra)
        bounds.append((start, end))
        start = end
    return bounds


def _copies(buffers: list[list[int]]) -> list[list[int]]:
    if not buffers:
        raise ValueError("at least one rank is needed")
    if any(len(buffer) != len(buffers[0]) for buffer in buffers):
        raise ValueError("every rank's buffer must have the same length")
    return [list(buffer) for buffer in buffers]


def _add(own: list[int], received: list[int]) -> list[int]:
    return [mine + theirs for mine, theirs in zip(own, received, strict=True)]


def _keep_received(own: list[int], received: list[int]) -> list[int]:
    return received


def _ring_phase(buffers: list[list[int]], chunk_at: Callable[[int, int], int],
                combine: Callable[[list[int], list[int]], list[int]]) -> RingResult:
    """N - 1 steps; in step s rank r sends chunk chunk_at(r, s) mod N to rank r + 1."""
    bufs = _copies(buffers)
    ranks = len(bufs)
    bounds = chunk_bounds(len(bufs[0]), ranks)
    steps = []
    for step in range(ranks - 1):
        sends = [Send(r, chunk_at(r, step) % ranks, (r + 1) % ranks) for r in range(ranks)]
        payloads = [bufs[send.src][slice(*bounds[send.chunk])] for send in sends]
        for send, payload in zip(sends, payloads, strict=True):
            start, end = bounds[send.chunk]
            target = bufs[send.dst]
            target[start:end] = combine(target[start:end], payload)
        steps.append(sends)
    return RingResult(bufs, steps)


def reduce_scatter(buffers: list[list[int]]) -> RingResult:
    """Ring reduce-scatter: afterwards rank r holds the full sum of chunk r."""
    return _ring_phase(buffers, lambda r, step: r - 1 - step, _add)


def all_gather(buffers: list[list[int]]) -> RingResult:
    """Ring all-gather: afterwards every rank holds chunk c of rank c, for every c."""
    return _ring_phase(buffers, lambda r, step: r - step, _keep_received)


def ring_allreduce(buffers: list[list[int]]) -> RingResult:
    """Reduce-scatter, then all-gather: every rank ends with the element-wise sum."""
    scattered = reduce_scatter(buffers)
    gathered = all_gather(scattered.buffers)
    return RingResult(gathered.buffers, scattered.steps + gathered.steps)


# -- Level 2: the alpha-beta cost model --------------------------------------------------------


def _us_per_byte(link: Link) -> Fraction:
    if link.alpha_us < 0 or link.bytes_per_s < 1:
        raise ValueError("a link needs alpha_us >= 0 and bytes_per_s >= 1")
    return Fraction(10 ** 6, link.bytes_per_s)


def _applies(algorithm: str, n_ranks: int) -> bool:
    return algorithm != "recursive_doubling" or n_ranks & (n_ranks - 1) == 0


def _line(algorithm: str, n_ranks: int, link: Link) -> tuple[Fraction, Fraction]:
    """(latency term, cost per byte) of one algorithm: time = latency + per_byte * n."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    if n_ranks < 1:
        raise ValueError("n_ranks must be at least 1")
    if not _applies(algorithm, n_ranks):
        raise ValueError("recursive doubling needs a power-of-two number of ranks")
    beta = _us_per_byte(link)
    if algorithm == "ring":
        messages, volume = 2 * (n_ranks - 1), Fraction(2 * (n_ranks - 1), n_ranks)
    elif algorithm == "recursive_doubling":
        messages = volume = n_ranks.bit_length() - 1
    else:
        messages = volume = 2 * (n_ranks - 1)
    return Fraction(messages * link.alpha_us), volume * beta


def allreduce_time(algorithm: str, n_bytes: int, n_ranks: int, link: Link) -> Fraction:
    """Microseconds the algorithm takes to allreduce n_bytes over n_ranks, exactly."""
    if n_bytes < 0:
        raise ValueError("n_bytes must be non-negative")
    latency, per_byte = _line(algorithm, n_ranks, link)
    return latency + per_byte * n_bytes


def best_algorithm(n_bytes: int, n_ranks: int, link: Link) -> str:
    """The cheapest algorithm that applies; ties go to the earlier one in ALGORITHMS."""
    usable = [name for name in ALGORITHMS if _applies(name, n_ranks)]
    return min(usable, key=lambda name: allreduce_time(name, n_bytes, n_ranks, link))


def crossover(first: str, second: str, n_ranks: int, link: Link) -> int | None:
    """Smallest n in 0..MAX_CROSSOVER_BYTES at which ``second`` is strictly cheaper."""
    latency_1, per_byte_1 = _line(first, n_ranks, link)
    latency_2, per_byte_2 = _line(second, n_ranks, link)
    gap, gain = latency_2 - latency_1, per_byte_1 - per_byte_2
    if gap < 0:
        return 0
    if gain <= 0:
        return None
    size = gap // gain + 1
    return size if size <= MAX_CROSSOVER_BYTES else None


# -- Level 3: pipeline-parallel schedules ------------------------------------------------------


def _check_shape(stages: int, micro_batches: int) -> None:
    if stages < 1 or micro_batches < 1:
        raise ValueError("need stages >= 1 and micro_batches >= 1")


def stage_order(schedule: str, stages: int, micro_batches: int,
                stage: int) -> list[tuple[str, int]]:
    """The order in which ``stage`` runs its passes: ("F", j) and ("B", j)."""
    _check_shape(stages, micro_batches)
    if not 0 <= stage < stages:
        raise ValueError("stage must be in 0 .. stages - 1")
    forwards = [("F", j) for j in range(micro_batches)]
    backwards = [("B", j) for j in range(micro_batches)]
    if schedule == "gpipe":
        return forwards + backwards
    if schedule != "1f1b":
        raise ValueError(f"unknown schedule {schedule!r}")
    warmup = min(stages - stage - 1, micro_batches)
    order = forwards[:warmup]
    for j in range(micro_batches - warmup):
        order += [forwards[warmup + j], backwards[j]]
    return order + backwards[micro_batches - warmup:]


def _dependency(kind: str, stage: int, micro: int, stages: int) -> tuple[str, int, int] | None:
    """The pass that must end before this one starts, or None."""
    if kind == "F":
        return ("F", stage - 1, micro) if stage > 0 else None
    return ("B", stage + 1, micro) if stage < stages - 1 else ("F", stage, micro)


def _place_ready(stage: int, order: list[tuple[str, int]], row: list[Slot],
                 finished: dict[tuple[str, int, int], int], stages: int,
                 duration: dict[str, int]) -> int:
    """Place the stage's next passes while their inputs are ready; how many were placed."""
    placed = 0
    while len(row) < len(order):
        kind, micro = order[len(row)]
        needs = _dependency(kind, stage, micro, stages)
        if needs is not None and needs not in finished:
            break
        start = max(row[-1].end if row else 0, finished.get(needs, 0))
        row.append(Slot(start, start + duration[kind], kind, micro))
        finished[(kind, stage, micro)] = row[-1].end
        placed += 1
    return placed


def _peak(order: list[tuple[str, int]]) -> int:
    live = peak = 0
    for kind, _ in order:
        live += 1 if kind == "F" else -1
        peak = max(peak, live)
    return peak


def _simulate(orders: list[list[tuple[str, int]]], duration: dict[str, int]) -> list[list[Slot]]:
    """Sweep the stages until every pass is placed; the passes of each stage, in order."""
    finished: dict[tuple[str, int, int], int] = {}
    timeline: list[list[Slot]] = [[] for _ in orders]
    pending = sum(len(order) for order in orders)
    while pending:
        for stage, order in enumerate(orders):
            pending -= _place_ready(stage, order, timeline[stage], finished, len(orders), duration)
    return timeline


def pipeline(schedule: str, stages: int, micro_batches: int,
             forward: int = 1, backward: int = 2) -> PipelineResult:
    """Simulate the schedule: every pass starts as soon as its stage and its input are ready."""
    if forward < 1 or backward < 1:
        raise ValueError("pass times must be at least 1")
    orders = [stage_order(schedule, stages, micro_batches, s) for s in range(stages)]
    timeline = _simulate(orders, {"F": forward, "B": backward})
    makespan = max(row[-1].end for row in timeline)
    busy = stages * micro_batches * (forward + backward)
    bubble = Fraction(stages * makespan - busy, stages * makespan)
    return PipelineResult(timeline, makespan, bubble, [_peak(order) for order in orders])


# -- Level 4: hierarchical allreduce -----------------------------------------------------------


def _run_group(bufs: list[list[int]], ranks: list[int], span: tuple[int, int],
               collective: Callable[[list[list[int]]], RingResult], traffic: list[int]) -> None:
    """Run a ring collective among ``ranks`` on elements span of their buffers, in place."""
    start, end = span
    result = collective([bufs[rank][start:end] for rank in ranks])
    bounds = chunk_bounds(end - start, len(ranks))
    for local, rank in enumerate(ranks):
        bufs[rank][start:end] = result.buffers[local]
    for step in result.steps:
        for send in step:
            low, high = bounds[send.chunk]
            traffic[ranks[send.src]] += (high - low) * ELEMENT_BYTES


def hierarchical_allreduce(buffers: list[list[int]], gpus_per_node: int) -> HierarchicalResult:
    """Reduce-scatter in each node, allreduce across nodes per chunk, all-gather in each node."""
    bufs = _copies(buffers)
    if gpus_per_node < 1 or len(bufs) % gpus_per_node:
        raise ValueError("the ranks must fill whole nodes of gpus_per_node GPUs")
    nodes = len(bufs) // gpus_per_node
    length = len(bufs[0])
    nvlink, network = [0] * len(bufs), [0] * len(bufs)
    members = [list(range(k * gpus_per_node, (k + 1) * gpus_per_node)) for k in range(nodes)]
    for ranks in members:
        _run_group(bufs, ranks, (0, length), reduce_scatter, nvlink)
    for local, span in enumerate(chunk_bounds(length, gpus_per_node)):
        peers = [k * gpus_per_node + local for k in range(nodes)]
        _run_group(bufs, peers, span, ring_allreduce, network)
    for ranks in members:
        _run_group(bufs, ranks, (0, length), all_gather, nvlink)
    return HierarchicalResult(bufs, nvlink, network)


def _shape(n_bytes: int, nodes: int, gpus_per_node: int) -> None:
    if n_bytes < 0 or nodes < 1 or gpus_per_node < 1:
        raise ValueError("need n_bytes >= 0, nodes >= 1 and gpus_per_node >= 1")


def hierarchical_time(n_bytes: int, nodes: int, gpus_per_node: int,
                      nvlink: Link, network: Link) -> Fraction:
    """Model time of the three phases: two intra-node ring phases and an inter-node ring."""
    _shape(n_bytes, nodes, gpus_per_node)
    inside = 2 * (gpus_per_node - 1) * (
        nvlink.alpha_us + Fraction(n_bytes, gpus_per_node) * _us_per_byte(nvlink))
    across = 2 * (nodes - 1) * (
        network.alpha_us + Fraction(n_bytes, gpus_per_node * nodes) * _us_per_byte(network))
    return inside + across


def flat_ring_time(n_bytes: int, nodes: int, gpus_per_node: int,
                   nvlink: Link, network: Link) -> Fraction:
    """Model time of one ring over every rank: each step waits for its slowest hop."""
    _shape(n_bytes, nodes, gpus_per_node)
    ranks = nodes * gpus_per_node
    hops = [link for link, used in ((nvlink, gpus_per_node > 1), (network, nodes > 1)) if used]
    if not hops:
        return Fraction(0)
    chunk = Fraction(n_bytes, ranks)
    step = max(link.alpha_us + chunk * _us_per_byte(link) for link in hops)
    return 2 * (ranks - 1) * step
