"""Level 4 hidden tests: the KV memory budget and the scheduler simulation.

The scheduler is compared with a trusted model written here, a plain loop over
steps with lists of dicts; the figures of small traces are also pinned by hand.
"""

import random
from fractions import Fraction

import pytest


def ceil_div(a, b):
    return -(-a // b)


def model_simulate(trace, num_blocks, block_size):
    """The scheduler rules, step by step: (completion steps, preemptions, steps)."""
    waiting, running, free = [], [], num_blocks
    done = [None] * len(trace)
    preemptions, step, arrived = 0, 0, 0
    while None in done:
        while arrived < len(trace) and trace[arrived][0] == step:
            waiting.append({"i": arrived, "gen": 0})
            arrived += 1
        k = 0
        while k < len(running):
            r = running[k]
            if ceil_div(trace[r["i"]][1] + r["gen"] + 1, block_size) > r["held"]:
                while free == 0:
                    victim = running.pop()
                    free += victim["held"]
                    preemptions += 1
                    waiting.insert(0, {"i": victim["i"], "gen": victim["gen"]})
                    if victim is r:
                        break
                if r not in running:
                    break
                free -= 1
                r["held"] += 1
            k += 1
        while waiting:
            w = waiting[0]
            need = ceil_div(trace[w["i"]][1] + w["gen"] + 1, block_size)
            if need > free:
                break
            waiting.pop(0)
            free -= need
            running.append({"i": w["i"], "gen": w["gen"], "held": need})
        for r in list(running):
            r["gen"] += 1
            if r["gen"] == trace[r["i"]][2]:
                done[r["i"]] = step
                free += r["held"]
                running.remove(r)
        step += 1
    return done, preemptions, step


def run(solution, trace, num_blocks, block_size):
    requests = [solution.Request(*request) for request in trace]
    completion, preemptions, steps, throughput = solution.simulate(requests, num_blocks, block_size)
    assert isinstance(throughput, (int, Fraction)) and not isinstance(throughput, bool), (
        f"throughput {throughput!r} must be an exact Fraction")
    return list(completion), preemptions, steps, Fraction(throughput)


def random_trace(rng, count, max_prompt, max_output, gap):
    trace, step = [], 0
    for _ in range(count):
        step += rng.choice([0] * gap + [1, 1, 2])
        trace.append((step, rng.randint(1, max_prompt), rng.randint(1, max_output)))
    return trace


# -- the memory budget ---------------------------------------------------------------------------


def test_kv_bytes_per_token_counts_keys_and_values(solution):
    config = solution.ModelConfig
    assert solution.kv_bytes_per_token(config(1, 1, 1, 1)) == 2
    assert solution.kv_bytes_per_token(config(80, 8, 128, 2)) == 327_680
    assert solution.kv_bytes_per_token(config(28, 4, 128, 2)) == 57_344


def test_fewer_kv_heads_and_smaller_types_shrink_the_cache(solution):
    config = solution.ModelConfig
    mha = solution.kv_bytes_per_token(config(32, 32, 128, 2))
    gqa = solution.kv_bytes_per_token(config(32, 8, 128, 2))
    mqa = solution.kv_bytes_per_token(config(32, 1, 128, 2))
    fp8 = solution.kv_bytes_per_token(config(32, 8, 128, 1))
    assert (mha, gqa, mqa, fp8) == (524_288, 131_072, 16_384, 65_536)


def test_kv_bytes_rejects_empty_fields_edge(solution):
    for fields in [(0, 8, 128, 2), (32, 0, 128, 2), (32, 8, 0, 2), (32, 8, 128, 0)]:
        with pytest.raises(ValueError):
            solution.kv_bytes_per_token(solution.ModelConfig(*fields))


def test_num_kv_blocks_takes_the_weights_out_of_nine_tenths(solution):
    config = solution.ModelConfig(80, 8, 128, 2)
    # 2 x 80 GiB of tensor-parallel memory seen as one pool, 140 GB of weights
    assert solution.num_kv_blocks(config, 16, 160 * 2**30, 140_000_000_000) == 2_788
    small = solution.ModelConfig(28, 4, 128, 2)
    assert solution.num_kv_blocks(small, 32, 24 * 10**9, 3_000_000_000) == 10_136


def test_num_kv_blocks_rounds_down_at_both_steps_edge(solution):
    tiny = solution.ModelConfig(1, 1, 1, 1)            # 2 bytes per token
    assert solution.num_kv_blocks(tiny, 1, 19, 0) == 8   # 17 usable bytes: 8 blocks of 2
    assert solution.num_kv_blocks(tiny, 1, 20, 0) == 9   # 18 usable bytes
    assert solution.num_kv_blocks(tiny, 4, 99, 10) == 9  # 89 - 10 = 79 bytes, blocks of 8


def test_num_kv_blocks_is_zero_below_one_block_edge(solution):
    tiny = solution.ModelConfig(1, 1, 1, 1)
    assert solution.num_kv_blocks(tiny, 4, 80, 65) == 0  # 72 - 65 = 7 bytes, blocks of 8
    assert solution.num_kv_blocks(tiny, 4, 80, 72) == 0  # the weights take it all


def test_num_kv_blocks_rejects_weights_that_do_not_fit_edge(solution):
    tiny = solution.ModelConfig(1, 1, 1, 1)
    with pytest.raises(ValueError):
        solution.num_kv_blocks(tiny, 4, 80, 73)
    with pytest.raises(ValueError):
        solution.num_kv_blocks(tiny, 0, 80, 10)
    with pytest.raises(ValueError):
        solution.num_kv_blocks(tiny, 4, -1, 0)


# -- the scheduler -------------------------------------------------------------------------------


def test_a_single_request_generates_one_token_per_step(solution):
    assert run(solution, [(3, 10, 5)], 4, 4) == ([7], 0, 8, Fraction(5, 8))


def test_steps_waiting_for_arrivals_count_edge(solution):
    assert run(solution, [(0, 2, 1), (10, 2, 2)], 2, 2) == ([0, 11], 0, 12, Fraction(3, 12))


def test_empty_trace_edge(solution):
    assert run(solution, [], 4, 4) == ([], 0, 0, Fraction(0))


def test_admission_is_strictly_first_come_first_served_edge(solution):
    # r1 does not fit next to r0, so r2 waits behind it although r2 alone would fit
    assert run(solution, [(0, 2, 1), (0, 4, 2), (0, 1, 1)], 3, 2) == (
        [0, 2, 3], 0, 4, Fraction(4, 4))


def test_admission_needs_room_for_the_first_generated_token_edge(solution):
    # a 4-token prompt in blocks of 4 needs 2 blocks at admission, for its first output token
    assert run(solution, [(0, 4, 1), (0, 4, 1)], 3, 4) == ([0, 1], 0, 2, Fraction(1))


def test_preemption_takes_the_most_recently_admitted_request(solution):
    assert run(solution, [(0, 1, 3), (1, 1, 2)], 3, 2) == ([2, 3], 1, 4, Fraction(5, 4))


def test_a_preempted_request_goes_back_to_the_front_of_the_queue(solution):
    assert run(solution, [(1, 1, 2), (1, 3, 2), (2, 3, 1)], 3, 2) == (
        [2, 3, 4], 1, 5, Fraction(5, 5))


def test_two_preemptions_in_one_step_keep_their_admission_order(solution):
    # step 1: r0 preempts r2, then r1 preempts itself; the queue becomes r1, r2, r3
    assert run(solution, [(0, 1, 2), (0, 3, 4), (0, 1, 5), (0, 3, 3)], 4, 2) == (
        [1, 4, 8, 10], 3, 11, Fraction(14, 11))


def test_a_readmitted_request_keeps_its_generated_tokens(solution):
    # step 1: r1 preempts itself after 1 token; it comes back in step 2 with 1 + 1 tokens
    # of context (2 blocks) and needs only one more token
    assert run(solution, [(0, 1, 2), (0, 1, 2)], 3, 2) == ([1, 2], 1, 3, Fraction(4, 3))
    trace = [(0, 4, 6), (0, 4, 6)]
    assert run(solution, trace, 4, 4)[:3] == model_simulate(trace, 4, 4) == ([5, 7], 1, 8)


def test_a_request_that_exactly_fills_the_pool_runs_alone_edge(solution):
    assert run(solution, [(0, 5, 3), (0, 1, 1)], 2, 4) == ([2, 3], 0, 4, Fraction(1))


def test_invalid_traces_raise_edge(solution):
    R = solution.Request
    bad = [
        ([R(2, 3, 3), R(1, 3, 3)], 8, 4),      # arrivals go backwards
        ([R(-1, 3, 3)], 8, 4),
        ([R(0, 0, 3)], 8, 4),
        ([R(0, 3, 0)], 8, 4),
        ([R(0, 5, 4)], 2, 4),                  # 9 tokens need 3 blocks of 4
        ([R(0, 1, 1)], 0, 4),
        ([R(0, 1, 1)], 4, 0),
    ]
    for trace, num_blocks, block_size in bad:
        with pytest.raises(ValueError):
            solution.simulate(trace, num_blocks, block_size)


def test_random_traces_match_the_model(solution):
    rng = random.Random(44)
    for num_blocks, block_size in [(6, 2), (12, 4), (20, 1), (9, 8)]:
        for _ in range(4):
            trace = [request for request in random_trace(rng, 12, 12, 10, 2)
                     if ceil_div(request[1] + request[2], block_size) <= num_blocks]
            expected = model_simulate(trace, num_blocks, block_size)
            assert run(solution, trace, num_blocks, block_size)[:3] == expected, (
                num_blocks, block_size, trace)


def test_benchmark_traces_preemptions_measured(solution, measure):
    rng = random.Random(2024)
    total = 0
    for count, num_blocks, block_size in [(120, 48, 16), (200, 40, 8), (300, 64, 16)]:
        trace = random_trace(rng, count, 200, 120, 1)
        trace = [request for request in trace
                 if ceil_div(request[1] + request[2], block_size) <= num_blocks]
        completion, preemptions, steps, throughput = run(solution, trace, num_blocks, block_size)
        expected = model_simulate(trace, num_blocks, block_size)
        assert (completion, preemptions, steps) == expected, (count, num_blocks, block_size)
        assert throughput == Fraction(sum(request[2] for request in trace), steps)
        total += preemptions
    measure("preemptions", total)
