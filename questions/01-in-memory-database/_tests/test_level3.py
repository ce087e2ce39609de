"""Level 3 hidden tests: timestamped calls and time to live.

Timestamps strictly increase from one timestamped call to the next in every
test, as QUESTION.md promises.
"""

import random


def test_set_at_and_get_at_round_trip(solution):
    db = solution.InMemoryDB()
    db.set_at("r", "a", "1", 1)
    assert db.get_at("r", "a", 2) == "1"


def test_set_at_field_never_expires(solution):
    db = solution.InMemoryDB()
    db.set_at("r", "a", "1", 1)
    assert db.get_at("r", "a", 10**9) == "1"


def test_get_at_of_missing_record_or_field_is_none_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("r", "a", "1", 1)
    assert db.get_at("r", "b", 2) is None
    assert db.get_at("s", "a", 3) is None


def test_ttl_field_is_visible_from_its_own_timestamp(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 5, 3)
    assert db.get_at("r", "a", 6) == "1"


def test_ttl_field_is_visible_at_the_last_instant_of_its_lifetime_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 5, 3)
    assert db.get_at("r", "a", 7) == "1"


def test_ttl_field_expires_exactly_at_timestamp_plus_ttl_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 5, 3)
    assert db.get_at("r", "a", 8) is None


def test_ttl_field_stays_expired_later_on(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 5, 3)
    assert db.get_at("r", "a", 100) is None
    assert db.get_at("r", "a", 200) is None


def test_ttl_of_one_lives_for_a_single_instant_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 5, 1)
    assert db.get("r", "a") == "1"  # a plain call acts at time 5
    assert db.scan("r") == ["a(1)"]
    assert db.scan_at("r", 6) == []


def test_setting_a_ttl_field_again_resets_its_expiry_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    db.set_at_with_ttl("r", "a", "2", 13, 5)
    assert db.get_at("r", "a", 17) == "2"
    assert db.get_at("r", "a", 18) is None


def test_setting_again_with_a_shorter_ttl_shortens_the_expiry_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 100)
    db.set_at_with_ttl("r", "a", "2", 20, 2)
    assert db.get_at("r", "a", 21) == "2"
    assert db.get_at("r", "a", 22) is None


def test_set_at_after_a_ttl_makes_the_field_non_expiring_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    db.set_at("r", "a", "2", 12)
    assert db.get_at("r", "a", 15) == "2"
    assert db.get_at("r", "a", 1000) == "2"


def test_plain_set_after_a_ttl_makes_the_field_non_expiring_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    db.set("r", "a", "2")
    assert db.get_at("r", "a", 15) == "2"


def test_ttl_set_on_a_non_expiring_field_makes_it_expire(solution):
    db = solution.InMemoryDB()
    db.set_at("r", "a", "1", 10)
    db.set_at_with_ttl("r", "a", "2", 11, 4)
    assert db.get_at("r", "a", 14) == "2"
    assert db.get_at("r", "a", 15) is None


def test_expired_field_can_be_written_again(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 2)
    assert db.get_at("r", "a", 12) is None
    db.set_at_with_ttl("r", "a", "2", 13, 2)
    assert db.get_at("r", "a", 14) == "2"
    assert db.get_at("r", "a", 15) is None


def test_delete_at_live_field_returns_true_and_removes_it(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    assert db.delete_at("r", "a", 14) is True
    assert db.get_at("r", "a", 15) is None


def test_delete_at_of_expired_field_returns_false_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    assert db.delete_at("r", "a", 15) is False


def test_delete_at_of_missing_field_returns_false_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("r", "a", "1", 1)
    assert db.delete_at("r", "b", 2) is False
    assert db.delete_at("s", "a", 3) is False


def test_delete_at_then_set_at_creates_a_fresh_field(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    assert db.delete_at("r", "a", 11) is True
    db.set_at("r", "a", "2", 12)
    assert db.get_at("r", "a", 100) == "2"


def test_scan_at_leaves_out_expired_fields(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 1, 5)
    db.set_at("r", "b", "2", 2)
    db.set_at_with_ttl("r", "c", "3", 3, 10)
    assert db.scan_at("r", 5) == ["a(1)", "b(2)", "c(3)"]
    assert db.scan_at("r", 6) == ["b(2)", "c(3)"]
    assert db.scan_at("r", 13) == ["b(2)"]


def test_scan_by_prefix_at_leaves_out_expired_fields(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "ab", "1", 1, 5)
    db.set_at("r", "ac", "2", 2)
    db.set_at("r", "b", "3", 3)
    assert db.scan_by_prefix_at("r", "a", 4) == ["ab(1)", "ac(2)"]
    assert db.scan_by_prefix_at("r", "a", 6) == ["ac(2)"]


def test_scan_at_of_record_whose_fields_all_expired_is_empty_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 1, 2)
    db.set_at_with_ttl("r", "b", "2", 2, 2)
    assert db.scan_at("r", 4) == []
    assert db.scan_by_prefix_at("r", "", 5) == []


def test_plain_get_acts_at_the_latest_timestamp_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    assert db.get("r", "a") == "1"
    assert db.get_at("r", "b", 15) is None
    assert db.get("r", "a") is None


def test_plain_scan_leaves_out_fields_expired_at_the_latest_timestamp_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    db.set_at("r", "b", "2", 11)
    assert db.scan("r") == ["a(1)", "b(2)"]
    db.set_at("other", "x", "0", 20)
    assert db.scan("r") == ["b(2)"]
    assert db.scan_by_prefix("r", "a") == []


def test_plain_delete_of_field_expired_at_the_latest_timestamp_returns_false_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("r", "a", "1", 10, 5)
    db.set_at("other", "x", "0", 20)
    assert db.delete("r", "a") is False


def test_plain_set_writes_a_non_expiring_field(solution):
    db = solution.InMemoryDB()
    db.set_at("r", "a", "1", 10)
    db.set("r", "b", "2")
    assert db.get_at("r", "b", 10**9) == "2"


def test_random_timestamped_operations_match_a_simple_model(solution):
    rng = random.Random(303)
    db = solution.InMemoryDB()
    # key -> field -> (value, absolute expiry or None)
    model: dict[str, dict[str, tuple[str, int | None]]] = {}

    def live(key, time):
        return {name: value for name, (value, expiry) in model.get(key, {}).items()
                if expiry is None or time < expiry}

    def scanned(key, time, prefix=""):
        record = live(key, time)
        return [f"{name}({record[name]})" for name in sorted(record) if name.startswith(prefix)]

    keys, fields, prefixes = ["r0", "r1"], ["a", "ab", "b", "B", "c"], ["", "a", "b", "ab"]
    latest = 0  # the current time of plain calls
    for step in range(4000):
        key, field = rng.choice(keys), rng.choice(fields)
        value = str(rng.randrange(50))
        action = rng.random()
        if action < 0.85:  # a timestamped call
            latest += rng.choice([1, 1, 1, 2, 3])
        now, where = latest, f"step {step} at t={latest}"
        if action < 0.25:
            ttl = rng.choice([1, 2, 3, 5, 8])
            db.set_at_with_ttl(key, field, value, now, ttl)
            model.setdefault(key, {})[field] = (value, now + ttl)
        elif action < 0.33:
            db.set_at(key, field, value, now)
            model.setdefault(key, {})[field] = (value, None)
        elif action < 0.5:
            assert db.get_at(key, field, now) == live(key, now).get(field), where
        elif action < 0.6:
            expected = field in live(key, now)
            if expected:
                del model[key][field]
            assert db.delete_at(key, field, now) is expected, where
        elif action < 0.72:
            assert db.scan_at(key, now) == scanned(key, now), where
        elif action < 0.85:
            prefix = rng.choice(prefixes)
            assert db.scan_by_prefix_at(key, prefix, now) == scanned(key, now, prefix), where
        elif action < 0.89:
            db.set(key, field, value)
            model.setdefault(key, {})[field] = (value, None)
        elif action < 0.93:
            assert db.get(key, field) == live(key, now).get(field), where
        elif action < 0.96:
            expected = field in live(key, now)
            if expected:
                del model[key][field]
            assert db.delete(key, field) is expected, where
        else:
            assert db.scan(key) == scanned(key, now), where
