"""Level 1 hidden tests: the basic conversion of samples into start and end events.

No name appears twice in one stack at this level. Two tests pass stacks as
counting ``Stack`` objects and record the total number of frames read.
"""

import copy
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


def tree_trace(rng, count, fanout=3, depth=6):
    """Samples walking a call tree in which every function has one caller."""
    samples, ts = [], 0
    for _ in range(count):
        ts += rng.randint(0, 5)
        stack, name = [], "f"
        for _ in range(rng.randint(0, depth)):
            name += str(rng.randrange(fanout))
            stack.append(name)
        samples.append((ts, stack))
    return samples


def test_single_sample_starts_every_frame_outermost_first(solution):
    assert events(solution, [(5, ["main", "run", "step"])]) == [
        ("start", 5, "main"),
        ("start", 5, "run"),
        ("start", 5, "step"),
    ]


def test_empty_input_gives_no_events_edge(solution):
    assert events(solution, []) == []


def test_only_empty_stacks_give_no_events_edge(solution):
    assert events(solution, [(0, []), (1, []), (2, [])]) == []


def test_identical_samples_emit_nothing_after_the_first(solution):
    samples = [(0, ["main", "loop"]), (1, ["main", "loop"]), (2, ["main", "loop"])]
    assert events(solution, samples) == [("start", 0, "main"), ("start", 0, "loop")]


def test_a_deeper_sample_starts_only_the_new_frames(solution):
    samples = [(0, ["main"]), (3, ["main", "parse"]), (7, ["main", "parse", "lex"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 3, "parse"),
        ("start", 7, "lex"),
    ]


def test_a_shallower_sample_ends_frames_innermost_first(solution):
    samples = [(0, ["main", "a", "b", "c"]), (4, ["main"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 0, "a"),
        ("start", 0, "b"),
        ("start", 0, "c"),
        ("end", 4, "c"),
        ("end", 4, "b"),
        ("end", 4, "a"),
    ]


def test_switching_callee_ends_the_old_one_before_starting_the_new(solution):
    samples = [(0, ["main", "read"]), (1, ["main", "write"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 0, "read"),
        ("end", 1, "read"),
        ("start", 1, "write"),
    ]


def test_ends_come_before_starts_within_one_sample(solution):
    samples = [(0, ["main", "a", "b"]), (9, ["main", "c", "d"])]
    assert events(solution, samples)[3:] == [
        ("end", 9, "b"),
        ("end", 9, "a"),
        ("start", 9, "c"),
        ("start", 9, "d"),
    ]


def test_events_carry_the_timestamp_of_the_sample_that_changed(solution):
    samples = [(0, ["main"]), (10, ["main", "f"]), (20, ["main", "f"]), (35, ["main"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 10, "f"),
        ("end", 35, "f"),
    ]


def test_empty_stack_ends_every_open_frame_edge(solution):
    samples = [(0, ["main", "io"]), (2, []), (3, [])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 0, "io"),
        ("end", 2, "io"),
        ("end", 2, "main"),
    ]


def test_leading_empty_stacks_emit_nothing_edge(solution):
    samples = [(0, []), (1, []), (2, ["main"])]
    assert events(solution, samples) == [("start", 2, "main")]


def test_frame_that_returns_after_idle_is_a_new_call(solution):
    samples = [(0, ["main"]), (1, []), (2, ["main"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("end", 1, "main"),
        ("start", 2, "main"),
    ]


def test_frames_open_after_the_last_sample_get_no_end_edge(solution):
    samples = [(0, ["main", "a"]), (1, ["main", "b"])]
    result = events(solution, samples)
    assert result == [
        ("start", 0, "main"),
        ("start", 0, "a"),
        ("end", 1, "a"),
        ("start", 1, "b"),
    ]


def test_samples_sharing_a_timestamp_are_taken_in_order_edge(solution):
    samples = [(0, ["main"]), (5, ["main", "a"]), (5, ["main", "b"]), (5, ["main"])]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 5, "a"),
        ("end", 5, "a"),
        ("start", 5, "b"),
        ("end", 5, "b"),
    ]


def test_large_timestamps_are_kept_exactly_edge(solution):
    samples = [(10**12 - 1, ["main"]), (10**12, [])]
    assert events(solution, samples) == [
        ("start", 10**12 - 1, "main"),
        ("end", 10**12, "main"),
    ]


def test_tuple_stacks_work_like_lists(solution):
    samples = [(0, ("main", "a")), (1, ("main",)), (2, ())]
    assert events(solution, samples) == [
        ("start", 0, "main"),
        ("start", 0, "a"),
        ("end", 1, "a"),
        ("end", 2, "main"),
    ]


def test_event_kinds_are_the_strings_start_and_end(solution):
    result = list(solution.convert([(0, ["main"]), (1, [])]))
    assert [event[0] for event in result] == ["start", "end"]
    assert all(isinstance(event[0], str) for event in result)


def test_input_samples_and_stacks_are_not_modified_edge(solution):
    samples = [(0, ["main", "a"]), (1, ["main"]), (2, ["main", "b", "c"]), (3, [])]
    before = copy.deepcopy(samples)
    events(solution, samples)
    assert samples == before


def test_random_call_trees_follow_the_diff_rule(solution):
    rng = random.Random(41)
    for _ in range(30):
        samples = tree_trace(rng, rng.randint(1, 40))
        assert events(solution, samples) == model(samples)


def test_counted_stacks_give_the_same_events_and_reads_are_recorded(solution, measure):
    measure("reads", 0)  # marks the figure as this test's, so a failure voids it
    rng = random.Random(7)
    plain = tree_trace(rng, 300, fanout=4, depth=12)
    counted = [(ts, Stack(stack)) for ts, stack in plain]
    assert events(solution, counted) == model(plain)
    measure("reads", sum(stack.reads for _, stack in counted))


def test_deep_stable_prefix_with_busy_top_reads_are_recorded(solution, measure):
    measure("reads", 0)  # marks the figure as this test's, so a failure voids it
    base = [f"layer{i}" for i in range(60)]
    plain = [(ts, base + [f"leaf{ts % 3}", f"tip{ts % 2}"][: ts % 3]) for ts in range(200)]
    counted = [(ts, Stack(stack)) for ts, stack in plain]
    assert events(solution, counted) == model(plain)
    measure("reads", sum(stack.reads for _, stack in counted))
