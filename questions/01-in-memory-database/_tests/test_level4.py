"""Level 4 hidden tests: backup and restore.

Timestamps strictly increase from one timestamped call to the next in every
test (``timestamp_to_restore`` points into the past and is exempt).
"""

import copy
import random

import pytest


def test_backup_returns_the_number_of_records(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.set_at("a", "y", "2", 2)
    db.set_at("b", "x", "3", 3)
    assert db.backup(4) == 2


def test_backup_of_empty_database_returns_zero_edge(solution):
    assert solution.InMemoryDB().backup(1) == 0


def test_backup_does_not_count_records_whose_fields_were_deleted_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.set_at("b", "x", "2", 2)
    db.delete_at("a", "x", 3)
    assert db.backup(4) == 1


def test_backup_does_not_count_records_whose_fields_all_expired_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 3)
    db.set_at_with_ttl("a", "y", "1", 2, 2)
    db.set_at_with_ttl("b", "x", "2", 3, 10)
    assert db.backup(4) == 1


def test_backup_counts_a_record_with_one_live_field_among_expired_ones(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 2)
    db.set_at("a", "y", "2", 2)
    assert db.backup(5) == 1


def test_backup_leaves_out_a_field_expiring_exactly_at_backup_time_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 4)
    db.set_at("b", "y", "2", 2)
    assert db.backup(5) == 1
    db.restore(10, 5)
    assert db.scan_at("a", 11) == []
    assert db.get_at("b", "y", 12) == "2"


def test_restore_brings_back_values_overwritten_after_the_backup(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "old", 1)
    db.backup(2)
    db.set_at("a", "x", "new", 3)
    db.restore(4, 2)
    assert db.get_at("a", "x", 5) == "old"


def test_restore_brings_back_fields_deleted_after_the_backup(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.backup(2)
    db.delete_at("a", "x", 3)
    db.restore(4, 2)
    assert db.get_at("a", "x", 5) == "1"


def test_restore_removes_records_and_fields_written_after_the_backup(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.backup(2)
    db.set_at("a", "y", "2", 3)
    db.set_at("b", "x", "3", 4)
    db.restore(5, 2)
    assert db.scan_at("a", 6) == ["x(1)"]
    assert db.scan_at("b", 7) == []


def test_restore_rebases_the_remaining_ttl_on_the_restore_time(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 10, 10)  # alive during [10, 20)
    db.backup(15)  # 5 left
    db.restore(100, 15)  # alive during [100, 105)
    assert db.get_at("a", "x", 104) == "1"


def test_restored_ttl_expires_exactly_at_restore_time_plus_remaining_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 10, 10)
    db.backup(15)
    db.restore(100, 15)
    assert db.get_at("a", "x", 105) is None


def test_restore_rebases_ttl_even_when_restoring_soon_after_the_backup_edge(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 10)  # alive during [1, 11)
    db.backup(6)  # 5 left
    db.restore(8, 6)  # alive during [8, 13)
    assert db.get_at("a", "x", 12) == "1"
    assert db.get_at("a", "x", 13) is None


def test_restore_keeps_non_expiring_fields_non_expiring(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.set_at_with_ttl("a", "y", "2", 2, 5)
    db.backup(3)
    db.restore(50, 3)
    assert db.get_at("a", "x", 10**9 - 1) == "1"


def test_restore_of_ttls_with_different_remaining_times(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 4)   # 2 left at 3
    db.set_at_with_ttl("a", "y", "2", 2, 10)  # 9 left at 3
    db.backup(3)
    db.restore(20, 3)
    assert db.scan_at("a", 21) == ["x(1)", "y(2)"]
    assert db.scan_at("a", 22) == ["y(2)"]
    assert db.scan_at("a", 28) == ["y(2)"]
    assert db.scan_at("a", 29) == []


def test_restore_picks_the_latest_backup_at_or_before_the_time_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "v1", 1)
    db.backup(2)
    db.set_at("a", "x", "v2", 3)
    db.backup(4)
    db.set_at("a", "x", "v3", 5)
    db.backup(6)
    db.set_at("a", "x", "v4", 7)
    db.restore(8, 5)
    assert db.get_at("a", "x", 9) == "v2"


def test_restore_uses_a_backup_taken_exactly_at_the_requested_time_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "v1", 1)
    db.backup(2)
    db.set_at("a", "x", "v2", 3)
    db.backup(4)
    db.set_at("a", "x", "v3", 5)
    db.restore(6, 4)
    assert db.get_at("a", "x", 7) == "v2"


def test_restore_before_the_first_backup_raises_value_error_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.backup(5)
    with pytest.raises(ValueError):
        db.restore(6, 4)


def test_restore_without_any_backup_raises_value_error_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    with pytest.raises(ValueError):
        db.restore(2, 1)


def test_failed_restore_leaves_the_data_unchanged_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "old", 1)
    db.backup(5)
    db.set_at("a", "x", "new", 6)
    db.set_at_with_ttl("b", "y", "2", 7, 10)
    with pytest.raises(ValueError):
        db.restore(8, 3)
    assert db.get_at("a", "x", 9) == "new"
    assert db.get_at("b", "y", 16) == "2"
    assert db.get_at("b", "y", 17) is None


def test_backup_is_not_changed_by_later_writes_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.backup(2)
    db.set_at("a", "x", "2", 3)
    db.set_at("a", "y", "3", 4)
    db.delete_at("a", "x", 5)
    db.restore(6, 2)
    assert db.scan_at("a", 7) == ["x(1)"]


def test_backup_is_not_changed_by_writes_after_a_restore_edge(solution):
    db = solution.InMemoryDB()
    db.set_at("a", "x", "1", 1)
    db.backup(2)
    db.restore(3, 2)
    db.set_at("a", "x", "2", 4)
    db.set_at("a", "y", "3", 5)
    db.restore(6, 2)
    assert db.scan_at("a", 7) == ["x(1)"]


def test_writes_after_restore_work_normally(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 10)
    db.backup(2)
    db.set_at("z", "z", "9", 3)
    db.restore(4, 2)
    db.set_at_with_ttl("a", "y", "2", 5, 3)
    assert db.delete_at("a", "x", 6) is True
    assert db.scan_at("a", 7) == ["y(2)"]
    assert db.scan_by_prefix_at("a", "y", 8) == []
    assert db.get_at("z", "z", 9) is None


def test_the_same_backup_can_be_restored_twice(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 10)  # 9 left at 2
    db.backup(2)
    db.restore(20, 2)
    db.set_at("a", "x", "changed", 21)
    db.restore(40, 2)  # alive during [40, 49)
    assert db.get_at("a", "x", 48) == "1"
    assert db.get_at("a", "x", 49) is None


def test_backup_after_restore_saves_the_restored_state(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 10)  # 8 left at 3
    db.backup(3)
    db.set_at("b", "y", "2", 4)
    db.restore(10, 3)  # a.x alive during [10, 18)
    assert db.backup(12) == 1  # 6 left at 12
    db.set_at("c", "z", "3", 13)
    db.restore(30, 12)  # a.x alive during [30, 36)
    assert db.get_at("a", "x", 35) == "1"
    assert db.get_at("a", "x", 36) is None
    assert db.get_at("c", "z", 37) is None


def test_restore_of_an_empty_backup_empties_the_database_edge(solution):
    db = solution.InMemoryDB()
    assert db.backup(1) == 0
    db.set_at("a", "x", "1", 2)
    db.restore(3, 1)
    assert db.get_at("a", "x", 4) is None
    assert db.scan_at("a", 5) == []
    assert db.backup(6) == 0


def test_plain_calls_after_restore_act_at_the_restore_time(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 5)  # 3 left at 3
    db.backup(3)
    db.restore(10, 3)  # alive during [10, 13)
    assert db.get("a", "x") == "1"
    assert db.scan("a") == ["x(1)"]


class _Model:
    """A tiny, obviously correct model of the whole database."""

    def __init__(self):
        self.records = {}  # key -> field -> (value, absolute expiry or None)
        self.backups = []  # (time, key -> field -> (value, remaining or None))

    def live(self, key, time):
        return {name: value for name, (value, expiry) in self.records.get(key, {}).items()
                if expiry is None or time < expiry}

    def write(self, key, field, value, expiry):
        self.records.setdefault(key, {})[field] = (value, expiry)

    def delete(self, key, field, time):
        if field not in self.live(key, time):
            return False
        del self.records[key][field]
        return True

    def scan(self, key, time, prefix=""):
        record = self.live(key, time)
        return [f"{name}({record[name]})" for name in sorted(record) if name.startswith(prefix)]

    def backup(self, time):
        saved = {}
        for key, fields in self.records.items():
            kept = {name: (value, None if expiry is None else expiry - time)
                    for name, (value, expiry) in fields.items()
                    if expiry is None or time < expiry}
            if kept:
                saved[key] = kept
        self.backups.append((time, copy.deepcopy(saved)))
        return len(saved)

    def restore(self, time, wanted):
        chosen = [saved for taken, saved in self.backups if taken <= wanted]
        if not chosen:
            return False
        self.records = {key: {name: (value, None if left is None else time + left)
                              for name, (value, left) in fields.items()}
                        for key, fields in chosen[-1].items()}
        return True


def test_random_backups_and_restores_match_a_simple_model(solution):
    rng = random.Random(404)
    db, model = solution.InMemoryDB(), _Model()
    keys, fields = ["r0", "r1", "r2"], ["a", "ab", "b"]
    now = 10
    for step in range(3000):
        now += rng.choice([1, 1, 2, 3])
        key, field = rng.choice(keys), rng.choice(fields)
        value = str(rng.randrange(20))
        where = f"step {step} at t={now}"
        action = rng.random()
        if action < 0.3:
            ttl = rng.choice([1, 2, 4, 8, 16])
            db.set_at_with_ttl(key, field, value, now, ttl)
            model.write(key, field, value, now + ttl)
        elif action < 0.4:
            db.set_at(key, field, value, now)
            model.write(key, field, value, None)
        elif action < 0.5:
            assert db.delete_at(key, field, now) is model.delete(key, field, now), where
        elif action < 0.7:
            assert db.scan_at(key, now) == model.scan(key, now), where
        elif action < 0.8:
            assert db.get_at(key, field, now) == model.live(key, now).get(field), where
        elif action < 0.9:
            assert db.backup(now) == model.backup(now), where
        else:
            wanted = max(1, now - rng.randrange(1, 60))
            if model.restore(now, wanted):
                db.restore(now, wanted)
            else:
                with pytest.raises(ValueError):
                    db.restore(now, wanted)
