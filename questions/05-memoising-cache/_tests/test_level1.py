"""Level 1 hidden tests: make_key, the cache-key builder."""

import copy
import enum
import fractions
import random
from collections import namedtuple

import pytest


def same(solution, first, second):
    """True when the two calls (args, kwargs) get equal keys; checks hashing too."""
    key1, key2 = solution.make_key(*first), solution.make_key(*second)
    hash1, hash2 = hash(key1), hash(key2)
    if key1 == key2:
        assert hash1 == hash2, "equal keys must have equal hashes"
        return True
    return False


def test_equal_calls_give_equal_keys_and_hashes(solution):
    assert same(solution, ((1, "a", None), {"n": 2.5}), ((1, "a", None), {"n": 2.5}))


def test_argument_order_matters(solution):
    assert not same(solution, ((1, 2), {}), ((2, 1), {}))


def test_keyword_order_does_not_matter(solution):
    assert same(solution, ((), {"a": 1, "b": 2, "c": 3}), ((), {"c": 3, "a": 1, "b": 2}))


def test_different_keyword_values_give_different_keys(solution):
    assert not same(solution, ((), {"a": 1, "b": 2}), ((), {"a": 2, "b": 1}))


def test_no_arguments_at_all_edge(solution):
    assert same(solution, ((), {}), ((), {}))
    assert not same(solution, ((), {}), ((None,), {}))


def test_int_float_and_bool_give_different_keys_edge(solution):
    for first, second in [(1, 1.0), (1, True), (1.0, True), (0, False), (0, 0.0), (0.0, False)]:
        assert not same(solution, ((first,), {}), ((second,), {})), (first, second)


def test_str_and_bytes_give_different_keys_edge(solution):
    assert not same(solution, (("a",), {}), ((b"a",), {}))


def test_positional_and_keyword_arguments_give_different_keys_edge(solution):
    assert not same(solution, ((1,), {}), ((), {"x": 1}))


def test_keyword_pair_is_not_confused_with_a_positional_tuple_edge(solution):
    assert not same(solution, (("a", ("b", 1)), {}), (("a",), {"b": 1}))
    assert not same(solution, ((("x", 1),), {}), ((), {"x": 1}))


def test_lists_are_supported_and_compare_by_content(solution):
    assert same(solution, (([1, 2, 3],), {}), (([1, 2, 3],), {}))
    assert not same(solution, (([1, 2, 3],), {}), (([1, 2],), {}))


def test_list_and_tuple_give_different_keys_edge(solution):
    assert not same(solution, (([1, 2],), {}), (((1, 2),), {}))
    assert not same(solution, (([],), {}), (((),), {}))


def test_nested_containers_are_supported(solution):
    value = [1, {"k": [2, (3, {4, 5})], "m": {"n": None}}, frozenset({b"x"})]
    assert same(solution, ((value,), {"opt": [value]}), ((copy.deepcopy(value),),
                                                           {"opt": [copy.deepcopy(value)]}))
    changed = copy.deepcopy(value)
    changed[1]["k"][1] = (3, {4, 6})
    assert not same(solution, ((value,), {}), ((changed,), {}))


def test_nested_list_and_tuple_stay_different_edge(solution):
    assert not same(solution, (([1, [2, 3]],), {}), (([1, (2, 3)],), {}))


def test_dict_argument_ignores_insertion_order(solution):
    assert same(solution, (({"a": 1, "b": [2]},), {}), (({"b": [2], "a": 1},), {}))


def test_dict_and_list_of_pairs_give_different_keys_edge(solution):
    assert not same(solution, (({"a": 1},), {}), (([("a", 1)],), {}))


def test_set_argument_ignores_iteration_order_edge(solution):
    first, second = set([1, 9, 17]), set([17, 9, 1])
    assert list(first) != list(second)  # equal sets that iterate in different orders
    assert same(solution, ((first,), {}), ((second,), {}))


def test_set_and_frozenset_give_different_keys_edge(solution):
    assert not same(solution, (({1, 2},), {}), ((frozenset({1, 2}),), {}))


def test_mixed_type_dict_keys_and_set_elements_are_supported_edge(solution):
    assert same(solution, (({1: "a", "b": 2, None: [3]},), {}),
                (({None: [3], "b": 2, 1: "a"},), {}))
    assert same(solution, (({1, "a", (2, 3), None},), {}), (({None, (2, 3), "a", 1},), {}))


def test_dict_keys_keep_their_types_edge(solution):
    assert not same(solution, (({1: "a"},), {}), (({1.0: "a"},), {}))
    assert not same(solution, (({1: "a"},), {}), (({True: "a"},), {}))


def test_set_elements_keep_their_types_edge(solution):
    assert not same(solution, (({1},), {}), (({1.0},), {}))
    assert not same(solution, (({0, "x"},), {}), (({False, "x"},), {}))


def test_empty_values_and_none_are_all_different_edge(solution):
    empties = [None, 0, "", b"", (), [], {}, set(), frozenset(), False, 0.0]
    keys = [solution.make_key((value,), {}) for value in empties]
    for i, first in enumerate(keys):
        hash(first)
        for j, second in enumerate(keys):
            assert (first == second) == (i == j), (empties[i], empties[j])


class Point:
    """A hashable value object of a type the key builder does not know."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return hash((self.x, self.y))


class SubPoint(Point):
    pass


def test_other_hashable_objects_are_used_as_they_are(solution):
    assert same(solution, ((Point(1, 2),), {"p": Point(3, 4)}),
                ((Point(1, 2),), {"p": Point(3, 4)}))
    assert not same(solution, ((Point(1, 2),), {}), ((Point(2, 1),), {}))
    assert same(solution, (([Point(1, 2)],), {}), (([Point(1, 2)],), {}))


def test_other_objects_are_only_equal_to_the_same_type_edge(solution):
    assert not same(solution, ((Point(1, 2),), {}), ((SubPoint(1, 2),), {}))
    assert not same(solution, ((fractions.Fraction(1, 2),), {}), ((0.5,), {}))


def test_subclasses_of_supported_types_are_their_own_type_edge(solution):
    Pair = namedtuple("Pair", "a b")

    class Colour(enum.IntEnum):
        RED = 1

    assert not same(solution, ((Pair(1, 2),), {}), (((1, 2),), {}))
    assert not same(solution, ((Colour.RED,), {}), ((1,), {}))
    assert same(solution, ((Pair(1, 2),), {}), ((Pair(1, 2),), {}))


class Unhashable:
    __hash__ = None


def test_unhashable_unsupported_values_raise_type_error_edge(solution):
    for args, kwargs in [((bytearray(b"x"),), {}), ((), {"k": bytearray(b"x")}),
                         (([1, [bytearray()]],), {}), (({"a": {"b": Unhashable()}},), {}),
                         ((Unhashable(),), {})]:
        with pytest.raises(TypeError):
            solution.make_key(args, kwargs)


def test_key_is_a_snapshot_of_mutable_arguments_edge(solution):
    values = [1, 2]
    mapping = {"a": [1]}
    key = solution.make_key((values,), {"m": mapping})
    values.append(3)
    mapping["a"].append(2)
    assert key == solution.make_key(([1, 2],), {"m": {"a": [1]}})
    assert key != solution.make_key((values,), {"m": mapping})


# -- a randomised check against a canonical form ---------------------------------------------


def canonical(value):
    """A string that is equal for two values exactly when the key rules call them equal."""
    kind = type(value).__name__
    if isinstance(value, list | tuple):
        return f"{kind}[{','.join(canonical(v) for v in value)}]"
    if isinstance(value, set | frozenset):
        return f"{kind}{{{','.join(sorted(canonical(v) for v in value))}}}"
    if isinstance(value, dict):
        items = sorted(f"{canonical(k)}:{canonical(v)}" for k, v in value.items())
        return f"dict{{{','.join(items)}}}"
    return f"{kind}:{value!r}"


def random_value(rng, depth=0):
    atoms = [None, True, False, 0, 1, 2, 0.0, 1.0, 2.5, "", "a", "b", b"a", (), frozenset()]
    if depth >= 3 or rng.random() < 0.45:
        return rng.choice(atoms)
    size = rng.randrange(3)
    kind = rng.choice(["list", "tuple", "dict", "set", "frozenset"])
    if kind in ("list", "tuple"):
        items = [random_value(rng, depth + 1) for _ in range(size)]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {rng.choice(atoms): random_value(rng, depth + 1) for _ in range(size)}
    elements = [rng.choice(atoms) for _ in range(size)]
    return set(elements) if kind == "set" else frozenset(elements)


def test_random_values_get_equal_keys_exactly_when_they_are_the_same(solution):
    rng = random.Random(505)
    calls = []
    for _ in range(250):
        args = tuple(random_value(rng) for _ in range(rng.randrange(3)))
        kwargs = {name: random_value(rng) for name in rng.sample("xyz", rng.randrange(3))}
        calls.append((args, kwargs))
    forms = [canonical(list(args)) + canonical(kwargs) for args, kwargs in calls]
    keys = [solution.make_key(args, kwargs) for args, kwargs in calls]
    copies = [solution.make_key(copy.deepcopy(args), dict(reversed(copy.deepcopy(kwargs).items())))
              for args, kwargs in calls]
    for i in range(len(calls)):
        assert keys[i] == copies[i] and hash(keys[i]) == hash(copies[i]), calls[i]
        for j in range(i):
            assert (keys[i] == keys[j]) == (forms[i] == forms[j]), (calls[i], calls[j])
