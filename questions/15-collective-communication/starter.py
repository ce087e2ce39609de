"""Collective communication: a ring allreduce, an alpha-beta cost model, pipeline-parallel
schedules and a hierarchical allreduce, all simulated exactly.

Fill in the functions; QUESTION.md describes every level. Keep the names and the
parameters; add private helpers freely. Standard library only. The constants and
the NamedTuple classes below are provided: leave them as they are.
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


# -- Level 1: ring allreduce -------------------------------------------------------------------


def chunk_bounds(length: int, parts: int) -> list[tuple[int, int]]:
    """Split range(length) into ``parts`` contiguous (start, end) chunks.

    The first ``length % parts`` chunks hold one element more than the others.
    ValueError when parts < 1 or length < 0.
    """
    raise NotImplementedError


def reduce_scatter(buffers: list[list[int]]) -> RingResult:
    """Ring reduce-scatter over len(buffers) ranks: afterwards rank r holds the sum of chunk r."""
    raise NotImplementedError


def all_gather(buffers: list[list[int]]) -> RingResult:
    """Ring all-gather: afterwards every rank holds chunk c as rank c had it, for every c."""
    raise NotImplementedError


def ring_allreduce(buffers: list[list[int]]) -> RingResult:
    """Reduce-scatter then all-gather: every rank ends with the element-wise sum."""
    raise NotImplementedError


# -- Level 2: the alpha-beta cost model --------------------------------------------------------


def allreduce_time(algorithm: str, n_bytes: int, n_ranks: int, link: Link) -> Fraction:
    """Exact model time, in microseconds, of one allreduce of ``n_bytes`` per rank."""
    raise NotImplementedError


def best_algorithm(n_bytes: int, n_ranks: int, link: Link) -> str:
    """The cheapest algorithm of ALGORITHMS that applies; ties go to the earlier one."""
    raise NotImplementedError


def crossover(first: str, second: str, n_ranks: int, link: Link) -> int | None:
    """Smallest n in 0..MAX_CROSSOVER_BYTES at which ``second`` is strictly cheaper."""
    raise NotImplementedError


# -- Level 3: pipeline-parallel schedules ------------------------------------------------------


def stage_order(schedule: str, stages: int, micro_batches: int,
                stage: int) -> list[tuple[str, int]]:
    """The passes of ``stage`` in the order it runs them: ("F", j) and ("B", j)."""
    raise NotImplementedError


def pipeline(schedule: str, stages: int, micro_batches: int,
             forward: int = 1, backward: int = 2) -> PipelineResult:
    """Simulate "gpipe" or "1f1b": the timeline, makespan, bubble and peak activations."""
    raise NotImplementedError


# -- Level 4: hierarchical allreduce -----------------------------------------------------------


def hierarchical_allreduce(buffers: list[list[int]], gpus_per_node: int) -> HierarchicalResult:
    """Reduce-scatter inside each node, allreduce across nodes, all-gather inside each node."""
    raise NotImplementedError


def hierarchical_time(n_bytes: int, nodes: int, gpus_per_node: int,
                      nvlink: Link, network: Link) -> Fraction:
    """Exact model time, in microseconds, of the hierarchical allreduce."""
    raise NotImplementedError


def flat_ring_time(n_bytes: int, nodes: int, gpus_per_node: int,
                   nvlink: Link, network: Link) -> Fraction:
    """Exact model time, in microseconds, of one ring over all the ranks."""
    raise NotImplementedError
