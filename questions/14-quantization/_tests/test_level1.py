"""Level 1 hidden tests: per-tensor symmetric int8 quantisation."""

import math
import random

import pytest


def model_quantize(x, scale=None):
    """The rule of QUESTION.md, written plainly, to compare random tensors with."""
    if scale is None:
        amax = max((abs(v) for v in x), default=0.0)
        scale = amax / 127 if amax > 0 else 1.0
    return [max(-127, min(127, round(v / scale))) for v in x], scale


# -- rounding and clamping ---------------------------------------------------------------------


def test_ties_round_half_to_even(solution):
    x = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5]
    assert solution.quantize_int8(x, scale=1.0) == ([0, 2, 2, 4, 0, -2, -2, -4], 1.0)


def test_ties_round_half_to_even_with_the_data_scale(solution):
    # max |x| = 127, so the scale is exactly 1.0 and every x / scale is exact.
    x = [127.0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 6.5]
    assert solution.quantize_int8(x) == ([127, 0, 2, 2, 0, -2, -2, 6], 1.0)


def test_values_round_to_nearest_not_truncated(solution):
    x = [0.6, 1.4, -0.6, -1.4, 2.51, -2.49]
    assert solution.quantize_int8(x, scale=1.0) == ([1, 1, -1, -1, 3, -2], 1.0)


def test_given_scale_saturates_at_127_edge(solution):
    x = [1000.0, -1000.0, 127.4, -127.4, 126.6]
    assert solution.quantize_int8(x, scale=1.0) == ([127, -127, 127, -127, 127], 1.0)


def test_never_produces_minus_128_edge(solution):
    # -127.6 and -127.5 both round to -128, which the symmetric range clamps to -127.
    q, _ = solution.quantize_int8([-127.6, -127.5, -128.0, -1e9], scale=1.0)
    assert q == [-127, -127, -127, -127]


# -- the scale ---------------------------------------------------------------------------------


def test_scale_is_max_magnitude_over_127(solution):
    q, scale = solution.quantize_int8([0.5, -1.0, 2.54])
    assert scale == 2.54 / 127
    assert q == [25, -50, 127]


def test_negative_extreme_maps_to_minus_127(solution):
    q, scale = solution.quantize_int8([1.0, -3.0, 0.75])
    assert scale == 3.0 / 127
    assert q == [42, -127, 32]


def test_single_element_tensor(solution):
    assert solution.quantize_int8([-0.7]) == ([-127], 0.7 / 127)


def test_integer_inputs_are_accepted(solution):
    q, scale = solution.quantize_int8([1, -2, 4])
    assert (q, scale) == ([32, -64, 127], 4 / 127)


def test_all_zero_tensor_has_scale_one_edge(solution):
    assert solution.quantize_int8([0.0, 0.0, -0.0]) == ([0, 0, 0], 1.0)


def test_empty_tensor_has_scale_one_edge(solution):
    assert solution.quantize_int8([]) == ([], 1.0)


def test_given_scale_is_used_unchanged(solution):
    q, scale = solution.quantize_int8([0.3, -0.9, 5.0], scale=0.1)
    assert scale == 0.1
    assert q == model_quantize([0.3, -0.9, 5.0], 0.1)[0]


def test_given_scale_must_be_positive_and_finite_edge(solution):
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError):
            solution.quantize_int8([1.0, 2.0], scale=bad)


# -- dequantisation and random tensors ---------------------------------------------------------


def test_dequantize_multiplies_by_the_scale(solution):
    assert solution.dequantize_int8([25, -50, 127, 0], 0.02) == [25 * 0.02, -50 * 0.02,
                                                                 127 * 0.02, 0.0]
    assert solution.dequantize_int8([], 3.0) == []


def test_random_tensors_match_the_reference_codes(solution):
    rng = random.Random(14)
    for size in (1, 2, 17, 300):
        for spread in (1e-3, 1.0, 1e4):
            x = [rng.gauss(0.0, spread) for _ in range(size)]
            assert solution.quantize_int8(x) == model_quantize(x), (size, spread)


def test_round_trip_error_is_at_most_half_a_step(solution):
    rng = random.Random(1)
    x = [rng.uniform(-8.0, 8.0) for _ in range(500)]
    q, scale = solution.quantize_int8(x)
    back = solution.dequantize_int8(q, scale)
    assert all(-127 <= v <= 127 for v in q)
    assert max(abs(a - b) for a, b in zip(x, back, strict=True)) <= scale / 2 * (1 + 1e-9)


def test_input_is_not_modified(solution):
    x = [0.25, -4.0, 1.5]
    solution.quantize_int8(x)
    assert x == [0.25, -4.0, 1.5]
