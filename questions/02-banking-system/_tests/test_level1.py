"""Level 1 hidden tests: accounts, deposits and transfers.

Timestamps strictly increase from one call to the next in every test, as
QUESTION.md promises.
"""

import random


def test_create_account_returns_true_for_a_new_id(solution):
    bank = solution.BankingSystem()
    assert bank.create_account(1, "acc") is True


def test_create_account_of_an_existing_id_returns_false_edge(solution):
    bank = solution.BankingSystem()
    assert bank.create_account(1, "acc") is True
    assert bank.create_account(2, "acc") is False


def test_create_account_twice_keeps_the_existing_balance_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "acc")
    bank.deposit(2, "acc", 70)
    assert bank.create_account(3, "acc") is False
    assert bank.deposit(4, "acc", 5) == 75


def test_new_account_starts_with_a_zero_balance(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "acc")
    assert bank.deposit(2, "acc", 42) == 42


def test_deposits_accumulate_and_return_the_new_balance(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "acc")
    assert bank.deposit(2, "acc", 100) == 100
    assert bank.deposit(3, "acc", 250) == 350
    assert bank.deposit(4, "acc", 1) == 351


def test_deposit_into_missing_account_returns_none_edge(solution):
    bank = solution.BankingSystem()
    assert bank.deposit(1, "ghost", 100) is None
    bank.create_account(2, "acc")
    assert bank.deposit(3, "ghost", 100) is None


def test_large_amounts_are_exact_integers(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "acc")
    for time in range(2, 12):
        bank.deposit(time, "acc", 10**9)
    assert bank.deposit(12, "acc", 10**9) == 11 * 10**9


def test_account_ids_are_case_sensitive_edge(solution):
    bank = solution.BankingSystem()
    assert bank.create_account(1, "Ann") is True
    assert bank.create_account(2, "ann") is True
    assert bank.deposit(3, "Ann", 10) == 10
    assert bank.deposit(4, "ann", 3) == 3
    assert bank.deposit(5, "ANN", 1) is None


def test_transfer_returns_the_source_balance(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", 500)
    assert bank.transfer(4, "a", "b", 120) == 380


def test_transfer_credits_the_target(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", 500)
    bank.deposit(4, "b", 7)
    bank.transfer(5, "a", "b", 120)
    assert bank.deposit(6, "b", 1) == 128


def test_transfer_of_the_whole_balance_succeeds_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", 300)
    assert bank.transfer(4, "a", "b", 300) == 0
    assert bank.deposit(5, "b", 1) == 301


def test_transfer_with_insufficient_funds_returns_none_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", 300)
    assert bank.transfer(4, "a", "b", 301) is None


def test_transfer_from_an_empty_account_returns_none_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    assert bank.transfer(3, "a", "b", 1) is None


def test_failed_transfer_moves_no_money_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", 300)
    bank.deposit(4, "b", 10)
    assert bank.transfer(5, "a", "b", 1000) is None
    assert bank.deposit(6, "a", 1) == 301
    assert bank.deposit(7, "b", 1) == 11


def test_transfer_from_a_missing_source_returns_none_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "b")
    assert bank.transfer(2, "ghost", "b", 10) is None
    assert bank.deposit(3, "b", 1) == 1


def test_transfer_to_a_missing_target_returns_none_and_keeps_the_money_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.deposit(2, "a", 100)
    assert bank.transfer(3, "a", "ghost", 10) is None
    assert bank.deposit(4, "a", 1) == 101


def test_transfer_to_the_same_account_returns_none_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.deposit(2, "a", 100)
    assert bank.transfer(3, "a", "a", 10) is None
    assert bank.deposit(4, "a", 1) == 101


def test_transfers_in_both_directions(solution):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", 100)
    assert bank.transfer(4, "a", "b", 60) == 40
    assert bank.transfer(5, "b", "a", 25) == 35
    assert bank.transfer(6, "a", "b", 65) == 0
    assert bank.transfer(7, "b", "a", 100) == 0


def test_random_operations_match_a_simple_model(solution):
    rng = random.Random(101)
    bank = solution.BankingSystem()
    balances: dict[str, int] = {}
    ids = ["a", "b", "c", "A", "d1", "d10"]
    for time in range(1, 3001):
        action = rng.random()
        where = f"call at t={time}"
        if action < 0.15:
            account = rng.choice(ids)
            expected = account not in balances
            balances.setdefault(account, 0)
            assert bank.create_account(time, account) is expected, where
        elif action < 0.5:
            account, amount = rng.choice(ids), rng.randint(1, 500)
            expected = None
            if account in balances:
                balances[account] += amount
                expected = balances[account]
            assert bank.deposit(time, account, amount) == expected, where
        else:
            source, target = rng.choice(ids), rng.choice(ids)
            amount = rng.randint(1, 800)
            expected = None
            if (source in balances and target in balances and source != target
                    and balances[source] >= amount):
                balances[source] -= amount
                balances[target] += amount
                expected = balances[source]
            assert bank.transfer(time, source, target, amount) == expected, where
