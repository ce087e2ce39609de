"""Mutant: int8_matmul fetches every row of B again for each row of A
(the textbook i-k-j loop), so a batch of M activation rows moves the
weights M times instead of once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from operator import mul

INT8_MAX = 127                       # symmetric int8 range is [-127, 127]; -128 is never produced
UINT8_MAX = 255                      # asymmetric (uint8) range is [0, 255]
INT32_MAX = 2**31 - 1                # the accumulator limit of level 3
FP8_MAX = 448.0                      # largest finite FP8 E4M3 value (code 0x7E)
FP8_NAN = 0x7F                       # the NaN code that encoding produces


class GlobalMatrix:
    """An int8 matrix held in GPU global memory, read one row at a time.

    Fetching a row, by index or by iterating, returns it as a tuple and adds
    its length (one byte per int8 element) to ``bytes_fetched``. ``rows`` and
    ``cols`` give the shape and are free to read.
    """

    def __init__(self, data: Sequence[Sequence[int]]) -> None:
        self._data = [tuple(row) for row in data]
        self.rows = len(self._data)
        self.cols = len(self._data[0]) if self._data else 0
        if any(len(row) != self.cols for row in self._data):
            raise ValueError("every row of a GlobalMatrix must have the same length")
        self.bytes_fetched = 0

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index: int) -> tuple[int, ...]:
        if not isinstance(index, int):
            raise TypeError("index a GlobalMatrix with a single row number")
        row = self._data[index]
        self.bytes_fetched += len(row)
        return row

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        for index in range(self.rows):
            yield self[index]


# -- shared helpers ----------------------------------------------------------------------------

MAX_K = INT32_MAX // (INT8_MAX * INT8_MAX)   # 133144: no int32 accumulator can overflow


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _check_scale(scale: float) -> float:
    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"a scale must be a positive finite number, got {scale}")
    return scale


def _symmetric_scale(values: Sequence[float]) -> float:
    amax = max((abs(v) for v in values), default=0.0)
    return amax / INT8_MAX if amax > 0 else 1.0


def _max_abs_difference(xs: Sequence[float], ys: Sequence[float]) -> float:
    return max((abs(x - y) for x, y in zip(xs, ys, strict=True)), default=0.0)


def _flatten(matrix: Sequence[Sequence[float]]) -> list[float]:
    return [value for row in matrix for value in row]


# -- Level 1: per-tensor symmetric int8 --------------------------------------------------------


def quantize_int8(x: Sequence[float], scale: float | None = None) -> tuple[list[int], float]:
    """Symmetric int8 codes of ``x`` and the scale used (max|x| / 127 unless given)."""
    scale = _symmetric_scale(x) if scale is None else _check_scale(scale)
    return [_clamp(round(v / scale), -INT8_MAX, INT8_MAX) for v in x], scale


def dequantize_int8(q: Sequence[int], scale: float) -> list[float]:
    """The real values q * scale."""
    return [v * scale for v in q]


# -- Level 2: per-channel symmetric and asymmetric ---------------------------------------------


def quantize_per_channel(x: Sequence[Sequence[float]]) -> tuple[list[list[int]], list[float]]:
    """One symmetric int8 scale per row."""
    pairs = [quantize_int8(row) for row in x]
    return [q for q, _ in pairs], [scale for _, scale in pairs]


def dequantize_per_channel(q: Sequence[Sequence[int]],
                           scales: Sequence[float]) -> list[list[float]]:
    """Each row times its own scale."""
    return [dequantize_int8(row, scale) for row, scale in zip(q, scales, strict=True)]


def _asymmetric_parameters(row: Sequence[float]) -> tuple[float, int]:
    low = min(min(row, default=0.0), 0.0)
    high = max(max(row, default=0.0), 0.0)
    if high == low:
        return 1.0, 0
    scale = (high - low) / UINT8_MAX
    return scale, _clamp(round(-low / scale), 0, UINT8_MAX)


def quantize_asymmetric(
        x: Sequence[Sequence[float]]) -> tuple[list[list[int]], list[float], list[int]]:
    """uint8 codes per row with a scale and a zero point per row."""
    codes, scales, zero_points = [], [], []
    for row in x:
        scale, zero_point = _asymmetric_parameters(row)
        codes.append([_clamp(round(v / scale) + zero_point, 0, UINT8_MAX) for v in row])
        scales.append(scale)
        zero_points.append(zero_point)
    return codes, scales, zero_points


def dequantize_asymmetric(q: Sequence[Sequence[int]], scales: Sequence[float],
                          zero_points: Sequence[int]) -> list[list[float]]:
    """(q - zero_point) * scale, row by row."""
    return [[(v - zero_point) * scale for v in row]
            for row, scale, zero_point in zip(q, scales, zero_points, strict=True)]


def _reconstruct(x: Sequence[Sequence[float]], scheme: str) -> list[list[float]]:
    if scheme == "per-tensor":
        q, scale = quantize_int8(_flatten(x))
        flat = iter(dequantize_int8(q, scale))
        return [[next(flat) for _ in row] for row in x]
    if scheme == "per-channel":
        return dequantize_per_channel(*quantize_per_channel(x))
    if scheme == "asymmetric":
        return dequantize_asymmetric(*quantize_asymmetric(x))
    raise ValueError(f"unknown scheme {scheme!r}")


def reconstruction_error(x: Sequence[Sequence[float]], scheme: str) -> list[float]:
    """Per row, the largest |x - dequantize(quantize(x))| under ``scheme``."""
    return [_max_abs_difference(row, back) for row, back in zip(x, _reconstruct(x, scheme),
                                                                    strict=True)]


# -- Level 3: int8 matmul with int32 accumulation ----------------------------------------------


def _checked_row(row: Sequence[int]) -> Sequence[int]:
    if row and (min(row) < -INT8_MAX or max(row) > INT8_MAX):
        raise ValueError("int8 operands must lie in [-127, 127]")
    return row


def int8_matmul(a_q: GlobalMatrix, b_q: GlobalMatrix) -> list[list[int]]:
    """The exact int32 accumulators of a_q @ b_q, fetching every row once."""
    if a_q.cols != b_q.rows:
        raise ValueError(f"inner dimensions differ: {a_q.cols} and {b_q.rows}")
    if a_q.cols > MAX_K:
        raise OverflowError(f"K = {a_q.cols} can overflow int32; the limit is {MAX_K}")
    result = []
    for a_row in a_q:
        acc = [0] * b_q.cols
        for k, a in enumerate(_checked_row(a_row)):
            b_row = _checked_row(b_q[k])
            acc = [s + a * b for s, b in zip(acc, b_row, strict=True)]
        result.append(acc)
    return result


def requantize(acc: Sequence[Sequence[int]], a_scale: float, b_scale: float,
               out_scale: float) -> list[list[int]]:
    """int8 outputs: round(acc * a_scale * b_scale / out_scale), clamped to [-127, 127]."""
    for scale in (a_scale, b_scale, out_scale):
        _check_scale(scale)
    multiplier = a_scale * b_scale / out_scale
    return [[_clamp(round(v * multiplier), -INT8_MAX, INT8_MAX) for v in row] for row in acc]


def _quantize_matrix(m: Sequence[Sequence[float]]) -> tuple[GlobalMatrix, float]:
    q, scale = quantize_int8(_flatten(m))
    width = len(m[0])
    return GlobalMatrix([q[i:i + width] for i in range(0, len(q), width)]), scale


def matmul_error(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]],
                 out_scale: float) -> float:
    """Largest |dequantised int8 result - float a @ b| with per-tensor scales."""
    a_q, a_scale = _quantize_matrix(a)
    b_q, b_scale = _quantize_matrix(b)
    out = requantize(int8_matmul(a_q, b_q), a_scale, b_scale, out_scale)
    columns = list(zip(*b, strict=True))
    exact = [sum(x * y for x, y in zip(row, col, strict=True)) for row in a for col in columns]
    return _max_abs_difference(dequantize_int8(_flatten(out), out_scale), exact)


# -- Level 4: FP8 E4M3 ------------------------------------------------------------------------


def fp8_decode(code: int) -> float:
    """The value of an FP8 E4M3 code (0..255); NaN for 0x7F and 0xFF."""
    if not 0 <= code <= 0xFF:
        raise ValueError(f"an FP8 code is a byte, 0..255, got {code}")
    sign = -1.0 if code & 0x80 else 1.0
    exponent, mantissa = (code >> 3) & 0xF, code & 0x7
    if exponent == 0xF and mantissa == 0x7:
        return math.nan
    if exponent == 0:
        return sign * math.ldexp(mantissa, -9)
    return sign * math.ldexp(8 + mantissa, exponent - 10)


def fp8_encode(x: float) -> int:
    """The nearest FP8 E4M3 code, ties to the even code, finite overflow saturating to 448."""
    if math.isnan(x):
        return FP8_NAN
    sign = 0x80 if math.copysign(1.0, x) < 0 else 0
    magnitude = abs(x)
    if magnitude >= FP8_MAX:
        return sign | 0x7E
    if magnitude < 2.0**-6:
        return sign | round(magnitude * 2**9)        # subnormal steps of 2^-9; 8 is 0x08
    fraction, exponent = math.frexp(magnitude)       # magnitude = fraction * 2^exponent
    return sign | ((exponent + 6) * 8 + round(16 * fraction - 8))


def fp8_quantize(x: Sequence[float]) -> tuple[list[int], float]:
    """FP8 codes of x / scale with scale = max|x| / 448 (1.0 for an all-zero tensor)."""
    amax = max((abs(v) for v in x), default=0.0)
    scale = amax / FP8_MAX if amax > 0 else 1.0
    return [fp8_encode(v / scale) for v in x], scale
