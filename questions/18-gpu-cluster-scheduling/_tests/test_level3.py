"""Level 3 hidden tests: node failures in the cluster, a job through a failure
trace with checkpoints and restarts, and the Young/Daly interval.

The randomised failure traces are checked against a trusted model written here
that walks the job one second at a time.
"""

import random
from fractions import Fraction

import pytest

WHOLE = list(range(8))


def nodes_of(*nodes):
    return [(node, gpu) for node in nodes for gpu in WHOLE]


# -- node failures -------------------------------------------------------------------------------


def test_fail_node_stops_the_jobs_on_it_and_frees_all_their_gpus(solution):
    c = solution.Cluster(4)
    c.allocate("big", 24)                        # nodes 0, 1, 2
    c.allocate("side", 3)                        # node 3
    assert c.fail_node(1) == ["big"]
    assert c.free_gpus() == [8, 0, 8, 5]
    assert c.placement("big") is None
    assert c.placement("side") == [(3, 0), (3, 1), (3, 2)]


def test_a_down_node_is_never_used_edge(solution):
    c = solution.Cluster(3)
    c.allocate("a", 6)                           # node 0: 2 free, the best fit for small jobs
    c.fail_node(0)                               # a is stopped
    assert c.free_gpus() == [0, 8, 8]
    assert c.allocate("b", 2) == [(1, 0), (1, 1)]
    assert c.allocate("c", 8) == nodes_of(2)
    assert c.allocate("d", 7) is None            # node 1 has 6 free, node 0 is down


def test_multi_node_jobs_skip_down_nodes(solution):
    c = solution.Cluster(4)
    c.fail_node(0)
    c.fail_node(2)
    assert c.allocate("big", 16) == nodes_of(1, 3)
    c.release("big")
    assert c.allocate("huge", 24) is None


def test_fail_node_lists_jobs_in_allocation_order(solution):
    c = solution.Cluster(2)
    for job in ("zeta", "alpha", "mid"):
        c.allocate(job, 2)                       # all on node 0
    c.allocate("other", 8)                       # node 1
    assert c.fail_node(0) == ["zeta", "alpha", "mid"]
    assert c.free_gpus() == [0, 0]


def test_a_reallocated_job_counts_from_its_new_allocation(solution):
    c = solution.Cluster(1)
    c.allocate("first", 2)
    c.allocate("second", 2)
    c.release("first")
    c.allocate("first", 2)
    assert c.fail_node(0) == ["second", "first"]


def test_failing_a_node_with_no_jobs_or_already_down_edge(solution):
    c = solution.Cluster(2)
    assert c.fail_node(1) == []
    c.allocate("a", 4)                           # node 0
    assert c.fail_node(1) == []
    assert c.free_gpus() == [4, 0]
    assert c.placement("a") == [(0, 0), (0, 1), (0, 2), (0, 3)]


def test_repair_brings_a_node_back_whole(solution):
    c = solution.Cluster(2)
    c.allocate("a", 16)
    c.fail_node(0)
    c.repair_node(0)
    assert c.free_gpus() == [8, 8]
    assert c.allocate("a", 16) == nodes_of(0, 1)
    c.repair_node(1)                             # healthy: nothing changes
    assert c.free_gpus() == [0, 0]


def test_node_ids_outside_the_cluster_raise_edge(solution):
    c = solution.Cluster(2)
    for node in (-1, 2, 10):
        with pytest.raises(ValueError):
            c.fail_node(node)
        with pytest.raises(ValueError):
            c.repair_node(node)


def test_a_stopped_job_is_no_longer_placed_edge(solution):
    c = solution.Cluster(2)
    c.allocate("a", 8)
    c.fail_node(0)
    with pytest.raises(ValueError):
        c.release("a")
    assert c.allocate("a", 8) == nodes_of(1)      # restarted elsewhere under the same id


# -- a job through a failure trace ---------------------------------------------------------------


def model_run(work, interval, ckpt, restart, failures):
    """Walk the job one second at a time; return (wall, lost, checkpoints, restarts)."""
    failures = set(failures)
    mode, left = "work", 0
    saved = progress = lost = checkpoints = restarts = 0
    t = 0

    def settle():
        nonlocal mode, left, saved, progress, checkpoints
        while True:
            if mode == "work" and progress == min(interval, work - saved):
                if saved + progress == work:
                    return True
                mode, left = "ckpt", ckpt
            elif mode == "ckpt" and left == 0:
                saved, progress, checkpoints, mode = saved + progress, 0, checkpoints + 1, "work"
            elif mode == "restart" and left == 0:
                mode = "work"
            else:
                return False

    while True:
        if settle():
            return t, lost, checkpoints, restarts
        if t in failures:
            lost, progress, restarts = lost + progress, 0, restarts + 1
            mode, left = "restart", restart
            settle()
        if mode == "work":
            progress += 1
        else:
            left -= 1
        t += 1


def run(solution, *args):
    return tuple(solution.run_with_failures(*args))


def test_a_run_without_failures_writes_no_final_checkpoint_edge(solution):
    assert run(solution, 90, 30, 4, 7, []) == (98, 0, 2, 0, Fraction(90, 98))
    assert run(solution, 10, 30, 4, 7, []) == (10, 0, 0, 0, Fraction(1))
    assert run(solution, 95, 30, 4, 7, []) == (107, 0, 3, 0, Fraction(95, 107))


def test_a_failure_loses_the_work_since_the_last_checkpoint(solution):
    # 0-20 work, 20-22 checkpoint, 22-30 work lost at 30, 30-33 restart, 33-53, 53-55, 55-63 done
    assert run(solution, 48, 20, 2, 3, [30]) == (63, 8, 2, 1, Fraction(48, 63))


def test_a_failure_during_a_checkpoint_loses_that_checkpoint_edge(solution):
    # 0-20 work, 20-25 checkpoint cut at 24: all 20 seconds are lost, restart 24-28 from 0,
    # then 28-48 work, 48-53 checkpoint, 53-63 the last 10 seconds
    assert run(solution, 30, 20, 5, 4, [24]) == (63, 20, 1, 1, Fraction(30, 63))


def test_a_checkpoint_ending_at_the_failure_time_is_kept_edge(solution):
    # the checkpoint ends at 25, before the failure at 25: nothing is lost
    assert run(solution, 30, 20, 5, 4, [25]) == (39, 0, 1, 1, Fraction(30, 39))


def test_a_failure_during_a_restart_restarts_it_edge(solution):
    # work lost at 10, restart 10-16 cut at 14, restart again 14-20, then 20-40 done
    assert run(solution, 20, 50, 3, 6, [10, 14]) == (40, 10, 0, 2, Fraction(1, 2))
    # a restart ending at 16 is done before a failure at 16, which finds no progress to lose
    assert run(solution, 20, 50, 3, 6, [10, 16]) == (42, 10, 0, 2, Fraction(20, 42))


def test_failures_at_or_after_the_finish_are_ignored_edge(solution):
    assert run(solution, 40, 25, 5, 10, [45, 46, 1000]) == (45, 0, 1, 0, Fraction(40, 45))
    assert run(solution, 40, 25, 5, 10, [44])[:4] == (69, 14, 1, 1)


def test_a_failure_at_time_zero_costs_only_a_restart_edge(solution):
    assert run(solution, 10, 5, 1, 3, [0]) == (14, 0, 1, 1, Fraction(10, 14))


def test_free_checkpoints_and_restarts_edge(solution):
    # 0-3 saved, 3-4 lost at 4, 4-5 lost at 5, 5-8 saved, 8-9 lost at 9, 9-12 saved, 12-13 done
    assert model_run(10, 3, 0, 0, [4, 5, 9]) == (13, 3, 3, 3)
    assert run(solution, 10, 3, 0, 0, [4, 5, 9]) == (13, 3, 3, 3, Fraction(10, 13))


def test_random_failure_traces_match_the_trusted_model(solution):
    rng = random.Random(1806)
    for _ in range(120):
        work, interval = rng.randint(1, 150), rng.randint(1, 40)
        ckpt, restart = rng.randint(0, 8), rng.randint(0, 12)
        failures = sorted(rng.sample(range(400), rng.randint(0, 12)))
        wall, lost, checkpoints, restarts = model_run(work, interval, ckpt, restart, failures)
        want = (wall, lost, checkpoints, restarts, Fraction(work, wall))
        assert run(solution, work, interval, ckpt, restart, failures) == want, (
            work, interval, ckpt, restart, failures)


def test_run_rejects_bad_arguments_edge(solution):
    bad = [(0, 10, 1, 1, []), (10, 0, 1, 1, []), (10, 10, -1, 1, []), (10, 10, 1, -1, []),
           (10, 10, 1, 1, [-1]), (10, 10, 1, 1, [5, 5]), (10, 10, 1, 1, [7, 3])]
    for args in bad:
        with pytest.raises(ValueError):
            solution.run_with_failures(*args)


def test_goodput_is_an_exact_fraction(solution):
    got = solution.run_with_failures(100, 30, 5, 10, [50, 120]).goodput
    assert got == Fraction(4, 7)
    assert not isinstance(got, float)


# -- the Young/Daly interval ---------------------------------------------------------------------


def test_young_daly_rounds_to_the_nearest_integer(solution):
    assert solution.young_daly_interval(8, 1) == 4                # sqrt(16)
    assert solution.young_daly_interval(1, 10) == 4               # sqrt(20) = 4.47
    assert solution.young_daly_interval(3, 4) == 5                # sqrt(24) = 4.90
    assert solution.young_daly_interval(15, 1) == 5               # sqrt(30) = 5.48
    assert solution.young_daly_interval(1, 16) == 6               # sqrt(32) = 5.66
    assert solution.young_daly_interval(300, 86400) == 7200       # sqrt(51840000)


def test_young_daly_is_exact_for_huge_numbers_edge(solution):
    # 2 * C * M = k * k + k: just below k + 1/2, where a float square root says exactly k + 1/2
    assert solution.young_daly_interval(500_000_001, 1_000_000_001) == 1_000_000_001
    # 2 * C * M = k * k + k + 2 with k = 10**9: just above k + 1/2
    assert solution.young_daly_interval(1, 500_000_000_500_000_001) == 1_000_000_001


def test_young_daly_never_goes_below_one_edge(solution):
    assert solution.young_daly_interval(0, 1000) == 1
    assert solution.young_daly_interval(1, 1) == 1                # sqrt(2) = 1.41


def test_young_daly_rejects_bad_arguments_edge(solution):
    for args in ((-1, 100), (10, 0), (10, -5)):
        with pytest.raises(ValueError):
            solution.young_daly_interval(*args)
        with pytest.raises(ValueError):
            solution.checkpoint_plan(*args)


def test_checkpoint_plan_overhead_and_expected_loss(solution):
    assert tuple(solution.checkpoint_plan(300, 86400)) == (
        7200, Fraction(300, 7200) + Fraction(7200, 172800), Fraction(3600))
    assert tuple(solution.checkpoint_plan(1, 10)) == (4, Fraction(1, 4) + Fraction(4, 20),
                                                      Fraction(2))
    assert tuple(solution.checkpoint_plan(0, 1000)) == (1, Fraction(1, 2000), Fraction(1, 2))
