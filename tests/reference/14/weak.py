"""Quantization: a weak candidate's solution.

Clamps to -128, divides by zero on an all-zero tensor, leaves zero out of
the asymmetric range, multiplies with a triple loop that fetches rows for
every product and never checks shapes, ranges or the overflow bound, skips
the output scale in matmul_error, decodes FP8 without subnormals or NaN, and
never wrote the encoder.
"""

INT8_MAX = 127
UINT8_MAX = 255
INT32_MAX = 2**31 - 1
FP8_MAX = 448.0
FP8_NAN = 0x7F


class GlobalMatrix:
    """An int8 matrix held in GPU global memory, read one row at a time.

    Fetching a row, by index or by iterating, returns it as a tuple and adds
    its length (one byte per int8 element) to ``bytes_fetched``. ``rows`` and
    ``cols`` give the shape and are free to read.
    """

    def __init__(self, data):
        self._data = [tuple(row) for row in data]
        self.rows = len(self._data)
        self.cols = len(self._data[0]) if self._data else 0
        if any(len(row) != self.cols for row in self._data):
            raise ValueError("every row of a GlobalMatrix must have the same length")
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


def quantize_int8(x, scale=None):
    if scale == None:
        scale = max([abs(v) for v in x]) / 127
    q = []
    for v in x:
        c = round(v / scale)
        if c > 127:
            c = 127
        if c < -128:
            c = -128
        q.append(c)
    return q, scale


def dequantize_int8(q, scale):
    return [v * scale for v in q]


def quantize_per_channel(x):
    codes = []
    scales = []
    for row in x:
        q, s = quantize_int8(row)
        codes.append(q)
        scales.append(s)
    return codes, scales


def dequantize_per_channel(q, scales):
    return [dequantize_int8(q[i], scales[i]) for i in range(len(q))]


def quantize_asymmetric(x):
    codes, scales, zps = [], [], []
    for row in x:
        lo = min(row)
        hi = max(row)
        scale = (hi - lo) / 255
        zp = round(-lo / scale)
        codes.append([min(255, max(0, round(v / scale) + zp)) for v in row])
        scales.append(scale)
        zps.append(zp)
    return codes, scales, zps


def dequantize_asymmetric(q, scales, zero_points):
    return [[(c - zero_points[i]) * scales[i] for c in q[i]] for i in range(len(q))]


def reconstruction_error(x, scheme):
    if scheme == "asymmetric":
        q, s, z = quantize_asymmetric(x)
        back = dequantize_asymmetric(q, s, z)
    else:
        q, s = quantize_per_channel(x)
        back = dequantize_per_channel(q, s)
    return [max(abs(x[i][j] - back[i][j]) for j in range(len(x[i]))) for i in range(len(x))]


def int8_matmul(a_q, b_q):
    result = []
    for i in range(a_q.rows):
        row = []
        for j in range(b_q.cols):
            s = 0
            for k in range(a_q.cols):
                s += a_q[i][k] * b_q[k][j]
            row.append(s)
        result.append(row)
    return result


def requantize(acc, a_scale, b_scale, out_scale):
    return [[min(127, max(-127, round(v * a_scale * b_scale / out_scale))) for v in row]
            for row in acc]


def matmul_error(a, b, out_scale):
    qa, sa = quantize_per_channel(a)
    qb, sb = quantize_per_channel(b)
    out = int8_matmul(GlobalMatrix(qa), GlobalMatrix(qb))
    worst = 0
    for i in range(len(a)):
        for j in range(len(b[0])):
            exact = sum(a[i][k] * b[k][j] for k in range(len(b)))
            got = out[i][j] * sa[i] * sb[0]
            worst = max(worst, abs(got - exact))
    return worst


def fp8_decode(code):
    sign = -1 if code >= 128 else 1
    e = (code >> 3) & 15
    m = code & 7
    return sign * 2 ** (e - 7) * (1 + m / 8)


def fp8_encode(x):
    raise NotImplementedError


def fp8_quantize(x):
    raise NotImplementedError
