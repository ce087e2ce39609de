"""Level 3 hidden tests: int8 x int8 matmul with int32 accumulation, requantisation, bytes moved.

The operands are the tests' own copy of GlobalMatrix, so a changed helper in
the solution changes nothing about what is counted.
"""

import random

import pytest

# Batched decode-like shapes (M rows of activations, K, N) whose bytes are measured.
BATCHED_SHAPES = [(8, 64, 32), (4, 96, 64)]
BYTE_BUDGET = 3          # times the minimum, M * K + K * N
MAX_K = 133144


class CountingMatrix:
    """The tests' GlobalMatrix: read-only rows, counting one byte per element fetched."""

    def __init__(self, data):
        self._data = [tuple(row) for row in data]
        self.rows = len(self._data)
        self.cols = len(self._data[0]) if self._data else 0
        assert all(len(row) == self.cols for row in self._data)
        self.bytes_fetched = 0

    def __len__(self):
        return self.rows

    def __getitem__(self, index):
        if not isinstance(index, int):
            raise TypeError("index a GlobalMatrix with a single row number")
        row = self._data[index]
        self.bytes_fetched += len(row)
        return row

    def __iter__(self):
        for index in range(self.rows):
            yield self[index]


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def model_matmul(a, b):
    columns = list(zip(*b, strict=True))
    return [[sum(x * y for x, y in zip(row, col, strict=True)) for col in columns] for row in a]


def model_requantize(acc, a_scale, b_scale, out_scale):
    multiplier = a_scale * b_scale / out_scale
    return [[clamp(round(v * multiplier), -127, 127) for v in row] for row in acc]


def model_quantize(m):
    amax = max((abs(v) for row in m for v in row), default=0.0)
    scale = amax / 127 if amax > 0 else 1.0
    return [[clamp(round(v / scale), -127, 127) for v in row] for row in m], scale


def model_error(a, b, out_scale):
    a_q, a_scale = model_quantize(a)
    b_q, b_scale = model_quantize(b)
    out = model_requantize(model_matmul(a_q, b_q), a_scale, b_scale, out_scale)
    exact = model_matmul(a, b)
    return max(abs(q * out_scale - c) for qs, cs in zip(out, exact, strict=True)
               for q, c in zip(qs, cs, strict=True))


def random_int8(rng, rows, cols):
    return [[rng.randint(-127, 127) for _ in range(cols)] for _ in range(rows)]


def random_float(rng, rows, cols, spread=1.0):
    return [[rng.gauss(0.0, spread) for _ in range(cols)] for _ in range(rows)]


def multiply(solution, a, b):
    """(result, bytes of a fetched, bytes of b fetched) with counting operands."""
    a_m, b_m = CountingMatrix(a), CountingMatrix(b)
    result = solution.int8_matmul(a_m, b_m)
    return result, a_m.bytes_fetched, b_m.bytes_fetched


_BATCHED: dict[tuple[int, int, int], tuple[list, list, list, int]] = {}


def batched(solution, shape):
    """The checked result and bytes fetched for one batched shape (computed once)."""
    if shape not in _BATCHED:
        m, k, n = shape
        rng = random.Random(m * 10_000 + k * 100 + n)
        a, b = random_int8(rng, m, k), random_int8(rng, k, n)
        result, a_bytes, b_bytes = multiply(solution, a, b)
        _BATCHED[shape] = (a, b, result, a_bytes + b_bytes)
    return _BATCHED[shape]


# -- the accumulators --------------------------------------------------------------------------


def test_matmul_of_a_two_by_two_product(solution):
    result, _, _ = multiply(solution, [[1, 2], [3, 4]], [[5, 6], [7, 8]])
    assert result == [[19, 22], [43, 50]]


def test_matmul_random_operands_match_exactly(solution):
    rng = random.Random(11)
    for m, k, n in [(3, 5, 4), (1, 17, 2), (6, 1, 3), (5, 40, 7)]:
        a, b = random_int8(rng, m, k), random_int8(rng, k, n)
        result, _, _ = multiply(solution, a, b)
        assert result == model_matmul(a, b), (m, k, n)
        assert all(type(v) is int for row in result for v in row), "accumulators are ints"


def test_matmul_of_one_by_one_edge(solution):
    result, _, _ = multiply(solution, [[-127]], [[127]])
    assert result == [[-16129]]


def test_matmul_accepts_the_full_symmetric_range_edge(solution):
    a = [[127, -127, 0], [-127, -127, 127]]
    b = [[127, -127], [127, 127], [-127, 0]]
    result, _, _ = multiply(solution, a, b)
    assert result == model_matmul(a, b)


def test_matmul_rejects_mismatched_inner_dimensions_edge(solution):
    with pytest.raises(ValueError):
        solution.int8_matmul(CountingMatrix([[1, 2, 3]]), CountingMatrix([[1], [2]]))


def test_matmul_rejects_minus_128_and_128_edge(solution):
    with pytest.raises(ValueError):
        solution.int8_matmul(CountingMatrix([[1, -128]]), CountingMatrix([[1], [1]]))
    with pytest.raises(ValueError):
        solution.int8_matmul(CountingMatrix([[1, 1]]), CountingMatrix([[1], [128]]))


def test_matmul_at_the_int32_bound_is_accepted_edge(solution):
    result, _, _ = multiply(solution, [[127] * MAX_K], [[-127]] * MAX_K)
    assert result == [[-MAX_K * 16129]]
    assert MAX_K * 16129 <= 2**31 - 1 < (MAX_K + 1) * 16129


def test_matmul_beyond_the_int32_bound_raises_even_for_zeros_edge(solution):
    with pytest.raises(OverflowError):
        solution.int8_matmul(CountingMatrix([[0] * (MAX_K + 1)]),
                             CountingMatrix([[0]] * (MAX_K + 1)))


# -- bytes moved -------------------------------------------------------------------------------


def test_single_token_decode_fetches_the_weights_once(solution):
    rng = random.Random(12)
    a, b = random_int8(rng, 1, 128), random_int8(rng, 128, 64)
    result, a_bytes, b_bytes = multiply(solution, a, b)
    assert result == model_matmul(a, b)
    assert a_bytes + b_bytes <= BYTE_BUDGET * (128 + 128 * 64)


@pytest.mark.parametrize("shape", BATCHED_SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_batched_matmul_stays_within_the_byte_budget(solution, shape):
    m, k, n = shape
    a, b, result, fetched = batched(solution, shape)
    assert result == model_matmul(a, b)
    minimum = m * k + k * n
    assert fetched >= minimum, (
        f"{fetched} bytes fetched, fewer than one fetch of every row ({minimum}): "
        "fetch the rows through the GlobalMatrix interface")
    assert fetched <= BYTE_BUDGET * minimum, (
        f"{fetched} bytes fetched for M, K, N = {shape}; the budget is "
        f"{BYTE_BUDGET * minimum} ({BYTE_BUDGET} x the minimum {minimum})")


def test_batched_matmul_bytes_measured(solution, measure):
    total = 0
    for shape in BATCHED_SHAPES:
        a, b, result, fetched = batched(solution, shape)
        assert result == model_matmul(a, b)
        total += fetched
    measure("bytes_moved", total)


# -- requantisation ----------------------------------------------------------------------------


def test_requantize_rounds_half_to_even(solution):
    acc = [[1, 3, 5, 7, -1, -3, -5]]
    assert solution.requantize(acc, 1.0, 1.0, 2.0) == [[0, 2, 2, 4, 0, -2, -2]]


def test_requantize_rounds_to_nearest_not_truncated(solution):
    acc = [[19, 22, -19, -22, 7]]
    assert solution.requantize(acc, 0.5, 0.5, 2.0) == [[2, 3, -2, -3, 1]]


def test_requantize_clamps_both_ends_edge(solution):
    acc = [[100_000, -100_000, 254, -254, -255]]
    assert solution.requantize(acc, 1.0, 1.0, 2.0) == [[127, -127, 127, -127, -127]]


def test_requantize_uses_the_combined_multiplier(solution):
    rng = random.Random(13)
    acc = [[rng.randint(-200_000, 200_000) for _ in range(9)] for _ in range(4)]
    a_scale, b_scale, out_scale = 0.0123, 0.0045, 0.51
    expected = model_requantize(acc, a_scale, b_scale, out_scale)
    assert solution.requantize(acc, a_scale, b_scale, out_scale) == expected


def test_requantize_rejects_bad_scales_edge(solution):
    for scales in [(0.0, 1.0, 1.0), (1.0, -1.0, 1.0), (1.0, 1.0, 0.0), (1.0, 1.0, float("inf"))]:
        with pytest.raises(ValueError):
            solution.requantize([[1]], *scales)


# -- the whole pipeline ------------------------------------------------------------------------


def test_matmul_error_matches_the_reference_pipeline(solution):
    rng = random.Random(15)
    for m, k, n in [(3, 20, 5), (1, 8, 1), (4, 12, 6)]:
        a, b = random_float(rng, m, k), random_float(rng, k, n, spread=0.1)
        exact = model_matmul(a, b)
        out_scale = max(abs(v) for row in exact for v in row) / 127
        got = solution.matmul_error(a, b, out_scale)
        assert got == pytest.approx(model_error(a, b, out_scale), rel=1e-9, abs=1e-12)


def test_matmul_error_includes_saturation(solution):
    a = [[1.0, -0.5], [0.25, 2.0]]
    b = [[0.5, 1.0], [-1.0, 0.75]]
    assert solution.matmul_error(a, b, 0.005) == pytest.approx(1.24, rel=1e-9)
    assert solution.matmul_error(a, b, 2 / 127) == pytest.approx(model_error(a, b, 2 / 127),
                                                                 rel=1e-9)


def test_matmul_error_uses_one_scale_per_tensor(solution):
    # Rows of very different size: per-row scales would give a smaller error.
    a = [[0.01, -0.02, 0.015], [3.0, 1.0, -2.0]]
    b = [[1.0, 0.5], [-0.25, 2.0], [0.75, -1.0]]
    got = solution.matmul_error(a, b, 0.05)
    assert got == pytest.approx(model_error(a, b, 0.05), rel=1e-9, abs=1e-12)


def test_matmul_error_rejects_mismatched_dimensions_edge(solution):
    with pytest.raises(ValueError):
        solution.matmul_error([[1.0, 2.0]], [[1.0], [2.0], [3.0]], 0.1)
