"""Level 2 hidden tests: scan and scan_by_prefix."""

import random


def _car(solution):
    db = solution.InMemoryDB()
    db.set("car", "model", "T")
    db.set("car", "make", "Ford")
    db.set("car", "year", "1908")
    db.set("car", "colour", "black")
    return db


def test_scan_lists_every_field_sorted_by_field_name(solution):
    db = _car(solution)
    assert db.scan("car") == ["colour(black)", "make(Ford)", "model(T)", "year(1908)"]


def test_scan_of_missing_record_is_empty_edge(solution):
    db = _car(solution)
    assert db.scan("boat") == []


def test_scan_of_empty_database_is_empty_edge(solution):
    assert solution.InMemoryDB().scan("car") == []


def test_scan_sorts_by_field_name_not_by_value(solution):
    db = solution.InMemoryDB()
    db.set("r", "b", "1")
    db.set("r", "a", "2")
    db.set("r", "c", "0")
    assert db.scan("r") == ["a(2)", "b(1)", "c(0)"]


def test_scan_order_is_plain_string_order_with_digits_and_uppercase_edge(solution):
    db = solution.InMemoryDB()
    for field in ["f2", "b", "f10", "B", "a", "A1", "9", "_x"]:
        db.set("r", field, field.lower())
    assert db.scan("r") == [
        "9(9)", "A1(a1)", "B(b)", "_x(_x)", "a(a)", "b(b)", "f10(f10)", "f2(f2)",
    ]


def test_scan_shows_the_latest_value_after_overwrite(solution):
    db = _car(solution)
    db.set("car", "model", "A")
    assert db.scan("car") == ["colour(black)", "make(Ford)", "model(A)", "year(1908)"]


def test_scan_leaves_out_deleted_fields(solution):
    db = _car(solution)
    db.delete("car", "make")
    assert db.scan("car") == ["colour(black)", "model(T)", "year(1908)"]


def test_scan_after_deleting_every_field_is_empty_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "a", "1")
    db.set("r", "b", "2")
    db.delete("r", "a")
    db.delete("r", "b")
    assert db.scan("r") == []
    assert db.scan_by_prefix("r", "") == []


def test_scan_shows_an_empty_value_as_empty_parentheses_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "blank", "")
    db.set("r", "full", "x")
    assert db.scan("r") == ["blank()", "full(x)"]


def test_scan_by_prefix_keeps_matching_fields_sorted(solution):
    db = _car(solution)
    db.set("car", "mass", "540")
    assert db.scan_by_prefix("car", "m") == ["make(Ford)", "mass(540)", "model(T)"]
    assert db.scan_by_prefix("car", "ma") == ["make(Ford)", "mass(540)"]


def test_scan_by_prefix_with_empty_prefix_returns_every_field_edge(solution):
    db = _car(solution)
    assert db.scan_by_prefix("car", "") == db.scan("car")
    assert len(db.scan_by_prefix("car", "")) == 4


def test_scan_by_prefix_includes_a_field_equal_to_the_prefix_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "id", "1")
    db.set("r", "idx", "2")
    db.set("r", "i", "3")
    assert db.scan_by_prefix("r", "id") == ["id(1)", "idx(2)"]


def test_scan_by_prefix_matches_only_at_the_start_of_the_field_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "name", "1")
    db.set("r", "nickname", "2")
    db.set("r", "surname", "3")
    assert db.scan_by_prefix("r", "name") == ["name(1)"]


def test_scan_by_prefix_looks_at_field_names_not_values_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "colour", "blue")
    db.set("r", "size", "big")
    assert db.scan_by_prefix("r", "b") == []


def test_scan_by_prefix_longer_than_every_field_is_empty_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "ab", "1")
    assert db.scan_by_prefix("r", "abc") == []


def test_scan_by_prefix_is_case_sensitive_edge(solution):
    db = solution.InMemoryDB()
    db.set("r", "Name", "1")
    db.set("r", "name", "2")
    assert db.scan_by_prefix("r", "n") == ["name(2)"]
    assert db.scan_by_prefix("r", "N") == ["Name(1)"]


def test_scan_by_prefix_of_missing_record_is_empty_edge(solution):
    db = _car(solution)
    assert db.scan_by_prefix("boat", "m") == []


def test_scans_only_look_at_their_own_record(solution):
    db = _car(solution)
    db.set("bike", "make", "Raleigh")
    assert db.scan("bike") == ["make(Raleigh)"]
    assert db.scan_by_prefix("car", "make") == ["make(Ford)"]


def test_random_scans_match_a_simple_model(solution):
    rng = random.Random(202)
    db = solution.InMemoryDB()
    model: dict[str, dict[str, str]] = {}
    keys = ["r0", "r1", "R0"]
    fields = ["a", "ab", "abc", "b", "B", "a1", "a10", "a2", "Ab", "_"]
    prefixes = ["", "a", "ab", "A", "b", "a1", "z", "abcd", "_"]
    for step in range(2500):
        key, field = rng.choice(keys), rng.choice(fields)
        action = rng.random()
        if action < 0.4:
            value = rng.choice(["", "x", "y", "(", "12"])
            db.set(key, field, value)
            model.setdefault(key, {})[field] = value
        elif action < 0.55:
            expected = field in model.get(key, {})
            if expected:
                del model[key][field]
            assert db.delete(key, field) is expected, f"step {step}"
        elif action < 0.75:
            record = model.get(key, {})
            expected = [f"{name}({record[name]})" for name in sorted(record)]
            assert db.scan(key) == expected, f"step {step}: scan({key!r})"
        else:
            prefix = rng.choice(prefixes)
            record = model.get(key, {})
            expected = [f"{name}({record[name]})" for name in sorted(record)
                        if name.startswith(prefix)]
            assert db.scan_by_prefix(key, prefix) == expected, (
                f"step {step}: scan_by_prefix({key!r}, {prefix!r})")
