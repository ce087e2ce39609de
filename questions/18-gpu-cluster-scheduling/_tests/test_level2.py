"""Level 2 hidden tests: valid layouts, memory per GPU with ZeRO and 1F1B
activations, and the planner.

The planner is always given the tests' own cost models: a copy of the provided
formula that counts its calls, and models with other numbers (a flat one for
the tie order, a table of made-up values), so a plan must take every
throughput from the object it is given. The memory rules are recomputed here.
"""

from fractions import Fraction

import pytest

GB = 10**9
TP_SIZES = (1, 2, 4, 8)
SLOWDOWN = {1: Fraction(1), 2: Fraction(11, 10), 4: Fraction(6, 5), 8: Fraction(7, 5)}


class CountingCost:
    """The provided cost model, copied here, recording every layout it is asked about."""

    def __init__(self, ms_per_billion_params=400, network_bytes_per_ms=25_000_000):
        self.c, self.bw = ms_per_billion_params, network_bytes_per_ms
        self.asked = []

    @property
    def calls(self):
        return len(self.asked)

    def throughput(self, model, tp, pp, dp, zero_stage=0):
        self.asked.append((tp, pp, dp, zero_stage))
        check(model, tp, pp, dp)
        micro = model.micro_batches // dp
        stage = Fraction(model.params * self.c, 10**9 * tp * pp) * SLOWDOWN[tp]
        traffic = Fraction(2 * (dp - 1), dp) * Fraction(2 * model.params, tp * pp)
        if zero_stage == 3:
            traffic *= Fraction(3, 2)
        return 1000 * model.micro_batches / ((micro + pp - 1) * stage + traffic / self.bw)


class FlatCost(CountingCost):
    """Every layout is equally fast: only the tie order decides."""

    def throughput(self, model, tp, pp, dp, zero_stage=0):
        super().throughput(model, tp, pp, dp, zero_stage)
        return Fraction(7)


class TableCost(CountingCost):
    """Made-up throughputs that no formula of the statement produces."""

    def __init__(self, table):
        super().__init__()
        self.table = table

    def throughput(self, model, tp, pp, dp, zero_stage=0):
        super().throughput(model, tp, pp, dp, zero_stage)
        return self.table.get((tp, pp, dp), Fraction(1))


def check(model, tp, pp, dp):
    if tp not in TP_SIZES or pp < 1 or dp < 1 or model.layers % pp or model.micro_batches % dp:
        raise ValueError("invalid layout")


def model_layouts(model, gpus):
    return [(tp, pp, gpus // (tp * pp)) for tp in TP_SIZES for pp in range(1, gpus + 1)
            if gpus % (tp * pp) == 0 and model.layers % pp == 0
            and model.micro_batches % (gpus // (tp * pp)) == 0]


def model_memory(model, tp, pp, dp, zero):
    per_param = {0: Fraction(16), 1: 4 + Fraction(12, dp), 2: 2 + Fraction(14, dp),
                 3: Fraction(16, dp)}[zero]
    in_flight = min(pp, model.micro_batches // dp)
    return Fraction(model.params, tp * pp) * per_param + Fraction(
        model.activation_bytes * in_flight, tp * pp)


def model_plan(model, gpus, memory, zero=0):
    cost = CountingCost()
    fitting = [lay for lay in model_layouts(model, gpus)
               if model_memory(model, *lay, zero) <= memory]
    if not fitting:
        return None
    best = max(fitting, key=lambda lay: (cost.throughput(model, *lay, zero), -lay[0], -lay[1]))
    return (*best, model_memory(model, *best, zero), cost.throughput(model, *best, zero))


def fitting_count(model, gpus, memory, zero=0):
    return sum(model_memory(model, *lay, zero) <= memory for lay in model_layouts(model, gpus))


def as_tuple(found):
    return None if found is None else tuple(found)


def llama(solution, micro_batches=64):
    return solution.Model(7_000_000_000, 32, micro_batches, 8 * GB)


# -- layouts -------------------------------------------------------------------------------------


def test_layouts_respect_layers_and_micro_batches(solution):
    model = solution.Model(1_000_000_000, 6, 4, GB)
    # tp = 1 needs dp = 8 (does not divide 4) or pp = 2; pp = 4 and 8 do not divide 6 layers
    assert solution.layouts(model, 8) == [(1, 2, 4), (2, 1, 4), (2, 2, 2), (4, 1, 2), (4, 2, 1),
                                          (8, 1, 1)]
    assert solution.layouts(model, 24) == model_layouts(model, 24)


def test_layouts_match_the_rules_for_many_sizes(solution):
    model = solution.Model(13_000_000_000, 40, 96, 6 * GB)
    for gpus in (1, 2, 6, 16, 40, 48, 96, 160, 384):
        assert [tuple(lay) for lay in solution.layouts(model, gpus)] == model_layouts(model, gpus)


def test_layouts_of_one_gpu_edge(solution):
    assert solution.layouts(llama(solution), 1) == [(1, 1, 1)]


def test_layouts_can_be_empty_edge(solution):
    model = solution.Model(1_000_000_000, 2, 4, GB)
    assert solution.layouts(model, 3) == []          # 3 splits neither the layers nor the batch


def test_layouts_reject_fewer_than_one_gpu_edge(solution):
    with pytest.raises(ValueError):
        solution.layouts(llama(solution), 0)


# -- memory ---------------------------------------------------------------------------------------


def test_memory_of_each_zero_stage(solution):
    model = solution.Model(8_000_000_000, 32, 64, 4 * GB)
    want = {0: Fraction(34_000_000_000), 1: Fraction(11_500_000_000),
            2: Fraction(7_750_000_000), 3: Fraction(4_000_000_000)}
    for stage, memory in want.items():
        assert solution.memory_per_gpu(model, 2, 2, 16, stage) == memory, stage
        assert memory == model_memory(model, 2, 2, 16, stage)


def test_memory_is_exact_when_shares_are_fractions(solution):
    model = solution.Model(1_000_000_001, 3, 9, 1_000_003)
    for tp, pp, dp in ((2, 3, 9), (8, 1, 3), (4, 3, 1)):
        for stage in range(4):
            got = solution.memory_per_gpu(model, tp, pp, dp, stage)
            assert got == model_memory(model, tp, pp, dp, stage)
            assert not isinstance(got, float)


def test_activations_are_capped_by_the_micro_batches_in_flight_edge(solution):
    model = solution.Model(8_000_000_000, 32, 16, 16 * GB)
    # 16 micro-batches over 8 replicas leave 2 per replica: only 2 of 8 stages' worth in flight
    assert solution.memory_per_gpu(model, 1, 8, 8) == 16 * Fraction(8 * GB, 8) + Fraction(
        16 * GB * 2, 8)
    # with one replica, all 8 are in flight: the first stage holds a whole micro-batch's worth
    assert solution.memory_per_gpu(model, 1, 8, 1) == 16 * Fraction(8 * GB, 8) + 16 * GB


def test_memory_rejects_invalid_layouts_edge(solution):
    model = llama(solution)
    for tp, pp, dp in ((3, 1, 1), (16, 1, 1), (0, 1, 1), (1, 3, 1), (1, 0, 1), (1, 1, 3),
                       (1, 1, 0)):
        with pytest.raises(ValueError):
            solution.memory_per_gpu(model, tp, pp, dp)
    for stage in (-1, 4):
        with pytest.raises(ValueError):
            solution.memory_per_gpu(model, 1, 1, 1, stage)


# -- plan ------------------------------------------------------------------------------------------


def test_plan_picks_the_fastest_layout_that_fits(solution):
    model = solution.Model(13_000_000_000, 40, 128, 5 * GB)
    for gpus, memory, stage in ((16, 80 * GB, 0), (64, 80 * GB, 0), (64, 40 * GB, 1),
                                (128, 24 * GB, 2), (40, 80 * GB, 3)):
        got = solution.plan(model, gpus, memory, CountingCost(), stage)
        assert as_tuple(got) == model_plan(model, gpus, memory, stage), (gpus, memory, stage)


def test_plan_breaks_ties_by_smaller_tp_then_smaller_pp(solution):
    model = solution.Model(1_000_000_000, 8, 16, GB)
    got = solution.plan(model, 16, 80 * GB, FlatCost())
    assert as_tuple(got)[:3] == (1, 1, 16)
    # (1, 1, 16) and (1, 2, 8) no longer fit: the next in tie order is (1, 4, 4)
    assert model_memory(model, 1, 4, 4, 0) == 5 * GB
    got = solution.plan(model, 16, 5 * GB, FlatCost())
    assert as_tuple(got) == (1, 4, 4, Fraction(5 * GB), Fraction(7))


def test_plan_takes_throughputs_from_the_cost_object_given(solution):
    model = solution.Model(2_000_000_000, 4, 8, GB)
    table = {(8, 1, 1): Fraction(50), (2, 2, 2): Fraction(90), (1, 4, 2): Fraction(90),
             (4, 2, 1): Fraction(120)}
    got = solution.plan(model, 8, 80 * GB, TableCost(table))
    assert as_tuple(got) == (4, 2, 1, model_memory(model, 4, 2, 1, 0), Fraction(120))
    del table[(4, 2, 1)]
    got = solution.plan(model, 8, 80 * GB, TableCost(table))
    assert as_tuple(got)[:3] == (1, 4, 2)                # 90 twice: the smaller tp wins


def test_plan_passes_the_zero_stage_to_the_cost_model(solution):
    cost = CountingCost()
    solution.plan(llama(solution), 32, 80 * GB, cost, 3)
    assert cost.asked and all(stage == 3 for *_, stage in cost.asked)
    got = solution.plan(llama(solution), 32, 80 * GB, CountingCost(), 3)
    assert as_tuple(got) == model_plan(llama(solution), 32, 80 * GB, 3)


def test_plan_memory_limit_is_inclusive_edge(solution):
    model = llama(solution)
    exact = model_memory(model, 2, 1, 16, 0)             # 60 GB
    got = solution.plan(model, 32, int(exact), CountingCost())
    assert as_tuple(got)[:3] == (2, 1, 16)
    got = solution.plan(model, 32, int(exact) - 1, CountingCost())
    assert as_tuple(got)[:3] != (2, 1, 16)


def test_plan_returns_none_when_nothing_fits_edge(solution):
    model = solution.Model(175_000_000_000, 96, 64, 16 * GB)
    cost = CountingCost()
    assert solution.plan(model, 8, 80 * GB, cost) is None
    model = solution.Model(1_000_000_000, 2, 4, GB)
    assert solution.plan(model, 3, 80 * GB, CountingCost()) is None    # no valid layout at all


def test_plan_rejects_fewer_than_one_gpu_edge(solution):
    with pytest.raises(ValueError):
        solution.plan(llama(solution), 0, 80 * GB, CountingCost())


def test_plan_profiles_each_layout_at_most_once(solution):
    model = solution.Model(30_000_000_000, 48, 64, 8 * GB)
    cost = CountingCost()
    got = solution.plan(model, 64, 80 * GB, cost)
    assert as_tuple(got) == model_plan(model, 64, 80 * GB)
    assert len(cost.asked) == len(set(cost.asked)), "a layout was profiled twice"
    assert cost.calls <= len(model_layouts(model, 64))


PROBLEMS = [
    # (params, layers, micro_batches, activation GB, gpus, GPU memory GB, ZeRO stage)
    (7_000_000_000, 32, 64, 8, 32, 80, 0),
    (30_000_000_000, 48, 64, 8, 32, 80, 0),
    (30_000_000_000, 48, 64, 8, 64, 80, 1),
    (70_000_000_000, 80, 128, 10, 128, 80, 0),
    (70_000_000_000, 80, 128, 10, 64, 40, 2),
    (175_000_000_000, 96, 64, 16, 8, 80, 0),
]


def test_plan_profiling_runs_stay_within_the_budget(solution, measure):
    runs = budget = 0
    for params, layers, micro, act, gpus, memory, stage in PROBLEMS:
        model = solution.Model(params, layers, micro, act * GB)
        cost = CountingCost()
        got = solution.plan(model, gpus, memory * GB, cost, stage)
        assert as_tuple(got) == model_plan(model, gpus, memory * GB, stage)
        assert len(cost.asked) == len(set(cost.asked)), "a layout was profiled twice"
        runs += cost.calls
        budget += len(model_layouts(model, gpus))
    assert runs <= budget
    measure("profiling_runs", runs)
