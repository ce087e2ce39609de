"""Level 3 hidden tests: GPipe and 1F1B orders, their simulated timelines, bubble and memory.

Timelines are checked against a trusted event model written here and against
the dependency rules directly, so an error shows which rule broke.
"""

import itertools
from fractions import Fraction

import pytest


def model_order(schedule, stages, micro, stage):
    forwards = [("F", j) for j in range(micro)]
    backwards = [("B", j) for j in range(micro)]
    if schedule == "gpipe":
        return forwards + backwards
    warmup = min(stages - stage - 1, micro)
    order = forwards[:warmup]
    for j in range(micro - warmup):
        order += [forwards[warmup + j], backwards[j]]
    return order + backwards[micro - warmup:]


def model_timeline(schedule, stages, micro, forward=1, backward=2):
    orders = [model_order(schedule, stages, micro, s) for s in range(stages)]
    length = {"F": forward, "B": backward}
    ends, rows = {}, [[] for _ in range(stages)]
    while any(len(rows[s]) < len(orders[s]) for s in range(stages)):
        for s in range(stages):
            while len(rows[s]) < len(orders[s]):
                kind, j = orders[s][len(rows[s])]
                if kind == "F":
                    needs = ("F", s - 1, j) if s > 0 else None
                else:
                    needs = ("B", s + 1, j) if s < stages - 1 else ("F", s, j)
                if needs is not None and needs not in ends:
                    break
                start = max(rows[s][-1][1] if rows[s] else 0, ends.get(needs, 0))
                rows[s].append((start, start + length[kind], kind, j))
                ends[(kind, s, j)] = start + length[kind]
    return rows


def as_lists(timeline):
    return [[tuple(slot) for slot in row] for row in timeline]


def check_dependencies(timeline, stages, micro):
    end = {}
    start = {}
    for s, row in enumerate(timeline):
        for slot_start, slot_end, kind, j in row:
            start[(kind, s, j)], end[(kind, s, j)] = slot_start, slot_end
        for (_, first_end, _, _), (second_start, _, _, _) in itertools.pairwise(row):
            assert second_start >= first_end, f"stage {s} runs two passes at once"
    assert len(end) == 2 * stages * micro, "some pass is missing or repeated"
    for s in range(stages):
        for j in range(micro):
            if s > 0:
                assert start[("F", s, j)] >= end[("F", s - 1, j)], f"F({s}, {j}) starts too early"
            needs = ("B", s + 1, j) if s < stages - 1 else ("F", s, j)
            assert start[("B", s, j)] >= end[needs], f"B({s}, {j}) starts too early"


# -- stage orders --------------------------------------------------------------------------------


def test_gpipe_runs_all_forwards_then_all_backwards(solution):
    assert solution.stage_order("gpipe", 4, 3, 2) == [
        ("F", 0), ("F", 1), ("F", 2), ("B", 0), ("B", 1), ("B", 2)]


def test_1f1b_warm_up_steady_state_and_cool_down(solution):
    assert solution.stage_order("1f1b", 4, 6, 0) == [
        ("F", 0), ("F", 1), ("F", 2),
        ("F", 3), ("B", 0), ("F", 4), ("B", 1), ("F", 5), ("B", 2),
        ("B", 3), ("B", 4), ("B", 5)]
    assert solution.stage_order("1f1b", 4, 6, 3) == [
        ("F", 0), ("B", 0), ("F", 1), ("B", 1), ("F", 2), ("B", 2),
        ("F", 3), ("B", 3), ("F", 4), ("B", 4), ("F", 5), ("B", 5)]


def test_1f1b_orders_on_every_stage_match_the_rule(solution):
    for stages, micro in [(4, 8), (5, 3), (8, 8), (2, 1)]:
        for stage in range(stages):
            assert solution.stage_order("1f1b", stages, micro, stage) == model_order(
                "1f1b", stages, micro, stage), (stages, micro, stage)


def test_1f1b_with_fewer_micro_batches_than_stages_edge(solution):
    # The warm-up is capped at m: stage 0 of 5 stages with 2 micro-batches is GPipe-like.
    assert solution.stage_order("1f1b", 5, 2, 0) == [("F", 0), ("F", 1), ("B", 0), ("B", 1)]
    assert solution.stage_order("1f1b", 5, 2, 3) == [("F", 0), ("F", 1), ("B", 0), ("B", 1)]
    assert solution.stage_order("1f1b", 5, 2, 4) == [("F", 0), ("B", 0), ("F", 1), ("B", 1)]


def test_stage_order_rejects_bad_arguments_edge(solution):
    for args in [("zero-bubble", 4, 4, 0), ("gpipe", 0, 4, 0), ("gpipe", 4, 0, 0),
                 ("1f1b", 4, 4, 4), ("1f1b", 4, 4, -1)]:
        with pytest.raises(ValueError):
            solution.stage_order(*args)


# -- timelines -----------------------------------------------------------------------------------


def test_gpipe_timeline_matches_the_model(solution):
    for stages, micro in [(4, 8), (2, 5), (5, 2)]:
        result = solution.pipeline("gpipe", stages, micro)
        assert as_lists(result.timeline) == model_timeline("gpipe", stages, micro), (stages, micro)


def test_1f1b_timeline_matches_the_model(solution):
    for stages, micro in [(4, 8), (2, 5), (5, 2), (6, 6)]:
        result = solution.pipeline("1f1b", stages, micro)
        assert as_lists(result.timeline) == model_timeline("1f1b", stages, micro), (stages, micro)


def test_timelines_respect_every_dependency_with_uneven_pass_times(solution):
    for schedule in ("gpipe", "1f1b"):
        for stages, micro, forward, backward in [(4, 7, 2, 5), (3, 9, 3, 1), (6, 4, 1, 1)]:
            result = solution.pipeline(schedule, stages, micro, forward, backward)
            check_dependencies(as_lists(result.timeline), stages, micro)
            assert as_lists(result.timeline) == model_timeline(
                schedule, stages, micro, forward, backward), (schedule, stages, micro)


def test_makespan_is_m_plus_p_minus_1_rounds(solution):
    for schedule in ("gpipe", "1f1b"):
        for stages, micro, forward, backward in [(4, 8, 1, 2), (3, 5, 2, 3), (8, 2, 1, 1)]:
            result = solution.pipeline(schedule, stages, micro, forward, backward)
            rounds = micro + stages - 1
            assert result.makespan == rounds * (forward + backward), (schedule, stages, micro)


# -- bubble --------------------------------------------------------------------------------------


def test_gpipe_bubble_is_p_minus_1_over_m_plus_p_minus_1(solution):
    shapes = [(4, 8, 1, 2), (4, 4, 1, 1), (8, 32, 2, 3), (16, 64, 1, 2)]
    for stages, micro, forward, backward in shapes:
        bubble = solution.pipeline("gpipe", stages, micro, forward, backward).bubble
        assert isinstance(bubble, (int, Fraction)) and not isinstance(bubble, bool), (
            f"bubble {bubble!r} must be an exact Fraction")
        assert bubble == Fraction(stages - 1, micro + stages - 1), (stages, micro)


def test_1f1b_bubble_equals_gpipe_bubble(solution):
    for stages, micro in [(4, 8), (3, 2), (8, 16)]:
        bubble = solution.pipeline("1f1b", stages, micro).bubble
        assert bubble == Fraction(stages - 1, micro + stages - 1), (stages, micro)


def test_bubble_counts_idle_time_over_all_stage_time(solution):
    result = solution.pipeline("gpipe", 2, 1, 1, 2)
    # stage 0: F0 0-1, B0 4-6; stage 1: F0 1-2, B0 2-4. Idle 3 + 2 of 12.
    assert result.makespan == 6
    assert result.bubble == Fraction(6, 12)


def test_single_stage_has_no_bubble_edge(solution):
    for schedule in ("gpipe", "1f1b"):
        result = solution.pipeline(schedule, 1, 5)
        assert result.bubble == 0
        assert result.makespan == 15


def test_single_micro_batch_edge(solution):
    for schedule in ("gpipe", "1f1b"):
        result = solution.pipeline(schedule, 4, 1, 1, 2)
        assert result.makespan == 12
        assert result.bubble == Fraction(3, 4)
        assert result.peak_activations == [1, 1, 1, 1]


# -- activation memory ---------------------------------------------------------------------------


def test_gpipe_holds_every_micro_batch_at_its_peak(solution):
    assert solution.pipeline("gpipe", 4, 8).peak_activations == [8] * 4


def test_1f1b_holds_at_most_p_minus_s_micro_batches(solution):
    assert solution.pipeline("1f1b", 4, 8).peak_activations == [4, 3, 2, 1]
    assert solution.pipeline("1f1b", 6, 3).peak_activations == [3, 3, 3, 3, 2, 1]


def test_pipeline_rejects_bad_arguments_edge(solution):
    for args in [("pipedream", 4, 4), ("gpipe", 0, 4), ("1f1b", 4, 0)]:
        with pytest.raises(ValueError):
            solution.pipeline(*args)
    with pytest.raises(ValueError):
        solution.pipeline("gpipe", 4, 4, 0, 2)
    with pytest.raises(ValueError):
        solution.pipeline("1f1b", 4, 4, 1, 0)
