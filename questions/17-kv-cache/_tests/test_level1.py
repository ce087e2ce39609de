"""Level 1 hidden tests: the paged block manager without sharing.

A small trusted model written here checks block tables and free counts after
random workloads; the other tests pin one rule each.
"""

import random

import pytest


class Model:
    """The level 1 rules, written plainly: a set of free ids, lists of blocks per sequence."""

    def __init__(self, num_blocks, block_size):
        self.size = block_size
        self.free = set(range(num_blocks))
        self.tables, self.lengths = {}, {}

    def append(self, seq, count):
        length = self.lengths[seq]
        needed = -(-(length + count) // self.size) - len(self.tables[seq])
        if needed > len(self.free):
            return False
        for _ in range(needed):
            block = min(self.free)
            self.free.remove(block)
            self.tables[seq].append(block)
        self.lengths[seq] = length + count
        return True

    def release(self, seq):
        self.free.update(self.tables.pop(seq))
        del self.lengths[seq]


def try_append(solution, bm, seq, tokens):
    try:
        bm.append(seq, tokens)
    except solution.OutOfBlocks:
        return False
    return True


def test_new_manager_has_every_block_free(solution):
    bm = solution.BlockManager(7, 16)
    assert bm.num_free_blocks() == 7
    bm.allocate("s")
    assert bm.block_table("s") == []
    assert bm.num_tokens("s") == 0
    assert bm.num_free_blocks() == 7


def test_blocks_are_handed_out_lowest_id_first(solution):
    bm = solution.BlockManager(10, 2)
    bm.allocate(1)
    bm.append(1, [5, 6, 7])
    bm.allocate(2)
    bm.append(2, [1] * 5)
    assert bm.block_table(1) == [0, 1]
    assert bm.block_table(2) == [2, 3, 4]
    assert bm.num_free_blocks() == 5


def test_append_tops_up_the_last_block_before_taking_a_new_one(solution):
    bm = solution.BlockManager(8, 4)
    bm.allocate("s")
    for count, table in [(1, [0]), (2, [0]), (1, [0]), (1, [0, 1]), (6, [0, 1, 2])]:
        bm.append("s", [9] * count)
        assert bm.block_table("s") == table
    assert bm.num_tokens("s") == 11
    assert bm.num_free_blocks() == 5


def test_exactly_full_block_needs_no_extra_block_edge(solution):
    bm = solution.BlockManager(4, 4)
    bm.allocate("s")
    bm.append("s", [1, 2, 3, 4])
    assert bm.block_table("s") == [0]
    assert bm.num_free_blocks() == 3
    bm.append("s", [5, 6, 7, 8, 9, 10, 11, 12])
    assert bm.block_table("s") == [0, 1, 2]
    bm.append("s", [13])
    assert bm.block_table("s") == [0, 1, 2, 3]


def test_freed_blocks_are_reused_lowest_id_first(solution):
    bm = solution.BlockManager(9, 2)
    for seq in "abc":
        bm.allocate(seq)
        bm.append(seq, [0] * 6)
    bm.free("c")
    bm.free("a")
    assert bm.num_free_blocks() == 6
    bm.allocate("d")
    bm.append("d", [1] * 8)
    assert bm.block_table("d") == [0, 1, 2, 6]
    bm.free("b")
    bm.allocate("e")
    bm.append("e", [1] * 9)
    assert bm.block_table("e") == [3, 4, 5, 7, 8]
    assert bm.num_free_blocks() == 0


def test_out_of_blocks_changes_nothing_edge(solution):
    bm = solution.BlockManager(3, 4)
    bm.allocate("a")
    bm.append("a", [1, 2, 3, 4, 5, 6])
    bm.allocate("b")
    with pytest.raises(solution.OutOfBlocks):
        bm.append("a", list(range(11)))          # fills block 1 with 2, then needs 3 more
    assert bm.block_table("a") == [0, 1]
    assert bm.num_tokens("a") == 6
    assert bm.num_free_blocks() == 1
    with pytest.raises(solution.OutOfBlocks):
        bm.append("b", [0] * 5)
    assert bm.block_table("b") == [] and bm.num_tokens("b") == 0
    bm.append("a", [7, 8])                       # fits in block 1: still works afterwards
    assert bm.block_table("a") == [0, 1]
    assert bm.num_tokens("a") == 8


def test_append_that_needs_exactly_the_free_blocks_succeeds_edge(solution):
    bm = solution.BlockManager(3, 4)
    bm.allocate("s")
    bm.append("s", [1])
    bm.append("s", [2] * 11)
    assert bm.block_table("s") == [0, 1, 2]
    assert bm.num_free_blocks() == 0
    with pytest.raises(solution.OutOfBlocks):
        bm.append("s", [3])
    assert bm.num_tokens("s") == 12


def test_empty_append_changes_nothing_edge(solution):
    bm = solution.BlockManager(2, 4)
    bm.allocate("s")
    bm.append("s", [])
    assert bm.block_table("s") == [] and bm.num_tokens("s") == 0
    bm.append("s", [1, 2, 3, 4, 5, 6, 7, 8])
    bm.append("s", [])                           # a full pool, but nothing is needed
    assert bm.block_table("s") == [0, 1]


def test_block_size_one_edge(solution):
    bm = solution.BlockManager(5, 1)
    bm.allocate("s")
    bm.append("s", [4, 4, 4])
    assert bm.block_table("s") == [0, 1, 2]
    bm.allocate("t")
    with pytest.raises(solution.OutOfBlocks):
        bm.append("t", [1, 1, 1])
    bm.append("t", [1, 1])
    assert bm.block_table("t") == [3, 4]


def test_block_table_is_a_copy(solution):
    bm = solution.BlockManager(4, 2)
    bm.allocate("s")
    bm.append("s", [1, 2, 3])
    table = bm.block_table("s")
    table.append(99)
    table[0] = 42
    assert bm.block_table("s") == [0, 1]


def test_free_returns_every_block(solution):
    bm = solution.BlockManager(6, 3)
    bm.allocate("s")
    bm.append("s", list(range(16)))
    assert bm.num_free_blocks() == 0
    bm.free("s")
    assert bm.num_free_blocks() == 6
    with pytest.raises(KeyError):
        bm.block_table("s")
    bm.allocate("s")                             # the id can be used again
    assert bm.block_table("s") == []


def test_unknown_and_duplicate_ids_raise_edge(solution):
    bm = solution.BlockManager(4, 4)
    bm.allocate("s")
    with pytest.raises(ValueError):
        bm.allocate("s")
    for call in (lambda: bm.append("x", [1]), lambda: bm.free("x"),
                 lambda: bm.block_table("x"), lambda: bm.num_tokens("x")):
        with pytest.raises(KeyError):
            call()


def test_bad_pool_sizes_raise_edge(solution):
    for num_blocks, block_size in [(0, 4), (4, 0), (-1, 4), (4, -2)]:
        with pytest.raises(ValueError):
            solution.BlockManager(num_blocks, block_size)


def test_random_workload_matches_the_model(solution):
    rng = random.Random(17)
    for num_blocks, block_size in [(12, 4), (30, 3), (9, 1), (40, 16)]:
        bm = solution.BlockManager(num_blocks, block_size)
        model = Model(num_blocks, block_size)
        next_id = 0
        for _ in range(300):
            live = sorted(model.tables)
            roll = rng.random()
            if roll < 0.2 or not live:
                bm.allocate(next_id)
                model.tables[next_id], model.lengths[next_id] = [], 0
                next_id += 1
            elif roll < 0.35:
                seq = rng.choice(live)
                bm.free(seq)
                model.release(seq)
            else:
                seq = rng.choice(live)
                tokens = [rng.randrange(100) for _ in range(rng.choice([0, 1, 1, 2, 5, 9, 20]))]
                assert try_append(solution, bm, seq, tokens) == model.append(seq, len(tokens))
            assert bm.num_free_blocks() == len(model.free)
            for seq, table in model.tables.items():
                assert bm.block_table(seq) == table, (num_blocks, block_size, seq)
                assert bm.num_tokens(seq) == model.lengths[seq]
