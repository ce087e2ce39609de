"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def running_example(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (1024, 1024))
    w = b.input("w", (1024, 1024))
    mm = b.matmul("mm", x, w, (1024, 1024))
    bias = b.elementwise("bias", (mm, b.input("b", (1024,))), (1024, 1024))
    act = b.elementwise("gelu", (bias,), (1024, 1024), flops=8)
    rows = b.reduction("rowsum", act, (1024, 1))
    out = b.elementwise("scaled", (act, rows), (1024, 1024))
    return b.build(outputs=[out])


def cost(solution, name, flops, read, written):
    return solution.KernelCost(name, flops, read, written)


BEST = [["mm", "bias", "gelu", "rowsum"], ["scaled"]]


def test_example_level1_unfused_costs(solution):
    graph = running_example(solution)
    costs = solution.unfused_costs(graph)
    assert costs[0] == cost(solution, "mm", 2147483648, 4194304, 2097152)
    assert costs[1] == cost(solution, "bias", 1048576, 2099200, 2097152)
    assert costs[3] == cost(solution, "rowsum", 1048576, 2097152, 4096)
    assert solution.total_cost(costs) == cost(solution, "total", 2159017984, 12589056, 8392704)
    assert solution.arithmetic_intensity(costs[0]) == pytest.approx(1024 / 3, rel=1e-9)
    assert solution.arithmetic_intensity(costs[2]) == pytest.approx(2.0, rel=1e-9)


def test_example_level2_elementwise_chains(solution):
    graph = running_example(solution)
    plan = solution.fuse_elementwise(graph)
    assert plan == [["mm"], ["bias", "gelu"], ["rowsum"], ["scaled"]]
    assert solution.kernel_cost(graph, ["gelu", "bias"]) == cost(
        solution, "bias+gelu", 9437184, 2099200, 2097152)
    assert solution.total_cost(solution.plan_costs(graph, plan)) == cost(
        solution, "total", 2159017984, 10491904, 6295552)


def test_example_level3_legal_fusion(solution):
    graph = running_example(solution)
    assert solution.check_plan(graph, BEST) is None
    with pytest.raises(ValueError, match="partition"):
        solution.check_plan(graph, [["mm", "bias", "gelu"], ["rowsum"]])
    with pytest.raises(ValueError, match="reduction"):
        solution.check_plan(graph, [["mm"], ["bias", "gelu", "rowsum", "scaled"]])
    with pytest.raises(ValueError, match="cycle"):
        solution.check_plan(graph, [["mm", "scaled"], ["bias", "gelu", "rowsum"]])
    assert solution.total_cost(solution.plan_costs(graph, BEST)) == cost(
        solution, "total", 2159017984, 6297600, 4198400)


def test_example_level4_roofline(solution):
    graph = running_example(solution)
    costs = solution.unfused_costs(graph)
    mm, gelu = solution.roofline(costs[0]), solution.roofline(costs[2])
    assert (mm.name, mm.bound) == ("mm", "compute")
    assert mm.seconds == pytest.approx(2147483648 / 989e12, rel=1e-9)
    assert (gelu.name, gelu.bound) == ("gelu", "memory")
    assert gelu.seconds == pytest.approx(4194304 / 3.35e12, rel=1e-9)
    alone = [[op.name] for op in graph.ops]
    assert solution.plan_seconds(graph, alone) == pytest.approx(6.556534076875481e-06, rel=1e-9)
    assert solution.plan_seconds(graph, BEST) == pytest.approx(3.4352248213331727e-06, rel=1e-9)
    assert solution.flash_attention_cost(1, 16, 1024, 64, 128) == cost(
        solution, "flash_attention", 4395630592, 35651584, 2097152)
    report = solution.block_report(1, 1024, 1024, 16)
    assert report.unfused == cost(solution, "unfused", 30221012992, 321038336, 207773696)
    assert (report.naive_attention_bytes, report.flash_attention_bytes) == (344195072, 37748736)
    assert "attn.q" not in report.memory_bound
    assert "attn.scores" in report.memory_bound
