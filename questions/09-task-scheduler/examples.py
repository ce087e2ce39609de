"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def test_example_level1_dependency_order_and_cycles(solution):
    Task = solution.Task
    tasks = [Task("deploy", 2, ("build", "test")), Task("build", 3, ("fetch",)),
             Task("test", 4, ("build",)), Task("fetch", 1), Task("docs", 2)]
    assert solution.topo_order(tasks) == ["docs", "fetch", "build", "test", "deploy"]

    with pytest.raises(solution.CycleError) as err:
        solution.topo_order([Task("a", 1, ("b",)), Task("b", 1, ("c",)), Task("c", 1, ("a",)),
                             Task("d", 1, ("a",))])
    assert err.value.cycle == ["a", "b", "c", "a"]
    assert str(err.value) == "dependency cycle: a -> b -> c -> a"

    with pytest.raises(solution.CycleError) as err:
        solution.topo_order([Task("a", 1, ("x",)), Task("x", 1, ("y",)), Task("y", 1, ("x",))])
    assert err.value.cycle == ["x", "y", "x"]

    with pytest.raises(solution.CycleError) as err:
        solution.topo_order([Task("solo", 1, ("solo",))])
    assert err.value.cycle == ["solo", "solo"]

    with pytest.raises(ValueError, match="ghost"):
        solution.topo_order([Task("a", 1, ("ghost",))])


def test_example_level2_critical_path_and_fifo(solution):
    Task, Run = solution.Task, solution.Run
    tasks = [Task("fetch", 3), Task("lint", 1), Task("docs", 5),
             Task("build", 4, ("fetch",)), Task("test", 3, ("build",)),
             Task("bundle", 1, ("build", "lint")), Task("ship", 1, ("test", "bundle", "docs"))]
    result = solution.simulate(tasks, 2, "critical_path")
    assert list(result.runs) == [
        Run("fetch", 0, 0, 3), Run("docs", 1, 0, 5), Run("build", 0, 3, 7), Run("lint", 1, 5, 6),
        Run("test", 0, 7, 10), Run("bundle", 1, 7, 8), Run("ship", 0, 10, 11)]
    assert result.makespan == 11

    result = solution.simulate(tasks, 2, "fifo")
    assert list(result.runs) == [
        Run("docs", 0, 0, 5), Run("fetch", 1, 0, 3), Run("lint", 1, 3, 4), Run("build", 1, 4, 8),
        Run("bundle", 0, 8, 9), Run("test", 1, 8, 11), Run("ship", 0, 11, 12)]
    assert result.makespan == 12

    assert solution.simulate(solution.adversarial_dag(), 2, "critical_path").makespan == 150
    assert solution.simulate(solution.adversarial_dag(), 2, "fifo").makespan == 200


def test_example_level3_retries_timeouts_and_cancellation(solution):
    Task, Run = solution.Task, solution.Run
    RetryPolicy, FailurePlan = solution.RetryPolicy, solution.FailurePlan
    tasks = [Task("extract", 2), Task("transform", 3, ("extract",), timeout=4),
             Task("load", 1, ("transform",)), Task("report", 2, ("load",)),
             Task("audit", 2), Task("notify", 1, ("audit",))]

    result = solution.simulate(tasks, 2, retry=RetryPolicy(3, base=1, factor=2),
                               failures=FailurePlan({"extract": 2}))
    assert list(result.runs) == [
        Run("extract", 0, 0, 2, 1, "error"), Run("audit", 1, 0, 2), Run("notify", 0, 2, 3),
        Run("extract", 0, 3, 5, 2, "error"), Run("extract", 0, 7, 9, 3, "ok"),
        Run("transform", 0, 9, 12), Run("load", 0, 12, 13), Run("report", 0, 13, 15)]
    assert result.makespan == 15
    assert (list(result.failed), list(result.skipped), list(result.cancelled)) == ([], [], [])

    result = solution.simulate(tasks, 2, retry=RetryPolicy(2, base=1, factor=2),
                               failures=FailurePlan({"audit": 5}, {("transform", 1): 9}),
                               cancel={"report": 5})
    assert list(result.runs) == [
        Run("extract", 0, 0, 2), Run("audit", 1, 0, 2, 1, "error"),
        Run("transform", 0, 2, 6, 1, "timeout"), Run("audit", 1, 3, 5, 2, "error"),
        Run("transform", 0, 7, 10, 2, "ok"), Run("load", 0, 10, 11)]
    assert result.makespan == 11
    assert (list(result.failed), list(result.skipped), list(result.cancelled)) == (
        ["audit"], ["notify"], ["report"])

    result = solution.simulate(tasks, 2, retry=RetryPolicy(2, base=1, factor=2),
                               failures=FailurePlan({"extract": 5}), cancel={"audit": 0})
    assert list(result.runs) == [Run("extract", 0, 0, 2, 1, "error"),
                                 Run("extract", 0, 3, 5, 2, "error")]
    assert result.makespan == 5
    assert (list(result.failed), list(result.skipped), list(result.cancelled)) == (
        ["extract"], ["load", "notify", "report", "transform"], ["audit"])


def test_example_level4_real_executor(solution):
    Job, RetryPolicy = solution.Job, solution.RetryPolicy
    calls = []

    def job(name, value):
        def fn():
            calls.append(name)
            return value
        return fn

    attempts = {"c": 0}

    def flaky():
        attempts["c"] += 1
        if attempts["c"] < 3:
            raise ConnectionError(f"try {attempts['c']}")
        return "c-ok"

    waits = []
    jobs = [Job("a", job("a", 1)), Job("b", job("b", 2), ("a",)),
            Job("c", flaky, ("a",)), Job("d", job("d", 4), ("b", "c"))]
    report = solution.run_parallel(jobs, 2, retry=RetryPolicy(3, base=0.5, factor=2),
                                   sleep=waits.append)
    assert report.results == {"a": 1, "b": 2, "c": "c-ok", "d": 4}
    assert report.failed == {}
    assert list(report.skipped) == []
    assert waits == [0.5, 1.0]
    assert calls[0] == "a" and calls[-1] == "d"

    def broken():
        raise KeyError("no input")

    report = solution.run_parallel([Job("a", broken), Job("b", job("b", 2), ("a",)),
                                    Job("c", job("c", 3), ("b",)), Job("x", job("x", 9))], 2)
    assert report.results == {"x": 9}
    assert list(report.failed) == ["a"] and isinstance(report.failed["a"], KeyError)
    assert list(report.skipped) == ["b", "c"]
