"""Level 4 hidden tests: FP8 E4M3 decode and encode, bit-exact, and per-tensor FP8 scaling.

The expected values come from the format's table, written independently of
any encoder: decode by the formula, encode by searching the sorted finite
values for the nearest one (ties to the even code).
"""

import bisect
import itertools
import math
import random

import pytest

NAN_CODES = (0x7F, 0xFF)


def table_value(code):
    sign = -1.0 if code & 0x80 else 1.0
    exponent, mantissa = (code >> 3) & 0xF, code & 0x7
    if exponent == 0xF and mantissa == 0x7:
        return math.nan
    if exponent == 0:
        return sign * mantissa / 8 * 2.0**-6
    return sign * 2.0 ** (exponent - 7) * (1 + mantissa / 8)


POSITIVE = [(table_value(code), code) for code in range(0x7F)]       # 0x00..0x7E, increasing
POSITIVE_VALUES = [value for value, _ in POSITIVE]


def nearest_code(x):
    """The code the statement asks for, by search over the finite values."""
    if math.isnan(x):
        return 0x7F
    sign = 0x80 if math.copysign(1.0, x) < 0 else 0
    magnitude = abs(x)
    if magnitude >= 448.0:
        return sign | 0x7E
    above = bisect.bisect_left(POSITIVE_VALUES, magnitude)
    if POSITIVE_VALUES[above] == magnitude:
        return sign | POSITIVE[above][1]
    low, high = POSITIVE[above - 1], POSITIVE[above]
    down, up = magnitude - low[0], high[0] - magnitude
    if down < up or (down == up and low[1] % 2 == 0):
        return sign | low[1]
    return sign | high[1]


def same_float(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


# -- decode ------------------------------------------------------------------------------------


def test_decode_named_values(solution):
    named = {0x38: 1.0, 0x7E: 448.0, 0xFE: -448.0, 0x08: 2.0**-6, 0x01: 2.0**-9,
             0x07: 7 * 2.0**-9, 0x77: 240.0, 0x40: 2.0, 0xB8: -1.0, 0x00: 0.0, 0x3F: 1.875}
    for code, value in named.items():
        assert solution.fp8_decode(code) == value, hex(code)


def test_decode_every_code_exactly(solution):
    for code in range(256):
        got = solution.fp8_decode(code)
        assert isinstance(got, float), hex(code)
        assert same_float(got, table_value(code)), f"{code:#04x}: {got} != {table_value(code)}"


def test_decode_nan_codes_edge(solution):
    for code in NAN_CODES:
        assert math.isnan(solution.fp8_decode(code))
    assert not math.isnan(solution.fp8_decode(0x7E))
    assert not math.isnan(solution.fp8_decode(0x78))    # S.1111.000 is 256, not infinity


def test_decode_negative_zero_edge(solution):
    value = solution.fp8_decode(0x80)
    assert value == 0.0 and math.copysign(1.0, value) == -1.0


def test_decode_rejects_codes_outside_a_byte_edge(solution):
    for code in (-1, 256, 1000):
        with pytest.raises(ValueError):
            solution.fp8_decode(code)


# -- encode ------------------------------------------------------------------------------------


def test_encode_named_values(solution):
    named = {1.0: 0x38, -1.0: 0xB8, 448.0: 0x7E, 240.0: 0x77, 2.0**-6: 0x08, 2.0**-9: 0x01,
             0.3: 0x2A, 0.1: 0x1D, -3.0: 0xC4, 100.0: 0x6C}
    for value, code in named.items():
        assert solution.fp8_encode(value) == code, value


def test_encode_round_trips_every_code(solution):
    for code in range(256):
        if code in NAN_CODES:
            continue
        assert solution.fp8_encode(table_value(code)) == code, hex(code)


def test_encode_nan_codes_give_0x7f_edge(solution):
    for code in NAN_CODES:
        assert solution.fp8_encode(table_value(code)) == 0x7F
    assert solution.fp8_encode(float("nan")) == 0x7F
    assert solution.fp8_encode(-float("nan")) == 0x7F


def test_encode_every_halfway_point_ties_to_even(solution):
    for (low, low_code), (high, high_code) in itertools.pairwise(POSITIVE):
        middle = (low + high) / 2
        even = low_code if low_code % 2 == 0 else high_code
        assert solution.fp8_encode(middle) == even, (middle, hex(low_code), hex(high_code))
        assert solution.fp8_encode(-middle) == 0x80 | even, -middle


def test_encode_just_either_side_of_halfway_points(solution):
    for (low, low_code), (high, high_code) in itertools.pairwise(POSITIVE):
        middle = (low + high) / 2
        assert solution.fp8_encode(math.nextafter(middle, 0.0)) == low_code, middle
        assert solution.fp8_encode(math.nextafter(middle, math.inf)) == high_code, middle


def test_encode_subnormals_and_the_normal_boundary_edge(solution):
    cases = {2.0**-10: 0x00, math.nextafter(2.0**-10, 1.0): 0x01, 3 * 2.0**-10: 0x02,
             5 * 2.0**-10: 0x02, 7.5 * 2.0**-9: 0x08, 7.25 * 2.0**-9: 0x07,
             2.0**-6 - 2.0**-12: 0x08, 0.005: 0x03}
    for value, code in cases.items():
        assert solution.fp8_encode(value) == code, value


def test_encode_underflow_keeps_the_sign_edge(solution):
    assert solution.fp8_encode(0.0) == 0x00
    assert solution.fp8_encode(-0.0) == 0x80
    assert solution.fp8_encode(1e-9) == 0x00
    assert solution.fp8_encode(-1e-9) == 0x80
    assert solution.fp8_encode(5e-324) == 0x00
    assert solution.fp8_encode(-2.0**-10) == 0x80


def test_encode_saturates_finite_overflow_edge(solution):
    for value in (448.0, 449.0, 463.9, 464.0, 480.0, 1e6, 1e38, 1.7e308):
        assert solution.fp8_encode(value) == 0x7E, value
        assert solution.fp8_encode(-value) == 0xFE, -value


def test_encode_infinities_saturate_edge(solution):
    assert solution.fp8_encode(math.inf) == 0x7E
    assert solution.fp8_encode(-math.inf) == 0xFE


def test_encode_near_the_top_of_the_range(solution):
    cases = {432.0: 0x7E, 431.9: 0x7D, 440.0: 0x7E, 416.0: 0x7D, 400.0: 0x7C, 424.0: 0x7D}
    for value, code in cases.items():
        assert solution.fp8_encode(value) == code, value


def test_encode_random_floats_match_the_nearest_value(solution):
    rng = random.Random(8)
    for _ in range(1500):
        value = rng.uniform(1.0, 2.0) * 2.0 ** rng.randint(-12, 9) * rng.choice((1, -1))
        assert solution.fp8_encode(value) == nearest_code(value), value


def test_encode_returns_a_byte(solution):
    rng = random.Random(9)
    for _ in range(200):
        code = solution.fp8_encode(rng.uniform(-600.0, 600.0))
        assert isinstance(code, int) and 0 <= code <= 255 and code not in NAN_CODES


# -- per-tensor FP8 scaling --------------------------------------------------------------------


def test_fp8_quantize_maps_the_largest_magnitude_to_448(solution):
    codes, scale = solution.fp8_quantize([0.1, -3.5, 7.0])
    assert scale == 7.0 / 448
    assert codes == [0x4D, 0xF6, 0x7E]


def test_fp8_quantize_random_tensor(solution):
    rng = random.Random(10)
    x = [rng.gauss(0.0, 0.02) for _ in range(300)]
    codes, scale = solution.fp8_quantize(x)
    assert scale == max(abs(v) for v in x) / 448
    assert codes == [nearest_code(v / scale) for v in x]
    assert max(abs(table_value(c)) for c in codes) == 448.0


def test_fp8_quantize_all_zero_and_empty_edge(solution):
    assert solution.fp8_quantize([0.0, -0.0]) == ([0x00, 0x80], 1.0)
    assert solution.fp8_quantize([]) == ([], 1.0)
