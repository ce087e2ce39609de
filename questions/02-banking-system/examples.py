"""The worked examples of QUESTION.md, one test per level; ``/run`` runs them."""

DAY = 86_400_000


def test_example_level1_accounts_deposits_and_transfers(solution):
    bank = solution.BankingSystem()
    assert bank.create_account(1, "alice") is True
    assert bank.create_account(2, "bob") is True
    assert bank.create_account(3, "alice") is False
    assert bank.deposit(4, "alice", 500) == 500
    assert bank.deposit(5, "carol", 100) is None
    assert bank.transfer(6, "alice", "bob", 200) == 300
    assert bank.deposit(7, "bob", 50) == 250
    assert bank.transfer(8, "bob", "alice", 300) is None
    assert bank.transfer(9, "alice", "alice", 10) is None
    assert bank.transfer(10, "alice", "dave", 10) is None
    assert bank.transfer(11, "bob", "alice", 250) == 0
    assert bank.deposit(12, "alice", 1) == 551


def test_example_level2_top_spenders(solution):
    bank = solution.BankingSystem()
    for time, name in enumerate(["ann", "ben", "cat", "dan"], start=1):
        assert bank.create_account(time, name) is True
    assert bank.deposit(5, "ann", 1000) == 1000
    assert bank.deposit(6, "ben", 1000) == 1000
    assert bank.transfer(7, "ann", "cat", 300) == 700
    assert bank.transfer(8, "ben", "dan", 100) == 900
    assert bank.transfer(9, "ben", "ann", 200) == 700
    assert bank.transfer(10, "cat", "dan", 400) is None
    assert bank.top_spenders(11, 3) == ["ann(300)", "ben(300)", "cat(0)"]
    assert bank.top_spenders(12, 10) == ["ann(300)", "ben(300)", "cat(0)", "dan(0)"]


def test_example_level3_payments_and_cashback(solution):
    bank = solution.BankingSystem()
    assert bank.create_account(1, "ann") is True
    assert bank.deposit(2, "ann", 2000) == 2000
    assert bank.pay(3, "ann", 1099) == "payment1"
    assert bank.pay(4, "ann", 5000) is None
    assert bank.create_account(5, "ben") is True
    assert bank.pay(6, "ben", 10) is None
    assert bank.deposit(7, "ben", 100) == 100
    assert bank.pay(8, "ben", 40) == "payment2"
    assert bank.get_payment_status(9, "ann", "payment1") == "IN_PROGRESS"
    assert bank.get_payment_status(10, "ben", "payment1") is None
    assert bank.get_payment_status(11, "ann", "payment9") is None
    assert bank.top_spenders(12, 2) == ["ann(1099)", "ben(40)"]
    assert bank.deposit(DAY + 2, "ann", 100) == 1001
    assert bank.get_payment_status(DAY + 3, "ann", "payment1") == "CASHBACK_RECEIVED"
    assert bank.deposit(DAY + 4, "ann", 1) == 1023
    assert bank.get_payment_status(DAY + 9, "ben", "payment2") == "CASHBACK_RECEIVED"
    assert bank.top_spenders(DAY + 10, 2) == ["ann(1099)", "ben(40)"]


def test_example_level4_merges_and_balance_history(solution):
    bank = solution.BankingSystem()
    assert bank.create_account(1, "ann") is True
    assert bank.create_account(2, "ben") is True
    assert bank.deposit(3, "ann", 1000) == 1000
    assert bank.deposit(4, "ben", 500) == 500
    assert bank.pay(5, "ben", 200) == "payment1"
    assert bank.transfer(6, "ann", "ben", 100) == 900
    assert bank.merge_accounts(7, "ann", "ann") is False
    assert bank.merge_accounts(8, "ann", "zoe") is False
    assert bank.merge_accounts(9, "ann", "ben") is True
    assert bank.deposit(10, "ben", 1) is None
    assert bank.top_spenders(11, 5) == ["ann(300)"]
    assert bank.get_payment_status(12, "ann", "payment1") == "IN_PROGRESS"
    assert bank.get_balance(13, "ann", 8) == 900
    assert bank.get_balance(14, "ann", 9) == 1300
    assert bank.get_balance(15, "ben", 6) == 400
    assert bank.get_balance(16, "ben", 9) is None
    assert bank.get_balance(17, "ann", 1) == 0
    assert bank.get_balance(18, "ben", 1) is None
    assert bank.get_balance(DAY + 6, "ann", DAY + 5) == 1304
    assert bank.get_payment_status(DAY + 7, "ann", "payment1") == "CASHBACK_RECEIVED"
    assert bank.create_account(DAY + 8, "ben") is True
    assert bank.get_balance(DAY + 9, "ben", DAY + 7) is None
    assert bank.get_balance(DAY + 10, "ben", DAY + 8) == 0
    assert bank.get_balance(DAY + 11, "ben", 6) == 400
    assert bank.get_payment_status(DAY + 12, "ben", "payment1") is None
