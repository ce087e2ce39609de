"""Level 1 hidden tests: best-fit placement inside a node, whole nodes for big jobs,
all-or-nothing allocation and release.

The randomised test compares every answer with a trusted placer written here.
"""

import random

import pytest

WHOLE = list(range(8))


def gpus_of(node, *indices):
    return [(node, gpu) for gpu in indices]


class ModelPlacer:
    """The trusted placer: free GPU sets per node, best fit, whole nodes above 8."""

    def __init__(self, nodes):
        self.free = [set(WHOLE) for _ in range(nodes)]
        self.jobs = {}

    def allocate(self, job_id, gpus):
        if gpus <= 8:
            fits = [(len(free), node) for node, free in enumerate(self.free) if len(free) >= gpus]
            if not fits:
                return None
            node = min(fits)[1]
            chosen = [(node, gpu) for gpu in sorted(self.free[node])[:gpus]]
        else:
            empty = [node for node, free in enumerate(self.free) if len(free) == 8]
            if len(empty) < gpus // 8:
                return None
            chosen = [(node, gpu) for node in empty[:gpus // 8] for gpu in WHOLE]
        for node, gpu in chosen:
            self.free[node].discard(gpu)
        self.jobs[job_id] = chosen
        return chosen

    def release(self, job_id):
        chosen = self.jobs.pop(job_id)
        for node, gpu in chosen:
            self.free[node].add(gpu)
        return len(chosen)


def test_first_job_takes_the_lowest_gpus_of_node_zero(solution):
    c = solution.Cluster(3)
    assert c.allocate("a", 3) == gpus_of(0, 0, 1, 2)
    assert c.free_gpus() == [5, 8, 8]


def test_best_fit_prefers_the_node_with_fewest_free_gpus(solution):
    c = solution.Cluster(3)
    c.allocate("a", 6)                           # node 0: 2 free
    c.allocate("b", 4)                           # node 1: 4 free (node 0 is too full)
    assert c.free_gpus() == [2, 4, 8]
    assert c.allocate("c", 3) == gpus_of(1, 4, 5, 6)       # 4 free beats 8 free
    assert c.allocate("d", 2) == gpus_of(0, 6, 7)          # 2 free beats 8 free
    assert c.allocate("e", 1) == gpus_of(1, 7)             # 1 free is the tightest
    assert c.free_gpus() == [0, 0, 8]


def test_best_fit_ties_go_to_the_lowest_node_edge(solution):
    c = solution.Cluster(4)
    c.allocate("a", 8)                           # node 0 full
    c.allocate("b", 5)                           # node 1: 3 free
    c.allocate("c", 5)                           # node 2: 3 free
    c.allocate("d", 5)                           # node 3: 3 free
    assert c.allocate("e", 3) == gpus_of(1, 5, 6, 7)
    assert c.allocate("f", 2) == gpus_of(2, 5, 6)
    assert c.allocate("g", 3) == gpus_of(3, 5, 6, 7)


def test_a_small_job_is_never_split_across_nodes_edge(solution):
    c = solution.Cluster(2)
    c.allocate("a", 4)
    c.allocate("b", 4)                           # best fit: node 0 again, now full
    c.allocate("c", 4)                           # node 1: 4 free
    assert c.free_gpus() == [0, 4]
    c.release("a")                               # node 0: 4 free again
    assert c.free_gpus() == [4, 4]
    assert c.allocate("x", 8) is None            # 8 free GPUs, but on two nodes
    assert c.allocate("y", 5) is None
    assert c.free_gpus() == [4, 4]


def test_a_refused_allocation_changes_nothing_edge(solution):
    c = solution.Cluster(2)
    c.allocate("a", 3)
    c.allocate("b", 7)
    before = c.free_gpus()
    assert c.allocate("x", 6) is None
    assert c.allocate("y", 16) is None
    assert c.free_gpus() == before
    assert c.placement("x") is None
    assert c.placement("y") is None
    assert c.allocate("x", 5) == gpus_of(0, 3, 4, 5, 6, 7)   # the id was never taken


def test_exactly_eight_gpus_take_a_whole_node(solution):
    c = solution.Cluster(3)
    c.allocate("a", 1)
    assert c.allocate("b", 8) == gpus_of(1, *WHOLE)
    assert c.allocate("c", 8) == gpus_of(2, *WHOLE)
    assert c.allocate("d", 8) is None


def test_a_multi_node_job_takes_the_lowest_whole_free_nodes(solution):
    c = solution.Cluster(4)
    assert c.allocate("big", 24) == [(n, g) for n in (0, 1, 2) for g in WHOLE]
    assert c.free_gpus() == [0, 0, 0, 8]
    assert c.release("big") == 24
    assert c.free_gpus() == [8, 8, 8, 8]


def test_a_multi_node_job_skips_partly_used_nodes(solution):
    c = solution.Cluster(5)
    c.allocate("a", 8)                           # node 0
    c.allocate("b", 1)                           # node 1: 7 free
    assert c.allocate("big", 16) == [(n, g) for n in (2, 3) for g in WHOLE]
    assert c.free_gpus() == [0, 7, 0, 0, 8]
    assert c.allocate("more", 16) is None        # 15 free GPUs, one whole node
    assert c.free_gpus() == [0, 7, 0, 0, 8]


def test_a_job_larger_than_the_cluster_is_refused_edge(solution):
    c = solution.Cluster(2)
    assert c.allocate("huge", 24) is None
    assert c.allocate("all", 16) == [(n, g) for n in (0, 1) for g in WHOLE]


def test_sizes_above_eight_must_be_multiples_of_eight_edge(solution):
    c = solution.Cluster(4)
    for size in (9, 12, 20, 31):
        with pytest.raises(ValueError):
            c.allocate(f"job{size}", size)
    assert c.free_gpus() == [8, 8, 8, 8]


def test_sizes_below_one_raise_edge(solution):
    c = solution.Cluster(1)
    for size in (0, -8):
        with pytest.raises(ValueError):
            c.allocate("bad", size)


def test_allocating_an_id_that_is_placed_raises_edge(solution):
    c = solution.Cluster(2)
    c.allocate("a", 2)
    with pytest.raises(ValueError):
        c.allocate("a", 2)
    assert c.free_gpus() == [6, 8]


def test_a_cluster_needs_at_least_one_node_edge(solution):
    with pytest.raises(ValueError):
        solution.Cluster(0)


def test_release_frees_the_gpus_and_the_id_edge(solution):
    c = solution.Cluster(1)
    c.allocate("a", 5)
    assert c.release("a") == 5
    assert c.free_gpus() == [8]
    assert c.placement("a") is None
    with pytest.raises(ValueError):
        c.release("a")
    with pytest.raises(ValueError):
        c.release("never")
    assert c.allocate("a", 8) == gpus_of(0, *WHOLE)


def test_allocate_reuses_the_lowest_free_gpus_after_holes(solution):
    c = solution.Cluster(1)
    for job in "abcd":
        c.allocate(job, 2)                       # a: 0-1, b: 2-3, c: 4-5, d: 6-7
    c.release("b")
    c.release("d")
    assert c.allocate("e", 3) == gpus_of(0, 2, 3, 6)      # the GPUs need not be adjacent
    c.release("a")
    assert c.allocate("f", 2) == gpus_of(0, 0, 1)
    assert c.placement("e") == gpus_of(0, 2, 3, 6)
    assert c.placement("c") == gpus_of(0, 4, 5)
    assert c.free_gpus() == [1]


def test_placement_answers_are_sorted_copies(solution):
    c = solution.Cluster(2)
    c.allocate("a", 3)
    got = c.allocate("b", 2)
    got.append((9, 9))
    assert c.placement("b") == gpus_of(0, 3, 4)
    assert c.placement("b") == sorted(c.placement("b"))


def test_random_workloads_match_the_trusted_placer(solution):
    rng = random.Random(18)
    for nodes in (1, 3, 6):
        c, model = solution.Cluster(nodes), ModelPlacer(nodes)
        running = []
        for step in range(300):
            if running and rng.random() < 0.45:
                job = running.pop(rng.randrange(len(running)))
                assert c.release(job) == model.release(job)
            else:
                size = rng.choice([1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 16, 24])
                job = f"j{step}"
                want = model.allocate(job, size)
                assert c.allocate(job, size) == want, (nodes, step, size)
                if want is not None:
                    running.append(job)
            assert c.free_gpus() == [len(free) for free in model.free]
