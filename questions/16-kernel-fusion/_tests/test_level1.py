"""Level 1 hidden tests: FLOPs, bytes and intensity with every op its own kernel.

Expected figures come from the statement's rules, recomputed here from the
graph's own fields (shapes, dtypes, inputs), never from the candidate's helpers.
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


def model_unfused(graph):
    """(name, flops, bytes read, bytes written) of every op alone."""
    return [(op.name, model_flops(graph, op), sum(nbytes(graph, t) for t in set(op.inputs)),
             nbytes(graph, op.output)) for op in graph.ops]


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


# -- FLOPs ---------------------------------------------------------------------------------------


def test_matmul_flops_count_two_per_multiply_add(solution):
    b = solution.GraphBuilder()
    mm = b.matmul("mm", b.input("a", (64, 32)), b.input("w", (32, 16)), (64, 16))
    graph = b.build([mm])
    assert solution.op_flops(graph, "mm") == 2 * 64 * 16 * 32


def test_matmul_k_is_the_last_dim_of_the_first_input(solution):
    b = solution.GraphBuilder()
    q = b.input("q", (8, 128, 64))
    k = b.input("k", (8, 128, 64))
    scores = b.matmul("scores", q, k, (8, 128, 128))
    x = b.input("x", (256, 512))
    proj = b.matmul("proj", x, b.input("w", (512, 512)), (8, 256, 64))   # head layout
    graph = b.build([scores, proj])
    assert solution.op_flops(graph, "scores") == 2 * 8 * 128 * 128 * 64
    assert solution.op_flops(graph, "proj") == 2 * 8 * 256 * 64 * 512


def test_elementwise_flops_use_the_output_and_flops_per_element(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (256, 512))
    y = b.elementwise("y", (x, b.input("bias", (512,))), (256, 512), flops=3)
    graph = b.build([y])
    assert solution.op_flops(graph, "y") == 3 * 256 * 512


def test_reduction_flops_count_input_elements(solution):
    b = solution.GraphBuilder()
    r = b.reduction("r", b.input("x", (256, 512)), (256, 1), flops=2)
    graph = b.build([r])
    assert solution.op_flops(graph, "r") == 2 * 256 * 512


def test_an_op_with_zero_flops_per_element_still_moves_bytes_edge(solution):
    b = solution.GraphBuilder()
    cast = b.elementwise("cast", (b.input("x", (128, 128), "fp32"),), (128, 128), flops=0)
    graph = b.build([cast])
    [cost] = solution.unfused_costs(graph)
    assert as_tuple(cost) == ("cast", 0, 128 * 128 * 4, 128 * 128 * 2)
    assert solution.arithmetic_intensity(cost) == 0.0


# -- unfused costs -------------------------------------------------------------------------------


def test_unfused_costs_of_the_running_example(solution):
    graph = running_example(solution)
    assert [as_tuple(c) for c in solution.unfused_costs(graph)] == [
        ("mm", 2147483648, 4194304, 2097152),
        ("bias", 1048576, 2099200, 2097152),
        ("gelu", 8388608, 2097152, 2097152),
        ("rowsum", 1048576, 2097152, 4096),
        ("scaled", 1048576, 2101248, 2097152),
    ]


def test_unfused_costs_are_named_after_ops_not_tensors_edge(solution):
    t = solution.Tensor
    graph = solution.Graph(
        [t("x", (64, 64)), t("y", (64, 64), "fp32"), t("z", (64, 1), "fp32")],
        [solution.Op("to_fp32", "elementwise", ("x",), "y"),
         solution.Op("row_sum", "reduction", ("y",), "z")],
        ["z"])
    costs = solution.unfused_costs(graph)
    assert [c.name for c in costs] == ["to_fp32", "row_sum"]
    assert as_tuple(costs[1]) == ("row_sum", 64 * 64, 64 * 64 * 4, 64 * 4)


def test_an_op_reading_one_tensor_twice_reads_it_once_edge(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (512, 512), "fp32")
    square = b.elementwise("square", (x, x), (512, 512), "fp32")
    graph = b.build([square])
    [cost] = solution.unfused_costs(graph)
    assert cost.bytes_read == 512 * 512 * 4


def test_every_op_writes_its_output_even_when_nothing_reads_it_edge(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (100, 100))
    used = b.elementwise("used", (x,), (100, 100))
    b.elementwise("unread", (x,), (100, 100), "fp32")
    final = b.elementwise("final", (used,), (100, 100))
    graph = b.build([final, used])
    written = {c.name: c.bytes_written for c in solution.unfused_costs(graph)}
    assert written == {"used": 20000, "unread": 40000, "final": 20000}


def test_bytes_follow_each_dtype(solution):
    b = solution.GraphBuilder()
    x = b.input("x", (1000, 10), "fp32")
    scale = b.input("scale", (1000, 1), "fp16")
    q = b.elementwise("quant", (x, scale), (1000, 10), "fp8", flops=2)
    codes = b.elementwise("codes", (q,), (1000, 10), "int8")
    graph = b.build([codes])
    assert [as_tuple(c) for c in solution.unfused_costs(graph)] == [
        ("quant", 20000, 40000 + 2000, 10000),
        ("codes", 10000, 10000, 10000),
    ]


def test_unfused_block_matches_the_rules_op_by_op(solution):
    graph = solution.transformer_block(2, 128, 256, 4)
    costs = solution.unfused_costs(graph)
    assert len(costs) == 32
    assert [as_tuple(c) for c in costs] == model_unfused(graph)


def test_unfused_attention_core_flops_follow_the_closed_form(solution):
    graph = solution.attention_core(2, 4, 256, 32)
    total = sum(c.flops for c in solution.unfused_costs(graph))
    assert total == 2 * 4 * (4 * 256 ** 2 * 32 + 6 * 256 ** 2)


# -- totals and intensity ------------------------------------------------------------------------


def test_total_cost_adds_every_field_and_takes_the_name(solution):
    costs = [solution.KernelCost("a", 10, 20, 30), solution.KernelCost("b", 1, 2, 3)]
    assert solution.total_cost(costs, "unfused") == solution.KernelCost("unfused", 11, 22, 33)
    assert solution.total_cost(iter(costs)) == solution.KernelCost("total", 11, 22, 33)


def test_total_cost_of_the_running_example(solution):
    graph = running_example(solution)
    total = solution.total_cost(solution.unfused_costs(graph))
    assert as_tuple(total) == ("total", 2159017984, 12589056, 8392704)


def test_total_cost_of_no_costs_is_zero_edge(solution):
    assert solution.total_cost([]) == solution.KernelCost("total", 0, 0, 0)


def test_arithmetic_intensity_is_flops_per_byte_moved(solution):
    assert solution.arithmetic_intensity(solution.KernelCost("k", 300, 100, 50)) == 2.0
    graph = running_example(solution)
    mm = solution.unfused_costs(graph)[0]
    assert solution.arithmetic_intensity(mm) == pytest.approx(2147483648 / 6291456, rel=1e-9)


def test_arithmetic_intensity_counts_written_bytes_too(solution):
    cost = solution.KernelCost("k", 1000, 100, 400)
    assert solution.arithmetic_intensity(cost) == pytest.approx(2.0, rel=1e-9)


def test_arithmetic_intensity_without_bytes_raises_edge(solution):
    with pytest.raises(ValueError):
        solution.arithmetic_intensity(solution.KernelCost("empty", 0, 0, 0))
    with pytest.raises(ValueError):
        solution.arithmetic_intensity(solution.KernelCost("free", 10, 0, 0))
