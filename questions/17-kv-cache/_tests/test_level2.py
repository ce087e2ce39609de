"""Level 2 hidden tests: forks, reference counts and copy-on-write.

A trusted model of the level 2 rules, written here, checks the tables and the
reference counts of every block after random parallel-sampling workloads.
"""

import random

import pytest


class Model:
    """Level 2 rules: shared blocks carry reference counts; a write into a shared,
    partly filled last block copies it first."""

    def __init__(self, num_blocks, block_size):
        self.size = block_size
        self.refs = [0] * num_blocks
        self.tables, self.lengths = {}, {}

    def free_ids(self):
        return [block for block, refs in enumerate(self.refs) if refs == 0]

    def append(self, seq, count):
        table, length = self.tables[seq], self.lengths[seq]
        if count == 0:
            return True
        partial = length % self.size != 0
        copy = partial and self.refs[table[-1]] > 1
        needed = -(-(length + count) // self.size) - len(table) + copy
        if needed > len(self.free_ids()):
            return False
        if copy:
            block = self.free_ids()[0]
            self.refs[table[-1]] -= 1
            self.refs[block] = 1
            table[-1] = block
        for _ in range(needed - copy):
            block = self.free_ids()[0]
            self.refs[block] = 1
            table.append(block)
        self.lengths[seq] = length + count
        return True

    def fork(self, parent, child):
        self.tables[child] = list(self.tables[parent])
        self.lengths[child] = self.lengths[parent]
        for block in self.tables[child]:
            self.refs[block] += 1

    def release(self, seq):
        for block in self.tables.pop(seq):
            self.refs[block] -= 1
        del self.lengths[seq]


def prompt(bm, seq, count):
    bm.allocate(seq)
    bm.append(seq, list(range(count)))


def test_fork_shares_every_block_and_allocates_nothing(solution):
    bm = solution.BlockManager(6, 4)
    prompt(bm, "p", 9)
    bm.fork("p", "c")
    assert bm.block_table("c") == [0, 1, 2]
    assert bm.num_tokens("c") == 9
    assert [bm.ref_count(block) for block in range(6)] == [2, 2, 2, 0, 0, 0]
    assert bm.num_free_blocks() == 3


def test_fork_succeeds_on_a_full_pool_edge(solution):
    bm = solution.BlockManager(2, 4)
    prompt(bm, "p", 6)
    bm.fork("p", "c")
    bm.fork("c", "g")
    assert bm.block_table("g") == [0, 1]
    assert bm.ref_count(1) == 3
    assert bm.num_free_blocks() == 0


def test_fork_of_an_empty_sequence_edge(solution):
    bm = solution.BlockManager(3, 4)
    bm.allocate("p")
    bm.fork("p", "c")
    assert bm.block_table("c") == [] and bm.num_tokens("c") == 0
    bm.append("c", [1])
    bm.append("p", [2])
    assert bm.block_table("c") == [0]
    assert bm.block_table("p") == [1]


def test_write_into_a_shared_partial_block_copies_it_to_the_lowest_free_id(solution):
    bm = solution.BlockManager(8, 4)
    prompt(bm, "p", 6)
    bm.allocate("other")
    bm.append("other", [0] * 4)                  # takes block 2, so the copy is block 3
    bm.fork("p", "c")
    bm.append("c", [50])
    assert bm.block_table("c") == [0, 3]
    assert bm.block_table("p") == [0, 1]
    assert (bm.ref_count(0), bm.ref_count(1), bm.ref_count(3)) == (2, 1, 1)
    assert bm.num_free_blocks() == 4


def test_the_copy_then_takes_the_rest_of_the_append(solution):
    bm = solution.BlockManager(8, 4)
    prompt(bm, "p", 5)
    bm.fork("p", "c")
    bm.append("c", [1] * 8)                      # copy of block 1 gets 3 tokens, then 5 more
    assert bm.block_table("c") == [0, 2, 3, 4]
    assert bm.num_tokens("c") == 13
    assert bm.block_table("p") == [0, 1]
    assert bm.num_tokens("p") == 5


def test_no_copy_when_the_shared_last_block_is_full_edge(solution):
    bm = solution.BlockManager(6, 4)
    prompt(bm, "p", 8)
    bm.fork("p", "c")
    bm.append("c", [1])
    assert bm.block_table("c") == [0, 1, 2]
    assert (bm.ref_count(0), bm.ref_count(1), bm.ref_count(2)) == (2, 2, 1)
    bm.append("p", [2])
    assert bm.block_table("p") == [0, 1, 3]


def test_no_copy_once_the_other_holders_are_freed_edge(solution):
    bm = solution.BlockManager(6, 4)
    prompt(bm, "p", 3)
    bm.fork("p", "c")
    bm.free("p")
    assert bm.ref_count(0) == 1
    bm.append("c", [1])
    assert bm.block_table("c") == [0]
    assert bm.num_free_blocks() == 5


def test_every_sample_gets_its_own_last_block(solution):
    bm = solution.BlockManager(16, 4)
    prompt(bm, "p", 10)
    for sample in range(4):
        bm.fork("p", sample)
    for step in range(3):
        for sample in range(4):
            bm.append(sample, [sample * 10 + step])
    assert [bm.block_table(sample) for sample in range(4)] == [
        [0, 1, 3, 7], [0, 1, 4, 8], [0, 1, 5, 9], [0, 1, 6, 10]]
    assert (bm.ref_count(0), bm.ref_count(1), bm.ref_count(2)) == (5, 5, 1)
    bm.free("p")
    assert bm.ref_count(2) == 0 and bm.ref_count(0) == 4
    assert bm.num_free_blocks() == 6


def test_out_of_blocks_counts_the_copy_edge(solution):
    bm = solution.BlockManager(3, 4)
    prompt(bm, "p", 6)
    bm.fork("p", "c")
    with pytest.raises(solution.OutOfBlocks):
        bm.append("c", [1] * 3)                  # copy plus one new block: 2 needed, 1 free
    assert bm.block_table("c") == [0, 1] and bm.num_tokens("c") == 6
    assert bm.ref_count(1) == 2 and bm.num_free_blocks() == 1
    bm.append("c", [1, 1])                       # the copy alone fits
    assert bm.block_table("c") == [0, 2]
    assert bm.ref_count(1) == 1 and bm.num_free_blocks() == 0


def test_free_releases_only_unreferenced_blocks(solution):
    bm = solution.BlockManager(6, 2)
    prompt(bm, "p", 4)
    bm.fork("p", "c")
    bm.append("c", [1, 2])
    bm.free("c")
    assert [bm.ref_count(block) for block in range(3)] == [1, 1, 0]
    assert bm.num_free_blocks() == 4
    bm.free("p")
    assert bm.num_free_blocks() == 6


def test_fork_errors_edge(solution):
    bm = solution.BlockManager(4, 4)
    prompt(bm, "p", 2)
    bm.allocate("q")
    with pytest.raises(KeyError):
        bm.fork("nobody", "c")
    with pytest.raises(ValueError):
        bm.fork("p", "q")
    assert bm.ref_count(0) == 1


def test_ref_count_outside_the_pool_raises_edge(solution):
    bm = solution.BlockManager(4, 4)
    for block in (-1, 4, 100):
        with pytest.raises(ValueError):
            bm.ref_count(block)


def test_random_parallel_sampling_matches_the_model(solution):
    rng = random.Random(2)
    for num_blocks, block_size in [(20, 4), (32, 2), (12, 1), (50, 8)]:
        bm = solution.BlockManager(num_blocks, block_size)
        model = Model(num_blocks, block_size)
        next_id = 0
        for _ in range(300):
            live = sorted(model.tables)
            roll = rng.random()
            if roll < 0.1 or not live:
                bm.allocate(next_id)
                model.tables[next_id], model.lengths[next_id] = [], 0
            elif roll < 0.3:
                parent = rng.choice(live)
                bm.fork(parent, next_id)
                model.fork(parent, next_id)
            elif roll < 0.42:
                seq = rng.choice(live)
                bm.free(seq)
                model.release(seq)
                continue
            else:
                seq = rng.choice(live)
                tokens = [7] * rng.choice([0, 1, 1, 1, 2, 3, block_size, 2 * block_size + 1])
                try:
                    bm.append(seq, tokens)
                    ok = True
                except solution.OutOfBlocks:
                    ok = False
                assert ok == model.append(seq, len(tokens))
                continue
            next_id += 1
        for seq, table in model.tables.items():
            assert bm.block_table(seq) == table, (num_blocks, block_size, seq)
            assert bm.num_tokens(seq) == model.lengths[seq]
        assert [bm.ref_count(block) for block in range(num_blocks)] == model.refs
        assert bm.num_free_blocks() == len(model.free_ids())
