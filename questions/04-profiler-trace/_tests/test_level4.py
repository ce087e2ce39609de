"""Level 4 hidden tests: the minimum duration and samples in any order.

The duration of a call is its end timestamp minus its start timestamp; a call
still open after the last sample lasts until the last sample's timestamp.
Samples are processed in timestamp order, equal timestamps in input order.
"""

import copy
import random
import time


def events(solution, samples, **options):
    return [tuple(event) for event in solution.convert(samples, **options)]


def model(samples, min_samples=1, min_duration=0):
    """Stable sort, the diff rule, then both filters applied to every call."""
    samples = sorted(samples, key=lambda sample: sample[0])
    raw, open_calls, previous = [], [], []
    for index, (ts, stack) in enumerate(samples):
        stack = list(stack)
        common = 0
        while (common < min(len(previous), len(stack))
               and previous[common] == stack[common]):
            common += 1
        for _ in range(len(previous) - common):
            call = open_calls.pop()
            call.update(seen=index - call["first"], lasted=ts - call["ts"])
            raw.append(("end", ts, call))
        for name in stack[common:]:
            call = {"name": name, "first": index, "ts": ts}
            open_calls.append(call)
            raw.append(("start", ts, call))
        previous = stack
    for call in open_calls:
        call.update(seen=len(samples) - call["first"], lasted=samples[-1][0] - call["ts"])
    return [(kind, ts, call["name"]) for kind, ts, call in raw
            if call["seen"] >= min_samples and call["lasted"] >= min_duration]


def noisy_trace(rng, count, names="abcd", depth=6, noise=0.3):
    """A slowly changing stack with one-sample blips, at irregular times."""
    samples, stack, ts = [], [], 0
    for _ in range(count):
        ts += rng.choice((0, 1, 2, 5, 9))
        move = rng.random()
        if move < 0.2 and len(stack) < depth:
            stack = [*stack, rng.choice(names)]
        elif move < 0.35 and stack:
            stack = stack[: rng.randrange(len(stack))]
        shown = stack
        if rng.random() < noise:
            shown = [*stack, *rng.choices(names, k=rng.randint(1, 2))]
        samples.append((ts, shown))
    return samples


def test_min_duration_zero_keeps_every_call_edge(solution):
    samples = [(0, ["main"]), (0, ["main", "a"]), (0, ["main"]), (4, [])]
    assert events(solution, samples, min_duration=0) == [
        ("start", 0, "main"),
        ("start", 0, "a"),
        ("end", 0, "a"),
        ("end", 4, "main"),
    ]


def test_call_shorter_than_min_duration_is_dropped(solution):
    samples = [(0, ["main"]), (10, ["main", "a"]), (13, ["main"]), (40, ["main"])]
    assert events(solution, samples, min_duration=5) == [("start", 0, "main")]


def test_call_lasting_exactly_min_duration_is_kept_edge(solution):
    samples = [(0, ["main"]), (10, ["main", "a"]), (15, ["main"]), (40, ["main"])]
    assert events(solution, samples, min_duration=5) == [
        ("start", 0, "main"),
        ("start", 10, "a"),
        ("end", 15, "a"),
    ]


def test_duration_comes_from_timestamps_not_sample_counts(solution):
    samples = [(0, ["main", "slow"]), (100, ["main"]), (101, ["main", "busy"]),
               (102, ["main", "busy"]), (103, ["main", "busy"]), (104, ["main"])]
    assert events(solution, samples, min_duration=50) == [
        ("start", 0, "main"),
        ("start", 0, "slow"),
        ("end", 100, "slow"),
    ]


def test_open_call_lasts_until_the_last_sample_edge(solution):
    samples = [(0, ["main"]), (20, ["main", "tail"]), (29, ["main", "tail"])]
    assert events(solution, samples, min_duration=9) == [
        ("start", 0, "main"),
        ("start", 20, "tail"),
    ]
    assert events(solution, samples, min_duration=10) == [("start", 0, "main")]


def test_call_starting_at_the_last_sample_lasts_zero_edge(solution):
    samples = [(0, ["main"]), (50, ["main", "late"])]
    assert events(solution, samples, min_duration=1) == [("start", 0, "main")]


def test_single_sample_trace_lasts_zero_edge(solution):
    assert events(solution, [(7, ["main", "a"])], min_duration=1) == []
    assert events(solution, [(7, ["main", "a"])], min_duration=0) == [
        ("start", 7, "main"),
        ("start", 7, "a"),
    ]


def test_children_of_a_short_call_are_dropped_with_it(solution):
    samples = [(0, ["main"]), (10, ["main", "a", "b"]), (12, ["main"]), (30, ["main"])]
    assert events(solution, samples, min_duration=3) == [("start", 0, "main")]


def test_both_filters_must_pass(solution):
    samples = [
        (0, ["main"]),
        (1, ["main", "long_once"]),   # seen once, lasts 49
        (50, ["main", "short_often"]),
        (51, ["main", "short_often"]),
        (52, ["main", "short_often"]),  # seen three times, lasts 3
        (53, ["main", "both"]),
        (70, ["main", "both"]),        # seen twice, lasts 30
        (83, ["main"]),
    ]
    assert events(solution, samples, min_samples=2, min_duration=10) == [
        ("start", 0, "main"),
        ("start", 53, "both"),
        ("end", 83, "both"),
    ]


def test_unsorted_samples_are_processed_in_timestamp_order(solution):
    samples = [(20, ["main"]), (0, ["main", "a"]), (10, ["main", "b"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 0, "a"),
        ("end", 10, "a"),
        ("start", 10, "b"),
        ("end", 20, "b"),
    ]


def test_reversed_input_gives_the_sorted_result(solution):
    ordered = [(0, ["main"]), (1, ["main", "a"]), (2, ["main", "a", "b"]), (3, [])]
    assert events(solution, ordered[::-1]) == events(solution, ordered) == model(ordered)


def test_equal_timestamps_keep_their_input_order_edge(solution):
    samples = [(5, ["main", "z"]), (0, ["main"]), (5, ["main", "a"]), (9, ["main"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 5, "z"),
        ("end", 5, "z"),
        ("start", 5, "a"),
        ("end", 9, "a"),
    ]


def test_equal_timestamps_are_not_ordered_by_stack_edge(solution):
    samples = [(3, ["m", "y"]), (3, ["m", "b", "c"]), (3, ["m"]), (1, [])]
    assert events(solution, samples) == [
        ("start", 3, "m"),
        ("start", 3, "y"),
        ("end", 3, "y"),
        ("start", 3, "b"),
        ("start", 3, "c"),
        ("end", 3, "c"),
        ("end", 3, "b"),
    ]


def test_unsorted_input_list_is_left_as_given_edge(solution):
    samples = [(9, ["main"]), (1, ["main", "a"]), (5, []), (1, ["main", "b"])]
    before = copy.deepcopy(samples)
    events(solution, samples, min_samples=1, min_duration=1)
    assert samples == before


def test_filters_apply_after_sorting(solution):
    samples = [(40, ["main"]), (0, ["main"]), (30, ["main", "f"]), (10, ["main", "f"])]
    # sorted: main at 0, f at 10 and at 30 (one call, 10 to 40), main at 40
    assert events(solution, samples, min_samples=2, min_duration=30) == [
        ("start", 0, "main"),
        ("start", 10, "f"),
        ("end", 40, "f"),
    ]


def test_random_shuffled_traces_match_both_filters(solution):
    rng = random.Random(404)
    for _ in range(40):
        samples = noisy_trace(rng, rng.randint(1, 50))
        rng.shuffle(samples)
        options = {"min_samples": rng.randint(1, 3), "min_duration": rng.choice((0, 1, 3, 8))}
        assert events(solution, samples, **options) == model(samples, **options)


def test_long_unsorted_trace_runs_in_linear_time(solution):
    rng = random.Random(12)
    samples = noisy_trace(rng, 20_000, names="abcdefgh", depth=10)
    rng.shuffle(samples)
    best = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        expected = model(samples, 2, 4)
        best = min(best, time.perf_counter() - began)
    began = time.perf_counter()
    result = events(solution, samples, min_samples=2, min_duration=4)
    took = time.perf_counter() - began
    assert result == expected
    assert took <= 5 * best + 0.2, (
        f"{took:.2f} s for 20,000 shuffled samples, against {best:.3f} s for a "
        "linear reference: some step grows faster than the trace"
    )
