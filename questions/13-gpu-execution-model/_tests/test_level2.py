"""Level 2 hidden tests: bank conflicts, the padding of a column read, and the transpose."""

import pytest


def words(first_word, stride, active=32):
    """Lane i reads word first_word + i * stride (byte offsets), the first ``active`` lanes."""
    return [4 * (first_word + i * stride) if i < active else None for i in range(32)]


def model_degree(addresses):
    per_bank = {}
    for addr in {a // 4 for a in addresses if a is not None}:
        per_bank[addr % 32] = per_bank.get(addr % 32, 0) + 1
    return max(per_bank.values(), default=0)


def model_sectors(addresses):
    return len({a // 32 for a in addresses if a is not None})


def model_transpose(n, pad):
    """A trusted, independent pricing of both kernels, instruction by instruction."""
    out = -(-4 * n * n // 128) * 128
    naive = tiled = shared = 0
    for r in range(n):
        for c0 in range(0, n, 32):
            cols = [c for c in range(c0, c0 + 32) if c < n]
            naive += model_sectors([4 * (r * n + c) for c in cols])
            naive += model_sectors([out + 4 * (c * n + r) for c in cols])
    for big_r in range(0, n, 32):
        for big_c in range(0, n, 32):
            for j in range(32):
                ks = [k for k in range(32) if big_c + k < n]
                if big_r + j < n and ks:
                    tiled += model_sectors([4 * ((big_r + j) * n + big_c + k) for k in ks])
                    shared += model_degree([4 * (j * (32 + pad) + k) for k in ks])
            for j in range(32):
                ks = [k for k in range(32) if big_r + k < n]
                if big_c + j < n and ks:
                    shared += model_degree([4 * (k * (32 + pad) + j) for k in ks])
                    tiled += model_sectors([out + 4 * ((big_c + j) * n + big_r + k) for k in ks])
    return naive, tiled, shared


def lcg(seed):
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        yield state >> 33


# -- bank conflicts ----------------------------------------------------------------------------


def test_consecutive_words_are_conflict_free(solution):
    assert solution.bank_conflict_degree(words(0, 1)) == 1
    assert solution.bank_conflict_degree(words(7, 1)) == 1
    assert solution.bank_conflict_degree(words(0, 3)) == 1


def test_even_strides_conflict(solution):
    assert solution.bank_conflict_degree(words(0, 2)) == 2
    assert solution.bank_conflict_degree(words(0, 4)) == 4
    assert solution.bank_conflict_degree(words(0, 16)) == 16
    assert solution.bank_conflict_degree(words(5, 32)) == 32
    assert solution.bank_conflict_degree(words(0, 64)) == 32


def test_bank_is_the_word_index_not_the_byte_offset(solution):
    # Byte offsets 0, 32, 64, ... are words 0, 8, 16, ...: only banks 0, 8, 16 and 24.
    assert solution.bank_conflict_degree(words(0, 8)) == 8
    # Words 0..31 sit in 32 different banks even though their byte offsets repeat mod 32.
    assert solution.bank_conflict_degree([4 * i for i in range(32)]) == 1


def test_same_word_is_a_broadcast_edge(solution):
    assert solution.bank_conflict_degree([4 * 33] * 32) == 1
    assert solution.bank_conflict_degree([0] * 16 + [4] * 16) == 1
    assert solution.bank_conflict_degree([0, 128, 256, 384] * 8) == 4


def test_degree_counts_distinct_words_in_the_worst_bank(solution):
    addresses = [0] * 10 + [128] * 10 + [256] * 10 + [4, 8]
    assert solution.bank_conflict_degree(addresses) == 3


def test_inactive_lanes_are_ignored_edge(solution):
    assert solution.bank_conflict_degree(words(0, 32, active=5)) == 5
    assert solution.bank_conflict_degree([None] * 32) == 0
    assert solution.bank_conflict_degree([None] * 31 + [1024]) == 1


def test_bank_degree_matches_the_model(solution):
    numbers = lcg(5)
    for _ in range(200):
        addresses = [4 * (next(numbers) % 300) if next(numbers) % 4 else None for _ in range(32)]
        assert solution.bank_conflict_degree(addresses) == model_degree(addresses), addresses


def test_bad_shared_access_raises_edge(solution):
    with pytest.raises(ValueError):
        solution.bank_conflict_degree([0] * 16)
    with pytest.raises(ValueError):
        solution.bank_conflict_degree([2] + [None] * 31)
    with pytest.raises(ValueError):
        solution.bank_conflict_degree([None] * 31 + [-4])


# -- padding -----------------------------------------------------------------------------------


def test_square_tile_needs_one_word_of_padding(solution):
    assert solution.column_padding(32) == 1
    assert solution.column_padding(32, rows=32) == 1
    assert solution.column_padding(64) == 1


def test_odd_widths_need_no_padding(solution):
    for width in (1, 3, 31, 33, 65):
        assert solution.column_padding(width) == 0, width


def test_fewer_rows_can_need_no_padding_edge(solution):
    assert solution.column_padding(30, rows=16) == 0
    assert solution.column_padding(12, rows=8) == 0
    assert solution.column_padding(24, rows=4) == 0
    assert solution.column_padding(2, rows=1) == 0


def test_fewer_rows_can_still_conflict(solution):
    assert solution.column_padding(16, rows=16) == 1
    assert solution.column_padding(8, rows=8) == 1
    assert solution.column_padding(24, rows=5) == 1
    assert solution.column_padding(48, rows=3) == 1


def test_padding_bad_arguments_edge(solution):
    for width, rows in ((0, 32), (-3, 32), (32, 0), (32, 33)):
        with pytest.raises(ValueError):
            solution.column_padding(width, rows)


# -- the transpose -----------------------------------------------------------------------------


def test_transpose_of_whole_tiles(solution):
    assert tuple(solution.transpose_traffic(32)) == (1152, 256, 64)
    assert tuple(solution.transpose_traffic(64)) == (4608, 1024, 256)
    assert tuple(solution.transpose_traffic(96)) == (10368, 2304, 576)


def test_tiled_kernel_moves_fewer_sectors(solution):
    for n in (40, 72):
        traffic = solution.transpose_traffic(n)
        assert traffic.tiled_sectors * 4 <= traffic.naive_sectors, n


def test_transpose_with_partial_tiles_edge(solution):
    assert tuple(solution.transpose_traffic(33)) == (1282, 386, 132)
    assert tuple(solution.transpose_traffic(100)) == (11450, 2900, 800)
    assert tuple(solution.transpose_traffic(130)) == (19498, 5196, 1300)


def test_transpose_of_tiny_matrices_edge(solution):
    assert tuple(solution.transpose_traffic(0)) == (0, 0, 0)
    assert tuple(solution.transpose_traffic(1)) == (2, 2, 2)
    assert tuple(solution.transpose_traffic(7)) == model_transpose(7, 1)
    assert tuple(solution.transpose_traffic(7)) == (56, 26, 14)


def test_unpadded_tile_pays_for_conflicts(solution):
    assert tuple(solution.transpose_traffic(64, pad=0)) == (4608, 1024, 4224)
    assert tuple(solution.transpose_traffic(64, pad=2)) == (4608, 1024, 384)
    assert tuple(solution.transpose_traffic(33, pad=0)) == (1282, 386, 1155)


def test_transpose_matches_the_model(solution):
    for n, pad in ((17, 1), (45, 0), (65, 3)):
        assert tuple(solution.transpose_traffic(n, pad)) == model_transpose(n, pad), (n, pad)


def test_transpose_bad_arguments_edge(solution):
    with pytest.raises(ValueError):
        solution.transpose_traffic(-1)
    with pytest.raises(ValueError):
        solution.transpose_traffic(32, pad=-1)
