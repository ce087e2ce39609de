"""Level 4 hidden tests: rooflines, plan times, flash attention and the block report.

Times are compared to a relative 1e-9; the bound is decided on exact ints. The
figures are recomputed here from the statement's rules.
"""

import math

import pytest

PEAK = 989 * 10**12
BANDWIDTH = 3_350 * 10**9
DTYPE = {"fp32": 4, "bf16": 2, "fp16": 2, "fp8": 1, "int8": 1}


def numel(tensor):
    count = 1
    for dim in tensor.shape:
        count *= dim
    return count


def nbytes(graph, name):
    tensor = graph.tensors[name]
    return numel(tensor) * DTYPE[tensor.dtype]


def model_flops(graph, op):
    out = graph.tensors[op.output]
    if op.kind == "matmul":
        return 2 * numel(out) * graph.tensors[op.inputs[0]].shape[-1]
    if op.kind == "reduction":
        return op.flops_per_element * numel(graph.tensors[op.inputs[0]])
    return op.flops_per_element * numel(out)


def readers(graph):
    """Tensor name -> the names of the ops that read it."""
    found = {name: set() for name in graph.tensors}
    for op in graph.ops:
        for t in op.inputs:
            found[t].add(op.name)
    return found


def model_kernel(graph, group):
    """(flops, bytes read, bytes written) of the named ops as one kernel."""
    names = set(group)
    ops = [op for op in graph.ops if op.name in names]
    inside = {op.output for op in ops}
    read_by = readers(graph)
    reads = {t for op in ops for t in op.inputs if t not in inside}
    writes = {t for t in inside
              if t in graph.outputs or not read_by[t] or read_by[t] - names}
    return (sum(model_flops(graph, op) for op in ops), sum(nbytes(graph, t) for t in reads),
            sum(nbytes(graph, t) for t in writes))


def model_bytes(graph, plan):
    return sum(sum(model_kernel(graph, group)[1:]) for group in plan)


def model_level2(graph):
    """The level 2 plan in canonical order, by the statement's rule."""
    read_by = readers(graph)
    producer = {op.output: op for op in graph.ops}
    group = {op.name: {op.name} for op in graph.ops}
    for op in graph.ops:
        if op.kind != "elementwise":
            continue
        for t in op.inputs:
            p = producer.get(t)
            if p and p.kind == "elementwise" and read_by[t] == {op.name} \
                    and t not in graph.outputs:
                merged = group[p.name] | group[op.name]
                for name in merged:
                    group[name] = merged
    order = {op.name: i for i, op in enumerate(graph.ops)}
    unique = {id(g): g for g in group.values()}.values()
    return sorted((sorted(g, key=order.get) for g in unique), key=lambda g: order[g[0]])


def model_roofline(flops, moved):
    bound = "compute" if flops * BANDWIDTH > moved * PEAK else "memory"
    return max(flops / PEAK, moved / BANDWIDTH), bound


def model_seconds(graph, plan):
    return sum(model_roofline(f, r + w)[0] for f, r, w in (model_kernel(graph, g) for g in plan))


def model_flash(batch, heads, seq, head_dim, block_q):
    one = batch * heads * seq * head_dim * 2
    flops = batch * heads * (4 * seq * seq * head_dim + 6 * seq * seq)
    return flops, one + math.ceil(seq / block_q) * 2 * one, one


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


def as_tuple(cost):
    return (cost.name, cost.flops, cost.bytes_read, cost.bytes_written)


ATTENTION = ("attn.scores", "attn.scale", "attn.max", "attn.exp", "attn.sum", "attn.probs",
             "attn.pv")


# -- roofline ------------------------------------------------------------------------------------


def test_roofline_of_a_compute_bound_matmul(solution):
    cost = solution.KernelCost("mm", 2 * 4096 ** 3, 2 * 4096 * 4096 * 2, 4096 * 4096 * 2)
    point = solution.roofline(cost)
    assert (point.name, point.bound) == ("mm", "compute")
    assert point.seconds == pytest.approx(2 * 4096 ** 3 / PEAK, rel=1e-9)


def test_roofline_of_a_memory_bound_elementwise_op(solution):
    cost = solution.KernelCost("add", 1 << 20, 4 << 20, 2 << 20)
    point = solution.roofline(cost)
    assert (point.name, point.bound) == ("add", "memory")
    assert point.seconds == pytest.approx((6 << 20) / BANDWIDTH, rel=1e-9)


def test_roofline_counts_written_bytes_in_the_memory_time(solution):
    point = solution.roofline(solution.KernelCost("w", 0, 0, 3_350_000_000))
    assert point.seconds == pytest.approx(1e-3, rel=1e-9)


def test_roofline_tie_at_the_ridge_is_memory_bound_edge(solution):
    point = solution.roofline(solution.KernelCost("ridge", 19780, 67, 0))
    assert point.bound == "memory"
    assert point.seconds == pytest.approx(67 / BANDWIDTH, rel=1e-9)
    assert solution.roofline(solution.KernelCost("above", 19781, 67, 0)).bound == "compute"


def test_roofline_of_a_cost_with_nothing_to_do_edge(solution):
    point = solution.roofline(solution.KernelCost("idle", 0, 0, 0))
    assert (point.seconds, point.bound) == (0.0, "memory")


# -- plan_seconds --------------------------------------------------------------------------------


def test_plan_seconds_adds_the_kernels_of_the_unfused_plan(solution):
    graph = running_example(solution)
    alone = [[op.name] for op in graph.ops]
    assert solution.plan_seconds(graph, alone) == pytest.approx(model_seconds(graph, alone),
                                                                rel=1e-9)


def test_plan_seconds_of_a_fused_plan_counts_each_kernel_once(solution):
    graph = running_example(solution)
    plan = [["mm", "bias", "gelu", "rowsum"], ["scaled"]]
    assert solution.plan_seconds(graph, plan) == pytest.approx(3.4352248213331727e-06, rel=1e-9)


def test_plan_seconds_of_the_block_matches_the_model(solution):
    graph = solution.transformer_block(2, 512, 1024, 16)
    plan = model_level2(graph)
    assert solution.plan_seconds(graph, plan) == pytest.approx(model_seconds(graph, plan),
                                                               rel=1e-9)


# -- flash attention -----------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [(1, 16, 1024, 64, 128), (4, 32, 2048, 128, 128),
                                   (2, 8, 4096, 128, 64)])
def test_flash_attention_cost_follows_the_formula(solution, sizes):
    cost = solution.flash_attention_cost(*sizes)
    assert as_tuple(cost) == ("flash_attention", *model_flash(*sizes))


def test_flash_attention_rounds_a_partial_query_block_up_edge(solution):
    cost = solution.flash_attention_cost(1, 2, 1000, 64, 128)       # 8 blocks, the last of 104
    one = 2 * 1000 * 64 * 2
    assert (cost.bytes_read, cost.bytes_written) == (one + 8 * 2 * one, one)


def test_flash_attention_with_one_query_block_reads_k_and_v_once_edge(solution):
    for block_q in (512, 4096):
        cost = solution.flash_attention_cost(1, 4, 512, 64, block_q)
        one = 4 * 512 * 64 * 2
        assert (cost.bytes_read, cost.bytes_written) == (3 * one, one)


def test_flash_attention_rejects_a_block_below_one_edge(solution):
    for block_q in (0, -128):
        with pytest.raises(ValueError):
            solution.flash_attention_cost(1, 16, 1024, 64, block_q)


def test_flash_attention_does_the_same_flops_as_the_attention_core(solution):
    graph = solution.attention_core(2, 8, 512, 64)
    naive = sum(model_kernel(graph, [op.name])[0] for op in graph.ops)
    assert solution.flash_attention_cost(2, 8, 512, 64, 128).flops == naive


# -- block_report --------------------------------------------------------------------------------

_REPORTS = {}


def report_and_graph(solution, sizes=(2, 2048, 2048, 16), block_q=128):
    key = (sizes, block_q)
    if key not in _REPORTS:
        _REPORTS[key] = (solution.block_report(*sizes, block_q=block_q),
                         solution.transformer_block(*sizes))
    return _REPORTS[key]


def test_block_report_unfused_totals(solution):
    report, graph = report_and_graph(solution)
    alone = [[op.name] for op in graph.ops]
    kernels = [model_kernel(graph, g) for g in alone]
    assert as_tuple(report.unfused) == ("unfused", *(sum(k[i] for k in kernels)
                                                      for i in range(3)))
    assert report.unfused_seconds == pytest.approx(model_seconds(graph, alone), rel=1e-9)


def test_block_report_fused_is_the_cost_of_fuse_graph(solution):
    report, graph = report_and_graph(solution)
    plan = solution.fuse_graph(graph)
    kernels = [model_kernel(graph, g) for g in plan]
    assert as_tuple(report.fused) == ("fused", *(sum(k[i] for k in kernels) for i in range(3)))
    assert report.fused_seconds == pytest.approx(model_seconds(graph, plan), rel=1e-9)
    assert report.fused.flops == report.unfused.flops
    assert report.fused_seconds < report.unfused_seconds


def test_block_report_lists_the_memory_bound_ops_in_graph_order(solution):
    report, graph = report_and_graph(solution)
    expected = tuple(op.name for op in graph.ops
                     if model_roofline(model_kernel(graph, [op.name])[0],
                                       sum(model_kernel(graph, [op.name])[1:]))[1] == "memory")
    assert tuple(report.memory_bound) == expected
    assert "attn.scores" in expected and "mlp.up" not in expected


def test_block_report_everything_is_memory_bound_for_a_tiny_block_edge(solution):
    report, graph = report_and_graph(solution, (1, 128, 1024, 16))
    assert tuple(report.memory_bound) == tuple(op.name for op in graph.ops)


def test_block_report_naive_attention_bytes(solution):
    report, graph = report_and_graph(solution)
    assert report.naive_attention_bytes == sum(sum(model_kernel(graph, [n])[1:])
                                               for n in ATTENTION)


def test_block_report_flash_attention_bytes_use_block_q(solution):
    report, _ = report_and_graph(solution, block_q=64)
    _, read, written = model_flash(2, 16, 2048, 128, 64)
    assert report.flash_attention_bytes == read + written
    default, _ = report_and_graph(solution)
    _, read, written = model_flash(2, 16, 2048, 128, 128)
    assert default.flash_attention_bytes == read + written
    assert default.flash_attention_bytes < default.naive_attention_bytes / 4
