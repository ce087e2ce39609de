"""Level 1 hidden tests: chunking, ring reduce-scatter, all-gather and allreduce.

Every schedule is compared with a trusted model of the ring written here, and
the bytes each rank sends are counted from the candidate's steps with the
test's own chunking, never with the candidate's chunk_bounds.
"""

import copy
import random

import pytest

ELEMENT_BYTES = 4


def bounds(length, parts):
    size, extra = divmod(length, parts)
    found, start = [], 0
    for chunk in range(parts):
        end = start + size + (chunk < extra)
        found.append((start, end))
        start = end
    return found


def model_phase(buffers, chunk_at, reduce):
    """The trusted ring: every message of a step carries its sender's values at the step's start."""
    bufs = [list(b) for b in buffers]
    ranks = len(bufs)
    spans = bounds(len(bufs[0]), ranks)
    steps = []
    for step in range(ranks - 1):
        sends = [(r, chunk_at(r, step) % ranks, (r + 1) % ranks) for r in range(ranks)]
        payloads = [bufs[src][slice(*spans[chunk])] for src, chunk, _ in sends]
        for (_, chunk, dst), payload in zip(sends, payloads, strict=True):
            start, end = spans[chunk]
            if reduce:
                payload = [a + b for a, b in zip(bufs[dst][start:end], payload, strict=True)]
            bufs[dst][start:end] = payload
        steps.append(sends)
    return bufs, steps


def model_reduce_scatter(buffers):
    return model_phase(buffers, lambda r, s: r - 1 - s, True)


def model_all_gather(buffers):
    return model_phase(buffers, lambda r, s: r - s, False)


def model_allreduce(buffers):
    scattered, first = model_reduce_scatter(buffers)
    gathered, second = model_all_gather(scattered)
    return gathered, first + second


def as_lists(steps):
    return [[tuple(send) for send in step] for step in steps]


def random_buffers(rng, ranks, length, low=-50, high=50):
    return [[rng.randint(low, high) for _ in range(length)] for _ in range(ranks)]


def column_sums(buffers):
    return [sum(column) for column in zip(*buffers, strict=True)]


def bytes_per_rank(steps, length, ranks):
    spans = bounds(length, ranks)
    sent = [0] * ranks
    for step in steps:
        for src, chunk, _ in step:
            start, end = spans[chunk]
            sent[src] += (end - start) * ELEMENT_BYTES
    return sent


# -- chunking ------------------------------------------------------------------------------------


def test_chunk_bounds_splits_evenly_when_parts_divide_length(solution):
    assert solution.chunk_bounds(12, 4) == [(0, 3), (3, 6), (6, 9), (9, 12)]


def test_chunk_bounds_gives_the_remainder_to_the_first_chunks_edge(solution):
    assert solution.chunk_bounds(10, 4) == [(0, 3), (3, 6), (6, 8), (8, 10)]
    assert solution.chunk_bounds(7, 3) == [(0, 3), (3, 5), (5, 7)]


def test_chunk_bounds_with_more_parts_than_elements_edge(solution):
    assert solution.chunk_bounds(3, 5) == [(0, 1), (1, 2), (2, 3), (3, 3), (3, 3)]
    assert solution.chunk_bounds(0, 3) == [(0, 0), (0, 0), (0, 0)]


def test_chunk_bounds_with_one_part(solution):
    assert solution.chunk_bounds(9, 1) == [(0, 9)]


def test_chunk_bounds_rejects_bad_arguments_edge(solution):
    with pytest.raises(ValueError):
        solution.chunk_bounds(5, 0)
    with pytest.raises(ValueError):
        solution.chunk_bounds(-1, 2)


# -- reduce-scatter and all-gather ---------------------------------------------------------------


def test_reduce_scatter_steps_follow_the_schedule(solution):
    buffers = random_buffers(random.Random(1), 4, 8)
    result = solution.reduce_scatter(buffers)
    assert as_lists(result.steps) == [
        [(0, 3, 1), (1, 0, 2), (2, 1, 3), (3, 2, 0)],
        [(0, 2, 1), (1, 3, 2), (2, 0, 3), (3, 1, 0)],
        [(0, 1, 1), (1, 2, 2), (2, 3, 3), (3, 0, 0)],
    ]


def test_reduce_scatter_rank_r_holds_the_sum_of_chunk_r(solution):
    buffers = random_buffers(random.Random(2), 5, 13)
    result = solution.reduce_scatter(buffers)
    total = column_sums(buffers)
    for rank, (start, end) in enumerate(bounds(13, 5)):
        assert result.buffers[rank][start:end] == total[start:end], f"rank {rank}"


def test_reduce_scatter_leaves_the_partial_sums_of_the_ring(solution):
    buffers = [[10 ** r * (i + 1) for i in range(8)] for r in range(4)]
    expected, _ = model_reduce_scatter(buffers)
    assert solution.reduce_scatter(buffers).buffers == expected


def test_all_gather_spreads_each_ranks_own_chunk(solution):
    buffers = [[100 * r + i for i in range(7)] for r in range(3)]
    result = solution.all_gather(buffers)
    spans = bounds(7, 3)
    wanted = [None] * 7
    for owner, (start, end) in enumerate(spans):
        wanted[start:end] = buffers[owner][start:end]
    assert result.buffers == [wanted] * 3


def test_all_gather_steps_follow_the_schedule(solution):
    buffers = [[r] * 4 for r in range(4)]
    result = solution.all_gather(buffers)
    assert as_lists(result.steps) == [
        [(0, 0, 1), (1, 1, 2), (2, 2, 3), (3, 3, 0)],
        [(0, 3, 1), (1, 0, 2), (2, 1, 3), (3, 2, 0)],
        [(0, 2, 1), (1, 3, 2), (2, 0, 3), (3, 1, 0)],
    ]


# -- ring allreduce ------------------------------------------------------------------------------


def test_ring_allreduce_gives_every_rank_the_sum(solution):
    buffers = random_buffers(random.Random(3), 6, 20)
    result = solution.ring_allreduce(buffers)
    assert result.buffers == [column_sums(buffers)] * 6


def test_ring_allreduce_is_reduce_scatter_then_all_gather(solution):
    buffers = random_buffers(random.Random(4), 5, 11)
    expected_buffers, expected_steps = model_allreduce(buffers)
    result = solution.ring_allreduce(buffers)
    assert as_lists(result.steps) == expected_steps
    assert result.buffers == expected_buffers


def test_ring_allreduce_takes_2_n_minus_1_steps_of_one_send_per_rank(solution):
    result = solution.ring_allreduce(random_buffers(random.Random(5), 7, 21))
    assert len(result.steps) == 12
    for step in result.steps:
        assert [src for src, _, _ in step] == list(range(7))
        assert all(dst == (src + 1) % 7 for src, _, dst in step)


def test_ring_allreduce_matches_the_model_on_random_shapes(solution):
    rng = random.Random(6)
    for ranks, length in [(2, 1), (3, 10), (8, 17), (9, 9), (12, 50)]:
        buffers = random_buffers(rng, ranks, length)
        expected_buffers, expected_steps = model_allreduce(buffers)
        result = solution.ring_allreduce(buffers)
        assert as_lists(result.steps) == expected_steps, (ranks, length)
        assert result.buffers == expected_buffers, (ranks, length)


def test_single_rank_needs_no_steps_edge(solution):
    for function in (solution.reduce_scatter, solution.all_gather, solution.ring_allreduce):
        result = function([[4, 5, 6]])
        assert result.buffers == [[4, 5, 6]]
        assert list(result.steps) == []


def test_two_ranks_edge(solution):
    result = solution.ring_allreduce([[1, 2, 3], [10, 20, 30]])
    assert result.buffers == [[11, 22, 33], [11, 22, 33]]
    assert as_lists(result.steps) == [[(0, 1, 1), (1, 0, 0)], [(0, 0, 1), (1, 1, 0)]]


def test_buffer_shorter_than_the_ring_still_lists_empty_chunks_edge(solution):
    buffers = [[1, 2], [10, 20], [100, 200], [1000, 2000]]
    expected_buffers, expected_steps = model_allreduce(buffers)
    result = solution.ring_allreduce(buffers)
    assert as_lists(result.steps) == expected_steps
    assert result.buffers == [[1111, 2222]] * 4 == expected_buffers


def test_empty_buffers_still_take_every_step_edge(solution):
    result = solution.ring_allreduce([[], [], []])
    assert result.buffers == [[], [], []]
    assert len(result.steps) == 4 and all(len(step) == 3 for step in result.steps)


def test_inputs_are_not_modified(solution):
    buffers = random_buffers(random.Random(7), 4, 9)
    before = copy.deepcopy(buffers)
    for function in (solution.reduce_scatter, solution.all_gather, solution.ring_allreduce):
        result = function(buffers)
        assert buffers == before, function.__name__
        assert all(out is not given for out, given in zip(result.buffers, buffers, strict=True))
    single = [[1, 2]]
    solution.ring_allreduce(single)[0][0].append(99)
    assert single == [[1, 2]]


def test_unequal_buffer_lengths_raise_edge(solution):
    for function in (solution.reduce_scatter, solution.all_gather, solution.ring_allreduce):
        with pytest.raises(ValueError):
            function([[1, 2], [3]])


def test_no_ranks_raise_edge(solution):
    for function in (solution.reduce_scatter, solution.all_gather, solution.ring_allreduce):
        with pytest.raises(ValueError):
            function([])


def test_uneven_chunks_give_each_rank_its_own_byte_count_edge(solution):
    # n = 10 over 4 ranks: chunks of 3, 3, 2, 2; rank r sends all but chunk r in the
    # reduce-scatter and all but chunk r + 1 in the all-gather.
    result = solution.ring_allreduce(random_buffers(random.Random(8), 4, 10))
    sizes = [3, 3, 2, 2]
    expected = [ELEMENT_BYTES * ((10 - sizes[r]) + (10 - sizes[(r + 1) % 4])) for r in range(4)]
    assert bytes_per_rank(result.steps, 10, 4) == expected


# -- bytes on the wire ---------------------------------------------------------------------------


def test_each_rank_sends_2_n_minus_1_over_n_of_its_buffer_measured(solution, measure):
    rng = random.Random(9)
    busiest = 0
    for ranks, length in [(4, 1024), (8, 4096), (16, 1600)]:
        buffers = random_buffers(rng, ranks, length, 0, 9)
        result = solution.ring_allreduce(buffers)
        assert result.buffers == [column_sums(buffers)] * ranks, (ranks, length)
        sent = bytes_per_rank(result.steps, length, ranks)
        budget = 2 * (ranks - 1) * length // ranks * ELEMENT_BYTES
        assert max(sent) <= budget, (
            f"N={ranks}, n={length}: the busiest rank sends {max(sent)} bytes; "
            f"a ring allreduce needs only 2(N-1)/N * n elements, {budget} bytes")
        assert sent == [budget] * ranks, (ranks, length)
        busiest += max(sent)
    measure("bytes_sent", busiest)
