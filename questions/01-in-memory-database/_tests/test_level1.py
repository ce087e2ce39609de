"""Level 1 hidden tests: set, get and delete on records of string fields."""

import random


def test_get_returns_value_after_set(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    assert db.get("user1", "name") == "Ada"


def test_get_of_missing_record_on_empty_database_is_none_edge(solution):
    db = solution.InMemoryDB()
    assert db.get("nobody", "name") is None


def test_get_of_missing_record_among_others_is_none_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    assert db.get("user2", "name") is None


def test_get_of_missing_field_in_existing_record_is_none_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    assert db.get("user1", "email") is None


def test_set_overwrites_existing_value(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.set("user1", "name", "Grace")
    assert db.get("user1", "name") == "Grace"


def test_same_field_in_different_records_is_independent(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.set("user2", "name", "Alan")
    db.set("user2", "name", "Barbara")
    assert db.get("user1", "name") == "Ada"
    assert db.get("user2", "name") == "Barbara"


def test_fields_of_one_record_are_independent(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.set("user1", "city", "London")
    assert db.get("user1", "name") == "Ada"
    assert db.get("user1", "city") == "London"


def test_delete_existing_field_returns_true_and_removes_it(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    assert db.delete("user1", "name") is True
    assert db.get("user1", "name") is None


def test_delete_keeps_the_other_fields_of_the_record_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.set("user1", "city", "London")
    assert db.delete("user1", "name") is True
    assert db.get("user1", "city") == "London"


def test_delete_of_missing_record_returns_false_edge(solution):
    db = solution.InMemoryDB()
    assert db.delete("nobody", "name") is False
    assert db.get("nobody", "name") is None


def test_delete_of_missing_field_returns_false_and_changes_nothing_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    assert db.delete("user1", "email") is False
    assert db.get("user1", "name") == "Ada"


def test_delete_twice_returns_false_the_second_time_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    assert db.delete("user1", "name") is True
    assert db.delete("user1", "name") is False


def test_set_after_delete_creates_the_field_again(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.delete("user1", "name")
    db.set("user1", "name", "Grace")
    assert db.get("user1", "name") == "Grace"


def test_empty_string_value_is_stored_and_returned_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "nickname", "")
    assert db.get("user1", "nickname") == ""
    assert db.delete("user1", "nickname") is True
    assert db.get("user1", "nickname") is None


def test_keys_and_fields_are_case_sensitive_edge(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.set("User1", "Name", "Alan")
    assert db.get("user1", "name") == "Ada"
    assert db.get("User1", "Name") == "Alan"
    assert db.get("user1", "Name") is None
    assert db.get("User1", "name") is None


def test_values_are_returned_as_the_strings_given(solution):
    db = solution.InMemoryDB()
    db.set("counter", "hits", "007")
    db.set("counter", "ratio", "1e3")
    assert db.get("counter", "hits") == "007"
    assert db.get("counter", "ratio") == "1e3"


def test_random_operations_match_a_simple_model(solution):
    rng = random.Random(101)
    db = solution.InMemoryDB()
    model: dict[str, dict[str, str]] = {}
    keys, fields = ["k0", "k1", "k2", "K0"], ["a", "b", "c", "ab", "A"]
    for step in range(3000):
        key, field = rng.choice(keys), rng.choice(fields)
        action = rng.random()
        if action < 0.45:
            value = str(rng.randrange(100))
            db.set(key, field, value)
            model.setdefault(key, {})[field] = value
        elif action < 0.75:
            expected = model.get(key, {}).get(field)
            assert db.get(key, field) == expected, f"step {step}: get({key!r}, {field!r})"
        else:
            expected = field in model.get(key, {})
            if expected:
                del model[key][field]
            assert db.delete(key, field) is expected, f"step {step}: delete({key!r}, {field!r})"
