"""Level 3 hidden tests: the noise filter ``min_samples``.

A call is kept when it is seen in at least ``min_samples`` consecutive samples;
kept calls keep their level 2 events and timestamps, dropped calls lose both
events, and the children of a dropped call are dropped with it.
"""

import random
import time
from collections.abc import Sequence


class Stack(Sequence):
    """A read-only stack that counts every frame read from it (as in starter.py)."""

    __slots__ = ("_frames", "reads")

    def __init__(self, frames):
        self._frames = tuple(frames)
        self.reads = 0

    def __len__(self):
        return len(self._frames)

    def __getitem__(self, index):
        item = self._frames[index]
        self.reads += len(item) if isinstance(index, slice) else 1
        return item

    def __iter__(self):
        for frame in self._frames:
            self.reads += 1
            yield frame

    def __eq__(self, other):
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None

    def __repr__(self):
        return f"Stack({list(self._frames)!r})"


def events(solution, samples, **options):
    return [tuple(event) for event in solution.convert(samples, **options)]


def model(samples, min_samples=1):
    """The level 2 events, then the events of calls seen too few times removed."""
    raw, calls, open_calls, previous = [], [], [], []
    for index, (ts, stack) in enumerate(samples):
        stack = list(stack)
        common = 0
        while (common < min(len(previous), len(stack))
               and previous[common] == stack[common]):
            common += 1
        for _ in range(len(previous) - common):
            call = open_calls.pop()
            call["seen"] = index - call["first"]
            raw.append(("end", ts, call))
        for name in stack[common:]:
            call = {"name": name, "first": index, "seen": None}
            calls.append(call)
            open_calls.append(call)
            raw.append(("start", ts, call))
        previous = stack
    for call in open_calls:
        call["seen"] = len(samples) - call["first"]
    return [(kind, ts, call["name"]) for kind, ts, call in raw if call["seen"] >= min_samples]


def noisy_trace(rng, count, names="abcd", depth=6, noise=0.3):
    """A slowly changing stack with one-sample blips of extra frames on top."""
    samples, stack, ts = [], [], 0
    for _ in range(count):
        ts += rng.randint(1, 3)
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


def test_min_samples_one_gives_the_plain_conversion(solution):
    samples = [(0, ["main"]), (1, ["main", "a"]), (2, ["main"]), (3, [])]
    assert events(solution, samples, min_samples=1) == events(solution, samples)
    assert events(solution, samples, min_samples=1) == model(samples)


def test_call_seen_in_a_single_sample_is_dropped(solution):
    samples = [(0, ["main"]), (1, ["main", "blip"]), (2, ["main"]), (3, ["main"])]
    assert events(solution, samples, min_samples=2) == [("start", 0, "main")]


def test_call_seen_in_exactly_min_samples_is_kept_edge(solution):
    samples = [(0, ["main"]), (1, ["main", "f"]), (2, ["main", "f"]), (3, ["main"])]
    assert events(solution, samples, min_samples=2) == [
        ("start", 0, "main"),
        ("start", 1, "f"),
        ("end", 3, "f"),
    ]


def test_call_seen_one_sample_short_of_min_samples_is_dropped_edge(solution):
    samples = [(0, ["main"]), (1, ["main", "f"]), (2, ["main", "f"]), (3, ["main"])]
    assert events(solution, samples, min_samples=3) == [("start", 0, "main")]


def test_kept_call_starts_at_the_first_sample_that_showed_it(solution):
    samples = [(0, []), (10, ["job"]), (20, ["job"]), (30, ["job"]), (40, [])]
    assert events(solution, samples, min_samples=3) == [
        ("start", 10, "job"),
        ("end", 40, "job"),
    ]


def test_children_of_a_dropped_call_are_dropped_with_it(solution):
    samples = [(0, ["main"]), (1, ["main", "gc", "mark", "sweep"]), (2, ["main"])]
    assert events(solution, samples, min_samples=2) == [("start", 0, "main")]


def test_kept_call_can_lose_a_short_child(solution):
    samples = [
        (0, ["main", "work"]),
        (1, ["main", "work", "hash"]),
        (2, ["main", "work"]),
        (3, ["main"]),
    ]
    assert events(solution, samples, min_samples=2) == [
        ("start", 0, "main"),
        ("start", 0, "work"),
        ("end", 3, "work"),
    ]


def test_kept_child_of_a_kept_call_keeps_its_events(solution):
    samples = [
        (0, ["main", "work"]),
        (1, ["main", "work", "hash"]),
        (2, ["main", "work", "hash"]),
        (3, ["main", "work"]),
        (4, ["main", "work"]),
    ]
    assert events(solution, samples, min_samples=2) == [
        ("start", 0, "main"),
        ("start", 0, "work"),
        ("start", 1, "hash"),
        ("end", 3, "hash"),
    ]


def test_calls_split_by_a_glitch_are_not_merged(solution):
    samples = [
        (0, ["a", "b"]),
        (1, ["a", "b"]),
        (2, ["a", "c"]),
        (3, ["a", "b"]),
        (4, ["a", "b"]),
    ]
    assert events(solution, samples, min_samples=2) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("end", 2, "b"),
        ("start", 3, "b"),
    ]


def test_idle_sample_splits_a_call_into_two_short_ones_edge(solution):
    samples = [(0, ["main"]), (1, []), (2, ["main"]), (3, [])]
    assert events(solution, samples, min_samples=2) == []


def test_open_call_counts_samples_up_to_the_last_one_edge(solution):
    samples = [(0, ["main"]), (1, ["main", "tail"]), (2, ["main", "tail"])]
    assert events(solution, samples, min_samples=2) == [
        ("start", 0, "main"),
        ("start", 1, "tail"),
    ]


def test_open_call_seen_too_few_times_is_dropped_edge(solution):
    samples = [(0, ["main"]), (1, ["main"]), (2, ["main", "tail"])]
    assert events(solution, samples, min_samples=2) == [("start", 0, "main")]


def test_threshold_above_the_number_of_samples_drops_everything_edge(solution):
    samples = [(0, ["main", "a"]), (1, ["main", "a"]), (2, ["main"])]
    assert events(solution, samples, min_samples=4) == []


def test_recursive_frames_are_filtered_one_by_one(solution):
    samples = [(0, ["f"]), (1, ["f", "f"]), (2, ["f", "f", "f"]), (3, ["f", "f"]), (4, ["f"])]
    assert events(solution, samples, min_samples=3) == [
        ("start", 0, "f"),
        ("start", 1, "f"),
        ("end", 4, "f"),
    ]


def test_random_noisy_traces_match_the_filter_rule(solution):
    rng = random.Random(99)
    for _ in range(40):
        samples = noisy_trace(rng, rng.randint(1, 60))
        threshold = rng.randint(1, 4)
        assert events(solution, samples, min_samples=threshold) == model(samples, threshold)


def test_noise_filter_reads_stay_linear_in_the_total_depth(solution):
    rng = random.Random(5)
    base = [f"layer{i}" for i in range(200)]
    plain = [(ts, base + stack) for ts, stack in noisy_trace(rng, 60, depth=8, noise=0.5)]
    counted = [(ts, Stack(stack)) for ts, stack in plain]
    assert events(solution, counted, min_samples=3) == model(plain, 3)
    total = sum(len(stack) for _, stack in plain)
    reads = sum(stack.reads for _, stack in counted)
    assert reads <= 4 * total + 4 * len(plain), (
        f"{reads} frames read for a total depth of {total}: the filter looks at the "
        "stacks again for every call"
    )


def test_long_noisy_trace_runs_in_linear_time(solution):
    samples = noisy_trace(random.Random(11), 20_000, names="abcdefgh", depth=10)
    best = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        expected = model(samples, 2)
        best = min(best, time.perf_counter() - began)
    began = time.perf_counter()
    result = events(solution, samples, min_samples=2)
    took = time.perf_counter() - began
    assert result == expected
    assert took <= 5 * best + 0.2, (
        f"{took:.2f} s for 20,000 samples, against {best:.3f} s for a linear "
        "reference: some step grows faster than the trace"
    )
