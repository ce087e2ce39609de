"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def test_example_level1_malloc_and_free(solution):
    heap = solution.Heap(256)
    alloc = solution.Allocator(heap)
    assert alloc.malloc(10) == 0
    assert alloc.malloc(20) == 16
    assert alloc.malloc(16) == 48
    assert heap.layout() == [(0, 16, False), (16, 32, False), (48, 16, False), (64, 192, True)]
    alloc.free(16)
    assert alloc.malloc(8) == 16
    assert heap.layout() == [(0, 16, False), (16, 16, False), (32, 16, True), (48, 16, False),
                             (64, 192, True)]
    assert alloc.malloc(200) is None
    alloc.free(16)
    with pytest.raises(solution.AllocatorError, match="double free"):
        alloc.free(16)
    with pytest.raises(solution.AllocatorError, match="invalid free"):
        alloc.free(40)


def test_example_level2_coalescing_and_fragmentation(solution):
    heap = solution.Heap(256)
    alloc = solution.Allocator(heap)
    x, y, z = alloc.malloc(32), alloc.malloc(64), alloc.malloc(32)
    assert (x, y, z) == (0, 32, 96)
    alloc.free(x)
    alloc.free(z)
    assert heap.layout() == [(0, 32, True), (32, 64, False), (96, 160, True)]
    assert alloc.largest_free() == 160
    assert alloc.total_free() == 192
    assert alloc.fragmentation() == pytest.approx(1 - 160 / 192)
    alloc.free(y)
    assert heap.layout() == [(0, 256, True)]
    assert alloc.fragmentation() == 0.0


def test_example_level3_realloc_and_slabs(solution):
    heap = solution.Heap(512)
    alloc = solution.Allocator(heap)
    p, q = alloc.malloc(64), alloc.malloc(64)
    assert (p, q) == (0, 64)
    assert alloc.realloc(q, 200) == 64
    assert alloc.realloc(p, 20) == 0
    assert alloc.realloc(p, 100) == 272
    assert heap.layout() == [(0, 64, True), (64, 208, False), (272, 112, False),
                             (384, 128, True)]
    assert heap.peak == 384

    heap = solution.Heap(16384)
    slabs = solution.SlabAllocator(heap)
    assert slabs.malloc(24) == 0
    assert slabs.malloc(30) == 32
    assert slabs.malloc(100) == 4096
    assert slabs.malloc(300) == 8192
    slabs.free(0)
    assert slabs.malloc(17) == 0
    assert heap.layout() == [(0, 4096, False), (4096, 4096, False), (8192, 304, False),
                             (8496, 7888, True)]
    slabs.free(0)
    with pytest.raises(solution.AllocatorError, match="double free"):
        slabs.free(0)
    with pytest.raises(solution.AllocatorError, match="invalid free"):
        slabs.free(8)


def test_example_level4_replay(solution):
    trace = [("malloc", 0, 100), ("malloc", 1, 20), ("realloc", 0, 300),
             ("free", 1), ("malloc", 2, 5000), ("realloc", 2, 40), ("free", 0)]
    heap = solution.Heap(65536)
    report = solution.replay(trace, heap)
    assert report.failed == 0
    assert len(report.offsets) == 7
    assert (report.offsets[3], report.offsets[6]) == (None, None)
    assert report.peak_footprint == heap.peak
    assert report.peak_footprint >= 5008 + 304
