"""Mutant: a kernel reads every input occurrence, not every distinct tensor,
so x * x reads x twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import prod

# -- provided: the machine and the data types --------------------------------------------------

DTYPE_BYTES = {"fp32": 4, "bf16": 2, "fp16": 2, "fp8": 1, "int8": 1}
ELEMENTWISE, REDUCTION, MATMUL = "elementwise", "reduction", "matmul"
KINDS = (ELEMENTWISE, REDUCTION, MATMUL)
PEAK_FLOPS = 989 * 10**12          # FLOP/s: dense BF16 peak of an H100-class GPU
HBM_BANDWIDTH = 3_350 * 10**9      # bytes/s: HBM3 bandwidth of the same GPU


# -- provided: tensors, ops and graphs ---------------------------------------------------------


@dataclass(frozen=True)
class Tensor:
    """A tensor that lives in HBM: a name, a shape (positive ints) and a dtype."""

    name: str
    shape: tuple[int, ...]
    dtype: str = "bf16"

    @property
    def numel(self) -> int:
        """Number of elements."""
        return prod(self.shape)

    @property
    def nbytes(self) -> int:
        """Size in bytes: elements times the dtype's size."""
        return self.numel * DTYPE_BYTES[self.dtype]


@dataclass(frozen=True)
class Op:
    """One operation: reads the tensors named in ``inputs``, produces the tensor ``output``.

    ``kind`` is ELEMENTWISE, REDUCTION or MATMUL. ``flops_per_element`` is used by
    elementwise ops (per output element) and reductions (per input element); a
    matmul ignores it.
    """

    name: str
    kind: str
    inputs: tuple[str, ...]
    output: str
    flops_per_element: int = 1


class Graph:
    """A checked operation graph: ops in topological order, tensors by name.

    Graph inputs are the tensors no op produces (activations and weights already in
    HBM). ``outputs`` lists the results the caller needs; a produced tensor that no
    op consumes is an output too.
    """

    def __init__(self, tensors: Iterable[Tensor], ops: Iterable[Op],
                 outputs: Iterable[str] = ()) -> None:
        self.tensors: dict[str, Tensor] = {}
        for tensor in tensors:
            if tensor.name in self.tensors:
                raise ValueError(f"tensor {tensor.name!r} is declared twice")
            if tensor.dtype not in DTYPE_BYTES:
                raise ValueError(f"tensor {tensor.name!r} has an unknown dtype {tensor.dtype!r}")
            if not tensor.shape or any(not isinstance(d, int) or d < 1 for d in tensor.shape):
                raise ValueError(f"tensor {tensor.name!r} needs a shape of positive ints")
            self.tensors[tensor.name] = tensor
        self.ops: tuple[Op, ...] = tuple(ops)
        self.outputs: tuple[str, ...] = tuple(outputs)
        self._ops: dict[str, Op] = {}
        self._producer: dict[str, Op] = {}
        self._consumers: dict[str, list[Op]] = {name: [] for name in self.tensors}
        produced = {op.output for op in self.ops}
        for op in self.ops:
            self._add(op, produced)
        for name in self.outputs:
            if name not in self._producer:
                raise ValueError(f"output {name!r} is not produced by any op")

    def _add(self, op: Op, produced: set[str]) -> None:
        if op.name in self._ops:
            raise ValueError(f"op {op.name!r} is declared twice")
        if op.kind not in KINDS:
            raise ValueError(f"op {op.name!r} has an unknown kind {op.kind!r}")
        arity = {MATMUL: 2, REDUCTION: 1}.get(op.kind)
        if not op.inputs or (arity and len(op.inputs) != arity):
            raise ValueError(f"op {op.name!r}: a {op.kind} takes {arity or 'one or more'} inputs")
        if op.flops_per_element < 0:
            raise ValueError(f"op {op.name!r} has negative flops_per_element")
        for name in (*op.inputs, op.output):
            if name not in self.tensors:
                raise ValueError(f"op {op.name!r} uses the undeclared tensor {name!r}")
            if name in produced and name not in self._producer and name != op.output:
                raise ValueError(f"op {op.name!r} reads {name!r} before it is produced")
        if op.output in self._producer or op.output in op.inputs:
            raise ValueError(f"tensor {op.output!r} is produced twice or by the op reading it")
        for name in dict.fromkeys(op.inputs):
            self._consumers[name].append(op)
        self._ops[op.name] = op
        self._producer[op.output] = op

    def op(self, name: str) -> Op:
        """The op called ``name``; KeyError when there is none."""
        return self._ops[name]

    def producer(self, tensor: str) -> Op | None:
        """The op that produces ``tensor``, or None for a graph input."""
        return self._producer.get(tensor)

    def consumers(self, tensor: str) -> tuple[Op, ...]:
        """The distinct ops that read ``tensor``, in graph order."""
        return tuple(self._consumers[tensor])

    def is_output(self, tensor: str) -> bool:
        """True for a listed output, and for a produced tensor that no op reads."""
        return tensor in self.outputs or (tensor in self._producer
                                          and not self._consumers[tensor])


# -- provided: result records ------------------------------------------------------------------


@dataclass(frozen=True)
class KernelCost:
    """What one kernel (one op, or a fused group of ops) costs."""

    name: str
    flops: int
    bytes_read: int
    bytes_written: int

    @property
    def bytes_moved(self) -> int:
        """HBM traffic: bytes read plus bytes written."""
        return self.bytes_read + self.bytes_written


@dataclass(frozen=True)
class Roofline:
    """A roofline estimate of one kernel: its time in seconds and what bounds it."""

    name: str
    seconds: float
    bound: str          # "compute" or "memory"


@dataclass(frozen=True)
class BlockReport:
    """The level 4 summary of one transformer block."""

    unfused: KernelCost               # every op its own kernel, summed; name "unfused"
    fused: KernelCost                 # the plan of fuse_graph, summed; name "fused"
    unfused_seconds: float
    fused_seconds: float
    memory_bound: tuple[str, ...]     # ops that are memory-bound as their own kernel, graph order
    naive_attention_bytes: int        # unfused traffic of the seven attention-core ops
    flash_attention_bytes: int        # traffic of one flash-style attention kernel


# -- provided: graph builders ------------------------------------------------------------------


class GraphBuilder:
    """Builds a Graph op by op; every op's output tensor takes the op's name."""

    def __init__(self) -> None:
        self._tensors: list[Tensor] = []
        self._ops: list[Op] = []

    def input(self, name: str, shape: tuple[int, ...], dtype: str = "bf16") -> str:
        self._tensors.append(Tensor(name, tuple(shape), dtype))
        return name

    def _op(self, name: str, kind: str, inputs: Sequence[str], shape: tuple[int, ...],
            dtype: str, flops: int) -> str:
        self._tensors.append(Tensor(name, tuple(shape), dtype))
        self._ops.append(Op(name, kind, tuple(inputs), name, flops))
        return name

    def elementwise(self, name: str, inputs: Sequence[str], shape: tuple[int, ...],
                    dtype: str = "bf16", flops: int = 1) -> str:
        return self._op(name, ELEMENTWISE, inputs, shape, dtype, flops)

    def reduction(self, name: str, source: str, shape: tuple[int, ...],
                  dtype: str = "fp32", flops: int = 1) -> str:
        return self._op(name, REDUCTION, (source,), shape, dtype, flops)

    def matmul(self, name: str, a: str, b: str, shape: tuple[int, ...],
               dtype: str = "bf16") -> str:
        return self._op(name, MATMUL, (a, b), shape, dtype, 1)

    def build(self, outputs: Iterable[str] = ()) -> Graph:
        return Graph(self._tensors, self._ops, outputs)


def layer_norm(b: GraphBuilder, prefix: str, x: str, rows: int, width: int) -> str:
    """Seven ops: mean, center, square, var (reduction), rstd, norm, affine (bf16 out)."""
    gamma = b.input(f"{prefix}.gamma", (width,))
    beta = b.input(f"{prefix}.beta", (width,))
    mean = b.reduction(f"{prefix}.mean", x, (rows, 1))
    centered = b.elementwise(f"{prefix}.center", (x, mean), (rows, width), "fp32")
    square = b.elementwise(f"{prefix}.square", (centered, centered), (rows, width), "fp32")
    var = b.reduction(f"{prefix}.var", square, (rows, 1))
    rstd = b.elementwise(f"{prefix}.rstd", (var,), (rows, 1), "fp32", flops=2)
    norm = b.elementwise(f"{prefix}.norm", (centered, rstd), (rows, width), "fp32")
    return b.elementwise(f"{prefix}.affine", (norm, gamma, beta), (rows, width), flops=2)


def attention_ops(b: GraphBuilder, prefix: str, q: str, k: str, v: str, batch_heads: int,
                  seq: int, out_shape: tuple[int, ...]) -> str:
    """The seven attention-core ops: scores, scale, max, exp, sum, probs, pv."""
    full = (batch_heads, seq, seq)
    rows = (batch_heads, seq, 1)
    scores = b.matmul(f"{prefix}.scores", q, k, full)              # q @ k^T
    scaled = b.elementwise(f"{prefix}.scale", (scores,), full)     # times 1/sqrt(head_dim)
    row_max = b.reduction(f"{prefix}.max", scaled, rows)
    exp = b.elementwise(f"{prefix}.exp", (scaled, row_max), full, flops=2)
    row_sum = b.reduction(f"{prefix}.sum", exp, rows)
    probs = b.elementwise(f"{prefix}.probs", (exp, row_sum), full)
    return b.matmul(f"{prefix}.pv", probs, v, out_shape)


def attention_core(batch: int, heads: int, seq: int, head_dim: int) -> Graph:
    """Inputs q, k, v of shape (batch * heads, seq, head_dim); output attn.pv."""
    b = GraphBuilder()
    shape = (batch * heads, seq, head_dim)
    q, k, v = (b.input(name, shape) for name in ("q", "k", "v"))
    out = attention_ops(b, "attn", q, k, v, batch * heads, seq, shape)
    return b.build(outputs=[out])


def transformer_block(batch: int, seq: int, d_model: int, heads: int,
                      mlp_ratio: int = 4) -> Graph:
    """One pre-norm transformer block (32 ops) on x of shape (batch * seq, d_model)."""
    if d_model % heads:
        raise ValueError("d_model must be a multiple of heads")
    rows, head_dim, hidden = batch * seq, d_model // heads, mlp_ratio * d_model
    b = GraphBuilder()
    x = b.input("x", (rows, d_model))
    ln1 = layer_norm(b, "ln1", x, rows, d_model)
    heads_shape = (batch * heads, seq, head_dim)
    q, k, v = (b.matmul(f"attn.{name}", ln1, b.input(f"w_{name}", (d_model, d_model)),
                        heads_shape) for name in ("q", "k", "v"))
    out = attention_ops(b, "attn", q, k, v, batch * heads, seq, (rows, d_model))
    proj = b.matmul("attn.proj", out, b.input("w_o", (d_model, d_model)), (rows, d_model))
    h = b.elementwise("res1", (x, proj), (rows, d_model))
    ln2 = layer_norm(b, "ln2", h, rows, d_model)
    up = b.matmul("mlp.up", ln2, b.input("w_1", (d_model, hidden)), (rows, hidden))
    up = b.elementwise("mlp.bias1", (up, b.input("b_1", (hidden,))), (rows, hidden))
    act = b.elementwise("mlp.gelu", (up,), (rows, hidden), flops=8)
    down = b.matmul("mlp.down", act, b.input("w_2", (hidden, d_model)), (rows, d_model))
    down = b.elementwise("mlp.bias2", (down, b.input("b_2", (d_model,))), (rows, d_model))
    y = b.elementwise("res2", (h, down), (rows, d_model))
    return b.build(outputs=[y])


def benchmark_graphs() -> dict[str, Graph]:
    """The graphs the hidden tests of level 3 judge fuse_graph on (see QUESTION.md)."""
    graphs: dict[str, Graph] = {}

    b = GraphBuilder()                            # one tensor read by two ops
    x = b.input("x", (4096, 4096))
    a = b.elementwise("a", (x,), (4096, 4096))
    left = b.elementwise("left", (a,), (4096, 4096), flops=4)
    right = b.elementwise("right", (a, a), (4096, 4096))
    graphs["diamond"] = b.build([b.elementwise("out", (left, right), (4096, 4096))])

    b = GraphBuilder()                            # row softmax
    x = b.input("x", (8192, 4096))
    row_max = b.reduction("max", x, (8192, 1))
    exp = b.elementwise("exp", (x, row_max), (8192, 4096), flops=2)
    row_sum = b.reduction("sum", exp, (8192, 1))
    graphs["softmax"] = b.build([b.elementwise("probs", (exp, row_sum), (8192, 4096))])

    b = GraphBuilder()                            # matmul with bias, GELU and residual
    x, r = b.input("x", (4096, 4096)), b.input("r", (4096, 4096))
    mm = b.matmul("mm", x, b.input("w", (4096, 4096)), (4096, 4096))
    biased = b.elementwise("bias", (mm, b.input("b", (4096,))), (4096, 4096))
    act = b.elementwise("gelu", (biased,), (4096, 4096), flops=8)
    graphs["epilogue"] = b.build([b.elementwise("residual", (act, r), (4096, 4096))])

    b = GraphBuilder()                            # a tensor used before and after a matmul
    x = b.input("x", (4096, 4096))
    a = b.elementwise("relu", (x,), (4096, 4096))
    mm = b.matmul("mm", a, b.input("w", (4096, 4096)), (4096, 4096))
    graphs["skip"] = b.build([b.elementwise("add", (mm, a), (4096, 4096))])

    b = GraphBuilder()                            # several statistics of one tensor
    x = b.input("x", (8192, 4096), "fp32")
    total = b.reduction("sum", x, (8192, 1))
    square = b.elementwise("square", (x, x), (8192, 4096), "fp32")
    squares = b.reduction("sumsq", square, (8192, 1))
    peak = b.reduction("max", x, (8192, 1))
    graphs["stats"] = b.build([total, squares, peak])

    b = GraphBuilder()                            # a projection scaled by a per-row gate
    x = b.input("x", (4096, 4096))
    big = b.matmul("proj", x, b.input("w", (4096, 4096)), (4096, 4096))
    gate = b.matmul("gate", x, b.input("w_gate", (4096, 1)), (4096, 1))
    sig = b.elementwise("sigmoid", (gate,), (4096, 1), flops=4)
    graphs["gated"] = b.build([b.elementwise("scaled", (sig, big), (4096, 4096))])

    graphs["block"] = transformer_block(1, 1024, 1024, 16)
    return graphs


# -- Level 1: every op its own kernel ----------------------------------------------------------


def op_flops(graph: Graph, name: str) -> int:
    """FLOPs of the op called ``name`` (counting rules in QUESTION.md)."""
    op = graph.op(name)
    out = graph.tensors[op.output]
    if op.kind == MATMUL:
        return 2 * out.numel * graph.tensors[op.inputs[0]].shape[-1]
    if op.kind == REDUCTION:
        return op.flops_per_element * graph.tensors[op.inputs[0]].numel
    return op.flops_per_element * out.numel


def unfused_costs(graph: Graph) -> list[KernelCost]:
    """One KernelCost per op, in graph order, each op run as its own kernel."""
    return [kernel_cost(graph, [op.name]) for op in graph.ops]


def total_cost(costs: Iterable[KernelCost], name: str = "total") -> KernelCost:
    """The sum of ``costs`` as one KernelCost called ``name``."""
    costs = list(costs)
    return KernelCost(name, sum(c.flops for c in costs), sum(c.bytes_read for c in costs),
                      sum(c.bytes_written for c in costs))


def arithmetic_intensity(cost: KernelCost) -> float:
    """FLOPs per byte moved; ValueError when the cost moves no bytes."""
    if cost.bytes_moved == 0:
        raise ValueError(f"{cost.name} moves no bytes: its intensity is undefined")
    return cost.flops / cost.bytes_moved


# -- Level 2: fusing elementwise chains --------------------------------------------------------


def _members(graph: Graph, ops: Iterable[str]) -> list[Op]:
    """The ops named, in graph order; ValueError for an empty group or an unknown name."""
    names = set(ops)
    if not names:
        raise ValueError("a kernel needs at least one op")
    unknown = names - {op.name for op in graph.ops}
    if unknown:
        raise ValueError(f"unknown ops: {sorted(unknown)}")
    return [op for op in graph.ops if op.name in names]


def _crossing(graph: Graph, members: list[Op]) -> tuple[list[str], set[str]]:
    """The tensors a group reads from HBM and the tensors it writes back."""
    names = {op.name for op in members}
    inside = {op.output for op in members}
    reads = [t for op in members for t in op.inputs if t not in inside]
    writes = {t for t in inside if graph.is_output(t)
              or any(c.name not in names for c in graph.consumers(t))}
    return reads, writes


def kernel_cost(graph: Graph, ops: Sequence[str]) -> KernelCost:
    """The cost of the ops named in ``ops`` run as one fused kernel."""
    members = _members(graph, ops)
    reads, writes = _crossing(graph, members)
    return KernelCost("+".join(op.name for op in members),
                      sum(op_flops(graph, op.name) for op in members),
                      sum(graph.tensors[t].nbytes for t in reads),
                      sum(graph.tensors[t].nbytes for t in writes))


def plan_costs(graph: Graph, plan: Sequence[Sequence[str]]) -> list[KernelCost]:
    """One KernelCost per group of ``plan``, in the plan's order."""
    return [kernel_cost(graph, group) for group in plan]


def _canonical(graph: Graph, groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Ops in graph order inside each group, groups ordered by their first op."""
    order = {op.name: i for i, op in enumerate(graph.ops)}
    return sorted((sorted(g, key=order.__getitem__) for g in groups),
                  key=lambda g: order[g[0]])


def _chains_into(graph: Graph, op: Op) -> list[str]:
    """The producers of ``op``'s inputs that level 2 fuses into it."""
    if op.kind != ELEMENTWISE:
        return []
    fused = []
    for tensor in dict.fromkeys(op.inputs):
        producer = graph.producer(tensor)
        if (producer is not None and producer.kind == ELEMENTWISE
                and len(graph.consumers(tensor)) == 1 and tensor not in graph.outputs):
            fused.append(producer.name)
    return fused


def fuse_elementwise(graph: Graph) -> list[list[str]]:
    """The level 2 plan: elementwise chains fused, every other op alone (canonical order)."""
    group = {op.name: {op.name} for op in graph.ops}
    for op in graph.ops:
        for producer in _chains_into(graph, op):
            merged = group[producer] | group[op.name]
            for name in merged:
                group[name] = merged
    unique = {id(g): g for g in group.values()}
    return _canonical(graph, unique.values())


# -- Level 3: legal fusion with reductions, matmuls and shared tensors -------------------------


def _check_partition(graph: Graph, plan: Sequence[Sequence[str]]) -> None:
    seen: list[str] = [name for group in plan for name in group]
    known = [op.name for op in graph.ops]
    if any(not group for group in plan):
        raise ValueError("partition: a group is empty")
    if sorted(seen) != sorted(known):
        raise ValueError("partition: every op must be in exactly one group")


def _matmul_problem(members: list[Op], inside: dict[str, Op]) -> str | None:
    matmuls = [op for op in members if op.kind == MATMUL]
    if len(matmuls) > 1:
        return f"matmul: {matmuls[0].name} and {matmuls[1].name} share a kernel"
    if matmuls and any(t in inside for t in matmuls[0].inputs):
        return f"matmul: {matmuls[0].name} reads a tensor made in its own kernel"
    return None


def _reduction_problem(members: list[Op], inside: dict[str, Op]) -> str | None:
    for op in members:
        for t in op.inputs:
            if t in inside and inside[t].kind == REDUCTION:
                return f"reduction: {op.name} reads {t} inside the kernel that reduces it"
    return None


def _group_problem(graph: Graph, group: Iterable[str]) -> str | None:
    """Why one group breaks the matmul or the reduction rule, or None."""
    members = _members(graph, group)
    inside = {op.output: op for op in members}
    return _matmul_problem(members, inside) or _reduction_problem(members, inside)


def _group_edges(graph: Graph, plan: Sequence[Iterable[str]]) -> dict[int, set[int]]:
    """Group index -> the groups that read a tensor it produces."""
    owner = {name: i for i, group in enumerate(plan) for name in group}
    after: dict[int, set[int]] = {i: set() for i in range(len(plan))}
    for op in graph.ops:
        for t in op.inputs:
            producer = graph.producer(t)
            if producer is not None and owner[producer.name] != owner[op.name]:
                after[owner[producer.name]].add(owner[op.name])
    return after


def _has_cycle(graph: Graph, plan: Sequence[Iterable[str]]) -> bool:
    """True when the graph of groups cannot be put in topological order (Kahn)."""
    after = _group_edges(graph, plan)
    waiting = dict.fromkeys(after, 0)
    for j in (j for targets in after.values() for j in targets):
        waiting[j] += 1
    ready = [i for i, n in waiting.items() if n == 0]
    ordered = 0
    while ready:
        ordered += 1
        for j in after[ready.pop()]:
            waiting[j] -= 1
            if waiting[j] == 0:
                ready.append(j)
    return ordered < len(plan)


def check_plan(graph: Graph, plan: Sequence[Sequence[str]]) -> None:
    """Return None for a legal plan; ValueError naming the first broken rule otherwise."""
    _check_partition(graph, plan)
    problems = [_group_problem(graph, group) for group in plan]
    for rule in ("matmul", "reduction"):
        for problem in problems:
            if problem and problem.startswith(rule):
                raise ValueError(problem)
    if _has_cycle(graph, plan):
        raise ValueError("cycle: a group depends on itself through another kernel")


def _bytes(graph: Graph, group: Iterable[str]) -> int:
    return kernel_cost(graph, list(group)).bytes_moved


def _neighbours(graph: Graph, groups: list[frozenset[str]]) -> set[tuple[int, int]]:
    """Pairs of groups joined by a tensor: one makes what the other reads, or both read it."""
    owner = {name: i for i, group in enumerate(groups) for name in group}
    pairs = set()
    for tensor in graph.tensors:
        users = {owner[op.name] for op in graph.consumers(tensor)}
        producer = graph.producer(tensor)
        if producer is not None:
            users.add(owner[producer.name])
        pairs.update((i, j) for i in users for j in users if i < j)
    return pairs


def _best_merge(graph: Graph, groups: list[frozenset[str]]) -> tuple[int, int] | None:
    """The legal merge of two neighbouring groups that saves the most bytes, or None."""
    savings = []
    for i, j in sorted(_neighbours(graph, groups)):
        saved = _bytes(graph, groups[i]) + _bytes(graph, groups[j]) \
            - _bytes(graph, groups[i] | groups[j])
        if saved > 0:
            savings.append((-saved, i, j))
    for _, i, j in sorted(savings):
        merged = groups[i] | groups[j]
        rest = [g for k, g in enumerate(groups) if k not in (i, j)]
        if _group_problem(graph, merged) is None and not _has_cycle(graph, [*rest, merged]):
            return i, j
    return None


def fuse_graph(graph: Graph) -> list[list[str]]:
    """Greedy: keep merging the legal pair of groups that saves the most bytes."""
    groups = [frozenset([op.name]) for op in graph.ops]
    while (pair := _best_merge(graph, groups)) is not None:
        i, j = pair
        groups = [g for k, g in enumerate(groups) if k not in pair] + [groups[i] | groups[j]]
    return _canonical(graph, groups)


# -- Level 4: the transformer block on the roofline --------------------------------------------


def roofline(cost: KernelCost) -> Roofline:
    """Time of one kernel, max(FLOPs / PEAK_FLOPS, bytes / HBM_BANDWIDTH), and its bound."""
    compute = cost.flops / PEAK_FLOPS
    memory = cost.bytes_moved / HBM_BANDWIDTH
    if cost.flops * HBM_BANDWIDTH > cost.bytes_moved * PEAK_FLOPS:
        return Roofline(cost.name, compute, "compute")
    return Roofline(cost.name, memory, "memory")


def plan_seconds(graph: Graph, plan: Sequence[Sequence[str]]) -> float:
    """Roofline time of a plan: the sum over its kernels."""
    return sum(roofline(cost).seconds for cost in plan_costs(graph, plan))


def flash_attention_cost(batch: int, heads: int, seq: int, head_dim: int,
                         block_q: int) -> KernelCost:
    """One fused attention kernel that never writes the seq x seq scores to HBM."""
    if block_q < 1:
        raise ValueError(f"block_q must be at least 1, got {block_q}")
    core = attention_core(batch, heads, seq, head_dim)
    one = core.tensors["q"].nbytes              # q, k, v and the output have the same size
    passes = -(-seq // block_q)                 # every block of queries streams all of K and V
    flops = total_cost(unfused_costs(core)).flops
    return KernelCost("flash_attention", flops, one + passes * 2 * one, one)


ATTENTION_CORE = ("scores", "scale", "max", "exp", "sum", "probs", "pv")


def block_report(batch: int, seq: int, d_model: int, heads: int,
                 block_q: int = 128) -> BlockReport:
    """Traffic, time and bounds of transformer_block(batch, seq, d_model, heads)."""
    graph = transformer_block(batch, seq, d_model, heads)
    alone = [[op.name] for op in graph.ops]
    plan = fuse_graph(graph)
    costs = unfused_costs(graph)
    attention = [c for c in costs if c.name in {f"attn.{n}" for n in ATTENTION_CORE}]
    flash = flash_attention_cost(batch, heads, seq, d_model // heads, block_q)
    return BlockReport(
        unfused=total_cost(costs, "unfused"),
        fused=total_cost(plan_costs(graph, plan), "fused"),
        unfused_seconds=plan_seconds(graph, alone),
        fused_seconds=plan_seconds(graph, plan),
        memory_bound=tuple(c.name for c in costs if roofline(c).bound == "memory"),
        naive_attention_bytes=total_cost(attention).bytes_moved,
        flash_attention_bytes=flash.bytes_moved,
    )
