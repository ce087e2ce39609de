"""Level 4 hidden tests: merging accounts and the balance history.

The last tests measure ``get_balance`` by counting the comparisons made with
``time_at``, which they pass as a counting ``int`` subclass.
"""

import heapq
import math
import random

DAY = 86_400_000


class _Probe(int):
    """An int that counts every comparison it takes part in."""

    count = 0

    def __lt__(self, other):
        _Probe.count += 1
        return int.__lt__(self, other)

    def __le__(self, other):
        _Probe.count += 1
        return int.__le__(self, other)

    def __gt__(self, other):
        _Probe.count += 1
        return int.__gt__(self, other)

    def __ge__(self, other):
        _Probe.count += 1
        return int.__ge__(self, other)

    def __eq__(self, other):
        _Probe.count += 1
        return int.__eq__(self, other)

    def __ne__(self, other):
        _Probe.count += 1
        return int.__ne__(self, other)

    __hash__ = int.__hash__


def _two_accounts(solution, a=1000, b=500):
    bank = solution.BankingSystem()
    bank.create_account(1, "a")
    bank.create_account(2, "b")
    bank.deposit(3, "a", a)
    bank.deposit(4, "b", b)
    return bank


# -- merge_accounts ------------------------------------------------------------------------


def test_merge_returns_true_and_adds_the_balances(solution):
    bank = _two_accounts(solution)
    assert bank.merge_accounts(5, "a", "b") is True
    assert bank.deposit(6, "a", 1) == 1501


def test_merge_of_an_account_with_itself_returns_false_edge(solution):
    bank = _two_accounts(solution)
    assert bank.merge_accounts(5, "a", "a") is False
    assert bank.deposit(6, "a", 1) == 1001


def test_merge_with_a_missing_account_returns_false_and_changes_nothing_edge(solution):
    bank = _two_accounts(solution)
    assert bank.merge_accounts(5, "a", "ghost") is False
    assert bank.merge_accounts(6, "ghost", "b") is False
    assert bank.deposit(7, "a", 1) == 1001
    assert bank.deposit(8, "b", 1) == 501


def test_merged_account_no_longer_exists(solution):
    bank = _two_accounts(solution)
    bank.merge_accounts(5, "a", "b")
    assert bank.deposit(6, "b", 10) is None
    assert bank.transfer(7, "b", "a", 10) is None
    assert bank.transfer(8, "a", "b", 10) is None
    assert bank.pay(9, "b", 10) is None
    assert bank.merge_accounts(10, "a", "b") is False
    assert bank.deposit(11, "a", 1) == 1501


def test_merged_id_can_be_created_again_as_a_new_empty_account_edge(solution):
    bank = _two_accounts(solution)
    bank.merge_accounts(5, "a", "b")
    assert bank.create_account(6, "b") is True
    assert bank.deposit(7, "b", 5) == 5
    assert bank.top_spenders(8, 5) == ["a(0)", "b(0)"]


def test_merge_adds_outgoing_totals_and_drops_the_merged_account_from_the_ranking(solution):
    bank = _two_accounts(solution)
    bank.create_account(5, "c")
    bank.transfer(6, "a", "c", 100)
    bank.transfer(7, "b", "c", 150)
    bank.pay(8, "b", 20)
    bank.transfer(9, "c", "a", 200)
    assert bank.merge_accounts(10, "a", "b") is True
    assert bank.top_spenders(11, 5) == ["a(270)", "c(200)"]


def test_survivor_keeps_working_after_a_merge(solution):
    bank = _two_accounts(solution)
    bank.create_account(5, "c")
    bank.merge_accounts(6, "a", "b")
    assert bank.transfer(7, "a", "c", 1500) == 0
    assert bank.transfer(8, "c", "a", 1) == 1499


def test_merge_survivor_may_be_the_poorer_account(solution):
    bank = _two_accounts(solution, a=0, b=800)
    assert bank.merge_accounts(5, "a", "b") is True
    assert bank.deposit(6, "a", 1) == 801
    assert bank.pay(7, "a", 801) == "payment1"


def test_pending_cashback_of_the_merged_account_goes_to_the_survivor(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "b", 500)  # 10 back at DAY + 5
    bank.merge_accounts(6, "a", "b")
    assert bank.deposit(DAY + 4, "a", 1) == 1001
    assert bank.deposit(DAY + 5, "a", 1) == 1012


def test_payment_of_the_merged_account_is_answered_through_the_survivor(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "b", 100)
    bank.pay(6, "a", 100)
    bank.merge_accounts(7, "a", "b")
    assert bank.get_payment_status(8, "a", "payment1") == "IN_PROGRESS"
    assert bank.get_payment_status(9, "a", "payment2") == "IN_PROGRESS"
    assert bank.get_payment_status(DAY + 5, "a", "payment1") == "CASHBACK_RECEIVED"
    assert bank.get_payment_status(DAY + 6, "b", "payment1") is None


def test_recreated_id_owns_none_of_the_old_payments_edge(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "b", 100)
    bank.merge_accounts(6, "a", "b")
    bank.create_account(7, "b")
    assert bank.get_payment_status(8, "b", "payment1") is None
    assert bank.get_payment_status(9, "a", "payment1") == "IN_PROGRESS"
    bank.deposit(10, "b", 100)
    assert bank.pay(11, "b", 50) == "payment2"
    assert bank.get_payment_status(12, "b", "payment2") == "IN_PROGRESS"


def test_cashback_follows_a_chain_of_merges(solution):
    bank = _two_accounts(solution)
    bank.create_account(5, "c")
    bank.pay(6, "b", 500)  # 10 back at DAY + 6
    bank.merge_accounts(7, "a", "b")
    bank.merge_accounts(8, "c", "a")
    assert bank.get_payment_status(9, "c", "payment1") == "IN_PROGRESS"
    assert bank.deposit(DAY + 6, "c", 1) == 1000 + 10 + 1
    assert bank.top_spenders(DAY + 7, 3) == ["c(500)"]


# -- get_balance ------------------------------------------------------------------------------


def test_get_balance_at_the_time_of_the_call(solution):
    bank = _two_accounts(solution)
    bank.transfer(5, "a", "b", 300)
    assert bank.get_balance(6, "a", 6) == 700
    assert bank.get_balance(7, "b", 7) == 800


def test_get_balance_in_the_past(solution):
    bank = _two_accounts(solution)
    bank.deposit(10, "a", 1)
    bank.transfer(20, "a", "b", 500)
    bank.deposit(30, "a", 100)
    assert bank.get_balance(40, "a", 3) == 1000
    assert bank.get_balance(41, "a", 10) == 1001
    assert bank.get_balance(42, "a", 20) == 501
    assert bank.get_balance(43, "a", 30) == 601
    assert bank.get_balance(44, "b", 19) == 500
    assert bank.get_balance(45, "b", 20) == 1000


def test_get_balance_between_two_changes_is_the_earlier_balance_edge(solution):
    bank = _two_accounts(solution)
    bank.deposit(100, "a", 5)
    assert bank.get_balance(200, "a", 99) == 1000
    assert bank.get_balance(201, "a", 150) == 1005


def test_get_balance_is_after_the_operation_at_that_time_edge(solution):
    bank = _two_accounts(solution)
    bank.transfer(5, "a", "b", 1)
    assert bank.get_balance(6, "a", 5) == 999
    assert bank.get_balance(7, "a", 4) == 1000


def test_get_balance_at_the_creation_time_is_zero_edge(solution):
    bank = _two_accounts(solution)
    assert bank.get_balance(5, "a", 1) == 0
    assert bank.get_balance(6, "b", 2) == 0


def test_get_balance_before_creation_is_none_edge(solution):
    bank = solution.BankingSystem()
    bank.create_account(10, "late")
    assert bank.get_balance(11, "late", 9) is None
    assert bank.get_balance(12, "late", 1) is None


def test_get_balance_of_an_id_never_created_is_none_edge(solution):
    bank = _two_accounts(solution)
    assert bank.get_balance(5, "ghost", 4) is None


def test_failed_calls_leave_no_trace_in_the_history_edge(solution):
    bank = _two_accounts(solution)
    assert bank.transfer(10, "b", "a", 10_000) is None
    assert bank.pay(11, "b", 10_000) is None
    assert bank.create_account(12, "b") is False
    assert bank.get_balance(13, "b", 12) == 500
    assert bank.get_balance(14, "a", 12) == 1000


def test_get_balance_includes_a_cashback_due_at_that_time_edge(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "a", 500)  # 10 back at DAY + 5
    assert bank.get_balance(DAY + 5, "a", DAY + 5) == 510
    assert bank.get_balance(DAY + 6, "a", DAY + 4) == 500


def test_lazily_credited_cashback_is_dated_at_its_due_time_edge(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "a", 500)  # nothing is called near DAY + 5
    assert bank.get_balance(10 * DAY, "a", DAY + 5) == 510
    assert bank.get_balance(10 * DAY + 1, "a", DAY + 4) == 500
    assert bank.get_balance(10 * DAY + 2, "a", 3 * DAY) == 510


def test_survivor_balance_before_the_merge_is_its_own_edge(solution):
    bank = _two_accounts(solution)
    bank.merge_accounts(10, "a", "b")
    assert bank.get_balance(11, "a", 9) == 1000
    assert bank.get_balance(12, "a", 3) == 1000
    assert bank.get_balance(13, "a", 2) == 0


def test_survivor_balance_from_the_merge_time_on_includes_the_merged_money_edge(solution):
    bank = _two_accounts(solution)
    bank.merge_accounts(10, "a", "b")
    assert bank.get_balance(11, "a", 10) == 1500
    assert bank.get_balance(12, "a", 11) == 1500


def test_merged_id_answers_with_its_own_past_before_the_merge(solution):
    bank = _two_accounts(solution)
    bank.transfer(5, "b", "a", 100)
    bank.merge_accounts(10, "a", "b")
    assert bank.get_balance(11, "b", 4) == 500
    assert bank.get_balance(12, "b", 9) == 400
    assert bank.get_balance(13, "b", 1) is None


def test_merged_id_has_no_balance_from_the_merge_time_on_edge(solution):
    bank = _two_accounts(solution)
    bank.merge_accounts(10, "a", "b")
    assert bank.get_balance(11, "b", 10) is None
    assert bank.get_balance(12, "b", 12) is None


def test_recreated_id_answers_for_each_of_its_accounts_edge(solution):
    bank = _two_accounts(solution)
    bank.merge_accounts(10, "a", "b")
    bank.create_account(20, "b")
    bank.deposit(30, "b", 7)
    assert bank.get_balance(31, "b", 9) == 500
    assert bank.get_balance(32, "b", 15) is None
    assert bank.get_balance(33, "b", 20) == 0
    assert bank.get_balance(34, "b", 30) == 7


def test_merged_cashback_reaches_the_survivor_history_at_its_due_time_edge(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "b", 500)  # 10 back at DAY + 5
    bank.merge_accounts(6, "a", "b")
    assert bank.get_balance(3 * DAY, "a", DAY + 4) == 1000
    assert bank.get_balance(3 * DAY + 1, "a", DAY + 5) == 1010
    assert bank.get_balance(3 * DAY + 2, "b", DAY + 5) is None


def test_cashback_due_at_the_merge_time_is_credited_before_the_merge_edge(solution):
    bank = _two_accounts(solution)
    bank.pay(5, "b", 500)  # 10 back at DAY + 5
    assert bank.merge_accounts(DAY + 5, "a", "b") is True
    assert bank.get_balance(DAY + 6, "a", DAY + 5) == 1010
    assert bank.get_balance(DAY + 7, "b", DAY + 4) == 0
    assert bank.get_payment_status(DAY + 8, "a", "payment1") == "CASHBACK_RECEIVED"


class _Model:
    """A small, obviously correct model of the whole bank."""

    def __init__(self):
        self.accounts = {}    # id -> [balance, outgoing]
        self.owner = {}       # payment -> id of the account that holds it now
        self.received = set()
        self.pending = []     # (due, payment, cashback), a heap
        self.history = {}     # id -> [(time, balance or None)]

    def note(self, time, account, balance="current"):
        value = self.accounts[account][0] if balance == "current" else balance
        self.history.setdefault(account, []).append((time, value))

    def settle(self, now):
        while self.pending and self.pending[0][0] <= now:
            due, payment, cashback = heapq.heappop(self.pending)
            account = self.owner[payment]
            self.accounts[account][0] += cashback
            self.received.add(payment)
            self.note(due, account)

    def create(self, time, account):
        if account in self.accounts:
            return False
        self.accounts[account] = [0, 0]
        self.note(time, account)
        return True

    def deposit(self, time, account, amount):
        if account not in self.accounts:
            return None
        self.accounts[account][0] += amount
        self.note(time, account)
        return self.accounts[account][0]

    def spend(self, time, account, amount):
        if account not in self.accounts or self.accounts[account][0] < amount:
            return False
        self.accounts[account][0] -= amount
        self.accounts[account][1] += amount
        self.note(time, account)
        return True

    def transfer(self, time, source, target, amount):
        if source == target or target not in self.accounts:
            return None
        if not self.spend(time, source, amount):
            return None
        self.deposit(time, target, amount)
        return self.accounts[source][0]

    def pay(self, time, account, amount):
        if not self.spend(time, account, amount):
            return None
        payment = f"payment{len(self.owner) + 1}"
        self.owner[payment] = account
        heapq.heappush(self.pending, (time + DAY, payment, amount * 2 // 100))
        return payment

    def status(self, account, payment):
        if account not in self.accounts or self.owner.get(payment) != account:
            return None
        return "CASHBACK_RECEIVED" if payment in self.received else "IN_PROGRESS"

    def merge(self, time, first, second):
        if first == second or first not in self.accounts or second not in self.accounts:
            return False
        balance, outgoing = self.accounts.pop(second)
        self.accounts[first][0] += balance
        self.accounts[first][1] += outgoing
        for payment, holder in self.owner.items():
            if holder == second:
                self.owner[payment] = first
        self.note(time, first)
        self.note(time, second, None)
        return True

    def balance_at(self, account, time):
        answer = None
        for when, balance in self.history.get(account, []):
            if when > time:
                break
            answer = balance
        return answer

    def top(self, n):
        ranked = sorted(self.accounts, key=lambda name: (-self.accounts[name][1], name))
        return [f"{name}({self.accounts[name][1]})" for name in ranked[:n]]


def _random_call(rng, bank, model, time, ids):
    """One random call on both the bank and the model; their answers must agree."""
    model.settle(time)
    account, other = rng.choice(ids), rng.choice(ids)
    action = rng.random()
    if action < 0.08:
        return bank.create_account(time, account), model.create(time, account)
    if action < 0.3:
        return bank.deposit(time, account, 300), model.deposit(time, account, 300)
    if action < 0.42:
        amount = rng.randint(1, 400)
        return (bank.transfer(time, account, other, amount),
                model.transfer(time, account, other, amount))
    if action < 0.6:
        amount = rng.randint(1, 400)
        return bank.pay(time, account, amount), model.pay(time, account, amount)
    if action < 0.68:
        payment = f"payment{rng.randint(1, len(model.owner) + 1)}"
        return (bank.get_payment_status(time, account, payment),
                model.status(account, payment))
    if action < 0.74:
        return bank.merge_accounts(time, account, other), model.merge(time, account, other)
    if action < 0.78:
        return bank.top_spenders(time, 3), model.top(3)
    when = rng.randint(1, time)
    return bank.get_balance(time, account, when), model.balance_at(account, when)


def test_random_operations_with_merges_match_a_simple_model(solution):
    rng = random.Random(404)
    bank, model = solution.BankingSystem(), _Model()
    ids = ["a", "b", "c", "d", "e"]
    time = 0
    for step in range(3000):
        time += rng.choice([1, 3, 500, DAY // 4, DAY // 2, DAY])
        got, expected = _random_call(rng, bank, model, time, ids)
        assert got == expected, f"step {step} at t={time}"


# -- the cost of get_balance --------------------------------------------------------------------


def _long_history(solution, rng, accounts, calls):
    """A bank and its model after ``calls`` random deposits, transfers, payments and merges."""
    bank, model = solution.BankingSystem(), _Model()
    for time, account in enumerate(accounts, start=1):
        assert bank.create_account(time, account) is model.create(time, account)
    time = len(accounts)
    for step in range(calls):
        time += rng.choice([1, 2, 1000, DAY // 8])
        model.settle(time)
        account, other = rng.choice(accounts), rng.choice(accounts)
        action = rng.random()
        if action < 0.4:
            got, expected = bank.deposit(time, account, 200), model.deposit(time, account, 200)
        elif action < 0.7:
            got = bank.transfer(time, account, other, 150)
            expected = model.transfer(time, account, other, 150)
        elif action < 0.995:
            got, expected = bank.pay(time, account, 120), model.pay(time, account, 120)
        else:
            got, expected = bank.merge_accounts(time, account, other), model.merge(
                time, account, other)
            if expected:
                assert bank.create_account(time + 1, other) is model.create(time + 1, other)
                time += 1
        assert got == expected, f"step {step} at t={time}"
    return bank, model, time


def _query_comparisons(bank, model, rng, accounts, now, queries):
    """Run random get_balance queries with counting times; the comparisons they made."""
    _Probe.count = 0
    for step in range(queries):
        now += 1
        model.settle(now)
        account, when = rng.choice(accounts), rng.randint(1, now)
        expected = model.balance_at(account, when)
        assert bank.get_balance(now, account, _Probe(when)) == expected, f"query {step}"
    return _Probe.count


def test_get_balance_over_long_histories_is_correct_and_counted(solution, measure):
    rng = random.Random(505)
    accounts = ["a", "b", "c"]
    bank, model, now = _long_history(solution, rng, accounts, 4500)
    comparisons = _query_comparisons(bank, model, rng, accounts, now, 300)
    measure("comparisons", comparisons)


def test_get_balance_comparisons_stay_far_below_a_scan_of_the_history(solution):
    rng = random.Random(606)
    bank = solution.BankingSystem()
    bank.create_account(1, "solo")
    for time in range(2, 6002):
        bank.deposit(time, "solo", 1)
    queries, entries = 200, 6001
    _Probe.count = 0
    for step in range(queries):
        when = rng.randint(1, 6001)
        assert bank.get_balance(7000 + step, "solo", _Probe(when)) == when - 1
    allowed = queries * 4 * (math.log2(entries) + 2)
    assert _Probe.count <= allowed, (
        f"{_Probe.count} comparisons with time_at for {queries} queries on a history of "
        f"{entries} entries; a binary search needs about {queries * math.ceil(math.log2(entries))}"
    )
