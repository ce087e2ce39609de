"""Level 4 hidden tests: trace-driven FIFO and EASY backfilling on the level 1
placement rules.

Hand-built traces pin down each rule; generated traces are compared with a
trusted simulation written here (its own placer, its own event loop).
"""

from fractions import Fraction

import pytest


class Placer:
    """The trusted level 1 placer: best fit inside a node, whole nodes above 8."""

    def __init__(self, nodes):
        self.free = [set(range(8)) for _ in range(nodes)]
        self.jobs = {}

    def allocate(self, job_id, gpus):
        if gpus <= 8:
            fits = [(len(f), n) for n, f in enumerate(self.free) if len(f) >= gpus]
            if not fits:
                return False
            node = min(fits)[1]
            chosen = [(node, g) for g in sorted(self.free[node])[:gpus]]
        else:
            empty = [n for n, f in enumerate(self.free) if len(f) == 8][:gpus // 8]
            if len(empty) < gpus // 8:
                return False
            chosen = [(n, g) for n in empty for g in range(8)]
        for node, gpu in chosen:
            self.free[node].remove(gpu)
        self.jobs[job_id] = chosen
        return True

    def release(self, job_id):
        for node, gpu in self.jobs.pop(job_id):
            self.free[node].add(gpu)

    def copy(self):
        twin = Placer(0)
        twin.free, twin.jobs = [set(f) for f in self.free], dict(self.jobs)
        return twin


def reservation(placer, ends, head):
    trial = placer.copy()
    for end in sorted(set(ends.values())):
        for job_id, e in ends.items():
            if e == end:
                trial.release(job_id)
        if trial.allocate(head.job_id, head.gpus):
            return end
    raise AssertionError("the head never fits")


def model_simulate(jobs, nodes, policy):
    """Return (starts, average wait, makespan, utilisation) by the rules of the statement."""
    placer, ends, starts = Placer(nodes), {}, {}
    order = sorted(range(len(jobs)), key=lambda i: (jobs[i].submit, i))
    arrivals = [jobs[i] for i in order]
    queue = []
    times = sorted({job.submit for job in jobs})
    while times:
        now = times.pop(0)
        for job_id in [j for j, e in ends.items() if e == now]:
            placer.release(job_id)
            del ends[job_id]
        queue += [job for job in arrivals if job.submit == now]

        def launch(job, now=now):
            starts[job.job_id], ends[job.job_id] = now, now + job.duration
            if now + job.duration not in times:
                times.append(now + job.duration)
                times.sort()

        while queue and placer.allocate(queue[0].job_id, queue[0].gpus):
            launch(queue.pop(0))
        if policy == "easy" and queue:
            head = queue[0]
            limit = reservation(placer, ends, head)
            for job in list(queue[1:]):
                trial = placer.copy()
                if not trial.allocate(job.job_id, job.gpus):
                    continue
                if reservation(trial, {**ends, job.job_id: now + job.duration}, head) <= limit:
                    placer.allocate(job.job_id, job.gpus)
                    launch(job)
                    queue.remove(job)
    wait = Fraction(sum(starts[j.job_id] - j.submit for j in jobs), len(jobs))
    span = max(starts[j.job_id] + j.duration for j in jobs) - min(j.submit for j in jobs)
    busy = sum(j.gpus * j.duration for j in jobs)
    return starts, wait, span, Fraction(busy, 8 * nodes * span)


def trace(solution, rows):
    return [solution.Job(*row) for row in rows]


def generated_trace(solution, seed, count, nodes):
    """A deterministic trace from a small linear congruential generator."""
    state = seed
    sizes = [1, 2, 2, 4, 4, 8, 8, 16, 24, 32]
    rows, now = [], 0

    def draw(bound):
        nonlocal state
        state = (state * 1103515245 + 12345) % 2**31
        return state % bound

    for index in range(count):
        now += draw(25)
        size = sizes[draw(len(sizes))]
        rows.append((f"j{index}", now, min(size, 8 * nodes), 10 + draw(150)))
    return trace(solution, rows)


def outcome(schedule):
    return (dict(schedule.starts), schedule.average_wait, schedule.makespan,
            schedule.utilisation)


SAMPLE_FIFO = {"a": 0, "b": 0, "c": 100, "d": 160, "e": 160, "f": 160, "g": 190, "h": 200}
SAMPLE_EASY = {"a": 0, "b": 0, "c": 100, "d": 20, "e": 50, "f": 160, "g": 160, "h": 160}


def test_sample_trace_under_fifo(solution):
    got = solution.simulate(solution.sample_trace(), 4, "fifo")
    assert outcome(got) == (SAMPLE_FIFO, Fraction(100), 260, Fraction(37, 52))


def test_sample_trace_under_easy(solution):
    got = solution.simulate(solution.sample_trace(), 4, "easy")
    assert outcome(got) == (SAMPLE_EASY, Fraction(60), 240, Fraction(37, 48))


def test_easy_beats_fifo_on_the_sample_trace(solution):
    fifo = solution.simulate(solution.sample_trace(), 4, "fifo")
    easy = solution.simulate(solution.sample_trace(), 4, "easy")
    assert easy.average_wait < fifo.average_wait
    assert easy.makespan <= fifo.makespan
    assert easy.utilisation >= fifo.utilisation


def test_fifo_never_lets_a_job_pass_the_head(solution):
    jobs = trace(solution, [("wide", 0, 8, 50), ("head", 1, 16, 10), ("tiny", 2, 1, 5)])
    got = solution.simulate(jobs, 2, "fifo")
    assert got.starts == {"wide": 0, "head": 50, "tiny": 60}


def test_easy_backfills_a_job_that_ends_before_the_reservation(solution):
    jobs = trace(solution, [("wide", 0, 8, 50), ("head", 1, 16, 10), ("tiny", 2, 1, 48)])
    got = solution.simulate(jobs, 2, "easy")
    assert got.starts == {"wide": 0, "head": 50, "tiny": 2}       # ends at exactly 50


def test_easy_refuses_a_job_that_would_delay_the_head(solution):
    jobs = trace(solution, [("wide", 0, 8, 50), ("head", 1, 16, 10), ("tiny", 2, 1, 49)])
    got = solution.simulate(jobs, 2, "easy")
    assert got.starts == {"wide": 0, "head": 50, "tiny": 60}      # 2 + 49 > 50


def test_easy_backfills_a_long_job_on_gpus_the_head_does_not_need(solution):
    # the head needs two whole nodes at 100 (nodes 0 and 1); node 2 is not needed, so a
    # job far longer than the wait may still start there
    jobs = trace(solution, [("pair", 0, 16, 100), ("quad", 0, 4, 100), ("head", 10, 16, 20),
                            ("long", 20, 4, 1000)])
    got = solution.simulate(jobs, 3, "easy")
    assert got.starts == {"pair": 0, "quad": 0, "head": 100, "long": 20}
    assert solution.simulate(jobs, 3, "fifo").starts["long"] == 100


def test_easy_reservation_follows_the_topology_edge(solution):
    # at 30 the cluster has 3 free GPUs on each node; the head (8 GPUs) needs a whole node,
    # which node 0 becomes at 60 when "left" ends. "late" would land on node 0 and end at 61,
    # so it waits although 8 GPUs would still be free at 60; "short" ends at 60 and backfills
    jobs = trace(solution, [("left", 0, 5, 60), ("right", 0, 5, 200), ("head", 30, 8, 10),
                            ("late", 30, 2, 31), ("short", 30, 2, 30)])
    got = solution.simulate(jobs, 2, "easy")
    assert got.starts == {"left": 0, "right": 0, "head": 60, "late": 60, "short": 30}


def test_jobs_ending_at_a_time_free_their_gpus_for_jobs_submitted_then_edge(solution):
    jobs = trace(solution, [("first", 0, 8, 30), ("second", 30, 8, 10)])
    for policy in ("fifo", "easy"):
        got = solution.simulate(jobs, 1, policy)
        assert got.starts == {"first": 0, "second": 30}
        assert got.average_wait == 0 and got.makespan == 40 and got.utilisation == 1


def test_equal_submit_times_keep_trace_order_edge(solution):
    jobs = trace(solution, [("x", 0, 8, 10), ("y", 0, 8, 10), ("z", 0, 4, 10)])
    got = solution.simulate(jobs, 1, "fifo")
    assert got.starts == {"x": 0, "y": 10, "z": 20}


def test_a_trace_out_of_submit_order_is_queued_by_submit_time_edge(solution):
    jobs = trace(solution, [("late", 5, 8, 10), ("early", 0, 8, 10), ("mid", 3, 8, 10)])
    got = solution.simulate(jobs, 1, "fifo")
    assert list(got.starts) == ["late", "early", "mid"]          # in trace order
    assert got.starts == {"late": 20, "early": 0, "mid": 10}
    assert got.average_wait == Fraction(15 + 0 + 7, 3)


def test_makespan_counts_from_the_first_submit_edge(solution):
    jobs = trace(solution, [("a", 100, 4, 50), ("b", 120, 4, 50)])
    got = solution.simulate(jobs, 1, "easy")
    assert got.makespan == 70
    assert got.utilisation == Fraction(4 * 50 + 4 * 50, 8 * 70)


def test_an_empty_trace_edge(solution):
    for policy in ("fifo", "easy"):
        got = solution.simulate([], 3, policy)
        assert outcome(got) == ({}, 0, 0, 0)


def test_invalid_traces_raise_edge(solution):
    ok = ("a", 0, 4, 10)
    bad_traces = [[("a", 0, 12, 10)], [("a", 0, 0, 10)], [("a", 0, 24, 10)],
                  [("a", 0, 4, 0)], [("a", -1, 4, 10)], [ok, ("a", 5, 2, 10)]]
    for rows in bad_traces:
        with pytest.raises(ValueError):
            solution.simulate(trace(solution, rows), 2, "easy")
    with pytest.raises(ValueError):
        solution.simulate(trace(solution, [ok]), 2, "sjf")
    with pytest.raises(ValueError):
        solution.simulate(trace(solution, [ok]), 0, "fifo")


def test_generated_traces_match_the_trusted_simulation(solution):
    for seed, count, nodes in ((7, 40, 4), (18, 60, 8), (2024, 30, 2)):
        jobs = generated_trace(solution, seed, count, nodes)
        for policy in ("fifo", "easy"):
            want = model_simulate(jobs, nodes, policy)
            assert outcome(solution.simulate(jobs, nodes, policy)) == want, (seed, policy)


def test_easy_waits_less_than_fifo_on_generated_traces(solution):
    for seed, count, nodes in ((7, 40, 4), (2024, 30, 2)):
        jobs = generated_trace(solution, seed, count, nodes)
        fifo = solution.simulate(jobs, nodes, "fifo")
        easy = solution.simulate(jobs, nodes, "easy")
        assert easy.average_wait < fifo.average_wait
