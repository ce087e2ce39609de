"""KV-cache management: an average candidate's solution.

Levels 1-3 are correct but written as a few long methods with linear scans for
the lowest free id and a plain list for the LRU order. In level 4 the budget is
right, but a preempted request restarts its output from scratch, and the trace
is never validated.
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
    def __init__(self, num_blocks: int, block_size: int, prefix_caching: bool = False) -> None:
        if num_blocks < 1 or block_size < 1:
            raise ValueError("bad sizes")
        self.n = num_blocks
        self.B = block_size
        self.caching = prefix_caching
        self.refs = [0] * num_blocks
        self.contents = [[] for _ in range(num_blocks)]
        self.hashes = [None] * num_blocks
        self.cache = {}
        self.lru = []
        self.seqs = {}
        self.lens = {}
        self.hits = 0

    def allocate(self, seq_id):
        if seq_id in self.seqs:
            raise ValueError("exists")
        self.seqs[seq_id] = []
        self.lens[seq_id] = 0

    def get_block(self):
        free = [b for b in range(self.n) if self.refs[b] == 0 and b not in self.lru]
        if free:
            b = min(free)
        else:
            b = self.lru.pop(0)
            del self.cache[self.hashes[b]]
        self.contents[b] = []
        self.hashes[b] = None
        self.refs[b] = 1
        return b

    def append(self, seq_id, tokens):
        if seq_id not in self.seqs:
            raise KeyError(seq_id)
        table = self.seqs[seq_id]
        length = self.lens[seq_id]
        tokens = list(tokens)
        if len(tokens) == 0:
            return
        room = len(table) * self.B - length
        head = tokens[:room]
        rest = tokens[room:]
        chunks = []
        i = 0
        while i < len(rest):
            chunks.append(rest[i:i + self.B])
            i += self.B
        need_copy = False
        if len(head) > 0 and self.refs[table[-1]] > 1:
            need_copy = True
        # work out the hits
        hits = []
        if self.caching:
            if len(table) == 0:
                h = None
            elif len(head) == 0:
                h = self.hashes[table[-1]]
            else:
                if len(table) > 1:
                    prev = self.hashes[table[-2]]
                else:
                    prev = None
                h = block_hash(prev, self.contents[table[-1]] + head)
            for c in chunks:
                if len(c) == self.B:
                    h = block_hash(h, c)
                    if h in self.cache:
                        hits.append(self.cache[h])
                    else:
                        break
                else:
                    break
        needed = len(chunks) - len(hits)
        if need_copy:
            needed += 1
        for b in hits:
            if self.refs[b] == 0:
                needed += 1
        free_now = len([b for b in range(self.n) if self.refs[b] == 0])
        if needed > free_now:
            raise OutOfBlocks("not enough blocks")
        for b in hits:
            if b in self.lru:
                self.lru.remove(b)
            self.refs[b] += 1
            self.hits += 1
        if need_copy:
            old = table[-1]
            new = self.get_block()
            self.contents[new] = list(self.contents[old])
            self.refs[old] -= 1
            table[-1] = new
        if len(head) > 0:
            self.contents[table[-1]].extend(head)
            self.seal(table, len(table) - 1)
        for b in hits:
            table.append(b)
        for c in chunks[len(hits):]:
            b = self.get_block()
            self.contents[b] = list(c)
            table.append(b)
            self.seal(table, len(table) - 1)
        self.lens[seq_id] = length + len(tokens)

    def seal(self, table, idx):
        b = table[idx]
        if len(self.contents[b]) == self.B:
            if idx > 0:
                parent = self.hashes[table[idx - 1]]
            else:
                parent = None
            self.hashes[b] = block_hash(parent, self.contents[b])
            if self.caching and self.hashes[b] not in self.cache:
                self.cache[self.hashes[b]] = b

    def free(self, seq_id):
        if seq_id not in self.seqs:
            raise KeyError(seq_id)
        table = self.seqs.pop(seq_id)
        del self.lens[seq_id]
        for b in reversed(table):
            self.refs[b] -= 1
            if self.refs[b] == 0:
                if self.hashes[b] is not None and self.cache.get(self.hashes[b]) == b:
                    self.lru.append(b)
                else:
                    self.contents[b] = []
                    self.hashes[b] = None

    def block_table(self, seq_id):
        if seq_id not in self.seqs:
            raise KeyError(seq_id)
        return list(self.seqs[seq_id])

    def num_tokens(self, seq_id):
        if seq_id not in self.seqs:
            raise KeyError(seq_id)
        return self.lens[seq_id]

    def num_free_blocks(self):
        return len([b for b in range(self.n) if self.refs[b] == 0])

    def fork(self, parent, child):
        if parent not in self.seqs:
            raise KeyError(parent)
        if child in self.seqs:
            raise ValueError("exists")
        self.seqs[child] = list(self.seqs[parent])
        self.lens[child] = self.lens[parent]
        for b in self.seqs[child]:
            self.refs[b] += 1

    def ref_count(self, block_id):
        if block_id < 0 or block_id >= self.n:
            raise ValueError("bad block")
        return self.refs[block_id]

    def cache_hits(self):
        return self.hits

    def evictable(self):
        return list(self.lru)


# -- Level 4: memory budget and scheduling -----------------------------------------------------


def kv_bytes_per_token(config):
    if config.layers < 1 or config.kv_heads < 1 or config.head_dim < 1 or config.dtype_bytes < 1:
        raise ValueError("bad config")
    return 2 * config.layers * config.kv_heads * config.head_dim * config.dtype_bytes


def num_kv_blocks(config, block_size, gpu_bytes, weight_bytes):
    if block_size < 1 or gpu_bytes < 0 or weight_bytes < 0:
        raise ValueError("bad arguments")
    usable = gpu_bytes * 9 // 10 - weight_bytes
    if usable < 0:
        raise ValueError("weights do not fit")
    return usable // (block_size * kv_bytes_per_token(config))


def simulate(trace, num_blocks, block_size):
    B = block_size
    free = num_blocks
    waiting = []
    running = []
    done = [None] * len(trace)
    preemptions = 0
    step = 0
    nxt = 0
    while None in done:
        while nxt < len(trace) and trace[nxt][0] <= step:
            waiting.append([nxt, 0])
            nxt += 1
        k = 0
        while k < len(running):
            r = running[k]
            ctx = trace[r[0]][1] + r[1]
            if -(-(ctx + 1) // B) > r[2]:
                gone = False
                while free == 0:
                    v = running.pop()
                    free += v[2]
                    preemptions += 1
                    waiting.insert(0, [v[0], 0])
                    if v is r:
                        gone = True
                        break
                if gone:
                    break
                free -= 1
                r[2] += 1
            k += 1
        while len(waiting) > 0:
            i, g = waiting[0]
            need = -(-(trace[i][1] + g + 1) // B)
            if need > free:
                break
            waiting.pop(0)
            free -= need
            running.append([i, g, need])
        for r in list(running):
            r[1] += 1
            if r[1] == trace[r[0]][2]:
                done[r[0]] = step
                free += r[2]
                running.remove(r)
        step += 1
    total = sum(t[2] for t in trace)
    return SimResult(done, preemptions, step, Fraction(total, step) if step else Fraction(0))
