"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import math

import pytest


def test_example_level1_per_tensor_int8(solution):
    assert solution.quantize_int8([0.5, -1.0, 2.54]) == ([25, -50, 127], 0.02)
    assert solution.dequantize_int8([25, -50, 127], 0.02) == [0.5, -1.0, 2.54]
    assert solution.quantize_int8([0.5, 1.5, 2.5, -2.5], scale=1.0) == ([0, 2, 2, -2], 1.0)
    assert solution.quantize_int8([300.0, -300.0, 3.0], scale=2.0) == ([127, -127, 2], 2.0)
    assert solution.quantize_int8([0.0, 0.0]) == ([0, 0], 1.0)
    assert solution.quantize_int8([]) == ([], 1.0)
    with pytest.raises(ValueError):
        solution.quantize_int8([1.0], scale=0.0)


def test_example_level2_per_channel_and_asymmetric(solution):
    assert solution.quantize_per_channel([[2.54, -1.0], [0.0, 0.0], [-127.0, 63.5]]) == (
        [[127, -50], [0, 0], [-127, 64]], [0.02, 1.0, 1.0])
    assert solution.quantize_asymmetric(
        [[0.0, 51.0, 255.0], [-10.5, 0.25, 117.0], [-2.0, -1.0]]) == (
        [[0, 51, 255], [0, 21, 255], [0, 127]], [1.0, 0.5, 0.00784313725490196], [0, 21, 255])
    assert solution.dequantize_asymmetric([[0, 127]], [0.00784313725490196], [255]) == [
        [-2.0, -1.003921568627451]]
    x = [[0.01, -0.02, 0.03], [100.0, -50.0, 25.0]]
    assert solution.reconstruction_error(x, "per-tensor") == [0.03, 0.39370078740157055]
    assert solution.reconstruction_error(x, "per-channel") == [
        7.874015748031427e-05, 0.39370078740157055]
    one_sided = [[0.0, 0.5, 1.0, 2.0]]
    assert solution.reconstruction_error(one_sided, "per-channel") == [0.007874015748031482]
    assert solution.reconstruction_error(one_sided, "asymmetric") == [0.0039215686274509665]


def test_example_level3_int8_matmul(solution):
    a = solution.GlobalMatrix([[1, 2], [3, 4]])
    b = solution.GlobalMatrix([[5, 6], [7, 8]])
    assert solution.int8_matmul(a, b) == [[19, 22], [43, 50]]
    assert (a.bytes_fetched, b.bytes_fetched) == (4, 4)
    assert solution.requantize([[19, 22], [43, 50]], 0.5, 0.5, 2.0) == [[2, 3], [5, 6]]
    assert solution.requantize([[20, -20, 2000]], 0.5, 0.5, 2.0) == [[2, -2, 127]]
    big = solution.int8_matmul(solution.GlobalMatrix([[127] * 133144]),
                               solution.GlobalMatrix([[127]] * 133144))
    assert big == [[2147479576]]
    with pytest.raises(OverflowError):
        solution.int8_matmul(solution.GlobalMatrix([[1] * 133145]),
                             solution.GlobalMatrix([[1]] * 133145))
    with pytest.raises(ValueError):
        solution.int8_matmul(solution.GlobalMatrix([[-128]]), solution.GlobalMatrix([[1]]))
    a = [[1.0, -0.5], [0.25, 2.0]]
    b = [[0.5, 1.0], [-1.0, 0.75]]
    assert solution.matmul_error(a, b, 2 / 127) == pytest.approx(0.007874015748031482, rel=1e-9)
    assert solution.matmul_error(a, b, 0.005) == pytest.approx(1.24, rel=1e-9)


def test_example_level4_fp8_e4m3(solution):
    assert solution.fp8_decode(0x38) == 1.0
    assert solution.fp8_decode(0x7E) == 448.0
    assert solution.fp8_decode(0x01) == 0.001953125
    negative_zero = solution.fp8_decode(0x80)
    assert negative_zero == 0.0 and math.copysign(1.0, negative_zero) == -1.0
    assert math.isnan(solution.fp8_decode(0x7F))
    assert solution.fp8_encode(1.0) == 0x38
    assert solution.fp8_encode(0.3) == 0x2A
    assert solution.fp8_encode(1.0625) == 0x38
    assert solution.fp8_encode(1.1875) == 0x3A
    assert solution.fp8_encode(2**-10) == 0x00
    assert solution.fp8_encode(-1e-9) == 0x80
    assert solution.fp8_encode(500.0) == 0x7E
    assert solution.fp8_encode(float("-inf")) == 0xFE
    assert solution.fp8_encode(float("nan")) == 0x7F
    assert solution.fp8_quantize([0.1, -3.5, 7.0]) == ([0x4D, 0xF6, 0x7E], 0.015625)
