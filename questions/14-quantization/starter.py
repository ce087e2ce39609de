"""Quantization: int8 per tensor and per channel, an int8 matrix multiply with
int32 accumulation, and FP8 E4M3 encoding.

Fill in the functions; QUESTION.md describes every level. Keep the names and
signatures; add private helpers freely. Standard library only. The constants
and ``GlobalMatrix`` below are provided.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

# -- provided ----------------------------------------------------------------------------------

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


# -- Level 1: per-tensor symmetric int8 --------------------------------------------------------


def quantize_int8(x: Sequence[float], scale: float | None = None) -> tuple[list[int], float]:
    """Symmetric int8 codes of ``x`` and the scale used.

    Without ``scale``: scale = max|x| / 127, or 1.0 when every element is zero
    (or ``x`` is empty). A given scale must be positive and finite (ValueError).
    Each code is clamp(round(v / scale), -127, 127), rounding half to even.
    """
    raise NotImplementedError


def dequantize_int8(q: Sequence[int], scale: float) -> list[float]:
    """The real values q * scale."""
    raise NotImplementedError


# -- Level 2: per-channel symmetric and asymmetric ---------------------------------------------


def quantize_per_channel(x: Sequence[Sequence[float]]) -> tuple[list[list[int]], list[float]]:
    """The level 1 rule applied to each row: (codes per row, one scale per row)."""
    raise NotImplementedError


def dequantize_per_channel(q: Sequence[Sequence[int]],
                           scales: Sequence[float]) -> list[list[float]]:
    """Each row of codes times its own scale."""
    raise NotImplementedError


def quantize_asymmetric(
        x: Sequence[Sequence[float]]) -> tuple[list[list[int]], list[float], list[int]]:
    """uint8 codes per row: (codes, scales, zero_points).

    Per row: lo = min(min(row), 0), hi = max(max(row), 0); scale = (hi - lo) / 255
    and zero_point = clamp(round(-lo / scale), 0, 255), or 1.0 and 0 when hi == lo.
    Each code is clamp(round(v / scale) + zero_point, 0, 255).
    """
    raise NotImplementedError


def dequantize_asymmetric(q: Sequence[Sequence[int]], scales: Sequence[float],
                          zero_points: Sequence[int]) -> list[list[float]]:
    """(q - zero_point) * scale, row by row."""
    raise NotImplementedError


def reconstruction_error(x: Sequence[Sequence[float]], scheme: str) -> list[float]:
    """Per row, the largest |x - dequantize(quantize(x))|.

    ``scheme`` is "per-tensor", "per-channel" or "asymmetric"; anything else
    raises ValueError.
    """
    raise NotImplementedError


# -- Level 3: int8 matmul with int32 accumulation ----------------------------------------------


def int8_matmul(a_q: GlobalMatrix, b_q: GlobalMatrix) -> list[list[int]]:
    """The exact accumulators of a_q (M x K) @ b_q (K x N).

    ValueError for mismatched inner dimensions or an element outside [-127, 127];
    OverflowError when K > 133144. Fetch the rows of the operands as few times
    as you can: the tests count the bytes.
    """
    raise NotImplementedError


def requantize(acc: Sequence[Sequence[int]], a_scale: float, b_scale: float,
               out_scale: float) -> list[list[int]]:
    """clamp(round(acc * (a_scale * b_scale / out_scale)), -127, 127) for each accumulator."""
    raise NotImplementedError


def matmul_error(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]],
                 out_scale: float) -> float:
    """Largest |dequantised int8 pipeline result - float a @ b| over all outputs."""
    raise NotImplementedError


# -- Level 4: FP8 E4M3 ------------------------------------------------------------------------


def fp8_decode(code: int) -> float:
    """The value of an FP8 E4M3 code 0..255: NaN for 0x7F and 0xFF (ValueError outside)."""
    raise NotImplementedError


def fp8_encode(x: float) -> int:
    """The nearest FP8 E4M3 code: ties to the even code, |x| > 448 and inf saturate, NaN -> 0x7F."""
    raise NotImplementedError


def fp8_quantize(x: Sequence[float]) -> tuple[list[int], float]:
    """Codes of v / scale for each v, with scale = max|x| / 448 (1.0 when all zero)."""
    raise NotImplementedError
