"""Level 1 hidden tests: the dependency order and the named cycle."""

import random
from typing import NamedTuple

import pytest


class Task(NamedTuple):
    name: str
    duration: int
    deps: tuple = ()
    timeout: int | None = None


def fast_dag(n, seed, max_deps=3):
    """A random DAG whose dependencies always have a smaller index, built in O(n + e)."""
    rng = random.Random(seed)
    names = [f"n{i:05d}" for i in range(n)]
    tasks = []
    for i, name in enumerate(names):
        count = rng.randint(0, min(i, max_deps))
        tasks.append(Task(name, 1, tuple(names[j] for j in rng.sample(range(i), count))))
    rng.shuffle(tasks)
    return tasks


def model_order(tasks):
    """Smallest-name-first Kahn order, by plain scanning (small inputs only)."""
    deps = {t.name: set(t.deps) for t in tasks}
    placed, order = set(), []
    while len(order) < len(deps):
        ready = [name for name in deps if name not in placed and deps[name] <= placed]
        order.append(min(ready))
        placed.add(order[-1])
    return order


def assert_valid_order(order, tasks):
    assert sorted(order) == sorted(t.name for t in tasks)
    where = {name: i for i, name in enumerate(order)}
    for task in tasks:
        for dep in task.deps:
            assert where[dep] < where[task.name], f"{task.name} placed before its dependency {dep}"


def cycle_of(solution, tasks):
    with pytest.raises(solution.CycleError) as err:
        solution.topo_order(tasks)
    return list(err.value.cycle)


# -- the order ---------------------------------------------------------------------------------


def test_order_places_every_task_after_its_dependencies(solution):
    tasks = fast_dag(150, seed=3)
    order = solution.topo_order(tasks)
    assert_valid_order(order, tasks)


def test_ready_ties_go_to_the_smallest_name(solution):
    tasks = [Task("zeta", 1), Task("beta", 1, ("zeta",)), Task("alpha", 1, ("zeta",)),
             Task("omega", 1), Task("mu", 1, ("alpha",))]
    assert solution.topo_order(tasks) == ["omega", "zeta", "alpha", "beta", "mu"]


def test_order_is_the_smallest_name_order_on_random_dags(solution):
    for seed in (1, 2, 3):
        tasks = fast_dag(120, seed=seed)
        assert solution.topo_order(tasks) == model_order(tasks), f"seed {seed}"


def test_order_does_not_depend_on_the_input_list_order(solution):
    tasks = fast_dag(100, seed=9)
    expected = model_order(tasks)
    for seed in range(3):
        shuffled = list(tasks)
        random.Random(seed).shuffle(shuffled)
        assert solution.topo_order(shuffled) == expected
    assert solution.topo_order(list(reversed(tasks))) == expected


def test_empty_task_list_gives_an_empty_order_edge(solution):
    assert solution.topo_order([]) == []


def test_a_dependency_listed_twice_counts_once_edge(solution):
    tasks = [Task("b", 1, ("a", "a")), Task("a", 1), Task("c", 1, ("b", "a", "b"))]
    assert solution.topo_order(tasks) == ["a", "b", "c"]


def test_durations_and_timeouts_do_not_change_the_order(solution):
    tasks = [Task("b", 100), Task("a", 1, (), 5), Task("c", 50, ("a",))]
    assert solution.topo_order(tasks) == ["a", "b", "c"]


# -- input errors ------------------------------------------------------------------------------


def test_duplicate_task_name_raises_value_error_edge(solution):
    with pytest.raises(ValueError) as err:
        solution.topo_order([Task("a", 1), Task("b", 1), Task("a", 2)])
    assert not isinstance(err.value, solution.CycleError)


def test_unknown_dependency_raises_naming_it_edge(solution):
    with pytest.raises(ValueError) as err:
        solution.topo_order([Task("a", 1), Task("b", 1, ("a", "phantom"))])
    assert not isinstance(err.value, solution.CycleError)
    assert "phantom" in str(err.value)


def test_unknown_dependency_is_reported_before_a_cycle_edge(solution):
    tasks = [Task("a", 1, ("b",)), Task("b", 1, ("a",)), Task("c", 1, ("nowhere",))]
    with pytest.raises(ValueError) as err:
        solution.topo_order(tasks)
    assert not isinstance(err.value, solution.CycleError)
    assert "nowhere" in str(err.value)


# -- naming the cycle --------------------------------------------------------------------------


def test_cycle_error_carries_the_path_and_a_readable_message(solution):
    tasks = [Task("c", 1, ("a",)), Task("b", 1, ("c",)), Task("a", 1, ("b",))]
    with pytest.raises(solution.CycleError) as err:
        solution.topo_order(tasks)
    assert list(err.value.cycle) == ["a", "b", "c", "a"]
    assert str(err.value) == "dependency cycle: a -> b -> c -> a"
    assert isinstance(err.value, ValueError)


def test_cycle_starts_where_the_walk_first_meets_it(solution):
    tasks = [Task("m", 1, ("q",)), Task("q", 1, ("r",)), Task("r", 1, ("s",)),
             Task("s", 1, ("q",)), Task("b", 1, ("m",))]
    assert cycle_of(solution, tasks) == ["q", "r", "s", "q"]


def test_cycle_walk_follows_dependencies_in_name_order(solution):
    tasks = [Task("a", 1, ("c", "b")), Task("b", 1, ("a",)), Task("c", 1, ("a",))]
    assert cycle_of(solution, tasks) == ["a", "b", "a"]
    tasks = [Task("k", 1, ("z", "y", "x")), Task("x", 1), Task("y", 1, ("k",)),
             Task("z", 1, ("k",))]
    assert cycle_of(solution, tasks) == ["k", "y", "k"]


def test_cycle_through_a_task_reached_from_an_acyclic_prefix_edge(solution):
    tasks = [Task("a", 1, ("x",)), Task("x", 1, ("y",)), Task("y", 1, ("x",))]
    assert cycle_of(solution, tasks) == ["x", "y", "x"]


def test_finished_tasks_are_not_mistaken_for_a_cycle_edge(solution):
    # The walk finishes a -> b first; later d reaches b again, which is not a cycle.
    tasks = [Task("a", 1, ("b",)), Task("b", 1), Task("c", 1, ("d",)),
             Task("d", 1, ("b", "c"))]
    assert cycle_of(solution, tasks) == ["c", "d", "c"]


def test_self_dependency_is_a_cycle_of_one_edge(solution):
    tasks = [Task("a", 1), Task("loop", 1, ("a", "loop")), Task("z", 1, ("loop",))]
    assert cycle_of(solution, tasks) == ["loop", "loop"]


def test_the_first_of_two_cycles_in_walk_order_is_reported(solution):
    tasks = [Task("p", 1, ("q",)), Task("q", 1, ("p",)), Task("e", 1, ("f",)),
             Task("f", 1, ("g",)), Task("g", 1, ("e",))]
    assert cycle_of(solution, tasks) == ["e", "f", "g", "e"]


# -- sizes -------------------------------------------------------------------------------------


def test_a_cycle_thousands_of_tasks_long_is_named_without_recursion_edge(solution):
    n = 4000
    names = [f"c{i:04d}" for i in range(n)]
    tasks = [Task(names[i], 1, (names[(i + 1) % n],)) for i in range(n)]
    cycle = cycle_of(solution, tasks)
    assert cycle == [*names, names[0]]


def test_a_chain_ten_thousand_long_is_ordered_edge(solution):
    n = 10000
    names = [f"s{i:05d}" for i in range(n)]
    tasks = [Task(names[i], 1, (names[i + 1],) if i + 1 < n else ()) for i in range(n)]
    assert solution.topo_order(tasks) == names[::-1]


def test_twenty_thousand_tasks_are_ordered_within_the_time_limit(solution):
    tasks = fast_dag(5000, seed=5)
    order = solution.topo_order(tasks)
    assert_valid_order(order, tasks)
    independent = [Task(f"w{i:05d}", 1) for i in range(20000)]
    random.Random(1).shuffle(independent)
    assert solution.topo_order(independent) == [f"w{i:05d}" for i in range(20000)]
