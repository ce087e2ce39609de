"""Level 2 hidden tests: ranking accounts by their outgoing totals."""

import random


def _bank_with(solution, names, start=1):
    bank = solution.BankingSystem()
    for offset, name in enumerate(names):
        bank.create_account(start + offset, name)
    return bank


def test_top_spenders_ranks_by_outgoing_total(solution):
    bank = _bank_with(solution, ["a", "b", "c"])
    bank.deposit(4, "a", 1000)
    bank.deposit(5, "b", 1000)
    bank.deposit(6, "c", 1000)
    bank.transfer(7, "a", "b", 50)
    bank.transfer(8, "b", "c", 400)
    bank.transfer(9, "c", "a", 200)
    assert bank.top_spenders(10, 3) == ["b(400)", "c(200)", "a(50)"]


def test_top_spenders_truncates_to_n(solution):
    bank = _bank_with(solution, ["a", "b", "c"])
    bank.deposit(4, "a", 1000)
    bank.deposit(5, "b", 1000)
    bank.transfer(6, "a", "c", 10)
    bank.transfer(7, "b", "c", 20)
    assert bank.top_spenders(8, 1) == ["b(20)"]
    assert bank.top_spenders(9, 2) == ["b(20)", "a(10)"]


def test_outgoing_totals_accumulate_over_transfers(solution):
    bank = _bank_with(solution, ["a", "b"])
    bank.deposit(3, "a", 1000)
    bank.transfer(4, "a", "b", 100)
    bank.transfer(5, "a", "b", 250)
    bank.transfer(6, "a", "b", 5)
    assert bank.top_spenders(7, 1) == ["a(355)"]


def test_top_spenders_breaks_ties_by_id_ascending_edge(solution):
    bank = _bank_with(solution, ["m", "z", "b"])
    for time, name in [(4, "m"), (5, "z"), (6, "b")]:
        bank.deposit(time, name, 100)
    bank.transfer(7, "z", "m", 30)
    bank.transfer(8, "m", "b", 30)
    bank.transfer(9, "b", "z", 30)
    assert bank.top_spenders(10, 3) == ["b(30)", "m(30)", "z(30)"]


def test_top_spenders_ties_use_plain_string_order_edge(solution):
    bank = _bank_with(solution, ["acc2", "acc10", "b", "B"])
    assert bank.top_spenders(5, 4) == ["B(0)", "acc10(0)", "acc2(0)", "b(0)"]


def test_top_spenders_includes_accounts_that_sent_nothing_edge(solution):
    bank = _bank_with(solution, ["a", "b", "c"])
    bank.deposit(4, "b", 100)
    bank.transfer(5, "b", "a", 60)
    assert bank.top_spenders(6, 3) == ["b(60)", "a(0)", "c(0)"]


def test_top_spenders_with_n_above_the_number_of_accounts_returns_all_edge(solution):
    bank = _bank_with(solution, ["x", "y"])
    bank.deposit(3, "y", 10)
    bank.transfer(4, "y", "x", 10)
    assert bank.top_spenders(5, 100) == ["y(10)", "x(0)"]


def test_top_spenders_of_an_empty_bank_is_empty_edge(solution):
    bank = solution.BankingSystem()
    assert bank.top_spenders(1, 5) == []


def test_deposits_and_incoming_transfers_do_not_count(solution):
    bank = _bank_with(solution, ["rich", "poor"])
    bank.deposit(3, "rich", 10_000)
    bank.deposit(4, "poor", 10)
    bank.transfer(5, "poor", "rich", 10)
    assert bank.top_spenders(6, 2) == ["poor(10)", "rich(0)"]


def test_failed_transfers_do_not_count_edge(solution):
    bank = _bank_with(solution, ["a", "b"])
    bank.deposit(3, "a", 100)
    assert bank.transfer(4, "a", "b", 500) is None
    assert bank.transfer(5, "a", "a", 50) is None
    assert bank.transfer(6, "a", "ghost", 50) is None
    assert bank.transfer(7, "b", "a", 1) is None
    assert bank.top_spenders(8, 2) == ["a(0)", "b(0)"]


def test_top_spenders_does_not_change_balances(solution):
    bank = _bank_with(solution, ["a", "b"])
    bank.deposit(3, "a", 100)
    bank.transfer(4, "a", "b", 40)
    bank.top_spenders(5, 2)
    bank.top_spenders(6, 1)
    assert bank.deposit(7, "a", 1) == 61
    assert bank.deposit(8, "b", 1) == 41


def test_random_transfers_rank_like_a_simple_model(solution):
    rng = random.Random(202)
    bank = solution.BankingSystem()
    balances: dict[str, int] = {}
    outgoing: dict[str, int] = {}
    ids = [f"u{i}" for i in range(12)] + ["U1", "u1_"]
    for time in range(1, 2501):
        action = rng.random()
        where = f"call at t={time}"
        if action < 0.1:
            account = rng.choice(ids)
            if account not in balances:
                balances[account], outgoing[account] = 0, 0
            bank.create_account(time, account)
        elif action < 0.4:
            account = rng.choice(ids)
            if account in balances:
                balances[account] += 100
            bank.deposit(time, account, 100)
        elif action < 0.85:
            source, target = rng.choice(ids), rng.choice(ids)
            amount = rng.choice([10, 20, 30, 50])
            if (source in balances and target in balances and source != target
                    and balances[source] >= amount):
                balances[source] -= amount
                balances[target] += amount
                outgoing[source] += amount
            bank.transfer(time, source, target, amount)
        else:
            n = rng.randint(1, 16)
            ranked = sorted(outgoing, key=lambda name: (-outgoing[name], name))[:n]
            expected = [f"{name}({outgoing[name]})" for name in ranked]
            assert bank.top_spenders(time, n) == expected, where
