"""Level 4 hidden tests: the hierarchical allreduce, its traffic per link kind, and the
model times of the hierarchical and the flat ring.

The expected traffic of every rank is computed here from the three phases'
chunk sizes, independently of the candidate's chunking.
"""

import copy
import random
from fractions import Fraction

import pytest

ELEMENT_BYTES = 4


def bounds(length, parts):
    size, extra = divmod(length, parts)
    found, start = [], 0
    for chunk in range(parts):
        end = start + size + (chunk < extra)
        found.append((start, end))
        start = end
    return found


def sizes(length, parts):
    return [end - start for start, end in bounds(length, parts)]


def ring_elements(length, parts, rank):
    """Elements rank sends in a ring allreduce: all chunks but its own, then all but the next."""
    chunk = sizes(length, parts)
    return (length - chunk[rank]) + (length - chunk[(rank + 1) % parts])


def expected_traffic(length, nodes, gpus):
    """(nvlink_bytes, network_bytes) of every rank, from the chunk sizes of the three phases."""
    local_chunks = sizes(length, gpus)
    nvlink, network = [], []
    for rank in range(nodes * gpus):
        node, local = divmod(rank, gpus)
        nvlink.append(ELEMENT_BYTES * ring_elements(length, gpus, local))
        network.append(ELEMENT_BYTES * ring_elements(local_chunks[local], nodes, node))
    return nvlink, network


def random_buffers(rng, ranks, length):
    return [[rng.randint(-99, 99) for _ in range(length)] for _ in range(ranks)]


def column_sums(buffers):
    return [sum(column) for column in zip(*buffers, strict=True)]


def exact(value):
    assert isinstance(value, (int, Fraction)) and not isinstance(value, bool), (
        f"{value!r} is a {type(value).__name__}: times must be exact Fractions (or ints)")
    return Fraction(value)


def links(solution):
    return solution.Link(2, 200 * 10 ** 9), solution.Link(10, 25 * 10 ** 9)


def model_hierarchical(n_bytes, nodes, gpus, nvlink, network):
    beta_nv, beta_net = Fraction(10 ** 6, nvlink[1]), Fraction(10 ** 6, network[1])
    return (2 * (gpus - 1) * (nvlink[0] + Fraction(n_bytes, gpus) * beta_nv)
            + 2 * (nodes - 1) * (network[0] + Fraction(n_bytes, gpus * nodes) * beta_net))


def model_flat(n_bytes, nodes, gpus, nvlink, network):
    ranks = nodes * gpus
    used = [link for link, present in ((nvlink, gpus > 1), (network, nodes > 1)) if present]
    if not used:
        return Fraction(0)
    chunk = Fraction(n_bytes, ranks)
    return 2 * (ranks - 1) * max(link[0] + chunk * Fraction(10 ** 6, link[1]) for link in used)


# -- the simulated allreduce ---------------------------------------------------------------------


def test_hierarchical_allreduce_gives_every_rank_the_sum(solution):
    buffers = random_buffers(random.Random(11), 12, 30)
    result = solution.hierarchical_allreduce(buffers, 4)
    assert result.buffers == [column_sums(buffers)] * 12


def test_traffic_of_a_small_uneven_cluster(solution):
    buffers = random_buffers(random.Random(12), 6, 7)       # 3 nodes of 2 GPUs
    result = solution.hierarchical_allreduce(buffers, 2)
    assert result.buffers == [column_sums(buffers)] * 6
    nvlink, network = expected_traffic(7, 3, 2)
    assert list(result.nvlink_bytes) == nvlink
    assert list(result.network_bytes) == network


_LARGE = {}


def large_cluster(solution):
    """4 nodes of 8 GPUs with 2048 elements each, run once for the two tests that use it."""
    if not _LARGE:
        buffers = random_buffers(random.Random(13), 32, 2048)
        _LARGE["sums"] = column_sums(buffers)
        _LARGE["result"] = solution.hierarchical_allreduce(buffers, 8)
    return _LARGE["result"], _LARGE["sums"]


def test_network_traffic_stays_within_the_hierarchical_budget(solution):
    # Each rank owns a 256-element chunk in phase 2 and sends 2 * 3/4 * 256 = 384 elements
    # over the network; a flat ring's boundary rank would send 2 * 31/32 * 2048 = 3968,
    # a per-node leader 3072.
    result, sums = large_cluster(solution)
    assert result.buffers == [sums] * 32
    busiest = max(result.network_bytes)
    assert busiest <= 384 * ELEMENT_BYTES, (
        f"the busiest rank sends {busiest} bytes over the network; "
        f"the hierarchical allreduce needs {384 * ELEMENT_BYTES}")
    assert list(result.network_bytes) == [384 * ELEMENT_BYTES] * 32


def test_nvlink_traffic_is_two_intra_node_ring_phases(solution):
    result, sums = large_cluster(solution)
    assert result.buffers == [sums] * 32
    assert list(result.nvlink_bytes) == [2 * 7 * 256 * ELEMENT_BYTES] * 32


def test_traffic_matches_the_phases_on_random_shapes(solution):
    rng = random.Random(15)
    for nodes, gpus, length in [(2, 3, 10), (3, 4, 5), (4, 2, 33), (2, 8, 100)]:
        buffers = random_buffers(rng, nodes * gpus, length)
        result = solution.hierarchical_allreduce(buffers, gpus)
        assert result.buffers == [column_sums(buffers)] * (nodes * gpus), (nodes, gpus, length)
        nvlink, network = expected_traffic(length, nodes, gpus)
        assert list(result.nvlink_bytes) == nvlink, (nodes, gpus, length)
        assert list(result.network_bytes) == network, (nodes, gpus, length)


def test_one_gpu_per_node_is_a_plain_ring_over_the_network_edge(solution):
    buffers = random_buffers(random.Random(16), 5, 12)
    result = solution.hierarchical_allreduce(buffers, 1)
    assert result.buffers == [column_sums(buffers)] * 5
    assert list(result.nvlink_bytes) == [0] * 5
    assert list(result.network_bytes) == [ELEMENT_BYTES * ring_elements(12, 5, r) for r in range(5)]


def test_one_node_never_touches_the_network_edge(solution):
    buffers = random_buffers(random.Random(17), 4, 9)
    result = solution.hierarchical_allreduce(buffers, 4)
    assert result.buffers == [column_sums(buffers)] * 4
    assert list(result.network_bytes) == [0] * 4
    assert list(result.nvlink_bytes) == [ELEMENT_BYTES * ring_elements(9, 4, r) for r in range(4)]


def test_single_rank_sends_nothing_edge(solution):
    result = solution.hierarchical_allreduce([[3, 1, 4]], 1)
    assert result.buffers == [[3, 1, 4]]
    assert list(result.nvlink_bytes) == [0] and list(result.network_bytes) == [0]


def test_hierarchical_allreduce_does_not_modify_its_input(solution):
    buffers = random_buffers(random.Random(18), 4, 6)
    before = copy.deepcopy(buffers)
    result = solution.hierarchical_allreduce(buffers, 2)
    assert buffers == before
    assert all(out is not given for out, given in zip(result.buffers, buffers, strict=True))


def test_partial_nodes_and_bad_shapes_raise_edge(solution):
    with pytest.raises(ValueError):
        solution.hierarchical_allreduce([[1], [2], [3]], 2)
    with pytest.raises(ValueError):
        solution.hierarchical_allreduce([[1], [2]], 0)
    with pytest.raises(ValueError):
        solution.hierarchical_allreduce([[1, 2], [3]], 1)
    with pytest.raises(ValueError):
        solution.hierarchical_allreduce([], 2)


# -- the cost model ------------------------------------------------------------------------------


def test_hierarchical_time_follows_the_formula(solution):
    nvlink, network = links(solution)
    assert exact(solution.hierarchical_time(8_000_000, 2, 4, nvlink, network)) == 172
    for nodes, gpus, n_bytes in [(4, 8, 2 ** 26), (3, 6, 12345), (16, 8, 0)]:
        got = exact(solution.hierarchical_time(n_bytes, nodes, gpus, nvlink, network))
        expected = model_hierarchical(n_bytes, nodes, gpus, nvlink, network)
        assert got == expected, (nodes, gpus, n_bytes)


def test_flat_ring_time_is_set_by_the_network_hop(solution):
    nvlink, network = links(solution)
    assert exact(solution.flat_ring_time(8_000_000, 2, 4, nvlink, network)) == 700
    for nodes, gpus, n_bytes in [(4, 8, 2 ** 26), (3, 6, 12345)]:
        got = exact(solution.flat_ring_time(n_bytes, nodes, gpus, nvlink, network))
        assert got == model_flat(n_bytes, nodes, gpus, nvlink, network), (nodes, gpus, n_bytes)


def test_flat_ring_step_waits_for_the_slowest_hop_edge(solution):
    # NVLink with a long latency: for small messages its hop is the slow one.
    nvlink, network = solution.Link(20, 10 ** 12), solution.Link(1, 10 ** 9)
    assert exact(solution.flat_ring_time(0, 2, 2, nvlink, network)) == 120   # 6 * max(20, 1)
    big = exact(solution.flat_ring_time(4_000_000, 2, 2, nvlink, network))
    assert big == 6006                                                         # 6 * max(21, 1001)


def test_one_node_flat_ring_uses_nvlink_only_edge(solution):
    nvlink, network = links(solution)
    flat = exact(solution.flat_ring_time(2 ** 20, 1, 8, nvlink, network))
    assert flat == 14 * (2 + Fraction(2 ** 17, 200_000))
    assert exact(solution.hierarchical_time(2 ** 20, 1, 8, nvlink, network)) == flat


def test_one_gpu_per_node_flat_equals_hierarchical_edge(solution):
    nvlink, network = links(solution)
    flat = exact(solution.flat_ring_time(10 ** 6, 8, 1, nvlink, network))
    assert flat == 14 * (10 + Fraction(125_000, 25_000))
    assert exact(solution.hierarchical_time(10 ** 6, 8, 1, nvlink, network)) == flat


def test_single_rank_takes_no_time_edge(solution):
    nvlink, network = links(solution)
    assert exact(solution.flat_ring_time(10 ** 6, 1, 1, nvlink, network)) == 0
    assert exact(solution.hierarchical_time(10 ** 6, 1, 1, nvlink, network)) == 0


def test_hierarchical_beats_the_flat_ring_at_scale(solution):
    nvlink, network = links(solution)
    n_bytes = 256 * 2 ** 20
    flat = exact(solution.flat_ring_time(n_bytes, 16, 8, nvlink, network))
    hierarchical = exact(solution.hierarchical_time(n_bytes, 16, 8, nvlink, network))
    assert flat == model_flat(n_bytes, 16, 8, nvlink, network)
    assert hierarchical == model_hierarchical(n_bytes, 16, 8, nvlink, network)
    assert flat > 4 * hierarchical


def test_cost_model_rejects_bad_shapes_edge(solution):
    nvlink, network = links(solution)
    for function in (solution.hierarchical_time, solution.flat_ring_time):
        for args in [(-1, 2, 4), (100, 0, 4), (100, 2, 0)]:
            with pytest.raises(ValueError):
                function(*args, nvlink, network)
