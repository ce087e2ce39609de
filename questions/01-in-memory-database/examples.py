"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

import pytest


def test_example_level1_records_and_fields(solution):
    db = solution.InMemoryDB()
    db.set("user1", "name", "Ada")
    db.set("user1", "city", "London")
    assert db.get("user1", "name") == "Ada"
    assert db.get("user1", "email") is None
    assert db.get("user2", "name") is None
    db.set("user1", "name", "Grace")
    assert db.get("user1", "name") == "Grace"
    assert db.delete("user1", "city") is True
    assert db.delete("user1", "city") is False
    assert db.get("user1", "city") is None


def test_example_level2_scans(solution):
    db = solution.InMemoryDB()
    db.set("car", "model", "T")
    db.set("car", "make", "Ford")
    db.set("car", "Mileage", "1200")
    db.set("car", "year", "1908")
    everything = ["Mileage(1200)", "make(Ford)", "model(T)", "year(1908)"]
    assert db.scan("car") == everything
    assert db.scan_by_prefix("car", "m") == ["make(Ford)", "model(T)"]
    assert db.scan_by_prefix("car", "model") == ["model(T)"]
    assert db.scan_by_prefix("car", "") == everything
    assert db.scan_by_prefix("car", "x") == []
    assert db.scan("boat") == []


def test_example_level3_timestamps_and_ttl(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("s1", "token", "abc", 10, 5)
    db.set_at("s1", "user", "ada", 11)
    assert db.get_at("s1", "token", 13) == "abc"
    assert db.scan_at("s1", 14) == ["token(abc)", "user(ada)"]
    assert db.get_at("s1", "token", 15) is None
    assert db.scan_at("s1", 16) == ["user(ada)"]
    assert db.delete_at("s1", "token", 17) is False
    assert db.get("s1", "token") is None

    db.set_at_with_ttl("s2", "lock", "held", 21, 10)
    db.set_at_with_ttl("s2", "lock", "held", 25, 10)
    assert db.get_at("s2", "lock", 33) == "held"
    db.set_at("s2", "lock", "free", 34)
    assert db.get_at("s2", "lock", 100) == "free"


def test_example_level4_backup_and_restore(solution):
    db = solution.InMemoryDB()
    db.set_at_with_ttl("a", "x", "1", 1, 10)
    db.set_at("b", "y", "2", 2)
    assert db.backup(3) == 2
    db.set_at("a", "x", "new", 4)
    assert db.delete_at("b", "y", 5) is True
    db.set_at("c", "z", "3", 6)
    assert db.backup(7) == 2
    db.restore(20, 5)
    assert db.get_at("a", "x", 27) == "1"
    assert db.get_at("a", "x", 28) is None
    assert db.get_at("b", "y", 29) == "2"
    assert db.get_at("c", "z", 30) is None
    with pytest.raises(ValueError):
        db.restore(31, 2)
    assert db.get_at("b", "y", 32) == "2"
