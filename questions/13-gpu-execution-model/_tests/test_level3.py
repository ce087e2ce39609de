"""Level 3 hidden tests: the warp interpreter, and ordering tasks to reduce divergence.

Programs are run through a trusted model here (bit masks for the lanes); the
task order is priced with that model, never with the candidate's run_warp.
"""

import pytest

ALL = "T" * 32
HALF = "T" * 16 + "F" * 16
EVEN = "TF" * 16


def model_run(program, lanes=32):
    """(issued, thread_instructions, divergent_branches) by the rules of QUESTION.md."""
    totals = [0, 0, 0]

    def issue(count, mask):
        totals[0] += count
        totals[1] += count * bin(mask).count("1")

    def branch(mask, taken):
        issue(1, mask)
        if taken and taken != mask:
            totals[2] += 1

    def run(body, mask):
        if not mask:
            return
        for statement in body:
            if isinstance(statement, int):
                issue(statement, mask)
            elif statement[0] == "if":
                taken = sum(1 << i for i in range(32) if mask >> i & 1 and statement[1][i] == "T")
                branch(mask, taken)
                run(statement[2], taken)
                run(statement[3] if len(statement) > 3 else [], mask & ~taken)
            else:
                trip, live = 0, mask
                while live:
                    going = sum(1 << i for i in range(32)
                                if live >> i & 1 and statement[1][i] > trip)
                    branch(live, going)
                    run(statement[2], going)
                    live, trip = going, trip + 1

    run(program, (1 << lanes) - 1)
    return tuple(totals)


def lcg(seed):
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        yield state >> 33


def random_program(numbers, depth):
    program = []
    for _ in range(next(numbers) % 4 + 1):
        kind = next(numbers) % 5 if depth < 3 else 0
        if kind <= 1:
            program.append(next(numbers) % 6)
        elif kind <= 3:
            cond = "".join("TF"[next(numbers) % 2] for _ in range(32))
            if next(numbers) % 4 == 0:
                cond = "T" * 32 if next(numbers) % 2 else "F" * 32
            statement = ("if", cond, random_program(numbers, depth + 1))
            if next(numbers) % 2:
                statement += (random_program(numbers, depth + 1),)
            program.append(statement)
        else:
            counts = [next(numbers) % 4 for _ in range(32)]
            program.append(("loop", counts, random_program(numbers, depth + 1)))
    return program


def spmv_rows(count, seed):
    """Row lengths of a sparse matrix: mostly short rows, one in ten long."""
    numbers = lcg(seed)
    lengths = []
    for _ in range(count):
        value = next(numbers)
        lengths.append(20 + value // 10 % 60 if value % 10 == 0 else 1 + value // 10 % 6)
    return lengths


def issued_for_order(trip_counts, order, body=3):
    total = 0
    for first in range(0, len(order), 32):
        chunk = [trip_counts[task] for task in order[first:first + 32]]
        counts = chunk + [0] * (32 - len(chunk))
        total += model_run([("loop", counts, [body])], len(chunk))[0]
    return total


WORKLOADS = [(200, 1), (300, 2), (77, 4)]
REFERENCE_ISSUED = 1260        # the reference order over the three workloads
BUDGET = 1.5


# -- straight-line code and branches -----------------------------------------------------------


def test_straight_line_code_counts_every_lane(solution):
    assert tuple(solution.run_warp([3, 4])) == (7, 224, 0)
    assert tuple(solution.run_warp([0])) == (0, 0, 0)
    assert tuple(solution.run_warp([])) == (0, 0, 0)


def test_partial_warp_starts_with_its_first_lanes_edge(solution):
    assert tuple(solution.run_warp([10], lanes=1)) == (10, 10, 0)
    assert tuple(solution.run_warp([("if", HALF, [2], [3])], lanes=20)) == (6, 64, 1)
    assert tuple(solution.run_warp([("if", HALF, [2], [3])], lanes=16)) == (3, 48, 0)


def test_divergent_if_runs_both_sides_one_after_the_other(solution):
    assert tuple(solution.run_warp([("if", HALF, [5], [7])])) == (13, 224, 1)
    assert tuple(solution.run_warp([("if", EVEN, [5], [7])])) == (13, 224, 1)


def test_uniform_branch_skips_the_side_nobody_takes(solution):
    assert tuple(solution.run_warp([("if", ALL, [5], [7])])) == (6, 192, 0)
    assert tuple(solution.run_warp([("if", "F" * 32, [5], [7])])) == (8, 256, 0)
    assert tuple(solution.run_warp([("if", "F" * 32, [5])])) == (1, 32, 0)


def test_if_without_else_leaves_the_false_lanes_waiting(solution):
    assert tuple(solution.run_warp([("if", "T" + "F" * 31, [9])])) == (10, 41, 1)


def test_lanes_reconverge_after_the_if(solution):
    program = [("if", HALF, [1], [1]), 10, ("if", EVEN, [1], [1]), 10]
    assert tuple(solution.run_warp(program)) == (26, 768, 2)


def test_nested_ifs_split_only_their_own_lanes(solution):
    inner = ("if", ("TTFF" * 8), [4], [2])
    program = [("if", HALF, [inner, 1], [inner, 1]), 1]
    assert tuple(solution.run_warp(program)) == model_run(program)
    assert tuple(solution.run_warp(program)) == (18, 224, 3)


def test_inactive_lane_characters_are_ignored_edge(solution):
    cond = "T" * 8 + "F" * 24
    assert tuple(solution.run_warp([("if", cond, [2], [2])], lanes=8)) == (3, 24, 0)
    assert tuple(solution.run_warp([("if", HALF, [("if", EVEN[:16] + "T" * 16, [1])])])) == \
        (3, 56, 2)


# -- loops -------------------------------------------------------------------------------------


def test_uniform_loop_issues_one_check_per_trip_plus_the_last(solution):
    assert tuple(solution.run_warp([("loop", [3] * 32, [2])])) == (10, 320, 0)


def test_loop_runs_until_its_longest_lane_is_done(solution):
    counts = [1] * 31 + [8]
    assert tuple(solution.run_warp([("loop", counts, [3])])) == (33, 188, 1)
    counts = list(range(32))
    assert tuple(solution.run_warp([("loop", counts, [1])])) == model_run([("loop", counts, [1])])
    assert solution.run_warp([("loop", counts, [1])]).divergent_branches == 31


def test_loop_that_no_lane_enters_edge(solution):
    assert tuple(solution.run_warp([("loop", [0] * 32, [5])])) == (1, 32, 0)
    counts = [0] * 16 + [1] * 16
    assert tuple(solution.run_warp([("loop", counts, [5])])) == (7, 128, 1)


def test_lanes_reconverge_after_the_loop(solution):
    program = [("loop", [2] * 8 + [0] * 24, [1]), 4]
    assert tuple(solution.run_warp(program)) == (9, 192, 1)


def test_branches_inside_loops_and_loops_inside_branches(solution):
    program = [("loop", [3] * 16 + [1] * 16, [("if", EVEN, [2])])]
    assert tuple(solution.run_warp(program)) == (13, 224, 4)
    program = [("if", HALF, [("loop", list(range(32)), [2])], [1])]
    assert tuple(solution.run_warp(program)) == model_run(program)


def test_efficiency_property(solution):
    run = solution.run_warp([("loop", [1] * 31 + [8], [3])])
    assert run.efficiency == pytest.approx(188 / (32 * 33))
    assert solution.run_warp([4], lanes=8).efficiency == pytest.approx(0.25)


def test_random_programs_match_the_model(solution):
    numbers = lcg(3)
    for _ in range(100):
        program = random_program(numbers, 0)
        lanes = next(numbers) % 32 + 1
        assert tuple(solution.run_warp(program, lanes)) == model_run(program, lanes), program


# -- malformed input ---------------------------------------------------------------------------


def test_lanes_out_of_range_edge(solution):
    for lanes in (0, -1, 33):
        with pytest.raises(ValueError):
            solution.run_warp([1], lanes)


def test_malformed_statements_raise_edge(solution):
    bad = [
        [-1],
        [("if", "T" * 31, [1])],
        [("if", "T" * 31 + "x", [1])],
        [("loop", [1] * 31, [1])],
        [("loop", [1] * 31 + [-2], [1])],
        [("while", [1] * 32, [1])],
        ["add"],
    ]
    for program in bad:
        with pytest.raises(ValueError):
            solution.run_warp(program)


def test_malformed_statement_in_a_body_nobody_runs_edge(solution):
    with pytest.raises(ValueError):
        solution.run_warp([("if", "F" * 32, [("loop", [1] * 5, [1])])])
    with pytest.raises(ValueError):
        solution.run_warp([("loop", [0] * 32, [-3])])


# -- ordering tasks ----------------------------------------------------------------------------


def test_warp_order_is_a_permutation(solution):
    for count, seed in [*WORKLOADS, (1000, 9), (32, 5)]:
        trip_counts = spmv_rows(count, seed)
        order = solution.warp_order(trip_counts)
        assert sorted(order) == list(range(count)), count


def test_warp_order_of_no_tasks_edge(solution):
    assert list(solution.warp_order([])) == []
    assert list(solution.warp_order([7])) == [0]


def test_warp_order_does_not_change_the_counts(solution):
    trip_counts = spmv_rows(200, 1)
    kept = list(trip_counts)
    solution.warp_order(trip_counts)
    assert trip_counts == kept


def test_warp_order_within_the_instruction_budget(solution, measure):
    total = 0
    for count, seed in WORKLOADS:
        trip_counts = spmv_rows(count, seed)
        order = list(solution.warp_order(trip_counts))
        assert sorted(order) == list(range(count))
        total += issued_for_order(trip_counts, order)
    assert total <= BUDGET * REFERENCE_ISSUED, (
        f"the orders issue {total} instructions; the budget is {BUDGET * REFERENCE_ISSUED:g}")
    measure("issued_instructions", total)
