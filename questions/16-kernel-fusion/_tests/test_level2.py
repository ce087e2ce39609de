"""Level 2 hidden tests: the cost of a fused kernel, and fusing elementwise chains.

Expected figures come from a trusted model of the statement's kernel rule,
computed from the graph's own fields, never from the candidate's helpers.
"""

import pytest

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


def as_tuple(cost):
    return (cost.name, cost.flops, cost.bytes_read, cost.bytes_written)


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


def chain(solution, names, shape=(256, 256), outputs=None):
    """x -> names[0] -> names[1] -> ..., every op elementwise."""
    b = solution.GraphBuilder()
    last = b.input("x", shape)
    for name in names:
        last = b.elementwise(name, (last,), shape)
    return b.build(outputs if outputs is not None else [last])


# -- kernel_cost ---------------------------------------------------------------------------------


def test_kernel_cost_of_one_op_equals_its_unfused_cost(solution):
    graph = solution.transformer_block(1, 64, 128, 2)
    unfused = solution.unfused_costs(graph)
    for op, cost in zip(graph.ops, unfused, strict=True):
        assert solution.kernel_cost(graph, [op.name]) == cost


def test_kernel_cost_keeps_a_fused_intermediate_on_chip(solution):
    graph = running_example(solution)
    assert as_tuple(solution.kernel_cost(graph, ["bias", "gelu"])) == (
        "bias+gelu", 9437184, 2099200, 2097152)


def test_kernel_cost_is_named_in_graph_order(solution):
    graph = running_example(solution)
    cost = solution.kernel_cost(graph, ["rowsum", "mm", "gelu", "bias"])
    assert cost.name == "mm+bias+gelu+rowsum"


def test_kernel_cost_writes_an_intermediate_that_an_outside_op_reads(solution):
    graph = running_example(solution)
    cost = solution.kernel_cost(graph, ["mm", "bias", "gelu"])
    assert (cost.bytes_read, cost.bytes_written) == (2 * 2097152 + 2048, 2097152)
    assert cost.flops == 2147483648 + 1048576 + 8388608


def test_kernel_cost_writes_a_listed_output_read_inside_the_group_edge(solution):
    graph = chain(solution, ["a", "b"], outputs=["a", "b"])
    assert as_tuple(solution.kernel_cost(graph, ["a", "b"])) == (
        "a+b", 2 * 65536, 131072, 2 * 131072)


def test_kernel_cost_reads_a_tensor_shared_by_two_ops_once(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (512, 512), "fp32")
    total = b.reduction("sum", x, (512, 1))
    peak = b.reduction("max", x, (512, 1))
    graph = b.build([total, peak])
    assert as_tuple(solution.kernel_cost(graph, ["sum", "max"])) == (
        "sum+max", 2 * 512 * 512, 512 * 512 * 4, 2 * 512 * 4)


def test_kernel_cost_of_unconnected_ops_adds_their_traffic(solution):
    b = solution.GraphBuilder()
    one = b.elementwise("one", (b.input("x", (64, 64)),), (64, 64))
    two = b.elementwise("two", (b.input("y", (64, 64)),), (64, 64))
    graph = b.build([one, two])
    assert as_tuple(solution.kernel_cost(graph, ["one", "two"])) == (
        "one+two", 2 * 4096, 2 * 8192, 2 * 8192)


def test_kernel_cost_counts_a_name_given_twice_once_edge(solution):
    graph = running_example(solution)
    assert solution.kernel_cost(graph, ["bias", "gelu", "bias"]) == \
        solution.kernel_cost(graph, ["bias", "gelu"])


def test_kernel_cost_rejects_an_empty_group_edge(solution):
    graph = running_example(solution)
    with pytest.raises(ValueError):
        solution.kernel_cost(graph, [])


def test_kernel_cost_rejects_an_unknown_op_edge(solution):
    graph = running_example(solution)
    with pytest.raises(ValueError):
        solution.kernel_cost(graph, ["mm", "softmax"])
    with pytest.raises(ValueError):
        solution.kernel_cost(graph, ["x"])          # a tensor, not an op


def test_kernel_cost_of_whole_block_groups_matches_the_model(solution):
    graph = solution.transformer_block(2, 128, 256, 4)
    groups = [["ln1.center", "ln1.square", "ln1.var", "ln1.norm"],
              ["attn.scores", "attn.scale", "attn.max", "attn.exp"],
              ["mlp.up", "mlp.bias1", "mlp.gelu", "mlp.down", "res2"]]
    for group in groups:
        assert as_tuple(solution.kernel_cost(graph, group))[1:] == model_kernel(graph, group)


def test_plan_costs_follow_the_plan_order(solution):
    graph = running_example(solution)
    plan = [["scaled"], ["rowsum"], ["gelu", "bias"], ["mm"]]
    costs = solution.plan_costs(graph, plan)
    assert [c.name for c in costs] == ["scaled", "rowsum", "bias+gelu", "mm"]
    assert [as_tuple(c)[1:] for c in costs] == [model_kernel(graph, g) for g in plan]


# -- fuse_elementwise ----------------------------------------------------------------------------


def test_fuse_elementwise_on_the_running_example(solution):
    graph = running_example(solution)
    assert solution.fuse_elementwise(graph) == [["mm"], ["bias", "gelu"], ["rowsum"], ["scaled"]]


def test_fuse_elementwise_fuses_a_whole_chain(solution):
    graph = chain(solution, ["a", "b", "c", "d"])
    assert solution.fuse_elementwise(graph) == [["a", "b", "c", "d"]]


def test_fuse_elementwise_fuses_several_single_use_producers_into_one_op(solution):
    b = solution.GraphBuilder()
    left = b.elementwise("left", (b.input("x", (64, 64)),), (64, 64))
    right = b.elementwise("right", (b.input("y", (64, 64)),), (64, 64))
    both = b.elementwise("both", (left, right), (64, 64))
    graph = b.build([b.elementwise("last", (both,), (64, 64))])
    assert solution.fuse_elementwise(graph) == [["left", "right", "both", "last"]]


def test_fuse_elementwise_leaves_a_tensor_with_two_readers_unfused(solution):
    b = solution.GraphBuilder()
    a = b.elementwise("a", (b.input("x", (64, 64)),), (64, 64))
    left = b.elementwise("left", (a,), (64, 64))
    right = b.elementwise("right", (a,), (64, 64))
    graph = b.build([b.elementwise("out", (left, right), (64, 64))])
    assert solution.fuse_elementwise(graph) == [["a"], ["left", "right", "out"]]


def test_fuse_elementwise_never_fuses_a_reduction_or_a_matmul(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (64, 64))
    pre = b.elementwise("pre", (x,), (64, 64))
    mm = b.matmul("mm", pre, b.input("w", (64, 64)), (64, 64))
    post = b.elementwise("post", (mm,), (64, 64))
    r = b.reduction("r", post, (64, 1))
    graph = b.build([b.elementwise("use", (r,), (64, 1))])
    assert solution.fuse_elementwise(graph) == [["pre"], ["mm"], ["post"], ["r"], ["use"]]


def test_fuse_elementwise_stops_at_a_listed_output_edge(solution):
    graph = chain(solution, ["a", "b", "c"], outputs=["b", "c"])
    assert solution.fuse_elementwise(graph) == [["a", "b"], ["c"]]


def test_fuse_elementwise_fuses_an_op_that_reads_its_input_twice_edge(solution):
    b = solution.GraphBuilder()
    a = b.elementwise("a", (b.input("x", (64, 64)),), (64, 64))
    square = b.elementwise("square", (a, a), (64, 64))
    graph = b.build([square])
    assert solution.fuse_elementwise(graph) == [["a", "square"]]


def test_fuse_elementwise_orders_groups_by_their_first_op(solution):
    b = solution.GraphBuilder()
    x, y = b.input("x", (64, 64)), b.input("y", (64, 64))
    a1 = b.elementwise("a1", (x,), (64, 64))
    b1 = b.elementwise("b1", (y,), (64, 64))
    a2 = b.elementwise("a2", (a1,), (64, 64))
    r = b.reduction("r", b1, (64, 1))
    b2 = b.elementwise("b2", (r,), (64, 1))
    graph = b.build([a2, b2])
    assert solution.fuse_elementwise(graph) == [["a1", "a2"], ["b1"], ["r"], ["b2"]]


def test_fuse_elementwise_of_a_graph_without_elementwise_ops_edge(solution):
    b = solution.GraphBuilder()
    h = b.matmul("h", b.input("x", (32, 32)), b.input("w1", (32, 32)), (32, 32))
    graph = b.build([b.matmul("y", h, b.input("w2", (32, 32)), (32, 32))])
    assert solution.fuse_elementwise(graph) == [["h"], ["y"]]


def test_fuse_elementwise_on_the_block(solution):
    graph = solution.transformer_block(2, 128, 256, 4)
    plan = solution.fuse_elementwise(graph)
    assert plan == model_level2(graph)
    costs = solution.plan_costs(graph, plan)
    assert sum(c.bytes_moved for c in costs) == model_bytes(graph, plan)
