"""Level 2 hidden tests: per-channel symmetric and asymmetric (uint8, zero point) quantisation."""

import random

import pytest


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def model_symmetric(row):
    amax = max((abs(v) for v in row), default=0.0)
    scale = amax / 127 if amax > 0 else 1.0
    return [clamp(round(v / scale), -127, 127) for v in row], scale


def model_asymmetric(row):
    lo = min(min(row, default=0.0), 0.0)
    hi = max(max(row, default=0.0), 0.0)
    if hi == lo:
        return [0] * len(row), 1.0, 0
    scale = (hi - lo) / 255
    zero_point = clamp(round(-lo / scale), 0, 255)
    return [clamp(round(v / scale) + zero_point, 0, 255) for v in row], scale, zero_point


def model_errors(x, scheme):
    if scheme == "per-tensor":
        flat = [v for row in x for v in row]
        _, scale = model_symmetric(flat)
        return [max((abs(v - clamp(round(v / scale), -127, 127) * scale) for v in row),
                    default=0.0) for row in x]
    errors = []
    for row in x:
        if scheme == "per-channel":
            q, scale = model_symmetric(row)
            back = [c * scale for c in q]
        else:
            q, scale, zero_point = model_asymmetric(row)
            back = [(c - zero_point) * scale for c in q]
        errors.append(max((abs(a - b) for a, b in zip(row, back, strict=True)), default=0.0))
    return errors


def random_matrix(rng, rows, cols, spread=1.0):
    return [[rng.gauss(0.0, spread * (1 + 10 * r)) for _ in range(cols)] for r in range(rows)]


# -- per-channel symmetric ---------------------------------------------------------------------


def test_per_channel_gives_each_row_its_own_scale(solution):
    q, scales = solution.quantize_per_channel([[2.54, -1.0], [-127.0, 63.5], [0.5, 0.25]])
    assert scales == [0.02, 1.0, 0.5 / 127]
    assert q == [[127, -50], [-127, 64], [127, 64]]


def test_per_channel_matches_the_level1_rule_row_by_row(solution):
    rng = random.Random(2)
    x = random_matrix(rng, 6, 40)
    q, scales = solution.quantize_per_channel(x)
    expected = [model_symmetric(row) for row in x]
    assert q == [codes for codes, _ in expected]
    assert scales == [scale for _, scale in expected]


def test_per_channel_zero_row_and_empty_row_edge(solution):
    q, scales = solution.quantize_per_channel([[0.0, 0.0], [], [3.0]])
    assert q == [[0, 0], [], [127]]
    assert scales == [1.0, 1.0, 3.0 / 127]


def test_per_channel_of_no_rows_edge(solution):
    assert solution.quantize_per_channel([]) == ([], [])


def test_dequantize_per_channel_uses_each_rows_scale(solution):
    back = solution.dequantize_per_channel([[127, -50], [0, 0], [-127, 64]], [0.02, 1.0, 0.5])
    assert back == [[127 * 0.02, -50 * 0.02], [0.0, 0.0], [-63.5, 32.0]]


# -- asymmetric uint8 --------------------------------------------------------------------------


def test_asymmetric_range_always_includes_zero(solution):
    # Positive row: lo is 0, not 2, so the zero point is 0 and 2.0 is not code 0.
    q, scales, zero_points = solution.quantize_asymmetric([[2.0, 4.0, 255.0]])
    assert (q, scales, zero_points) == ([[2, 4, 255]], [1.0], [0])


def test_asymmetric_mixed_signs_zero_point(solution):
    q, scales, zero_points = solution.quantize_asymmetric([[-10.0, 0.0, 15.5]])
    assert scales == [25.5 / 255]
    assert zero_points == [100]
    assert q == [[0, 100, 255]]


def test_asymmetric_all_negative_row_has_zero_point_255_edge(solution):
    q, scales, zero_points = solution.quantize_asymmetric([[-2.0, -1.0, -0.5]])
    assert zero_points == [255]
    assert scales == [2.0 / 255]
    assert q == [model_asymmetric([-2.0, -1.0, -0.5])[0]]
    assert q[0][:2] == [0, 127]


def test_asymmetric_rounds_before_adding_the_zero_point(solution):
    # scale 0.5, zero point 21 (odd): 0.25 / 0.5 = 0.5 rounds to 0, then + 21.
    row = [-10.5, 0.25, 0.75, -0.25, 117.0]
    q, scales, zero_points = solution.quantize_asymmetric([row])
    assert (scales, zero_points) == ([0.5], [21])
    assert q == [[0, 21, 23, 21, 255]]


def test_asymmetric_zero_row_edge(solution):
    assert solution.quantize_asymmetric([[0.0, 0.0, 0.0]]) == ([[0, 0, 0]], [1.0], [0])


def test_asymmetric_empty_row_and_no_rows_edge(solution):
    assert solution.quantize_asymmetric([[]]) == ([[]], [1.0], [0])
    assert solution.quantize_asymmetric([]) == ([], [], [])


def test_asymmetric_random_rows_match_the_reference(solution):
    rng = random.Random(3)
    x = random_matrix(rng, 5, 50)
    x.append([abs(v) for v in x[0]])             # one-sided, as after a ReLU
    x.append([-abs(v) for v in x[1]])
    q, scales, zero_points = solution.quantize_asymmetric(x)
    expected = [model_asymmetric(row) for row in x]
    assert q == [codes for codes, _, _ in expected]
    assert scales == [scale for _, scale, _ in expected]
    assert zero_points == [zp for _, _, zp in expected]
    assert all(0 <= c <= 255 for row in q for c in row)


def test_asymmetric_reconstructs_zero_exactly(solution):
    rng = random.Random(4)
    row = [0.0] + [rng.uniform(-3.0, 7.0) for _ in range(30)]
    q, scales, zero_points = solution.quantize_asymmetric([row])
    back = solution.dequantize_asymmetric(q, scales, zero_points)
    assert back[0][0] == 0.0


def test_dequantize_asymmetric_subtracts_the_zero_point(solution):
    back = solution.dequantize_asymmetric([[0, 21, 255], [3, 0]], [0.5, 2.0], [21, 0])
    assert back == [[-10.5, 0.0, 117.0], [6.0, 0.0]]


# -- reconstruction error ----------------------------------------------------------------------


def test_per_tensor_error_shares_one_scale(solution):
    x = [[0.01, -0.02, 0.03], [100.0, -50.0, 25.0]]
    assert solution.reconstruction_error(x, "per-tensor") == model_errors(x, "per-tensor")
    assert solution.reconstruction_error(x, "per-tensor")[0] == 0.03


def test_per_channel_error_is_per_row(solution):
    x = [[0.01, -0.02, 0.03], [100.0, -50.0, 25.0]]
    errors = solution.reconstruction_error(x, "per-channel")
    assert errors == model_errors(x, "per-channel")
    assert errors[0] < 1e-4


def test_reconstruction_errors_match_the_reference_for_every_scheme(solution):
    rng = random.Random(5)
    x = [*random_matrix(rng, 4, 30), [abs(rng.gauss(0, 1)) for _ in range(30)]]
    for scheme in ("per-tensor", "per-channel", "asymmetric"):
        assert solution.reconstruction_error(x, scheme) == model_errors(x, scheme), scheme


def test_asymmetric_halves_the_error_on_one_sided_data(solution):
    rng = random.Random(6)
    x = [[abs(rng.gauss(0.0, 1.0)) for _ in range(200)] + [0.0, 4.0]]
    symmetric = solution.reconstruction_error(x, "per-channel")[0]
    asymmetric = solution.reconstruction_error(x, "asymmetric")[0]
    assert asymmetric < 0.6 * symmetric


def test_reconstruction_error_of_empty_rows_edge(solution):
    x = [[], [2.0, -1.0]]
    assert solution.reconstruction_error(x, "per-channel") == model_errors(x, "per-channel")
    assert solution.reconstruction_error(x, "per-channel")[0] == 0.0
    assert solution.reconstruction_error([], "asymmetric") == []


def test_reconstruction_error_rejects_an_unknown_scheme_edge(solution):
    with pytest.raises(ValueError):
        solution.reconstruction_error([[1.0]], "per-row")
