"""KV-cache management: a paged block manager with copy-on-write forks and prefix
caching, then a memory budget and a scheduler simulation.

Fill in the class and the functions; QUESTION.md describes every level. Keep the
names and the parameters; add private helpers and attributes freely. Standard
library only. The constant, the exception, block_hash and the NamedTuple classes
below are provided: leave them as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import NamedTuple

# -- provided ----------------------------------------------------------------------------------

MEMORY_UTILIZATION = Fraction(9, 10)   # share of GPU memory the server may use at all


class OutOfBlocks(Exception):
    """Raised when the pool cannot supply the blocks an operation needs; nothing has changed."""


def block_hash(parent: int | None, tokens: Sequence[int]) -> int:
    """The prefix-cache key of a full block: its parent block's key (None for the first
    block of a sequence) and its own tokens. Deterministic across runs."""
    data = repr((parent, tuple(tokens))).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class ModelConfig(NamedTuple):
    """The attention shape of a model, as far as the KV cache is concerned."""

    layers: int
    kv_heads: int
    head_dim: int
    dtype_bytes: int


class Request(NamedTuple):
    """One request of a trace: it arrives at step ``arrival``."""

    arrival: int
    prompt_len: int
    output_len: int


class SimResult(NamedTuple):
    """The outcome of a scheduler simulation."""

    completion_steps: list[int]        # per request of the trace, the step it finished in
    preemptions: int                   # how many times a running request was preempted
    steps: int                         # steps simulated: last completion step + 1
    throughput: Fraction               # output tokens per step


# -- Levels 1-3: the block manager -------------------------------------------------------------


class BlockManager:
    """A fixed pool of ``num_blocks`` blocks of ``block_size`` tokens each."""

    def __init__(self, num_blocks: int, block_size: int, prefix_caching: bool = False) -> None:
        """ValueError when num_blocks < 1 or block_size < 1."""
        raise NotImplementedError

    # -- Level 1 --------------------------------------------------------------------------------

    def allocate(self, seq_id: Hashable) -> None:
        """Register a new, empty sequence; ValueError if the id exists."""
        raise NotImplementedError

    def append(self, seq_id: Hashable, tokens: Sequence[int]) -> None:
        """Add tokens at the end of the sequence, taking new blocks (lowest free id first)
        as the last one fills. OutOfBlocks, with nothing changed, when the pool is short."""
        raise NotImplementedError

    def free(self, seq_id: Hashable) -> None:
        """Remove the sequence and give its blocks back."""
        raise NotImplementedError

    def block_table(self, seq_id: Hashable) -> list[int]:
        """The sequence's block ids in order, as a new list."""
        raise NotImplementedError

    def num_tokens(self, seq_id: Hashable) -> int:
        """The number of tokens in the sequence."""
        raise NotImplementedError

    def num_free_blocks(self) -> int:
        """Blocks no sequence holds (level 3: evictable cached blocks included)."""
        raise NotImplementedError

    # -- Level 2 --------------------------------------------------------------------------------

    def fork(self, parent: Hashable, child: Hashable) -> None:
        """Create ``child`` sharing every block of ``parent``; nothing is allocated."""
        raise NotImplementedError

    def ref_count(self, block_id: int) -> int:
        """How many sequences hold the block; ValueError for an id outside the pool."""
        raise NotImplementedError

    # -- Level 3 --------------------------------------------------------------------------------

    def cache_hits(self) -> int:
        """Blocks reused from the prefix cache since the manager was created."""
        raise NotImplementedError

    def evictable(self) -> list[int]:
        """Unreferenced cached blocks, next to be evicted first."""
        raise NotImplementedError


# -- Level 4: memory budget and scheduling -----------------------------------------------------


def kv_bytes_per_token(config: ModelConfig) -> int:
    """2 * layers * kv_heads * head_dim * dtype_bytes."""
    raise NotImplementedError


def num_kv_blocks(config: ModelConfig, block_size: int, gpu_bytes: int, weight_bytes: int) -> int:
    """Whole blocks left in 9/10 of the GPU memory once the weights are loaded."""
    raise NotImplementedError


def simulate(trace: Sequence[Request], num_blocks: int, block_size: int) -> SimResult:
    """Run the trace through the FCFS scheduler with recompute preemption."""
    raise NotImplementedError
