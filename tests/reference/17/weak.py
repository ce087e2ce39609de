"""KV-cache management: a weak candidate's solution.

Blocks are taken one at a time and a failed append keeps what it had already
placed; freed blocks are reused most recent first; forks share blocks without
any reference counts or copies; prefix caching and the scheduler were never
written, and the bytes per token forget the values.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import OrderedDict, deque
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
    def __init__(self, num_blocks, block_size, prefix_caching=False):
        self.free_list = list(range(num_blocks - 1, -1, -1))
        self.size = block_size
        self.tables = {}
        self.lengths = {}

    def allocate(self, seq_id):
        self.tables[seq_id] = []
        self.lengths[seq_id] = 0

    def append(self, seq_id, tokens):
        for _ in tokens:
            if self.lengths[seq_id] == len(self.tables[seq_id]) * self.size:
                if not self.free_list:
                    raise OutOfBlocks()
                self.tables[seq_id].append(self.free_list.pop())
            self.lengths[seq_id] += 1

    def free(self, seq_id):
        for block in self.tables[seq_id]:
            self.free_list.append(block)
        del self.tables[seq_id]
        del self.lengths[seq_id]

    def block_table(self, seq_id):
        return self.tables[seq_id]

    def num_tokens(self, seq_id):
        return self.lengths[seq_id]

    def num_free_blocks(self):
        return len(self.free_list)

    def fork(self, parent, child):
        self.tables[child] = list(self.tables[parent])
        self.lengths[child] = self.lengths[parent]

    def ref_count(self, block_id):
        return sum(1 for table in self.tables.values() if block_id in table)

    def cache_hits(self):
        raise NotImplementedError

    def evictable(self):
        raise NotImplementedError


# -- Level 4: memory budget and scheduling -----------------------------------------------------


def kv_bytes_per_token(config):
    return config.layers * config.kv_heads * config.head_dim * config.dtype_bytes


def num_kv_blocks(config, block_size, gpu_bytes, weight_bytes):
    return (gpu_bytes - weight_bytes) // (block_size * kv_bytes_per_token(config))


def simulate(trace, num_blocks, block_size):
    raise NotImplementedError
