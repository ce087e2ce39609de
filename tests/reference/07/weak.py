"""Cache-aware memory access: a weak candidate's solution.

The cache works for ordinary geometries but hardly checks them, the walks
build whole lists, the transpose ignores the tile, and the matrix multiply
was never started.
"""

WORD = 4
REAL_L1 = (32 * 1024, 64, 8)
SMALL_CACHE = (2 * 1024, 32, 4)
A_BASE, B_BASE, C_BASE = 0x10000, 0x20000, 0x30000
TILE = 8


def element_address(base, n, row, col):
    return base + WORD * (row * n + col)


class Cache:
    def __init__(self, size_bytes, line_bytes, ways):
        if size_bytes % (line_bytes * ways) != 0:
            raise ValueError("bad cache size")
        self.size_bytes = size_bytes
        self.line_bytes = line_bytes
        self.ways = ways
        self.num_sets = size_bytes // (line_bytes * ways)
        self.hits = 0
        self.misses = 0
        self.data = []
        for i in range(self.num_sets):
            self.data.append([])

    def access(self, addr):
        line = addr // self.line_bytes
        s = self.data[line % self.num_sets]
        for x in s:
            if x == line:
                s.remove(x)
                s.append(x)
                self.hits = self.hits + 1
                return True
        self.misses = self.misses + 1
        if len(s) == self.ways:
            s.pop(0)
        s.append(line)
        return False


def row_major_trace(n, base):
    result = []
    for i in range(n):
        for j in range(n):
            result.append(element_address(base, n, i, j))
    return iter(result)


def column_major_trace(n, base):
    result = []
    for j in range(n):
        for i in range(n):
            result.append(element_address(base, n, i, j))
    return iter(result)


def count_misses(cache, trace):
    before = cache.misses
    for a in trace:
        cache.access(a)
    return cache.misses - before


def traversal_misses(n, base, size_bytes, line_bytes, ways):
    c = Cache(size_bytes, line_bytes, ways)
    r = count_misses(c, row_major_trace(n, base))
    c = Cache(size_bytes, line_bytes, ways)
    col = count_misses(c, column_major_trace(n, base))
    return (r, col)


def transpose_trace(n, a_base, b_base, tile):
    # TODO: use the tile
    result = []
    for i in range(n):
        for j in range(n):
            result.append(element_address(a_base, n, i, j))
            result.append(element_address(b_base, n, j, i))
    return iter(result)


def matmul_trace(n, a_base, b_base, c_base, tile):
    raise NotImplementedError
