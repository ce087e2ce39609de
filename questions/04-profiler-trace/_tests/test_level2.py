"""Level 2 hidden tests: recursion, repeated names and deep stacks.

A frame is identified by its position (depth and callers), never by its name.
The deep-recursion tests pass counting ``Stack`` objects: one records the
frames read, the other checks that they stay linear in the total depth.
"""

import random
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


def model(samples):
    """The diff rule, written as plainly as possible."""
    out, previous = [], []
    for ts, stack in samples:
        stack = list(stack)
        common = 0
        while (common < min(len(previous), len(stack))
               and previous[common] == stack[common]):
            common += 1
        out += [("end", ts, name) for name in reversed(previous[common:])]
        out += [("start", ts, name) for name in stack[common:]]
        previous = stack
    return out


def mutating_trace(rng, count, names="abc", depth=7):
    """Each stack is the previous one popped, pushed or changed in one place."""
    samples, stack = [], []
    for ts in range(count):
        move = rng.random()
        if move < 0.35 and len(stack) < depth:
            stack = [*stack, rng.choice(names)]
        elif move < 0.65 and stack:
            stack = stack[: rng.randrange(len(stack))]
        elif stack:
            where = rng.randrange(len(stack))
            stack = [*stack[:where], rng.choice(names), *stack[where + 1:]]
        samples.append((ts, stack))
    return samples


def deep_recursion(count, base=800, swing=200):
    """fib recursing 800-1000 deep with a helper on top now and then."""
    rng = random.Random(3)
    samples = []
    for ts in range(count):
        depth = base + rng.randrange(swing)
        top = ["memo"] if ts % 4 == 1 else []
        samples.append((ts * 10, ["main", *(["fib"] * depth), *top]))
    return samples


def test_direct_recursion_starts_only_the_innermost_frame(solution):
    samples = [(0, ["a", "b", "a"]), (1, ["a", "b", "a", "a"])]
    assert events(solution, samples) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("start", 0, "a"),
        ("start", 1, "a"),
    ]


def test_recursion_unwinds_one_frame_at_a_time(solution):
    samples = [(0, ["f", "f", "f"]), (1, ["f", "f"]), (2, ["f"]), (3, [])]
    assert events(solution, samples) == [
        ("start", 0, "f"),
        ("start", 0, "f"),
        ("start", 0, "f"),
        ("end", 1, "f"),
        ("end", 2, "f"),
        ("end", 3, "f"),
    ]


def test_returning_to_a_frame_of_the_same_name_ends_only_the_inner_one_edge(solution):
    samples = [(0, ["a", "b", "b"]), (1, ["a", "b"])]
    assert events(solution, samples) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("start", 0, "b"),
        ("end", 1, "b"),
    ]


def test_changed_innermost_frame_ends_and_starts(solution):
    samples = [(0, ["a", "b"]), (1, ["a", "c"])]
    assert events(solution, samples) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("end", 1, "b"),
        ("start", 1, "c"),
    ]


def test_same_name_at_another_depth_is_a_different_frame(solution):
    samples = [(0, ["a", "b"]), (1, ["b"])]
    assert events(solution, samples) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("end", 1, "b"),
        ("end", 1, "a"),
        ("start", 1, "b"),
    ]


def test_frame_whose_caller_changed_is_a_new_call(solution):
    samples = [(0, ["a", "b", "c"]), (1, ["a", "x", "c"])]
    assert events(solution, samples) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("start", 0, "c"),
        ("end", 1, "c"),
        ("end", 1, "b"),
        ("start", 1, "x"),
        ("start", 1, "c"),
    ]


def test_reversed_stack_of_the_same_names_restarts_everything_edge(solution):
    samples = [(0, ["a", "b"]), (1, ["b", "a"])]
    assert events(solution, samples) == [
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("end", 1, "b"),
        ("end", 1, "a"),
        ("start", 1, "b"),
        ("start", 1, "a"),
    ]


def test_mutual_recursion_keeps_the_shared_prefix(solution):
    samples = [
        (0, ["even", "odd", "even"]),
        (1, ["even", "odd", "even", "odd"]),
        (2, ["even", "odd"]),
        (3, ["even", "odd", "even", "odd"]),
    ]
    assert events(solution, samples) == [
        ("start", 0, "even"),
        ("start", 0, "odd"),
        ("start", 0, "even"),
        ("start", 1, "odd"),
        ("end", 2, "odd"),
        ("end", 2, "even"),
        ("start", 3, "even"),
        ("start", 3, "odd"),
    ]


def test_helper_called_from_two_callers_is_two_calls(solution):
    samples = [(0, ["main", "load", "log"]), (1, ["main", "save", "log"])]
    assert events(solution, samples)[3:] == [
        ("end", 1, "log"),
        ("end", 1, "load"),
        ("start", 1, "save"),
        ("start", 1, "log"),
    ]


def test_random_traces_with_repeated_names_follow_the_diff_rule(solution):
    rng = random.Random(2024)
    for _ in range(40):
        samples = mutating_trace(rng, rng.randint(1, 60))
        assert events(solution, samples) == model(samples)


def test_deep_recursion_gives_the_right_events_and_reads_are_recorded(solution, measure):
    measure("reads", 0)  # marks the figure as this test's, so a failure voids it
    plain = deep_recursion(30)
    counted = [(ts, Stack(stack)) for ts, stack in plain]
    assert events(solution, counted) == model(plain)
    measure("reads", sum(stack.reads for _, stack in counted))


def test_deep_recursion_reads_stay_linear_in_the_total_depth(solution):
    plain = deep_recursion(24, base=900, swing=100)
    counted = [(ts, Stack(stack)) for ts, stack in plain]
    assert events(solution, counted) == model(plain)
    total = sum(len(stack) for _, stack in plain)
    reads = sum(stack.reads for _, stack in counted)
    assert reads <= 4 * total + 4 * len(plain), (
        f"{reads} frames read for a total depth of {total}: some stack is read "
        "once per frame or more"
    )
