"""Mutant: not first come, first served. Admission skips a waiting request that does not
fit and admits later ones that do.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import OrderedDict, deque
from collections.abc import Hashable, Sequence
from fractions import Fraction
from itertools import pairwise
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


class _Plan(NamedTuple):
    head: list[int]                    # tokens that go into the current last block
    chunks: list[list[int]]            # tokens of each new block, in order
    hits: list[int]                    # cached blocks reused for the first chunks
    copy: bool                         # the last block is shared and must be copied first


class BlockManager:
    """A fixed pool of ``num_blocks`` blocks of ``block_size`` tokens each."""

    def __init__(self, num_blocks: int, block_size: int, prefix_caching: bool = False) -> None:
        if num_blocks < 1 or block_size < 1:
            raise ValueError("need num_blocks >= 1 and block_size >= 1")
        self.size = block_size
        self.caching = prefix_caching
        self._free = list(range(num_blocks))          # a heap: lowest id first
        self._refs = [0] * num_blocks
        self._data: list[list[int]] = [[] for _ in range(num_blocks)]
        self._keys: list[int | None] = [None] * num_blocks
        self._cache: dict[int, int] = {}              # key -> registered block
        self._evictable: OrderedDict[int, None] = OrderedDict()
        self._tables: dict[Hashable, list[int]] = {}
        self._lengths: dict[Hashable, int] = {}
        self._hits = 0

    # -- level 1 --------------------------------------------------------------------------------

    def allocate(self, seq_id: Hashable) -> None:
        if seq_id in self._tables:
            raise ValueError(f"sequence {seq_id!r} already exists")
        self._tables[seq_id] = []
        self._lengths[seq_id] = 0

    def append(self, seq_id: Hashable, tokens: Sequence[int]) -> None:
        table = self._table(seq_id)
        tokens = list(tokens)
        if not tokens:
            return
        plan = self._plan(table, self._lengths[seq_id], tokens)
        needed = plan.copy + len(plan.chunks) - len(plan.hits)
        needed += sum(1 for block in plan.hits if self._refs[block] == 0)
        if needed > self.num_free_blocks():
            raise OutOfBlocks(f"{needed} blocks needed, {self.num_free_blocks()} free")
        self._apply(table, plan)
        self._lengths[seq_id] += len(tokens)

    def free(self, seq_id: Hashable) -> None:
        table = self._table(seq_id)
        del self._tables[seq_id], self._lengths[seq_id]
        for block in reversed(table):
            self._refs[block] -= 1
            if self._refs[block] == 0:
                self._release(block)

    def block_table(self, seq_id: Hashable) -> list[int]:
        return list(self._table(seq_id))

    def num_tokens(self, seq_id: Hashable) -> int:
        self._table(seq_id)
        return self._lengths[seq_id]

    def num_free_blocks(self) -> int:
        return len(self._free) + len(self._evictable)

    # -- level 2 --------------------------------------------------------------------------------

    def fork(self, parent: Hashable, child: Hashable) -> None:
        table = self._table(parent)
        if child in self._tables:
            raise ValueError(f"sequence {child!r} already exists")
        self._tables[child] = list(table)
        self._lengths[child] = self._lengths[parent]
        for block in table:
            self._refs[block] += 1

    def ref_count(self, block_id: int) -> int:
        if not 0 <= block_id < len(self._refs):
            raise ValueError(f"no block {block_id}")
        return self._refs[block_id]

    # -- level 3 --------------------------------------------------------------------------------

    def cache_hits(self) -> int:
        return self._hits

    def evictable(self) -> list[int]:
        return list(self._evictable)

    # -- helpers --------------------------------------------------------------------------------

    def _table(self, seq_id: Hashable) -> list[int]:
        if seq_id not in self._tables:
            raise KeyError(seq_id)
        return self._tables[seq_id]

    def _plan(self, table: list[int], length: int, tokens: list[int]) -> _Plan:
        room = len(table) * self.size - length
        head, rest = tokens[:room], tokens[room:]
        chunks = [rest[i:i + self.size] for i in range(0, len(rest), self.size)]
        copy = bool(head) and self._refs[table[-1]] > 1
        parent = self._parent_key(table, head)
        hits = []
        for chunk in chunks if self.caching else []:
            if len(chunk) < self.size:
                break
            parent = block_hash(parent, chunk)
            if parent not in self._cache:
                break
            hits.append(self._cache[parent])
        return _Plan(head, chunks, hits, copy)

    def _parent_key(self, table: list[int], head: list[int]) -> int | None:
        """The key the last block of ``table`` will have once ``head`` is written into it."""
        if not table:
            return None
        if not head:
            return self._keys[table[-1]]
        before = self._keys[table[-2]] if len(table) > 1 else None
        return block_hash(before, self._data[table[-1]] + head)

    def _apply(self, table: list[int], plan: _Plan) -> None:
        for block in plan.hits:
            self._evictable.pop(block, None)
            self._refs[block] += 1
        self._hits += len(plan.hits)
        if plan.copy:
            self._copy_last(table)
        if plan.head:
            self._write(table, len(table) - 1, plan.head)
        table.extend(plan.hits)
        for chunk in plan.chunks[len(plan.hits):]:
            table.append(self._take())
            self._write(table, len(table) - 1, chunk)

    def _copy_last(self, table: list[int]) -> None:
        shared, copy = table[-1], self._take()
        self._data[copy] = list(self._data[shared])
        self._refs[shared] -= 1
        table[-1] = copy

    def _write(self, table: list[int], index: int, tokens: list[int]) -> None:
        block = table[index]
        self._data[block].extend(tokens)
        if len(self._data[block]) == self.size:
            parent = self._keys[table[index - 1]] if index else None
            key = block_hash(parent, self._data[block])
            self._keys[block] = key
            if self.caching and key not in self._cache:
                self._cache[key] = block

    def _take(self) -> int:
        if self._free:
            block = heapq.heappop(self._free)
        else:
            block, _ = self._evictable.popitem(last=False)
            del self._cache[self._keys[block]]
            self._clear(block)
        self._refs[block] = 1
        return block

    def _release(self, block: int) -> None:
        key = self._keys[block]
        if key is not None and self._cache.get(key) == block:
            self._evictable[block] = None
        else:
            self._clear(block)
            heapq.heappush(self._free, block)

    def _clear(self, block: int) -> None:
        self._data[block] = []
        self._keys[block] = None


# -- Level 4: memory budget and scheduling -----------------------------------------------------


def kv_bytes_per_token(config: ModelConfig) -> int:
    """Bytes of K and V that one token occupies across all layers."""
    if min(config) < 1:
        raise ValueError("every field of the config must be at least 1")
    return 2 * config.layers * config.kv_heads * config.head_dim * config.dtype_bytes


def num_kv_blocks(config: ModelConfig, block_size: int, gpu_bytes: int, weight_bytes: int) -> int:
    """How many KV blocks fit in the memory the weights and the reserve leave over."""
    if block_size < 1 or gpu_bytes < 0 or weight_bytes < 0:
        raise ValueError("need block_size >= 1 and non-negative byte counts")
    budget = gpu_bytes * MEMORY_UTILIZATION.numerator // MEMORY_UTILIZATION.denominator
    budget -= weight_bytes
    if budget < 0:
        raise ValueError("the weights do not fit in the usable memory")
    return budget // (block_size * kv_bytes_per_token(config))


class _Running:
    """A request while it is admitted: its context length and the blocks it holds."""

    def __init__(self, index: int, request: Request, generated: int) -> None:
        self.index = index
        self.request = request
        self.generated = generated
        self.context = request.prompt_len + generated
        self.blocks = 0


class _Scheduler:
    def __init__(self, trace: list[Request], num_blocks: int, block_size: int) -> None:
        self.trace = trace
        self.size = block_size
        self.free = num_blocks
        self.arrivals = deque(range(len(trace)))
        self.waiting: deque[tuple[int, int]] = deque()     # (request index, tokens generated)
        self.running: list[_Running] = []                  # oldest admission first
        self.completion = [-1] * len(trace)
        self.preemptions = 0
        self.done = 0

    def blocks_for(self, tokens: int) -> int:
        return -(-tokens // self.size)

    def run(self) -> SimResult:
        step = 0
        while self.done < len(self.trace):
            self.arrive(step)
            self.reserve()
            self.admit()
            self.decode(step)
            step += 1
        total = sum(request.output_len for request in self.trace)
        rate = Fraction(total, step) if step else Fraction(0)
        return SimResult(self.completion, self.preemptions, step, rate)

    def arrive(self, step: int) -> None:
        while self.arrivals and self.trace[self.arrivals[0]].arrival <= step:
            self.waiting.append((self.arrivals.popleft(), 0))

    def reserve(self) -> None:
        """Give every running request, oldest first, room for its next token."""
        position = 0
        while position < len(self.running):
            current = self.running[position]
            if self.blocks_for(current.context + 1) > current.blocks:
                while self.free == 0 and current in self.running:
                    self.preempt()
                if current not in self.running:
                    return
                self.free -= 1
                current.blocks += 1
            position += 1

    def preempt(self) -> None:
        victim = self.running.pop()
        self.free += victim.blocks
        self.waiting.appendleft((victim.index, victim.generated))
        self.preemptions += 1

    def admit(self) -> None:
        kept: deque[tuple[int, int]] = deque()
        while self.waiting:
            index, generated = self.waiting.popleft()
            entry = _Running(index, self.trace[index], generated)
            need = self.blocks_for(entry.context + 1)
            if need > self.free:
                kept.append((index, generated))
                continue
            self.free -= need
            entry.blocks = need
            self.running.append(entry)
        self.waiting = kept

    def decode(self, step: int) -> None:
        still = []
        for entry in self.running:
            entry.context += 1
            entry.generated += 1
            if entry.generated == entry.request.output_len:
                self.completion[entry.index] = step
                self.free += entry.blocks
                self.done += 1
            else:
                still.append(entry)
        self.running = still


def _check_trace(trace: list[Request], num_blocks: int, block_size: int) -> None:
    for before, after in pairwise(trace):
        if after.arrival < before.arrival:
            raise ValueError("the trace must be in arrival order")
    for request in trace:
        if request.arrival < 0 or request.prompt_len < 1 or request.output_len < 1:
            raise ValueError(f"bad request {request}")
        if -(-(request.prompt_len + request.output_len) // block_size) > num_blocks:
            raise ValueError(f"request {request} can never fit in {num_blocks} blocks")


def simulate(trace: Sequence[Request], num_blocks: int, block_size: int) -> SimResult:
    """Run the trace through the FCFS scheduler with recompute preemption."""
    if num_blocks < 1 or block_size < 1:
        raise ValueError("need num_blocks >= 1 and block_size >= 1")
    requests = [Request(*request) for request in trace]
    _check_trace(requests, num_blocks, block_size)
    return _Scheduler(requests, num_blocks, block_size).run()
