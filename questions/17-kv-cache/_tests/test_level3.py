"""Level 3 hidden tests: prefix caching, evictable blocks and their LRU order.

The trusted model below applies an append on a copy of its state and keeps the
copy only if the pool sufficed, which is a different route to "changes
nothing" than counting blocks first. Keys come from the tests' own copy of
block_hash.
"""

import copy
import hashlib
import random

import pytest


def key_of(parent, tokens):
    data = repr((parent, tuple(tokens))).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class Short(Exception):
    pass


class Model:
    def __init__(self, num_blocks, block_size):
        self.n, self.size = num_blocks, block_size
        self.refs = [0] * num_blocks
        self.data = [[] for _ in range(num_blocks)]
        self.keys = [None] * num_blocks
        self.cache, self.lru, self.hits = {}, [], 0
        self.tables, self.lengths = {}, {}

    def free_count(self):
        return sum(1 for b in range(self.n) if self.refs[b] == 0)

    def take(self):
        spare = [b for b in range(self.n) if self.refs[b] == 0 and b not in self.lru]
        if spare:
            block = spare[0]
        elif self.lru:
            block = self.lru.pop(0)
            del self.cache[self.keys[block]]
        else:
            raise Short
        self.data[block], self.keys[block], self.refs[block] = [], None, 1
        return block

    def seal(self, table, index):
        block = table[index]
        if len(self.data[block]) == self.size:
            parent = self.keys[table[index - 1]] if index else None
            self.keys[block] = key_of(parent, self.data[block])
            self.cache.setdefault(self.keys[block], block)

    def append(self, seq, tokens):
        if not tokens:
            return True
        saved = copy.deepcopy(self.__dict__)
        try:
            self._append(seq, list(tokens))
        except Short:
            self.__dict__ = saved
            return False
        return True

    def _append(self, seq, tokens):
        table, length = self.tables[seq], self.lengths[seq]
        self.lengths[seq] = length + len(tokens)
        room = len(table) * self.size - length
        head, rest = tokens[:room], tokens[room:]
        chunks = [rest[i:i + self.size] for i in range(0, len(rest), self.size)]
        # the keys the new blocks will have, from the content alone
        parent = None
        if table:
            last = self.data[table[-1]] + head
            before = self.keys[table[-2]] if len(table) > 1 else None
            parent = key_of(before, last) if len(last) == self.size else None
        hits = []
        for chunk in chunks:
            if len(chunk) < self.size:
                break
            parent = key_of(parent, chunk)
            if parent not in self.cache:
                break
            hits.append(self.cache[parent])
        for block in hits:
            if block in self.lru:
                self.lru.remove(block)
            self.refs[block] += 1
        if head:
            if self.refs[table[-1]] > 1:
                shared, new = table[-1], self.take()
                self.data[new] = list(self.data[shared])
                self.refs[shared] -= 1
                table[-1] = new
            self.data[table[-1]].extend(head)
            self.seal(table, len(table) - 1)
        table.extend(hits)
        self.hits += len(hits)
        for chunk in chunks[len(hits):]:
            table.append(self.take())
            self.data[table[-1]] = list(chunk)
            self.seal(table, len(table) - 1)

    def fork(self, parent, child):
        self.tables[child] = list(self.tables[parent])
        self.lengths[child] = self.lengths[parent]
        for block in self.tables[child]:
            self.refs[block] += 1

    def release(self, seq):
        for block in reversed(self.tables.pop(seq)):
            self.refs[block] -= 1
            if self.refs[block] == 0:
                if self.keys[block] is not None and self.cache.get(self.keys[block]) == block:
                    self.lru.append(block)
                else:
                    self.data[block], self.keys[block] = [], None
        del self.lengths[seq]


def cached(num_blocks, block_size, solution):
    return solution.BlockManager(num_blocks, block_size, prefix_caching=True)


def start(bm, seq, tokens):
    bm.allocate(seq)
    bm.append(seq, tokens)


PROMPT = [11, 12, 13, 14, 21, 22, 23, 24, 31, 32]


def test_same_prompt_reuses_only_its_full_blocks(solution):
    bm = cached(10, 4, solution)
    start(bm, "a", PROMPT)
    start(bm, "b", PROMPT)
    assert bm.block_table("a") == [0, 1, 2]
    assert bm.block_table("b") == [0, 1, 3]
    assert bm.cache_hits() == 2
    assert [bm.ref_count(block) for block in range(4)] == [2, 2, 1, 1]
    assert bm.num_free_blocks() == 6


def test_keys_stand_for_the_whole_prefix(solution):
    bm = cached(10, 4, solution)
    start(bm, "a", PROMPT[:8])                    # blocks X = 11..14 and Y = 21..24
    start(bm, "b", PROMPT[4:8])                   # Y as a first block is another prefix
    assert bm.block_table("b") == [2]
    start(bm, "c", [*PROMPT[:4], 9, 9, 9, 9])     # X hits, then a different block
    assert bm.block_table("c") == [0, 3]
    assert bm.cache_hits() == 1


def test_a_block_filled_by_later_appends_is_registered(solution):
    bm = cached(8, 4, solution)
    bm.allocate("a")
    for token in PROMPT[:8]:                      # decode one token at a time
        bm.append("a", [token])
    start(bm, "b", PROMPT[:8])
    assert bm.block_table("b") == [0, 1]
    assert bm.cache_hits() == 2


def test_the_block_being_filled_is_never_a_hit_edge(solution):
    bm = cached(8, 4, solution)
    start(bm, "a", PROMPT[:8])
    bm.allocate("b")
    bm.append("b", PROMPT[:2])                    # block 2, partly filled
    bm.append("b", PROMPT[2:8])                   # fills block 2, then Y: its key is cached
    assert bm.block_table("b") == [2, 1]
    assert bm.cache_hits() == 1


def test_freed_cached_blocks_stay_evictable_and_count_as_free(solution):
    bm = cached(6, 4, solution)
    start(bm, "a", PROMPT)
    bm.free("a")
    assert bm.evictable() == [1, 0]
    assert bm.num_free_blocks() == 6
    assert [bm.ref_count(block) for block in range(3)] == [0, 0, 0]
    start(bm, "b", PROMPT)
    assert bm.block_table("b") == [0, 1, 2]
    assert bm.cache_hits() == 2
    assert bm.evictable() == []


def test_free_blocks_are_used_before_any_eviction(solution):
    bm = cached(5, 4, solution)
    start(bm, "a", PROMPT[:8])
    bm.free("a")
    start(bm, "b", [5] * 12)
    assert bm.block_table("b") == [2, 3, 4]
    assert bm.evictable() == [1, 0]
    start(bm, "c", [6] * 4)
    assert bm.block_table("c") == [1]
    assert bm.evictable() == [0]


def test_eviction_is_least_recently_released_first_edge(solution):
    bm = cached(6, 2, solution)
    start(bm, "a", [1, 1, 2, 2])                  # blocks 0, 1
    start(bm, "b", [3, 3, 4, 4])                  # blocks 2, 3
    start(bm, "c", [5, 5])                        # block 4
    bm.free("b")
    bm.free("c")
    bm.free("a")
    assert bm.evictable() == [3, 2, 4, 1, 0]
    start(bm, "d", [9] * 7)                       # block 5, then evicts 3, 2 and 4
    assert bm.block_table("d") == [5, 3, 2, 4]
    assert bm.evictable() == [1, 0]
    start(bm, "e", [3, 3, 4, 4])                  # b's prefix was evicted: no hit
    assert bm.block_table("e") == [1, 0]
    assert bm.cache_hits() == 0


def test_a_hit_takes_a_block_back_and_it_rejoins_at_the_end(solution):
    bm = cached(6, 2, solution)
    start(bm, "a", [1, 1])
    start(bm, "b", [2, 2])
    start(bm, "c", [3, 3])
    for seq in "abc":
        bm.free(seq)
    assert bm.evictable() == [0, 1, 2]
    start(bm, "a2", [1, 1])                       # takes block 0 back
    assert bm.block_table("a2") == [0]
    assert bm.evictable() == [1, 2]
    bm.free("a2")
    assert bm.evictable() == [1, 2, 0]


def test_lookups_stop_at_the_first_miss_edge(solution):
    bm = cached(4, 4, solution)
    x, y = [1, 2, 3, 4], [5, 6, 7, 8]
    start(bm, "x", x)                             # block 0: the key of x
    bm.allocate("y")
    bm.append("y", x[:2])                         # block 1, partly filled
    bm.append("y", x[2:] + y)                     # block 1 stays unregistered; y gets block 2
    assert bm.block_table("y") == [1, 2]
    bm.free("x")
    bm.free("y")
    assert bm.evictable() == [0, 2]
    start(bm, "z", [9] * 4)                       # block 1
    start(bm, "w", [8] * 4)                       # block 3
    start(bm, "v", [7] * 4)                       # evicts block 0: x's key is gone
    bm.free("z")                                  # block 1 is evictable now, after block 2
    start(bm, "u", x + y)                         # x misses, so y is not looked up either:
    assert bm.cache_hits() == 0                   # both blocks are new, by eviction
    assert bm.block_table("u") == [2, 1]
    assert bm.evictable() == []


def test_duplicate_prefix_blocks_stay_unregistered_edge(solution):
    bm = cached(6, 4, solution)
    start(bm, "a", PROMPT[:4])
    bm.allocate("b")
    bm.append("b", PROMPT[:3])
    bm.append("b", PROMPT[3:4])                   # same content as block 0, not registered
    assert bm.block_table("b") == [1]
    bm.free("b")
    assert bm.evictable() == []                   # block 1 went straight back to the pool
    bm.free("a")
    assert bm.evictable() == [0]


def test_out_of_blocks_counts_the_evictable_blocks_it_revives_edge(solution):
    bm = cached(3, 4, solution)
    start(bm, "a", PROMPT[:8])
    bm.free("a")
    bm.allocate("b")
    with pytest.raises(solution.OutOfBlocks):
        bm.append("b", PROMPT[:8] + [1] * 5)      # 2 revived + 2 new > 3
    assert bm.block_table("b") == [] and bm.num_tokens("b") == 0
    assert bm.evictable() == [1, 0]
    assert bm.cache_hits() == 0
    bm.append("b", PROMPT[:8] + [1] * 4)          # 2 revived + 1 new = 3
    assert bm.block_table("b") == [0, 1, 2]
    assert bm.cache_hits() == 2


def test_hits_on_blocks_in_use_need_no_free_block_edge(solution):
    bm = cached(3, 4, solution)
    start(bm, "a", PROMPT[:8])
    start(bm, "b", PROMPT[:8] + [1] * 4)
    assert bm.block_table("b") == [0, 1, 2]
    assert bm.num_free_blocks() == 0
    bm.allocate("c")
    bm.append("c", PROMPT[:8])                    # two hits, nothing taken from the pool
    assert bm.block_table("c") == [0, 1]
    assert bm.ref_count(0) == 3


def test_forked_samples_share_the_cached_prompt_and_copies_stay_private(solution):
    bm = cached(10, 4, solution)
    start(bm, "p", PROMPT)
    bm.fork("p", "s")
    bm.append("s", [40, 41])                      # copies block 2, fills it: registered
    assert bm.block_table("s") == [0, 1, 3]
    bm.append("p", [50, 51])                      # fills block 2 with other tokens
    start(bm, "q", [*PROMPT, 40, 41])
    assert bm.block_table("q") == [0, 1, 3]
    assert bm.cache_hits() == 3
    assert bm.ref_count(3) == 2


def test_without_prefix_caching_nothing_is_reused_edge(solution):
    bm = solution.BlockManager(6, 4)
    start(bm, "a", PROMPT)
    start(bm, "b", PROMPT)
    assert bm.block_table("b") == [3, 4, 5]
    bm.free("a")
    assert bm.evictable() == []
    assert bm.cache_hits() == 0
    start(bm, "c", PROMPT[:8])
    assert bm.block_table("c") == [0, 1]


def test_random_shared_prefix_workload_matches_the_model(solution):
    rng = random.Random(3)
    prefixes = [[rng.randrange(50) for _ in range(rng.randrange(1, 30))] for _ in range(5)]
    for num_blocks, block_size in [(16, 4), (24, 2), (40, 8), (10, 1)]:
        bm = cached(num_blocks, block_size, solution)
        model = Model(num_blocks, block_size)
        next_id = 0
        for _ in range(250):
            live = sorted(model.tables)
            roll = rng.random()
            if roll < 0.25 or not live:
                tokens = [*rng.choice(prefixes)[:rng.randrange(1, 30)], rng.randrange(3)]
                seq, next_id = next_id, next_id + 1
                bm.allocate(seq)
                model.tables[seq], model.lengths[seq] = [], 0
            elif roll < 0.35:
                parent, seq, next_id = rng.choice(live), next_id, next_id + 1
                bm.fork(parent, seq)
                model.fork(parent, seq)
                continue
            elif roll < 0.55:
                seq = rng.choice(live)
                bm.free(seq)
                model.release(seq)
                continue
            else:
                seq = rng.choice(live)
                tokens = [rng.randrange(3) for _ in range(rng.choice([1, 1, 2, block_size]))]
            try:
                bm.append(seq, tokens)
                ok = True
            except solution.OutOfBlocks:
                ok = False
            assert ok == model.append(seq, tokens), (num_blocks, block_size)
            assert bm.evictable() == model.lru
            assert bm.num_free_blocks() == model.free_count()
        for seq, table in model.tables.items():
            assert bm.block_table(seq) == table, (num_blocks, block_size, seq)
        assert bm.cache_hits() == model.hits
